"""The claims index as a reader's tool: one date column, the evidence as quotations.

The index is a sphinx-needs ``needtable`` (class ``claims-filter``), which shows each field
in a column of its own and a list field as one run of text. Two of its columns read badly
that way: most claims have either an event date or an "as of" date, so each column was
mostly empty, and the evidence was one long run of quotes joined by ``||``. Once the table
is built (``doctree-resolved``, after sphinx-needs), for each row:

* the "As of" column is folded into the "Date" column: the event date, and below it
  "as of <date>" when the claim has one; the "As of" column is then removed;
* the evidence cell holds one paragraph per quote, in quotation marks.

The data (``needs.json``, the exports) is unchanged. On screens, ``claims-filter.js``
shows the first quote on one line with a button for the rest, and on narrow screens each
row as a card; the PDF prints every quote.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from idcpc_book.ext import order
from idcpc_book.model import split_quotes

TABLE_CLASS = "claims-filter"
DATE, AS_OF, EVIDENCE = "Date", "As of", "Evidence"


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
