"""The "Open questions" page: what the book could not settle, drawn from the claims.

``{open-questions} GROUP`` is replaced, when its page is written, by the claims of one group,
chapter by chapter in the book's order, each a row: the claim's text as the timeline shows it
(citations dropped), its status, its date and its ID linking to the claim. The groups, each
claim in the first that takes it:

* ``absence``: every claim of absence (:func:`idcpc_book.asof.absence`, the wording the
  checker's ``dated`` rule reads), whatever its status, dated by its ``:as_of:``, the day the
  search behind it was last run;
* ``disputed``: every other claim whose status is ``disputed``;
* ``unverified``: every other claim whose status is ``unverified``.

So the page lists exactly the unverified and disputed claims and the claims of absence, each
once. Nothing on it is written by hand, and it is written again when any claim changes (an
aggregating page, :mod:`idcpc_book.ext.upstream.need_dependents`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import asof
from idcpc_book.ext import order
from idcpc_book.ext.book import editions
from idcpc_book.ext.book.figures import chapters_in_order
from idcpc_book.ext.book.needtext import reader_text
from idcpc_book.ext.book.status import label_text, superseded_by
from idcpc_book.ext.store import book_data
from idcpc_book.figures.meetings import long_date
from idcpc_book.model import claims_among

#: The groups in the page's order.
GROUPS = ("absence", "disputed", "unverified")
#: The class of each group's table (``table.open-questions``).
TABLE_CLASS = "open-questions"


def group_of(need: Mapping[str, Any]) -> str | None:
    """The group a claim is listed in, or None (a settled claim is not an open question)."""
    if asof.absence(str(need.get("content") or "")):
        return "absence"
    status = need.get("status")
    return status if status in GROUPS else None


def select(needs: Mapping[str, Mapping[str, Any]], group: str) -> list[Mapping[str, Any]]:
    """The claims of ``group``, by ID (the page orders them by chapter and line)."""
    return [n for _, n in sorted(claims_among(needs).items()) if group_of(n) == group]


def date_of(need: Mapping[str, Any], group: str) -> str:
    """The date a reader needs: for a claim of absence its "as of" (the day the search behind
    it was last run: the ``dated`` rule requires one); else the event's date, or the day the
    claim was last confirmed."""
    if group == "absence":
        return f"as of {long_date(need['as_of'])}" if need.get("as_of") else "undated"
    if need.get("event_date"):
        return long_date(str(need["event_date"]))
    return f"as of {long_date(need['as_of'])}" if need.get("as_of") else "undated"


class open_questions(nodes.General, nodes.Element):
    """Where a group's table goes, filled when the page is written."""


class OpenQuestionsDirective(SphinxDirective):
    """``{open-questions} GROUP``: one of :data:`GROUPS` (no options, no body)."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        group = self.arguments[0]
        if group not in GROUPS:
            raise self.error(f"unknown group {group!r}; expected one of {', '.join(GROUPS)}")
        book_data(self.env).aggregating_pages.add(self.env.docname)
        node = open_questions(group=group)
        self.set_source_info(node)
        return [node]


def _table(rows: list[list[nodes.Node]]) -> nodes.table:
    # colwidths-given: the HTML writer writes the widths (the layout is fixed in book.css)
    table = nodes.table(classes=[TABLE_CLASS, "colwidths-given"])
    group = nodes.tgroup(cols=4)
    table += group
    for width in (50, 14, 17, 19):
        group += nodes.colspec(colwidth=width)

    def row(cells: list[nodes.Node]) -> nodes.row:
        return nodes.row("", *(nodes.entry("", nodes.paragraph("", "", c)) for c in cells))

    head = [nodes.Text(h) for h in ("Claim", "Status", "Date", "ID")]
    group += nodes.thead("", row(head))
    group += nodes.tbody("", *(row(r) for r in rows))
    return table


def _content(
    claims: list[Mapping[str, Any]],
    group: str,
    chapters: list[tuple[str, str]],
    doc_link: Callable[[str, str | None], nodes.Node],
    claim_link: Callable[[Mapping[str, Any]], nodes.Node],
) -> list[nodes.Node]:
    """A heading per chapter (linked) and a table of its claims, in the book's order."""
    if not claims:
        return [nodes.paragraph("", "None in this edition.")]
    shown = {c["docname"] for c in claims}
    count = f"{len(claims)} claim{'s' * (len(claims) != 1)}, in {len(shown)} chapter"
    out: list[nodes.Node] = [nodes.paragraph("", count + "s" * (len(shown) != 1) + ".")]
    listed = {doc for doc, _ in chapters}
    outside = [(doc, doc) for doc in sorted(shown - listed)]  # a page in no toctree, last
    for docname, title in [*chapters, *outside]:
        here = sorted(
            (c for c in claims if c["docname"] == docname), key=lambda c: int(c.get("lineno") or 0)
        )
        if not here:
            continue
        out.append(nodes.rubric("", "", doc_link(docname, title)))
        rows = []
        for need in here:
            text = nodes.inline("", "", *reader_text(str(need.get("content") or ""), doc_link))
            status = label_text(str(need.get("status") or ""), superseded_by(need))
            rows.append(
                [text, nodes.Text(status), nodes.Text(date_of(need, group)), claim_link(need)]
            )
        out.append(_table(rows))
    return out


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put each group's claims in place of its ``{open-questions}``."""
    places = list(doctree.findall(open_questions))
    if not places:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    root = app.config.root_doc  # the book's order: its first page, then its toctrees'
    chapters = [(root, app.env.titles[root].astext()), *chapters_in_order(app)]

    def doc_link(target: str, label: str | None) -> nodes.Node:
        title = app.env.titles.get(target)
        if title is None:
            return nodes.Text(label or target)
        text = label or title.astext()
        uri = app.builder.get_relative_uri(docname, target)
        return nodes.reference(text, text, refuri=uri, internal=True)

    def claim_link(need: Mapping[str, Any]) -> nodes.Node:
        return editions.claim_link(app, docname, need["docname"], need["id"])

    for place in places:
        group = place["group"]
        place.replace_self(_content(select(needs, group), group, chapters, doc_link, claim_link))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    app.add_node(open_questions)
    app.add_directive("open-questions", OpenQuestionsDirective)
    app.connect("doctree-resolved", fill, priority=order.QUESTIONS_PAGE)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
