"""The build's backstop: the directives and roles that read files, go online or run code
do nothing but fail the build, whatever the census saw.

The census (:mod:`idcpc_book.inputs.content`) refuses every directive and role a chapter
may not use before a page is read. Should a parse reach one anyway (the reStructuredText
of an ``{eval-rst}`` block, a MyST construct the census reads differently), each name of
``BACKSTOP_DIRECTIVES`` and ``BACKSTOP_ROLES`` (:mod:`idcpc_book.inputs.markup`) is
registered again when the builder starts, after every extension, as one that logs an
error at its location (so a strict build fails) and returns nothing: no file is read and
no address fetched. Likewise, once a page is read and before Sphinx collects its images
and downloads, an image that is remote or outside the repository, and a link to a file
outside it (which Sphinx would copy into the build), is an error and is dropped. And a
``{{ }}`` substitution other than the edition's names (``SUBSTITUTIONS``), which MyST
would evaluate as a Jinja2 expression with the Sphinx environment in reach, is an error
and is not evaluated: MyST's renderer is wrapped once, for the builds that load this
module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import Inliner
from myst_parser.mdit_to_docutils.base import DocutilsRenderer, token_line
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from idcpc_book.ext import order
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.inputs.markup import (
    BACKSTOP_DIRECTIVES,
    BACKSTOP_ROLES,
    SUBSTITUTIONS,
    url_scheme,
)

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


def _outside(app: Sphinx, docname: str, target: str) -> bool:
    """Whether ``target`` (an image or a linked file of page ``docname``) is remote or
    outside the book's repository."""
    if url_scheme(target) is not None or target.startswith("//"):
        return True
    _, path = app.env.relfn2path(target, docname)
    return not Path(path).resolve().is_relative_to(book_root(app).resolve())


def refuse_outside_files(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the images and file links of a page that reach outside the repository."""
    docname = app.env.docname
    found: list[tuple[nodes.Element, str]] = [
        (node, node["uri"]) for node in doctree.findall(nodes.image)
    ]
    found += [(node, node["reftarget"]) for node in doctree.findall(addnodes.download_reference)]
    for node, target in found:
        if not _outside(app, docname, target):
            continue
        logger.error(f"{target}: file or address outside the repository {_WHY}", location=node)
        node.replace_self(nodes.Text(node.astext()) if node.astext() else [])


#: The configuration value (set by this module's setup) that marks a build of the book.
GUARD = "idcpc_refuse_substitutions"


def _guard_substitutions() -> None:
    """Wrap MyST's substitution rendering (once per process) so that, in a build of the
    book, only the allowed names are rendered."""
    renderer = DocutilsRenderer
    original = renderer.render_substitution
    if getattr(original, "idcpc_guard", False):
        return

    def render_substitution(self: DocutilsRenderer, token: Any, inline: bool) -> None:
        env = self.sphinx_env
        ours = env is not None and getattr(env.config, GUARD, False)
        if not ours or token.content.strip() in SUBSTITUTIONS:
            original(self, token, inline)
            return
        where = f"{self.document['source']}:{token_line(token, 0) + 1}"
        logger.error(f"{{{{ {token.content.strip()} }}}}: substitution {_WHY}", location=where)

    render_substitution.idcpc_guard = True  # type: ignore[attr-defined]
    renderer.render_substitution = render_substitution  # type: ignore[method-assign]


def register(app: Sphinx) -> None:
    for name in BACKSTOP_DIRECTIVES:
        app.add_directive(name, RefusedDirective, override=True)
    for name in BACKSTOP_ROLES:
        app.add_role(name, refused_role, override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    _guard_substitutions()
    app.add_config_value(GUARD, True, "", types=frozenset({bool}))
    app.connect("builder-inited", register, priority=order.REFUSE_DIRECTIVES)
    app.connect("doctree-read", refuse_outside_files, priority=order.REFUSE_OUTSIDE_FILES)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
