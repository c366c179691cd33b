"""The ``whos-who`` directive: one entry per person who holds or held an office the book tracks.

::

    ```{whos-who}
    ```

A claim that describes a term of office names the office and its holder (``:office:``,
``:holder:``; :data:`idcpc_book.model.TERM_OPTIONS`). The people are those holders, A to Z
by name, each with their terms as :func:`idcpc_book.figures.offices.people` puts them
together (the same data as the ``offices`` figure): the office, when the term began, and
when it ended or, while it runs, the last date a source confirms it, each date followed by
the ID of the claim it comes from, linked. A person is their ``:holder:`` value, exactly
as written, so the list never merges two people nor says more than the claims.

The directive leaves a placeholder, filled when the page is written (``doctree-resolved``),
from the needs of the whole book; the page is an aggregating page (written again when the
needs of any page read change: :mod:`idcpc_book.ext.upstream.need_dependents`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.ext import order
from idcpc_book.ext.book import editions
from idcpc_book.ext.store import book_data
from idcpc_book.figures.meetings import long_date
from idcpc_book.figures.offices import Claim, Person, Term, people

#: The class of the list, for the stylesheets.
CLASS = "whos-who"


class whos_who(nodes.General, nodes.Element):
    """Where the list of people goes; replaced when the page is written."""


class WhosWhoDirective(SphinxDirective):
    """``{whos-who}``: the place of the list (no arguments, options or body)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = whos_who()
        self.set_source_info(node)
        return [node]


def _note_page(app: Sphinx, doctree: nodes.document) -> None:
    """The page shows the claims of other pages: written again when any of them changes."""
    if next(iter(doctree.findall(whos_who)), None) is not None:
        book_data(app.env).aggregating_pages.add(app.env.docname)


#: Draws a link to a claim (its ID as the text) from the page being written.
ClaimLink = Callable[[Claim], nodes.Node]


def _dated(label: str, dated: tuple[str, Claim], link: ClaimLink) -> list[nodes.Node]:
    """``from 2 June 2022 (CLM_X)``: the date and, linked, the claim that gives it."""
    date, claim = dated
    return [nodes.Text(f"{label} {long_date(date)} ("), link(claim), nodes.Text(")")]


def term_item(term: Term, link: ClaimLink) -> nodes.list_item:
    """One term: the office, its start, and its end or its last confirmation."""
    para = nodes.paragraph()
    para += nodes.Text(f"{term.office}: ")
    parts: list[list[nodes.Node]] = []
    if term.start:
        parts.append(_dated("from", term.start, link))
    else:
        parts.append([nodes.Text("start not given")])
    if term.end:
        parts.append(_dated("until", term.end, link))
    elif term.confirmed:
        parts.append(_dated("last confirmed in office on", term.confirmed, link))
    else:
        parts.append([nodes.Text("no later date given ("), link(term.first), nodes.Text(")")])
    for index, part in enumerate(parts):
        if index:
            para += nodes.Text(" " if term.end else "; ")
        para.extend(part)
    return nodes.list_item("", para)


def person_ids(person: Person) -> list[str]:
    """The anchor of a person's entry: ``person-`` and the name (``person-liu-jianchao``)."""
    return [f"person-{nodes.make_id(person.name)}"]


def entries(found: list[Person], link: ClaimLink) -> nodes.definition_list:
    """The list: each person's name, then their terms."""
    out = nodes.definition_list(classes=[CLASS])
    for person in found:
        item = nodes.definition_list_item()
        name = nodes.term("", "", ids=person_ids(person))
        name += nodes.strong(person.name, person.name)
        item += name
        terms = nodes.bullet_list()
        terms.extend(term_item(t, link) for t in person.terms)
        item += nodes.definition("", terms)
        out += item
    return out


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the list of people in each placeholder of the page."""
    found = list(doctree.findall(whos_who))
    if not found:
        return
    needs: Mapping[str, Mapping[str, Any]] = SphinxNeedsData(app.env).get_needs_view()

    def link(claim: Claim) -> nodes.Node:
        return editions.claim_link(app, docname, claim["docname"], claim["id"])

    listed = people(needs)
    for node in found:
        if not listed:
            node.replace_self(nodes.paragraph("", "No claim of the book names a holder."))
            continue
        node.replace_self(entries(listed, link))


def _skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


@functools.cache
def _visitors() -> dict[str, tuple[Callable[..., None], None]]:
    return {fmt: (_skip, None) for fmt in ("html", "latex", "text", "man", "texinfo")}


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    app.add_node(whos_who, **_visitors())
    app.add_directive("whos-who", WhosWhoDirective)
    app.connect("doctree-read", _note_page)
    app.connect("doctree-resolved", fill, priority=order.PEOPLE)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
