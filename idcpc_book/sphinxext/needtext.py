"""A claim's text in a ``needtable`` column, as a reader sees it.

sphinx-needs fills a ``content`` column with the need's source text, so a claim
shows its citation roles (``{cite:p}`key```) and emphasis markers verbatim. The
timeline lists claims by date with their text, and their sources in a column of
their own, so in that column the roles are dropped and ``*emphasis*`` is rendered.
The full claim, with its citations, is one click away through its ID.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: A citation role with the space before it: ``... Siddiqui {cite:p}`a,b`.``
_CITE_ROLE = re.compile(r"\s*\{cite(?::[a-z]+)?\}`[^`]*`")
#: MyST emphasis in claim prose; ``**strong**`` is not used in claims.
_EMPHASIS = re.compile(r"\*([^*\s][^*]*?)\*")


def reader_text(source: str) -> list[nodes.Node]:
    """Inline nodes for a claim's source text: roles dropped, emphasis kept."""
    text = " ".join(_CITE_ROLE.sub("", source).split())
    out: list[nodes.Node] = []
    last = 0
    for match in _EMPHASIS.finditer(text):
        out.append(nodes.Text(text[last : match.start()]))
        out.append(nodes.emphasis(match.group(1), match.group(1)))
        last = match.end()
    out.append(nodes.Text(text[last:]))
    return [n for n in out if n.astext()]


def render_content_cells(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rewrite each needtable ``content`` cell (class ``needs_content``) as reader text."""
    for entry in doctree.findall(nodes.entry):
        if "needs_content" not in entry["classes"]:
            continue
        source = entry.astext()
        del entry[:]
        entry += nodes.paragraph("", "", *reader_text(source))


def setup(app: Sphinx) -> dict[str, Any]:
    # After sphinx-needs has built its tables (doctree-resolved, priority 500).
    app.connect("doctree-resolved", render_content_cells, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
