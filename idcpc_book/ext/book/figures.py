"""The ``claims-figure`` directive: figures drawn from the claims when the book is written.

::

    ```{claims-figure} timeline
    ```

draws one of the figures of :data:`idcpc_book.figures.registry.FIGURES` from the needs
of the whole book. The directive leaves a placeholder; once the needs are complete (when the page
is written, ``doctree-resolved``) the figure is drawn, written as SVG to
``<outdir>/_images/``, and the placeholder becomes a figure with alt text and a caption,
followed by the figure's data as a table where it has one (the text alternative):

* HTML: the SVG inline, so that each mark links to its claim (its ids prefixed, so two
  figures on a page do not share one; the links are plain ``href``s, which the Chromium
  test follows);
* PDF (single page) and EPUB: an ``<img>`` of the SVG file, drawn without links (an
  EPUB's pages are not ``.html``).

The SVG is matplotlib's, from the book's data only (claim IDs, dates and the structured
fields of claims; text drawn as paths): no reader-supplied markup reaches it. A page with a
figure depends on the claims of every page: once pages were read, each figure is drawn
again if what it read of the needs changed (:mod:`idcpc_book.figures.reads`), and only
then is its page written again; the drawing is kept in the book's store until then, so
an edit that no figure reads (a claim's wording, a chapter's prose) draws none and writes
no figure page (nor imports matplotlib).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.ext import order, rewrite
from idcpc_book.ext.book import drawings, evidence
from idcpc_book.ext.state import build_state
from idcpc_book.ext.store import book_data
from idcpc_book.figures import Drawing
from idcpc_book.figures.reads import Reading
from idcpc_book.figures.registry import BY_NAME
from idcpc_book.model import needs_links

IMAGES = "_images"
#: Builders whose pages get the SVG inline, with its links.
INLINE_BUILDERS = ("html",)


class claims_figure(nodes.General, nodes.Element):
    """Where a figure goes; replaced when the page is written."""


def chapters_in_order(app: Sphinx) -> list[tuple[str, str]]:
    """(docname, title) of every page, in the order of the book's tables of contents."""
    env = app.env
    order: list[str] = []

    def walk(doc: str) -> None:
        for child in env.toctree_includes.get(doc, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(app.config.root_doc)
    return [(doc, env.titles[doc].astext()) for doc in order if doc in env.titles]


class ClaimsFigureDirective(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in BY_NAME:
            raise self.error(f"unknown figure {name!r}; expected one of {', '.join(BY_NAME)}")
        book_data(self.env).figure_pages.setdefault(self.env.docname, []).append(name)
        node = claims_figure(name=name)
        self.set_source_info(node)
        return [node]


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#)([^)"]+)')


def inline_svg(data: bytes, prefix: str, alt: str) -> str:
    """The SVG for an HTML page: no XML prolog, ids prefixed, links as plain ``href``."""
    text = data.decode("utf-8")
    text = text[text.index("<svg") :]
    own = set(_ID.findall(text))  # a link to a claim on the page is no reference of its own
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = _REF.sub(
        lambda m: m.group(1) + (f"{prefix}-" if m.group(2) in own else "") + m.group(2), text
    )
    text = text.replace("<a xlink:href=", "<a href=").replace(' target="_blank"', "")
    alt = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)


def svg_file(data: bytes) -> bytes:
    """The SVG as a file of its own: without the DOCTYPE (an external DTD EPUBs refuse)."""
    text = data.decode("utf-8")
    return (text[: text.index("<!DOCTYPE")] + text[text.index("<svg") :]).encode("utf-8")


def _table(rows: list[list[Any]], link: Callable[[str], nodes.Node]) -> nodes.table:
    """A docutils table of ``rows`` (the first is the header); a ``(text, ID)`` cell links."""
    table = nodes.table(classes=["claims-figure-data"])
    group = nodes.tgroup(cols=len(rows[0]))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in rows[0])

    def row(cells: list[Any]) -> nodes.row:
        out = nodes.row()
        for cell in cells:
            para = nodes.paragraph()
            if isinstance(cell, tuple):
                para += link(cell[1])
                para[-1] += nodes.Text(cell[0])
            else:
                para += nodes.Text(cell)
            out += nodes.entry("", para)
        return out

    group += nodes.thead("", row(rows[0]))
    group += nodes.tbody("", *(row(r) for r in rows[1:]))
    return table


def claim_uri(app: Sphinx, docname: str, need: Mapping[str, Any]) -> str:
    if need["docname"] == docname:
        return f"#{need['id']}"
    return f"{app.builder.get_relative_uri(docname, need['docname'])}#{need['id']}"


def place_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put each figure of the page in its placeholder's place (drawn if not yet)."""
    found = list(doctree.findall(claims_figure))
    if not found:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    inline = app.builder.name in INLINE_BUILDERS
    chapters = tuple(chapters_in_order(app))

    def link(need: Mapping[str, Any]) -> str | None:
        return claim_uri(app, docname, need) if inline else None

    def draw(name: str) -> Callable[[Reading], Drawing]:
        return lambda reading: BY_NAME[name].draw(reading, link, list(chapters))

    def ref(need_id: str) -> nodes.reference:
        need = needs[need_id]
        if need["docname"] == docname:
            return nodes.reference("", "", refid=need_id, internal=True)
        return nodes.reference("", "", refuri=claim_uri(app, docname, need), internal=True)

    up = "../" * docname.count("/")
    for node in found:
        name = node["name"]
        key = (app.builder.name, docname, name)
        drawing = drawings.drawn(app, key, needs, chapters, draw(name))
        images = Path(app.outdir) / IMAGES
        images.mkdir(parents=True, exist_ok=True)
        file_name = f"claims-{name}.svg"
        (images / file_name).write_bytes(svg_file(drawing.svg))
        fig = nodes.figure(
            ids=[f"figure-{name}"], classes=["claims-figure", f"claims-figure-{name}"]
        )
        fig.source, fig.line = node.source, node.line
        if inline:
            fig += nodes.raw("", inline_svg(drawing.svg, f"fig-{name}", drawing.alt), format="html")
        else:
            uri = f"{up}{IMAGES}/{file_name}"
            # written here, not collected from the sources: Sphinx copies nothing ("?")
            fig += nodes.image(uri=uri, alt=drawing.alt, candidates={"?": uri})
        fig += nodes.caption(drawing.caption, drawing.caption)
        replacement: list[nodes.Node] = [fig]
        if drawing.table:
            replacement.append(_table(drawing.table, ref))
        node.replace_self(replacement)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once pages were read, the pages with a figure whose reads of the needs changed
    (:func:`~idcpc_book.ext.book.drawings.stale_pages`)."""
    if not build_state(app).read_docs:
        return []
    data = SphinxNeedsData(env)
    try:
        needs: Any = data.get_needs_mutable()
    except RuntimeError:  # already sealed: the view holds the same data
        needs = data.get_needs_view()
    figures = {d: n for d, n in book_data(env).figure_pages.items() if d in env.found_docs}
    chapters = tuple(chapters_in_order(app))
    return drawings.stale_pages(app, figures, needs, chapters, COMPUTED_FIELDS, LINK_FIELDS)


#: The link fields (sphinx-needs sorts each once all pages are read).
LINK_FIELDS = frozenset({*needs_links(), "parent_needs"})
#: The fields sphinx-needs and the book fill in after reading: back links, grades.
COMPUTED_FIELDS = frozenset({*(f"{name}_back" for name in LINK_FIELDS), evidence.FIELD})


def _skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


@functools.cache
def _visitors() -> dict[str, tuple[Callable[..., None], None]]:
    return {fmt: (_skip, None) for fmt in ("html", "latex", "text", "man", "texinfo")}


#: The figures' screen styles (a phone scrolls a figure at its drawn size), in
#: ``html_static_path``.
SCREEN_CSS = "figures.css"


def add_screen_css(app: Sphinx) -> None:
    """The screen styles for the HTML edition only: WeasyPrint rejects media queries."""
    if app.builder.name in INLINE_BUILDERS:
        app.add_css_file(SCREEN_CSS, priority=900)  # after book.css (html_css_files: 800)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", add_screen_css)
    app.add_node(claims_figure, **_visitors())
    app.add_directive("claims-figure", ClaimsFigureDirective)
    app.setup_extension("idcpc_book.ext.store")
    app.connect("doctree-resolved", place_figures, priority=order.FIGURES)
    rewrite.register(app, pages_to_rewrite)
    app.connect("build-finished", drawings.save)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
