"""The ``editorial`` directive: prose in the book's own voice that states no fact.

Every paragraph of a chapter must be inside a ``claim`` (it states a fact and is
checked) or inside an ``editorial`` block (introductions, signposting). The block
renders as ordinary prose; the marker only tells the checker that the text was
deliberately left without a citation. A page whose front matter says
``prose: editorial`` (methodology, how to read) is editorial as a whole.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class EditorialDirective(SphinxDirective):
    """A block of uncited editorial prose, rendered without decoration."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["editorial"])
        self.set_source_info(container)
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("editorial", EditorialDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
