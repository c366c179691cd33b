"""Keep the pickled configuration equal to the next build's, so that a rebuild (``nox -s
live``, ``sphinx-build`` without ``-E``) does not say "The configuration has changed".

Works around two faults, Sphinx 9.0.4 with furo 2025.12.19:

* ``StandaloneHTMLBuilder.init_css_files``/``init_js_files`` write
  ``attrs.setdefault('priority', 800)`` into the configuration's own ``html_css_files`` and
  ``html_js_files`` entries: the environment is pickled with ``('book.css', {'priority':
  800})``, the next build reads ``('book.css', {})``, and every HTML page is written again.
  Here the priority is set when the configuration is read (:func:`set_priorities`).
* furo, a theme, registers ``pygments_dark_style`` when the builder loads it, after the
  pickled configuration was compared with the new one, which does not have it yet; furo
  cannot be listed in ``extensions`` (it refuses non-HTML builders). Here the option is left
  out of the pickle (:func:`hide_theme_options`) and put back after (:func:`restore`).

Remove it when ``test_sphinx_writes_a_priority_into_the_configured_files`` and
``test_furo_registers_its_option_after_the_configuration_is_compared`` fail.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from idcpc_book.ext import order
from idcpc_book.ext.state import build_state

#: The default Sphinx gives the configured files (``init_css_files``/``init_js_files``).
USER_PRIORITY = 800
#: Options a theme registers when the builder loads it (furo's).
THEME_OPTIONS = ("pygments_dark_style",)


def set_priorities(app: Sphinx, config: Config) -> None:
    """The configured files' attributes as Sphinx will leave them in the pickled config."""
    for name in ("html_css_files", "html_js_files"):
        for _filename, attrs in config[name]:
            attrs.setdefault("priority", USER_PRIORITY)


def hide_theme_options(app: Sphinx, env: BuildEnvironment) -> None:
    """Take the theme's options out of the configuration just before it is pickled."""
    options = app.config._options
    hidden = build_state(app).hidden_options
    hidden.update({name: options.pop(name) for name in THEME_OPTIONS if name in options})


def restore(app: Sphinx, *args: object) -> None:
    """Put the theme's options back once the environment is pickled."""
    hidden = build_state(app).hidden_options
    app.config._options.update(hidden)
    hidden.clear()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", set_priorities, priority=order.CONFIGURED_FILES_PRIORITY)
    # env-updated is the last event before the pickle; env-check-consistency follows it
    # when the environment was pickled, build-finished always
    app.connect("env-updated", hide_theme_options, priority=order.HIDE_THEME_OPTIONS)
    app.connect("env-check-consistency", restore, priority=order.RESTORE_THEME_OPTIONS)
    app.connect("build-finished", restore, priority=order.RESTORE_THEME_OPTIONS_AT_END)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
