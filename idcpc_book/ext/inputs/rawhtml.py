"""No raw HTML reaches the book: it is shown as text, never passed through.

MyST passes HTML written in Markdown through to the output as a ``raw`` node. The
book's text is written by contributors and quotes outside sources, so a ``<script>``
there would run in the reader's browser. Every
raw HTML node of a document is replaced by its text, which the HTML writer escapes.
This runs when a document has been read, before sphinx-needs builds its own markup.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx


def raw_html_as_text(app: Sphinx, doctree: nodes.document) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        text = nodes.Text(raw.astext())
        parent = raw.parent
        inline = isinstance(parent, nodes.TextElement)
        raw.replace_self(text if inline else nodes.paragraph(raw.astext(), "", text))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", raw_html_as_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
