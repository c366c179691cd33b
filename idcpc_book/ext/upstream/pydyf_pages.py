"""Build the PDF's list of page references once, not once per tagged element.

Works around pydyf 0.13.0 with WeasyPrint 70: ``pydyf.PDF.page_references`` is a property
that builds a new tuple of every page's reference (``b"N 0 R"``) each time it is read, and
WeasyPrint's PDF/UA tagging (``weasyprint.pdf.tags._build_box_tree``) reads it for every
structure element it writes, to take one page's entry. For this book (245 pages, about
70 000 elements) that is 17 million references formatted and encoded: 1.5 s of the 2.0 s
the tags take (7 December 2026). The property below returns the same tuple, kept until a
page is added. Remove it when ``test_pydyf_rebuilds_the_page_references_at_every_read``
fails.
"""

from __future__ import annotations

from typing import Any

import pydyf
from sphinx.application import Sphinx

#: pydyf's own property, kept for the canary and for a reference in tests.
UPSTREAM = pydyf.PDF.page_references


def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """The pages' references (as pydyf's), built again only when the page count changed."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_idcpc_page_references")
    if cached is None or cached[0] != len(kids):
        refs = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__["_idcpc_page_references"] = (len(kids), refs)
    return cached[1]


def patch(app: Sphinx) -> None:
    """Replace the property for the PDF build (WeasyPrint is used by no other builder)."""
    if app.builder.name == "simplepdf":
        pydyf.PDF.page_references = property(page_references)  # type: ignore[assignment]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", patch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
