"""Where the archived passage behind each quote is published: the contract between the
claims (which link to it) and the evidence pages (which hold it).

Each quote of a claim (its ``:quote:`` parts, in order, numbered from 1) is shown in
context on an evidence page, at an anchor of its own. Both sides ask this module, so
the link and its target cannot drift apart.
"""

from __future__ import annotations

#: The evidence page: one page (``docs/evidence.md``) holds every source's passages, a
#: section per source (:mod:`idcpc_book.ext.book.evidence_pages` says why one page).
PAGE = "evidence"


def docname(source_id: str) -> str:
    """The evidence page of a source: :data:`PAGE` for every source, whose section has
    the source's ID as its anchor."""
    return PAGE


def anchor(claim_id: str, index: int) -> str:
    """The anchor of quote ``index`` (from 1) of ``claim_id`` on its source's page."""
    return f"{claim_id}-q{index}"
