"""What follows each claim's ID marker, put in by one handler in a fixed order.

A claim is drawn as its prose ending with its ID marker (:mod:`~idcpc_book.ext.book.prose`,
while the page is read). When the page is written, from the whole book's data:

1. after the ID, the edition marks (``added in 0.2.0 · correction in 0.3.0``,
   :func:`~idcpc_book.ext.book.editions.edition_mark`), once the book has a history;
2. then the evidence grade (:func:`~idcpc_book.ext.book.evidence.grade_mark`);
3. at the end of the claim, in HTML only, the "cite" box
   (:func:`~idcpc_book.ext.book.claims.cite_box_html`).

So a claim reads ``... text CLM_X added in 0.2.0 two independent [cite]``. The handler
runs at :data:`idcpc_book.ext.order.CLAIM_MARKS`: after sphinx-needs has filled its tables,
before the figures and the PDF's anchors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.ext import order
from idcpc_book.ext.book import claims, editions, evidence, prose
from idcpc_book.model import CLAIM_PREFIX


def claim_boxes(doctree: nodes.document) -> Iterator[nodes.container]:
    """The drawn claims of a page (:func:`~idcpc_book.ext.book.prose.draw`)."""
    for box in doctree.findall(nodes.container):
        if prose.CLASSES["claim"] in box["classes"] and box["ids"]:
            yield box


def _id_marker(box: nodes.container) -> nodes.reference | None:
    return next((r for r in box.findall(nodes.reference) if prose.MARKER in r["classes"]), None)


def add_marks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put each claim's marks after its ID marker, and its cite box at its end (HTML)."""
    needs = SphinxNeedsData(app.env).get_needs_view()
    html = app.builder.name in claims.HTML_BUILDERS
    for box in claim_boxes(doctree):
        claim_id = box["ids"][0]
        marker = _id_marker(box)
        if marker is not None:
            marks = [
                editions.edition_mark(app, claim_id, docname)
                if claim_id.startswith(CLAIM_PREFIX)
                else None,
                evidence.grade_mark(needs, claim_id),
            ]
            parent, at = marker.parent, marker.parent.index(marker) + 1
            for mark in (m for m in marks if m is not None):
                parent.insert(at, [nodes.Text(" "), mark])
                at += 2
        if html:
            cite = claims.cite_box_html(claims.book_edition(app), claim_id, docname)
            box += claims.cite_box(html=cite)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", add_marks, priority=order.CLAIM_MARKS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
