"""Make the single-page PDF build clean, and make it fail when it is not.

Two problems of sphinx-simplepdf (a single-file HTML builder) on Sphinx >= 8.2:

* Links into another chapter come out as ``#document-<doc>#<id>``, an anchor that
  does not exist on the single page: Sphinx 8.2 stopped rewriting them
  (``SingleFileHTMLBuilder.fix_refuris`` is deprecated and no longer called) and
  sphinx-needs and sphinxcontrib-bibtex build such URIs. We rewrite them to
  ``#<id>`` once the page is resolved. (Worth an upstream report to sphinx-needs and
  sphinxcontrib-bibtex: they should build URIs with ``builder.get_relative_uri``
  semantics that suit single-page builders.)
* A link to a whole chapter (the table of contents, ``{doc}`` references) points at
  ``#document-<doc>``, an empty marker *before* the chapter's first heading; the heading
  starts a new page, so the marker, and with it the link and the page number in the
  table of contents, fall on the page before. We point such links at the chapter's
  first section instead.
* WeasyPrint reports broken anchors and other faults through its own ``weasyprint``
  logger, which Sphinx's ``-W`` never sees. We forward its warnings and errors to
  Sphinx's logger, so they count as build warnings and fail a strict build.

The book's print styles (``idcpc_book/data/print.css``: margins, body weight, hyphenation,
the cover, compact tables, the printed claims index's page numbers) are added after the
theme's. (sphinx-simplepdf's own ``print()`` on every build is silenced by
:mod:`idcpc_book.ext.upstream.simplepdf_print`; the PDF is written as PDF/UA-1 by
:mod:`idcpc_book.ext.upstream.simplepdf_ua`.)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging as sphinx_logging

from idcpc_book.ext import order
from idcpc_book.ext.state import build_state
from idcpc_book.fonts import script_fonts

logger = sphinx_logging.getLogger(__name__)


_AUTO_ID = re.compile(r"^id\d+$")
_CROSS_DOC = re.compile(r'#document-([^"#]+)#([^"#]+)(?=")')
_WHOLE_DOC = re.compile(r'#document-([^"#]+)(?=")')


def _with_docs(tree: nodes.Node, root: str) -> Iterator[tuple[nodes.Element, str]]:
    """Each element of the assembled page with the chapter it came from.

    Walked from the top: ``inline_all_toctrees`` moves a chapter's nodes under a
    ``start_of_file`` node without updating their ``parent``.
    """
    stack: list[tuple[nodes.Node, str]] = [(tree, root)]
    while stack:
        node, doc = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            doc = node["docname"]
        if isinstance(node, nodes.Element):
            yield node, doc
            stack.extend((child, doc) for child in reversed(node.children))


def _qualify(doc: str, ident: str, defined: dict[str, list[str]]) -> str:
    """An anchor unique on the single page.

    Docutils numbers ``idN`` per chapter, and two chapters may have sections of the same
    name: such an anchor gets its chapter's name as a prefix.
    """
    if _AUTO_ID.match(ident) or len(set(defined.get(ident, [doc]))) > 1:
        return f"{doc.replace('/', '-')}-{ident}"
    return ident


def fix_single_page_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make every anchor unique and every internal link point at one, on a single page."""
    if not isinstance(app.builder, SingleFileHTMLBuilder):
        return
    root = app.config.root_doc
    state = build_state(app)  # read by fix_toctree
    defined: dict[str, list[str]] = {}
    state.pdf_defined_ids = defined
    elements = list(_with_docs(doctree, root))
    for node, doc in elements:
        if node["ids"]:
            for ident in node["ids"]:
                defined.setdefault(ident, []).append(doc)
    starts: dict[str, str] = {}  # chapter -> the id of its first section
    state.pdf_chapter_starts = starts
    for node, doc in elements:
        if node["ids"]:
            node["ids"] = [_qualify(doc, i, defined) for i in node["ids"]]
            if isinstance(node, nodes.section):
                starts.setdefault(doc, node["ids"][0])
    for node, doc in elements:
        uri = node.get("refuri", "")
        if isinstance(node, nodes.reference) and uri.startswith("#document-"):
            target_doc, _, ident = uri[len("#document-") :].partition("#")
            if ident:
                node["refuri"] = "#" + _qualify(target_doc, ident, defined)
            elif target_doc in starts:
                node["refuri"] = "#" + starts[target_doc]
        if node.get("refid"):
            node["refid"] = _qualify(doc, node["refid"], defined)
        if node.get("backrefs"):
            # a backref points into the citing chapter, which only the id tells
            node["backrefs"] = [
                _qualify(defined[i][0], i, defined)
                for i in node["backrefs"]
                if len(defined.get(i, [])) == 1
            ]


def fix_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The theme's table of contents links to ``#document-x#y`` and ``#document-x``.

    They become ``#y`` and the id of chapter x's first section.
    """
    if not isinstance(app.builder, SingleFileHTMLBuilder):
        return
    defined = build_state(app).pdf_defined_ids
    starts = build_state(app).pdf_chapter_starts

    def relink(html: str) -> str:
        html = _CROSS_DOC.sub(lambda m: "#" + _qualify(m.group(1), m.group(2), defined), html)
        return _WHOLE_DOC.sub(lambda m: "#" + starts.get(m.group(1), m.group(0)[1:]), html)

    if isinstance(context.get("toc"), str):
        context["toc"] = relink(context["toc"])
    if "toctree" not in context:
        return
    toctree = context["toctree"]

    def single_page_toctree(*args: Any, **kwargs: Any) -> str:
        return relink(toctree(*args, **kwargs))

    context["toctree"] = single_page_toctree


#: WeasyPrint messages that say nothing about the book. Each needs a reason.
IGNORED = (
    # The fallback font subsetter gives the same PDF; the faster one needs the
    # system library libharfbuzz-subset, which a fresh machine does not have.
    "Using fontTools instead of HarfBuzz-Subset",
    # Screen CSS of sphinx-needs and the theme (e.g. overflow-x) that paged media
    # has no use for; WeasyPrint skips the declaration and nothing else.
    "Ignored `",
    # A stylesheet's leading @charset line, which WeasyPrint does not need.
    "Unknown empty rule <AtRule @charset",
)


class _ForwardToSphinx(logging.Handler):
    """Re-emit WeasyPrint's warnings and errors as Sphinx warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(IGNORED):
            return
        logger.warning("WeasyPrint: %s", record.getMessage(), type="pdf", subtype="weasyprint")


_HANDLER = _ForwardToSphinx(level=logging.WARNING)


def _script_font_css(app: Sphinx) -> None:
    """Give the PDF Chinese and Arabic-script glyphs, from fonts shipped on PyPI.

    The theme's fonts have none, so such names would print as empty boxes. Each face is
    declared under its own family name; for characters the theme's fonts lack,
    WeasyPrint (Pango) falls back to it, since @font-face fonts are part of its font
    configuration. Regular and bold come from the one face.
    """
    css = "".join(
        f'@font-face {{ font-family: "{font.family}"; font-weight: {weight}; '
        f'src: url("{font.path.as_uri()}"); unicode-range: {font.unicode_range}; }}\n'
        for font in script_fonts()
        for weight in (300, 400, 700)
    )
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "cjk-fonts.css").write_text(css, encoding="utf-8")
    app.add_css_file("cjk-fonts.css")


#: The book's print styles (body weight, hyphenation, cover, the compact claims index).
PRINT_CSS = Path(__file__).resolve().parents[2] / "data" / "print.css"


def _print_css(app: Sphinx) -> None:
    """Add the print styles, after the theme's own: they override it."""
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / PRINT_CSS.name).write_bytes(PRINT_CSS.read_bytes())
    app.add_css_file(PRINT_CSS.name)


def _attach(app: Sphinx) -> None:
    if app.builder.name == "simplepdf":
        _script_font_css(app)
        _print_css(app)
        wp = logging.getLogger("weasyprint")
        if _HANDLER not in wp.handlers:
            wp.addHandler(_HANDLER)
        wp.propagate = False  # reported once, through Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", fix_single_page_links, priority=order.SINGLE_PAGE_LINKS)
    app.connect("builder-inited", _attach)
    app.connect("html-page-context", fix_toctree)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
