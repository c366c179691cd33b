"""Citations of one claim: plain text, BibTeX and CSL-JSON.

Each names the book, its edition (version and "as of" date), the claim ID and the
claim's permanent URL: the permalink page resolves the ID to wherever the claim is in
this edition, so the URL survives moves between chapters.

The access date is the edition's "as of" date unless the caller gives another: the HTML
cite box gives a slot that the page's script (``cite-box.js``) fills with the reader's
date when the box is opened, so a copied citation carries the day it was copied; where
no script runs, and in the exports, the edition's date stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from idcpc_book.edition import Edition

#: The page that resolves ``?id=CLM_...`` to the claim's location (sphinx-needs'
#: ``needs_permalink_file``).
PERMALINK_PAGE = "permalink.html"


@dataclass(frozen=True)
class ClaimCitation:
    """The three forms of a citation of one claim."""

    claim_id: str
    url: str
    text: str
    bibtex: str
    csl: dict[str, Any]


def permalink(edition: Edition, claim_id: str) -> str:
    """The permanent URL of a claim in the published edition."""
    return f"{edition.base_url}{PERMALINK_PAGE}?id={claim_id}"


def _bibtex_escape(text: str) -> str:
    return text.replace("_", r"\_")


def cite(edition: Edition, claim_id: str, accessed: str | None = None) -> ClaimCitation:
    """The citation of claim ``claim_id`` in ``edition``, accessed on ``accessed`` (an ISO
    date; by default the edition's "as of" date)."""
    accessed = edition.as_of if accessed is None else accessed
    url = permalink(edition, claim_id)
    year, month, day = (int(part) for part in edition.as_of.split("-"))
    text = (
        f"{edition.authors}. “Claim {claim_id}.” In {edition.title}, "
        f"{edition.label}. {url} (accessed {accessed})."
    )
    bibtex = "\n".join(
        [
            f"@misc{{{claim_id},",
            f"  author = {{{{{edition.authors}}}}},",
            f"  title = {{Claim {_bibtex_escape(claim_id)}}},",
            f"  howpublished = {{In: {edition.title}, {edition.label}}},",
            f"  version = {{{edition.version}}},",
            f"  year = {{{year}}},",
            f"  month = {{{month}}},",
            f"  day = {{{day}}},",
            f"  url = {{{url}}},",
            f"  urldate = {{{accessed}}},",
            f"  note = {{Accessed {accessed}}},",
            "}",
        ]
    )
    csl = {
        "id": claim_id,
        "type": "entry",
        "title": f"Claim {claim_id}",
        "container-title": edition.title,
        "author": [{"literal": edition.authors}],
        "version": edition.version,
        "issued": {"date-parts": [[year, month, day]]},
        "URL": url,
        "accessed": {"raw": accessed},
        "note": f"Current as of {edition.as_of_long}",
    }
    return ClaimCitation(claim_id, url, text, bibtex, csl)
