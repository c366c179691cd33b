"""One verdict: every build runs the checker's rules, so a book that fails the check fails
every build (HTML, PDF, EPUB, ``needs``, ``nox -s live``), at the same places.

When writing starts (``write-started``, after sphinx-needs has resolved the needs: the
evidence grades are set), the book the checker would load from ``needs.json`` is put
together from sphinx-needs' data, the files the preflight read
(:mod:`~idcpc_book.ext.inputs.preflight`), ``refs.bib``'s keys and the claims' texts
(:mod:`~idcpc_book.ext.store`), and every rule of
:data:`idcpc_book.checker.rules.RULES` runs on it. Each problem is logged as an error at
its file and line, as the preflight logs a fault (``<path>:<line>: ERROR: <ID>:
<message>``, the checker's line with the path in full), then a count; under ``-W`` the
build fails (status 1). Writing starts on every build, incremental ones with nothing to
read included, so the verdict is never skipped. All the rules together cost about 0.15 s
on the real book (``nox -s check`` loads the same data from ``needs.json``), so none is
left to the check alone.

``nox -s check`` turns the verdict off (``-D idcpc_verdict=0``) in the ``needs`` build it
runs when the HTML build is stale, as does the release's check, because the checker
reports the same problems from that build's data right after: each is reported once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import sphinxbuild
from idcpc_book.checker import rules
from idcpc_book.checker.book import Book, assemble
from idcpc_book.checker.problems import Problem
from idcpc_book.ext import order
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.state import build_state
from idcpc_book.ext.store import book_data

logger = logging.getLogger(__name__)

#: The configuration value that turns the verdict off (``nox -s check``'s own build).
SETTING = sphinxbuild.VERDICT_SETTING


def build_book(app: Sphinx) -> Book | None:
    """The book as the checker sees it, from this build's data (None when the preflight
    did not run: a build without the book's configuration)."""
    inputs = build_state(app).inputs
    if inputs is None:
        return None
    root = book_root(app)
    needs = SphinxNeedsData(app.env).get_needs_view()
    bib_keys = app.env.get_domain("cite").bibdata.data.entries.keys()  # type: ignore[attr-defined]
    texts = {key: text for key, (_, text) in book_data(app.env).claim_texts.items()}
    return assemble(root, Path(app.srcdir), inputs, bib_keys, needs, texts)


def report(root: Path, problems: list[Problem]) -> None:
    """Log each problem as an error at its place, then how many there are."""
    for problem in problems:
        message = f"{problem.obj}: {problem.message}"
        if problem.line:
            logger.error(message, location=f"{root / problem.path}:{problem.line}")
        else:  # Sphinx takes a location without a line for a document name
            logger.error(f"{root / problem.path}: {message}")
    count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
    logger.error(f"{count} found by the checker's rules (nox -s check reports the same)")


def run_rules(app: Sphinx, builder: Builder) -> None:
    if not app.config[SETTING]:
        return
    book = build_book(app)
    if book is None:
        return
    problems = rules.check(book)
    if problems:
        report(book.root, problems)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(SETTING, True, "", types=frozenset({bool}))
    app.setup_extension("sphinx_needs")
    app.setup_extension("idcpc_book.ext.store")
    app.connect("write-started", run_rules, priority=order.VERDICT)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
