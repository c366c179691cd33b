"""A claim's text in a ``needtable`` column, as a reader sees it.

sphinx-needs fills a ``content`` column with the need's source text, so a claim
shows its citation roles (``{cite:p}`key```), chapter links (``{doc}`jcm```) and
emphasis markers verbatim. The timeline lists claims by date with their text, and their
sources in a column of their own, so in that column the citation roles are dropped,
``*emphasis*`` is rendered and a ``{doc}`` role becomes a link to that chapter, under its
title.
The full claim, with its citations, is one click away through its ID.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from idcpc_book.ext import order
from idcpc_book.inputs.markup import without_citations

#: MyST emphasis in claim prose; ``**strong**`` is not used in claims.
_EMPHASIS = r"\*(?P<em>[^*\s][^*]*?)\*"
#: A link to a chapter: ``{doc}`jcm``` or ``{doc}`the JCM chapter <jcm>```.
_DOC_ROLE = r"\{doc\}`(?:(?P<label>[^`<]*?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`"
_INLINE = re.compile(f"{_EMPHASIS}|{_DOC_ROLE}")

#: ``link(target, label)`` -> the node standing for ``{doc}`label <target>```.
DocLink = Callable[[str, str | None], nodes.Node]


def _plain_doc(target: str, label: str | None) -> nodes.Node:
    return nodes.Text(label or target)


def reader_text(source: str, doc_link: DocLink = _plain_doc) -> list[nodes.Node]:
    """Inline nodes for a claim's source text: citation roles dropped, emphasis kept,
    chapter links (``{doc}``) made by ``doc_link``."""
    text = " ".join(without_citations(source).split())
    out: list[nodes.Node] = []
    last = 0
    for match in _INLINE.finditer(text):
        out.append(nodes.Text(text[last : match.start()]))
        if match.group("em"):
            out.append(nodes.emphasis(match.group("em"), match.group("em")))
        else:
            target = match.group("target") or match.group("bare")
            out.append(doc_link(target.strip(), match.group("label") or None))
        last = match.end()
    out.append(nodes.Text(text[last:]))
    return [n for n in out if n.astext()]


def render_content_cells(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rewrite each needtable ``content`` cell (class ``needs_content``) as reader text."""

    def doc_link(target: str, label: str | None) -> nodes.Node:
        title = app.env.titles.get(target)
        if title is None:  # not a page of the book: the text as written
            return nodes.Text(label or target)
        text = label or title.astext()
        uri = app.builder.get_relative_uri(docname, target)
        return nodes.reference(text, text, refuri=uri, internal=True)

    for entry in doctree.findall(nodes.entry):
        if "needs_content" not in entry["classes"]:
            continue
        source = entry.astext()
        del entry[:]
        entry += nodes.paragraph("", "", *reader_text(source, doc_link))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", render_content_cells, priority=order.TABLE_CELLS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
