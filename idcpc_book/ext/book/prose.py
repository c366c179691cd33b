"""Claims and sources drawn as prose: sphinx-needs keeps the data, the book draws the page.

sphinx-needs would draw each need as a table (its layout), which the book never wanted and
which was most of sphinx-needs' cost. So the ``claim`` and ``source`` directives are the
book's own (:class:`DrawnNeedDirective`): each records its need through sphinx-needs'
directive with the documented ``:hide:`` option set, so sphinx-needs stores the need (its
fields, links, schema, ``needs.json``, tables) but neither parses its content nor copies its
node; the directive then parses the content itself, once, into a :class:`need_content`
node beside the hidden ``Need`` node (which sphinx-needs reads for the need's sections and
removes once the page is read). Once a page is read, each ``need_content`` node is replaced
by a plain container of that content, anchored at the need's ID, with the ID as a link at
the end of its last paragraph (a source's title first). Every builder knows those nodes, so
HTML, the PDF and the EPUB need nothing of their own; ``needs.json`` is unchanged.

    <div class="claim docutils container" id="CLM_X"><p class="need-end">... text
    <a class="need-id reference internal" href="#CLM_X">CLM_X</a></p></div>
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.directives.need import NeedDirective
from sphinx_needs.nodes import Need

from idcpc_book.ext import order

#: The CSS class of a drawn need, by need type (the types whose directive is the book's).
CLASSES = {"claim": "claim", "source": "source-record"}
#: The class of the ID marker (a link to the need's own anchor).
MARKER = "need-id"
#: The class of the paragraph that ends with the marker (shown inline with what follows).
END = "need-end"


class need_content(nodes.General, nodes.Element):
    """A need's parsed content, ``node["need_id"]`` its need, until the page is drawn
    (:func:`draw_needs`, when the page has been read): no writer ever meets it."""


class DrawnNeedDirective(NeedDirective):
    """A ``claim`` or ``source``: recorded by sphinx-needs as a hidden need, its content
    parsed here, once.

    sphinx-needs 9.1.0 parses a visible need's content into its ``Need`` node and deep
    copies that node into its data (``_create_need_node``, ``set_need_node``); a hidden
    need is stored with every field and link and returns its bare node at once. The
    content is parsed as sphinx-needs would (the same state, offset and
    ``match_titles=False``), so the page is the same; about a fifth of sphinx-needs' time
    and memory is saved (``perf/layers.py``).
    """

    def run(self) -> Sequence[nodes.Node]:
        made, content = self.record()
        if content is None:  # not created (sphinx-needs has warned): nothing to draw
            return made
        self.state.nested_parse(self.content, self.content_offset, content, match_titles=False)
        return made

    def record(self) -> tuple[list[nodes.Node], need_content | None]:
        """Record the need, hidden, and make its empty ``need_content`` node (``None`` when
        sphinx-needs refused the need): the nodes to return (that node among them), then
        the node to fill.

        Separate from :meth:`run` so that a caller that builds the content's nodes itself
        (the sources page, :mod:`~idcpc_book.ext.book.sources`) records the need the same
        way without a parse."""
        self.options["hide"] = "true"  # sphinx-needs' own option: no node drawn, no parse
        made = list(super().run())
        need = next((node for node in made if isinstance(node, Need)), None)
        if need is None:
            return made, None
        content = need_content(need_id=need["refid"])
        content.source, content.line = need.source, need.line
        return [*made, content], content


def marker(need_id: str) -> nodes.reference:
    """The ID as a link to itself: the anchor readers copy and cite."""
    return nodes.reference("", need_id, refid=need_id, internal=True, classes=[MARKER])


def draw(node: need_content, need: Any) -> nodes.container:
    """The container that stands for ``node``: its content, its anchor and its marker."""
    need_id = node["need_id"]
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


def draw_needs(app: Sphinx, doctree: nodes.document) -> None:
    """Replace every ``need_content`` node of the page by its drawing (see the module
    docstring)."""
    needs = SphinxNeedsData(app.env).get_needs_mutable()
    for node in list(doctree.findall(need_content)):
        need = needs.get(node["need_id"])
        if need is None or need["docname"] != app.env.docname:  # not this page's need
            node.parent.remove(node)
        else:
            node.parent.replace(node, draw(node, need))


def own_directives(app: Sphinx) -> None:
    """The need types the book draws get its directive (sphinx-needs registered its own
    when the configuration was read)."""
    for need_type in CLASSES:
        app.add_directive(need_type, DrawnNeedDirective, override=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", own_directives, priority=order.DRAWN_NEED_DIRECTIVES)
    app.connect("doctree-read", draw_needs, priority=order.DRAW_NEEDS)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
