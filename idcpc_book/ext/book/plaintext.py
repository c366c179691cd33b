"""Text from the book's data (record notes), drawn as plain text: never parsed as markup.

A record's notes are a contributor's text, like every field outside a chapter; parsed as
MyST they could run code (a ``{{ }}`` substitution is a Jinja2 expression) or read files
(a directive). So they become docutils nodes directly: paragraphs (split at blank lines)
of text, in which a bare ``http://`` or ``https://`` address becomes a link. That is the
whole inline subset; any other markup shows as written.
"""

from __future__ import annotations

import re

from docutils import nodes

#: A bare web address; punctuation that ends a sentence is not part of it.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_TRAILING = ".,;:!?"


def paragraphs(text: str) -> list[nodes.paragraph]:
    """``text`` as paragraphs of plain text, web addresses as links."""
    return [_paragraph(part.strip()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _paragraph(text: str) -> nodes.paragraph:
    para = nodes.paragraph()
    pos = 0
    for match in WEB_ADDRESS.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if match.start() > pos:
            para += nodes.Text(text[pos : match.start()])
        para += nodes.reference(url, url, refuri=url)
        pos = match.start() + len(url)
    if pos < len(text):
        para += nodes.Text(text[pos:])
    return para
