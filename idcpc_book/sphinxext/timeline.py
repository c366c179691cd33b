"""The ``claim-timeline`` directive: every claim with an ``event_date``, in date order.

The directive leaves a placeholder; once all chapters are read, the placeholder becomes
a list of dated events, each the claim's own text (without citations) with a link to
the claim. Nothing is written twice: the text is the claim's, the date its field.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_needs.data import SphinxNeedsData

from idcpc_book.sphinxext.claims import claim_texts


class timeline_placeholder(nodes.General, nodes.Element):
    """Where the timeline goes; replaced when the doctree is resolved."""


class ClaimTimelineDirective(SphinxDirective):
    """Emit a placeholder for the timeline."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [timeline_placeholder()]


def _entry(app: Sphinx, fromdoc: str, date: str, claim_id: str, todoc: str, text: str) -> Any:
    uri = app.builder.get_relative_uri(fromdoc, todoc) + "#" + claim_id
    para = nodes.paragraph()
    para += nodes.strong(text=date)
    para += nodes.Text(" " + text + " ")
    para += nodes.reference("", claim_id, refuri=uri, classes=["timeline-claim"])
    return nodes.list_item("", para)


def fill_timeline(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each placeholder with the dated claims, oldest first."""
    placeholders = list(doctree.findall(timeline_placeholder))
    if not placeholders:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    texts = claim_texts(app.env)
    dated = sorted(
        (need["event_date"], key, need["docname"])
        for key, need in needs.items()
        if need["type"] == "claim" and need.get("event_date")
    )
    for placeholder in placeholders:
        items = nodes.bullet_list(classes=["claim-timeline"])
        for date, key, doc in dated:
            items += _entry(app, docname, date, key, doc, texts.get(key, ("", ""))[1])
        placeholder.replace_self(items)


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(timeline_placeholder, html=(_skip, None))
    app.add_directive("claim-timeline", ClaimTimelineDirective)
    app.connect("doctree-resolved", fill_timeline, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
