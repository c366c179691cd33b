"""The build's backstop: the directives and roles that read files, go online or run code
do nothing but fail the build, whatever the census saw.

The census (:mod:`idcpc_book.inputs.content`) refuses every directive and role a chapter
may not use before a page is read. Should a parse reach one anyway (the reStructuredText
of an ``{eval-rst}`` block, a MyST construct the census reads differently), each name of
``BACKSTOP_DIRECTIVES`` and ``BACKSTOP_ROLES`` (:mod:`idcpc_book.inputs.markup`) is
registered again when the builder starts, after every extension, as one that logs an
error at its location (so a strict build fails) and returns nothing: no file is read and
no address fetched.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import Inliner
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from idcpc_book.ext import order
from idcpc_book.inputs.markup import BACKSTOP_DIRECTIVES, BACKSTOP_ROLES

logger = logging.getLogger(__name__)
_WHY = "not allowed in the book (it reads a file, goes online or runs code)"


class _AnyOption(dict[str, Any]):
    """An option spec that takes every option as text, so that the refusal, not an
    option error, is what the build reports."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return directives.unchanged

    def get(self, key: str, default: Any = None) -> Any:
        return directives.unchanged


class RefusedDirective(SphinxDirective):
    """Logs an error at its location and stands for nothing."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()

    def run(self) -> list[nodes.Node]:
        logger.error(f"{{{self.name}}}: directive {_WHY}", location=self.get_location())
        return []


def refused_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Inliner, *args: Any, **kw: Any
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Logs an error at the role's location and stands for nothing."""
    location = inliner.document.current_source, lineno  # type: ignore[attr-defined]
    logger.error(f"{{{name}}}: role {_WHY}", location=f"{location[0]}:{location[1]}")
    return [], []


def register(app: Sphinx) -> None:
    for name in BACKSTOP_DIRECTIVES:
        app.add_directive(name, RefusedDirective, override=True)
    for name in BACKSTOP_ROLES:
        app.add_role(name, refused_role, override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", register, priority=order.REFUSE_DIRECTIVES)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
