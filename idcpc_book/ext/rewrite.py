"""One registry of "pages to write again when something they show changed".

Sphinx writes again only the pages it read again. A page that shows data from other pages
(the claims index, a figure, a claim's grade from its sources) must be written again when
that data changed, although the page itself did not. Each such dependency is a
:class:`PageSource`, registered by the extension that knows it; one ``env-get-updated``
handler asks every source and hands Sphinx the union.

Every source is asked on every build (none is skipped once another has answered): each
updates its fingerprints of what was written.
"""

from __future__ import annotations

from typing import Any, Protocol

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from idcpc_book.ext.state import build_state


class PageSource(Protocol):
    """Names the pages to write again, given the environment after reading."""

    def __call__(self, app: Sphinx, env: BuildEnvironment) -> list[str]: ...


def register(app: Sphinx, source: PageSource) -> None:
    """Ask ``source`` on each build which pages to write again."""
    app.setup_extension(__name__)
    build_state(app).rewrite_sources.append(source)


def _note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    build_state(app).read_docs = set(docnames)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The union of every registered source's pages (``env-get-updated``)."""
    pages: set[str] = set()
    for source in build_state(app).rewrite_sources:
        pages.update(source(app, env))
    build_state(app).read_docs = set()
    return sorted(pages & env.found_docs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-before-read-docs", _note_reading)
    app.connect("env-get-updated", pages_to_rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
