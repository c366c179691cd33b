"""Claims and sources drawn as prose: sphinx-needs keeps the data, the book draws the page.

sphinx-needs would draw each need as a table (its layout), which the book never wanted and
which was most of sphinx-needs' cost. Once a page is read, each ``Need`` node is replaced by
a plain container of its parsed content, anchored at the need's ID, with the ID as a link at
the end of its last paragraph (a source's title first). Every builder knows those nodes, so
HTML, the PDF and the EPUB need nothing of their own; ``needs.json`` is unchanged.

    <div class="claim docutils container" id="CLM_X"><p class="need-end">... text
    <a class="need-id reference internal" href="#CLM_X">CLM_X</a></p></div>
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.nodes import Need

from idcpc_book.ext import order

#: The CSS class of a drawn need, by need type.
CLASSES = {"claim": "claim", "source": "source-record"}
#: The class of the ID marker (a link to the need's own anchor).
MARKER = "need-id"
#: The class of the paragraph that ends with the marker (shown inline with what follows).
END = "need-end"


def marker(need_id: str) -> nodes.reference:
    """The ID as a link to itself: the anchor readers copy and cite."""
    return nodes.reference("", need_id, refid=need_id, internal=True, classes=[MARKER])


def draw(node: Need, need: Any) -> nodes.container:
    """The container that stands for ``node``: its content, its anchor and its marker."""
    need_id = node["ids"][0]
    box = nodes.container(ids=[need_id], classes=[CLASSES.get(need["type"], "need-prose")])
    box.source, box.line = node.source, node.line
    if need["type"] == "source" and need["title"]:
        box += nodes.paragraph("", "", nodes.strong(need["title"], need["title"]))
    box.extend(node.children)
    last = box.children[-1] if box.children else None
    if isinstance(last, nodes.paragraph):
        last += nodes.Text(" ")
    else:  # a list, a quotation...: the marker gets a paragraph of its own
        last = nodes.paragraph()
        box += last
    last["classes"].append(END)
    last += marker(need_id)
    return box


def _is_anchor_of(target: nodes.Node, need_id: str) -> bool:
    """sphinx-needs' empty target before each need (``refid`` to it: writes nothing)."""
    return isinstance(target, nodes.target) and target.get("refid") == need_id


def draw_needs(app: Sphinx, doctree: nodes.document) -> None:
    """Replace every ``Need`` node of the page by its drawing (see the module docstring)."""
    needs = SphinxNeedsData(app.env).get_needs_mutable()
    for node in list(doctree.findall(Need)):
        need_id = node["ids"][0]
        if need_id not in needs:  # a duplicate ID: sphinx-needs has warned, and draws it
            continue
        parent = node.parent
        index = parent.index(node)
        if index and _is_anchor_of(parent[index - 1], need_id):
            del parent[index - 1]
        parent.replace(node, draw(node, needs[need_id]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", draw_needs, priority=order.DRAW_NEEDS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
