"""The claims index as a reader's tool: one date column, the evidence as quotations.

The index is a sphinx-needs ``needtable`` (class ``claims-filter``), which shows each field
in a column of its own and a list field as one run of text. Two of its columns read badly
that way: most claims have either an event date or an "as of" date, so each column was
mostly empty, and the evidence was one long run of quotes joined by ``||``. Once the table
is built (``doctree-resolved``, after sphinx-needs), for each row:

* the "As of" column is folded into the "Date" column: the event date, and below it
  "as of <date>" when the claim has one; the "As of" column is then removed;
* the evidence cell holds one paragraph per quote, in quotation marks.

In HTML only (the PDF and EPUB print the index as it is), the index reads as a reader's
table rather than as the data's names:

* a "Claim" column after the ID holds each claim's text, so that a search finds a claim by
  its words as well as by its quotations;
* the "Chapter" column names each chapter by its title, not its file name;
* the "Sources" column names each source by its publisher (without the qualifier saying
  where the copy is), the ID, whole publisher and title in its link's title (shown on
  hover, searched by the filter).

The data (``needs.json``, the exports) is unchanged. On screens, ``claims-filter.js``
shows the first quote on one line with a button for the rest, filters by chapter, kind,
status, grade and a source's publisher, title or ID, and on narrow screens each row is a
card; the PDF prints every quote.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.evidence import unqualified
from idcpc_book.ext import order
from idcpc_book.ext.store import book_data
from idcpc_book.model import split_quotes

TABLE_CLASS = "claims-filter"
DATE, AS_OF, EVIDENCE = "Date", "As of", "Evidence"
ID, CHAPTER, SOURCES, CLAIM = "ID", "Chapter", "Sources", "Claim"
#: The class of the cells of the "Claim" column (``td.claim-text``).
CLAIM_TEXT_CLASS = "claim-text"


def _columns(table: nodes.table) -> list[str]:
    head = next(iter(table.findall(nodes.thead)), None)
    if head is None:
        return []
    return [entry.astext().strip() for entry in head.findall(nodes.entry)]


def _drop_column(table: nodes.table, index: int) -> None:
    group = next(iter(table.findall(nodes.tgroup)))
    colspecs = [c for c in group.children if isinstance(c, nodes.colspec)]
    group.remove(colspecs[index])
    group["cols"] = len(colspecs) - 1
    for row in table.findall(nodes.row):
        row.remove(row.children[index])


def _quotes(cell: nodes.entry) -> None:
    text = cell.astext().strip()
    del cell[:]
    for quote in split_quotes(text):
        cell += nodes.paragraph("", f"“{quote}”")


def _add_column(table: nodes.table, after: int, header: str, cells: list[nodes.entry]) -> None:
    """A column after column ``after``: its header and one cell per body row, in order."""
    group = next(iter(table.findall(nodes.tgroup)))
    colspecs = [c for c in group.children if isinstance(c, nodes.colspec)]
    group.insert(group.index(colspecs[after]) + 1, nodes.colspec(colwidth=20))
    group["cols"] = len(colspecs) + 1
    head = next(iter(table.findall(nodes.thead)))
    for row in head.findall(nodes.row):
        row.insert(after + 1, nodes.entry("", nodes.paragraph("", header)))
    body = next(iter(table.findall(nodes.tbody)))
    for row, cell in zip(
        (r for r in body.children if isinstance(r, nodes.row)), cells, strict=True
    ):
        row.insert(after + 1, cell)


def _claim_cell(texts: dict[str, tuple[str, str]], claim_id: str) -> nodes.entry:
    # "no-search": the search index has the text on the claim's own page already
    cell = nodes.entry("", classes=[CLAIM_TEXT_CLASS, "no-search"])
    _, text = texts.get(claim_id, ("", ""))
    for paragraph in text.split("\n\n"):
        if paragraph:
            cell += nodes.paragraph("", paragraph)
    return cell


def _readable(app: Sphinx, table: nodes.table, columns: list[str], rows: list[nodes.row]) -> None:
    """The HTML index's claim texts, chapter titles and publishers (module docstring)."""
    if CHAPTER in columns:
        chapter = columns.index(CHAPTER)
        for row in rows:
            cell = row.children[chapter]
            title = app.env.titles.get(cell.astext().strip())
            if title is not None:
                del cell[:]
                cell += nodes.paragraph("", title.astext())
    if SOURCES in columns:
        needs = SphinxNeedsData(app.env).get_needs_view()
        for row in rows:
            for ref in row.children[columns.index(SOURCES)].findall(nodes.reference):
                source = needs.get(ref.astext().strip())
                if source is None or source.get("type") != "source":
                    continue
                publisher = source.get("publisher") or ""
                described = ", ".join(filter(None, (publisher, source.get("title"))))
                ref["reftitle"] = f"{source['id']}: {described}" if described else source["id"]
                del ref[:]
                ref += nodes.Text(unqualified(publisher) if publisher else source["id"])
    if ID in columns:
        at = columns.index(ID)
        texts = book_data(app.env).claim_texts
        cells = [_claim_cell(texts, row.children[at].astext().strip()) for row in rows]
        _add_column(table, at, CLAIM, cells)
        columns.insert(at + 1, CLAIM)


def refine(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for table in list(doctree.findall(nodes.table)):
        if TABLE_CLASS not in table["classes"]:
            continue
        columns = _columns(table)
        body = next(iter(table.findall(nodes.tbody)), None)
        if body is None:
            continue
        rows = [row for row in body.children if isinstance(row, nodes.row)]
        if DATE in columns and AS_OF in columns:
            date, as_of = columns.index(DATE), columns.index(AS_OF)
            for row in rows:
                value = row.children[as_of].astext().strip()
                if value:
                    cell = row.children[date]
                    cell += nodes.paragraph("", f"as of {value}", classes=["as-of"])
            _drop_column(table, as_of)
            columns.pop(as_of)
        if EVIDENCE in columns:
            evidence = columns.index(EVIDENCE)
            for row in rows:
                _quotes(row.children[evidence])
        if app.builder.name == "html":
            _readable(app, table, columns, rows)


#: The index's screen styles (collapsed evidence, cards on phones), in ``html_static_path``.
SCREEN_CSS = "claims-index.css"


def add_screen_css(app: Sphinx) -> None:
    """The screen styles for the HTML edition only: WeasyPrint rejects media queries."""
    if app.builder.name == "html":
        app.add_css_file(SCREEN_CSS)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", add_screen_css)
    app.connect("doctree-resolved", refine, priority=order.TABLE_CELLS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
