"""Citations of one claim: plain text, BibTeX and CSL-JSON.

Each names the book, its edition (version and "as of" date), the claim ID and the
claim's permanent URL: the permalink page resolves the ID to wherever the claim is in
this edition, so the URL survives moves between chapters. The access date is left as a
placeholder for the reader to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from idcpc_book.edition import Edition

#: Where the reader writes the day they read the claim.
ACCESS_PLACEHOLDER = "YYYY-MM-DD"
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


def cite(edition: Edition, claim_id: str) -> ClaimCitation:
    """The citation of claim ``claim_id`` in ``edition``."""
    url = permalink(edition, claim_id)
    year, month, day = (int(part) for part in edition.as_of.split("-"))
    text = (
        f"{edition.authors}. “Claim {claim_id}.” In {edition.title}, "
        f"{edition.label}. {url} (accessed {ACCESS_PLACEHOLDER})."
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
            f"  urldate = {{{ACCESS_PLACEHOLDER}}},",
            f"  note = {{Accessed {ACCESS_PLACEHOLDER}}},",
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
        "accessed": {"literal": ACCESS_PLACEHOLDER},
        "note": f"Current as of {edition.as_of_long}",
    }
    return ClaimCitation(claim_id, url, text, bibtex, csl)
