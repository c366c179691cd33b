"""Each HTML page that holds claims carries their schema.org ``ClaimReview`` as JSON-LD.

Search engines and fact-check tools read ``<script type="application/ld+json">`` in the
page itself, not a separate file: so each page gets the reviews of its own claims, made
by the same generator as the export ``claimreview.jsonld``
(:mod:`idcpc_book.claimreview`), with ``<``, ``>`` and ``&`` escaped in the JSON so a
claim's text cannot end the script. HTML only: the EPUB and the PDF have no readers of
it (and a script in an EPUB page must be declared).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import claimreview
from idcpc_book.ext.book.claims import HTML_BUILDERS, book_edition
from idcpc_book.ext.store import book_data
from idcpc_book.model import claims_among

#: The script's media type (schema.org's JSON-LD).
MEDIA_TYPE = "application/ld+json"


def embed(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Add the page's ClaimReview graph as a script of that page only (Sphinx resets the
    page's scripts after it is written)."""
    if app.builder.name not in HTML_BUILDERS or doctree is None:
        return
    needs = SphinxNeedsData(app.env).get_needs_view()
    here = [key for key, need in claims_among(needs).items() if need.get("docname") == pagename]
    if not here:
        return
    texts = book_data(app.env).claim_texts
    data = claimreview.graph(needs, texts, book_edition(app), here)
    app.add_js_file(None, body=claimreview.script_json(data), type=MEDIA_TYPE)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_needs")
    app.setup_extension("idcpc_book.ext.store")
    app.connect("html-page-context", embed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
