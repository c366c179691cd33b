"""Send what sphinx-simplepdf prints during a build to Sphinx's log (debug level, ``-vv``).

Works around sphinx-simplepdf 1.7.0: ``SimplePdfBuilder._toctree_fix`` ``print()``s two
lines on every build, one of them its whole map of heading links (4400 characters for this
book). Remove it when ``test_simplepdf_prints_its_table_of_contents_fix_up`` fails.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


class _StdoutToLog(io.TextIOBase):
    """A text stream whose lines go to Sphinx's log at debug level (shown with ``-vv``)."""

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                logger.debug("[sphinx-simplepdf] %s", line)
        return len(text)


def _quiet(method: Callable[[str], str]) -> Callable[[str], str]:
    """``method`` with whatever it prints sent to the log instead of the terminal."""

    @functools.wraps(method)
    def quiet(html: str) -> str:
        with contextlib.redirect_stdout(_StdoutToLog()):
            return method(html)

    return quiet


def quiet_builder(app: Sphinx) -> None:
    """Wrap the PDF builder's ``_toctree_fix`` so that what it prints is logged."""
    if app.builder.name == "simplepdf":
        builder: Any = app.builder
        builder._toctree_fix = _quiet(builder._toctree_fix)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", quiet_builder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
