"""What follows each claim's ID marker, put in by one handler in a fixed order.

A claim is drawn as its prose ending with its ID marker (:mod:`~idcpc_book.ext.book.prose`,
while the page is read). When the page is written, from the whole book's data:

1. after the ID, the edition marks (``added in 0.2.0 · correction in 0.3.0``,
   :func:`~idcpc_book.ext.book.editions.edition_mark`), once the book has a history;
2. then the evidence grade (:func:`~idcpc_book.ext.book.evidence.grade_mark`);
3. then, unless the claim is verified, its status label
   (:func:`~idcpc_book.ext.book.status.status_mark`), in every format;
4. at the end of the claim, in HTML only, the "cite" box
   (:func:`~idcpc_book.ext.book.claims.cite_box_html`) and the "Evidence" disclosure
   (:func:`~idcpc_book.ext.book.disclosure.draw`), which ends with "report an error"
   (:func:`~idcpc_book.ext.book.links.report_node`).

So a claim reads ``... text CLM_X added in 0.2.0 one report unverified [cite] [Evidence]``.
The handler runs at :data:`idcpc_book.ext.order.CLAIM_MARKS`: after sphinx-needs has
filled its tables, before the figures and the PDF's anchors.

The edition marks, the cite boxes and the two history lists are drawn from files Sphinx
does not track: ``corrections.toml``, the archived editions (``editions/``) and
``pyproject.toml``. When any of them changed since the last build, every page is written
again (a source of :mod:`~idcpc_book.ext.rewrite`); a clean build is not needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.ext import order, rewrite
from idcpc_book.ext.book import claims, disclosure, editions, evidence, prose, status
from idcpc_book.ext.store import book_data


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
    text_of = disclosure.archive_texts(app, needs)

    def claim_link(claim: str) -> nodes.Node:
        return editions.claim_link(app, docname, needs.get(claim, {}).get("docname"), claim)

    def link(todoc: str, anchor: str, text: str) -> nodes.Node:
        uri = f"{app.builder.get_relative_uri(docname, todoc)}#{anchor}"
        return nodes.reference(text, text, refuri=uri, internal=True)

    for box in claim_boxes(doctree):
        claim_id = box["ids"][0]
        marker = _id_marker(box)
        if marker is not None:
            marks = [
                editions.edition_mark(app, claim_id, docname),
                evidence.grade_mark(needs, claim_id),
                status.status_mark(needs, claim_id, claim_link),
            ]
            parent, at = marker.parent, marker.parent.index(marker) + 1
            for mark in (m for m in marks if m is not None):
                parent.insert(at, [nodes.Text(" "), mark])
                at += 2
        if html:
            cite = claims.cite_box_html(claims.book_edition(app), claim_id, docname)
            box += claims.cite_box(html=cite)
            if claim_id in needs:
                report = disclosure.report_link(app, claim_id, docname)
                has_doc = app.env.found_docs.__contains__
                box += disclosure.draw(needs, claim_id, text_of, link, has_doc, report)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, when the history or the edition changed since the last build."""
    store = book_data(env)
    now = claims.files_print(claims.history_files(app))
    if store.history_print == now:
        return []
    store.history_print = now
    return sorted(env.found_docs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    app.connect("doctree-resolved", add_marks, priority=order.CLAIM_MARKS)
    rewrite.register(app, pages_to_rewrite)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
