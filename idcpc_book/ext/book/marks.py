"""What follows each claim's ID marker, put in by one handler in a fixed order.

A claim is drawn as its prose ending with its ID marker (:mod:`~idcpc_book.ext.book.prose`,
while the page is read). When the page is written, from the whole book's data:

1. after the ID, the edition marks (``added in 0.2.0 · correction in 0.3.0``,
   :func:`~idcpc_book.ext.book.editions.edition_mark`), once the book has a history;
2. then the evidence grade (:func:`~idcpc_book.ext.book.evidence.grade_mark`);
3. at the end of the claim, in HTML only, the "cite" box
   (:func:`~idcpc_book.ext.book.claims.cite_box_html`) and the "report an error" link
   (:func:`report_link`).

So a claim reads ``... text CLM_X added in 0.2.0 two independent [cite]``. The handler
runs at :data:`idcpc_book.ext.order.CLAIM_MARKS`: after sphinx-needs has filled its tables,
before the figures and the PDF's anchors.

The edition marks, the cite boxes and the two history lists are drawn from files Sphinx
does not track: ``corrections.toml``, the archived editions (``editions/``) and
``pyproject.toml``. When any of them changed since the last build, every page is written
again (a source of :mod:`~idcpc_book.ext.rewrite`); a clean build is not needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import archive, corrections
from idcpc_book.ext import order, rewrite
from idcpc_book.ext.book import claims, editions, evidence, links, prose
from idcpc_book.ext.inputs.paths import book_root
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
    for box in claim_boxes(doctree):
        claim_id = box["ids"][0]
        marker = _id_marker(box)
        if marker is not None:
            marks = [
                editions.edition_mark(app, claim_id, docname),
                evidence.grade_mark(needs, claim_id),
            ]
            parent, at = marker.parent, marker.parent.index(marker) + 1
            for mark in (m for m in marks if m is not None):
                parent.insert(at, [nodes.Text(" "), mark])
                at += 2
        if html:
            cite = claims.cite_box_html(claims.book_edition(app), claim_id, docname)
            box += claims.cite_box(html=cite)
            report_link(app, box, claim_id)


def report_link(app: Sphinx, box: nodes.container, claim_id: str) -> None:
    """After the cite box, "report an error": a new issue naming the claim (HTML, when the
    book has an issue tracker; :func:`~idcpc_book.ext.book.links.report_node`)."""
    node = links.report_node(app, claim_id)
    if node is not None:
        box += node


def history_files(app: Sphinx) -> list[Path]:
    """The files the marks are drawn from besides the pages (see the module docstring)."""
    root = book_root(app)
    editions_dir = archive.folder(root)
    archived = (
        sorted(p for p in editions_dir.rglob("*") if p.is_file()) if editions_dir.is_dir() else []
    )
    return [corrections.path_of(root), claims.edition_file(app), *archived]


def files_print(paths: list[Path]) -> str:
    """A digest of the files' names and bytes (a missing file counts as empty)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, when the history or the edition changed since the last build."""
    store = book_data(env)
    now = files_print(history_files(app))
    if store.history_print == now:
        return []
    store.history_print = now
    return sorted(env.found_docs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    app.connect("doctree-resolved", add_marks, priority=order.CLAIM_MARKS)
    rewrite.register(app, pages_to_rewrite)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
