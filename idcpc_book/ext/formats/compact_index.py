"""The claims index in print and in the EPUB: a compact list, one line per claim.

On screen the claims index is a wide table of every claim with its sources and quotations,
filtered in the browser (:mod:`idcpc_book.ext.book.claims_index`). Printed, that table was
158 of the PDF's 529 pages (450 claims, 7 December 2026), and its long source IDs ran past
the margin; on a phone-sized EPUB reader its nine columns collided. So, for the PDF and
the EPUB, the index's ``needtable`` is replaced, before sphinx-needs fills it, by a short
list drawn from the same data, sorted by ID:

* PDF: a table of the claim's ID (a link to it), the page it is on (CSS
  ``target-counter``, computed by WeasyPrint), its status and its evidence grade;
* EPUB, which has no fixed pages and may be read on a phone: a list, each claim's ID (a
  link) on a line of its own, then its chapter, status and grade.

The quotations, dates and sources of each claim are in the HTML edition's full index and
in the data exports (the index page's introduction says so in each format). The list's
class is :data:`LIST_CLASS`; its EPUB and print styles are in ``docs/_static/book.css``
and ``idcpc_book/data/print.css``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.directives.needtable import Needtable

from idcpc_book import evidence
from idcpc_book.ext import order
from idcpc_book.ext.book.claims_index import TABLE_CLASS
from idcpc_book.model import claims_by_id

#: The builders that get the compact list instead of the full index.
PAGED, REFLOWED = "simplepdf", "epub"
#: The class of the compact list, of its ID links and of its page-number links (PDF).
LIST_CLASS = "claims-list"
ID_CLASS = "claims-list-id"
PAGE_CLASS = "claims-list-page"
#: Column widths (percent) of the printed list: ID, page, status, grade.
WIDTHS = (54, 8, 16, 22)


def _cell(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def _row(*cells: nodes.entry) -> nodes.row:
    row = nodes.row()
    row.extend(cells)
    return row


def _link(uri: str, text: str, classes: list[str]) -> nodes.reference:
    return nodes.reference("", text, refuri=uri, internal=True, classes=classes)


def _entries(
    app: Sphinx, docname: str, needs: Mapping[str, Any]
) -> Iterator[tuple[str, Any, str, str]]:
    """(link to the claim, the claim, its status, its grade's label) for each claim, by ID."""
    for need in claims_by_id(needs):
        uri = f"{app.builder.get_relative_uri(docname, need['docname'])}#{need['id']}"
        yield uri, need, need.get("status") or "", evidence.of_claim(need, needs).label


def printed_list(app: Sphinx, docname: str, needs: Mapping[str, Any]) -> nodes.table:
    """The PDF's list: a table of four narrow columns, the page number WeasyPrint's
    (``print.css``: ``target-counter`` of the empty page link)."""
    table = nodes.table(classes=[LIST_CLASS, "colwidths-given"])  # the widths below, in HTML
    group = nodes.tgroup(cols=len(WIDTHS))
    table += group
    for width in WIDTHS:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row(*(_cell(nodes.Text(name)) for name in ("ID", "Page", "Status", "Grade")))
    group += head
    body = nodes.tbody()
    group += body
    for uri, need, status, grade in _entries(app, docname, needs):
        body += _row(
            _cell(_link(uri, need["id"], [ID_CLASS])),
            _cell(_link(uri, "", [PAGE_CLASS])),
            _cell(nodes.Text(status)),
            _cell(nodes.Text(grade)),
        )
    return table


def reflowed_list(app: Sphinx, docname: str, needs: Mapping[str, Any]) -> nodes.bullet_list:
    """The EPUB's list: one item per claim, its ID on a line of its own (``book.css``), then
    its chapter, status and grade, which reflows to any screen width."""
    titles = app.env.titles
    items = nodes.bullet_list(classes=[LIST_CLASS])
    for uri, need, status, grade in _entries(app, docname, needs):
        chapter = titles[need["docname"]].astext() if need["docname"] in titles else ""
        line = nodes.paragraph("", "", _link(uri, need["id"], [ID_CLASS]))
        line += nodes.Text(" ")
        line += nodes.inline("", " · ".join(p for p in (chapter, status, grade) if p))
        items += nodes.list_item("", line)
    return items


def compact_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the claims index's ``needtable`` by the compact list (PDF and EPUB only)."""
    if app.builder.name not in (PAGED, REFLOWED):
        return
    tables = [n for n in doctree.findall(Needtable) if TABLE_CLASS in n.get("classes", [])]
    if not tables:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    for node in tables:
        draw = printed_list if app.builder.name == PAGED else reflowed_list
        # not replace_self, which would give the list the table's classes
        node.parent.replace(node, draw(app, docname, needs))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_needs")
    app.connect("doctree-resolved", compact_index, priority=order.COMPACT_INDEX)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
