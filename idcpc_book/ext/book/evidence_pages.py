"""The evidence page: each quote shown in the paragraph of its archived source.

A page holding ``{evidence-passages}`` (``docs/evidence.md``) gets, when it is written,
one section per source that a claim cites (in bib-key order), generated from the records
and the needs, never written by hand:

* the source's facts (title, publisher, date, kind, original URL, date read) and the
  SHA-256 its record's header gives for the archived text;
* each quote whose passage is in this source, as the checker finds it
  (:mod:`idcpc_book.excerpts`): the paragraph that holds it, the quote inside
  ``<mark>`` with the anchor :func:`idcpc_book.passages.anchor` gives, and a link back
  to the claim. A quote is shown under the first of its claim's sources that holds it.

Everything shown is data, drawn as docutils text nodes (never parsed as markup). The
page says that it publishes passages in context, not whole articles: the book's licence
does not cover the outlets' text.

One page, not one per source: Sphinx reads pages only from files, and ``docs/`` is the
contributors' (a page per source would be ~400 generated files there); and ~400 more pages
cost the HTML build minutes (measured on 2026-12-07 with 397 stub pages in the toctree:
290 s against 34 s, each page carrying the whole navigation). The one page is large
(1.6 MB of HTML for 1,117 passages): a small script keeps the passage asked for in view
while it loads. The sections are added when the page is written, so they are not in
the table of contents. The PDF leaves the page out (it is for checking on screen, and
the printed book must stay short): for a single-page builder it is taken out of the
toctree that includes it. The page is written again when any claim changes
(:mod:`idcpc_book.ext.upstream.need_dependents`) and read again when a record changes
(a dependency of the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util.docutils import SphinxDirective, SphinxTranslator
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import passages
from idcpc_book.errors import InputError
from idcpc_book.excerpts import Archive, Excerpt
from idcpc_book.ext import order
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.store import book_data
from idcpc_book.inputs.records import SourceRecord, read_record, record_paths
from idcpc_book.model import claims_among, split_quotes

#: The class of each highlighted quote (``<mark class="evidence-quote">`` in HTML).
MARK_CLASS = "evidence-quote"
#: The class of each passage (the claim's link and the paragraph).
PASSAGE_CLASS = "evidence-passage"

LICENCE_NOTE = (
    "This page publishes each quoted passage in its context, the paragraph of the archived "
    "copy that holds it, and not whole articles: the book's licence (CC BY 4.0) covers the "
    "book's own text, not the outlets' text, which remains their publishers' work. Read "
    "each source in full at its original address, given with it. The highlighted words are "
    "what the check found: the quote and the archive agree once whitespace, quotation marks "
    "and dashes are folded alike."
)


class mark(nodes.inline):
    """A highlighted quote: ``<mark>`` in HTML and EPUB, an ``inline`` elsewhere."""


def visit_mark(self: SphinxTranslator, node: mark) -> None:
    self.body.append(self.starttag(node, "mark", ""))  # type: ignore[attr-defined]


def depart_mark(self: SphinxTranslator, node: mark) -> None:
    self.body.append("</mark>")  # type: ignore[attr-defined]


class evidence_passages(nodes.General, nodes.Element):
    """Where the evidence sections go, filled when the page is written."""


class EvidencePassagesDirective(SphinxDirective):
    """``{evidence-passages}``: the place of the evidence sections (no options, no body)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        sources = book_root(self.env.app) / "sources"
        for path in record_paths(sources):  # read again when a record changes
            self.env.note_dependency(str(path))
        return [evidence_passages()]


def _note_page(app: Sphinx, doctree: nodes.document) -> None:
    """The page shows every claim: written again when any claim changes."""
    if next(iter(doctree.findall(evidence_passages)), None) is not None:
        book_data(app.env).aggregating_pages.add(app.env.docname)


def _leave_out_of_pdf(app: Sphinx, doctree: nodes.document) -> None:
    """A single-page build (the PDF) does not inline the evidence page.

    Runs after Sphinx's toctree collector has noted the entry (so the page does not count
    as outside every toctree); the page's doctree as stored no longer lists it, and the
    single page is assembled from stored doctrees."""
    if not isinstance(app.builder, SingleFileHTMLBuilder):
        return
    page = passages.PAGE
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"] = [e for e in toctree["entries"] if e[1] != page]
        toctree["includefiles"] = [f for f in toctree["includefiles"] if f != page]


def _records(root: Path) -> dict[str, SourceRecord]:
    """The readable records by source ID (a faulty one is reported by the inputs' check)."""
    found = {}
    for path in record_paths(root / "sources"):
        try:
            record = read_record(path)
        except InputError:
            continue
        found[record.source_id] = record
    return found


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _facts(source: Mapping[str, Any], record: SourceRecord) -> nodes.field_list:
    """The source's bibliographic facts, its record's file and the digest its header gives."""
    archive = _text(source.get("archive")) or record.path.name
    fields = nodes.field_list(classes=["evidence-facts"])
    url = _text(source.get("url"))
    rows: list[tuple[str, nodes.Node]] = [
        ("Publisher", nodes.Text(_text(source.get("publisher")) or "not given")),
        ("Published", nodes.Text(_text(source.get("published")) or "undated")),
        ("Kind", nodes.Text(_text(source.get("kind")))),
        ("Original", nodes.reference(url, url, refuri=url) if url else nodes.Text("none")),
        ("Read on", nodes.Text(_text(source.get("accessed")))),
        ("Archived copy", nodes.literal(archive, archive)),
        ("Its SHA-256", nodes.literal(record.sha256 or "", record.sha256 or "none")),
    ]
    for name, value in rows:
        body = nodes.field_body("", nodes.paragraph("", "", value))
        fields += nodes.field("", nodes.field_name(name, name), body)
    return fields


def _passage(claim_id: str, index: int, excerpt: Excerpt, claim_uri: str) -> list[nodes.Element]:
    """The claim's link and the paragraph with the quote marked at its anchor."""
    label = f"{claim_id}, quote {index}"
    back = nodes.paragraph(
        "",
        "",
        nodes.reference(label, label, refuri=f"{claim_uri}#{claim_id}", internal=True),
        classes=["evidence-claim"],
    )
    quoted = mark(excerpt.quoted, excerpt.quoted, classes=[MARK_CLASS])
    quoted["ids"] = [passages.anchor(claim_id, index)]
    paragraph = nodes.paragraph(
        "", "", nodes.Text(excerpt.before), quoted, nodes.Text(excerpt.after)
    )
    return [back, nodes.block_quote("", paragraph, classes=[PASSAGE_CLASS])]


def _placed(
    claims: Iterable[Mapping[str, Any]], records: Mapping[str, SourceRecord]
) -> dict[str, list[tuple[str, int, Excerpt, str]]]:
    """Each cited source's passages: (claim, quote number, excerpt, claim's page), in
    the archive's order. A quote goes to the first of its claim's sources that holds it."""
    archives: dict[str, Archive] = {}
    placed: dict[str, list[tuple[str, int, Excerpt, str]]] = {}
    for claim in claims:
        cited = [s for s in claim.get("cites") or [] if s in records]
        for source_id in cited:
            placed.setdefault(source_id, [])
        for index, quote in enumerate(split_quotes(claim.get("quote") or ""), start=1):
            for source_id in cited:
                if source_id not in archives:
                    archives[source_id] = Archive(records[source_id].text)
                excerpt = archives[source_id].excerpt(quote)
                if excerpt is not None:
                    placed[source_id].append((claim["id"], index, excerpt, claim["docname"]))
                    break
    for found in placed.values():
        found.sort(key=lambda item: (item[2].start, item[0], item[1]))
    return placed


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the evidence sections in place of ``{evidence-passages}``."""
    places = list(doctree.findall(evidence_passages))
    if not places:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    records = _records(book_root(app))
    claims = sorted(claims_among(needs).values(), key=lambda need: need["id"])
    placed = _placed(claims, records)
    content: list[nodes.Node] = [
        nodes.paragraph(LICENCE_NOTE, LICENCE_NOTE, classes=["evidence-licence"])
    ]
    for source_id in sorted(placed, key=lambda s: records[s].bibkey):
        source, record = needs.get(source_id) or {}, records[source_id]
        title = _text(source.get("title")) or source_id
        section = nodes.section(ids=[source_id], classes=["evidence-source"])
        section += nodes.title(title, title)
        section += _facts(source, record)
        if not placed[source_id]:
            note = "The claims citing this source quote their other sources."
            section += nodes.paragraph(note, note)
        for claim_id, index, excerpt, claim_doc in placed[source_id]:
            section.extend(
                _passage(claim_id, index, excerpt, app.builder.get_relative_uri(docname, claim_doc))
            )
        content.append(section)
    for place in places:
        place.replace_self([node.deepcopy() for node in content] if len(places) > 1 else content)


#: On the evidence page only: keep the passage asked for in view while the page is laid
#: out. A browser scrolls to the ``#anchor`` while a long page is still loading, and the
#: page grows above it afterwards (text, then the web fonts): each time the page's size
#: changes, the passage is brought back, until the reader scrolls, clicks or types.
LAND_ON_TARGET = """
(() => {
  let moved = false;
  for (const kind of ["wheel", "touchstart", "mousedown", "keydown"]) {
    addEventListener(kind, () => { moved = true; }, { once: true, passive: true });
  }
  const land = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target && !moved) target.scrollIntoView({ block: "center", behavior: "instant" });
  };
  addEventListener("DOMContentLoaded", () => {
    land();
    new ResizeObserver(land).observe(document.body);
  });
})();
"""


def _land_on_target(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename == passages.PAGE and app.builder.name in ("html", "dirhtml"):
        app.add_js_file(None, body=LAND_ON_TARGET)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    # by builder name: a builder with handlers of its own (sphinx-needs gives the EPUB
    # builder some) does not fall back to the format's
    handlers = (visit_mark, depart_mark)
    app.add_node(mark, html=handlers, epub=handlers, singlehtml=handlers, dirhtml=handlers)
    app.add_node(evidence_passages)
    app.add_directive("evidence-passages", EvidencePassagesDirective)
    app.connect("doctree-read", _note_page)
    app.connect("doctree-read", _leave_out_of_pdf, priority=order.LEAVE_OUT_OF_PDF)
    app.connect("doctree-resolved", fill, priority=order.EVIDENCE_PAGE)
    app.connect("html-page-context", _land_on_target)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
