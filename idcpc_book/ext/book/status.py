"""A claim's status where people read it: a visible label on every claim not ``verified``.

The statuses are the claim model's (:data:`idcpc_book.model.STATUSES`). A ``verified``
claim carries no label (most claims are verified: a label on each would be noise); any
other status is written after the claim's marks as a plain word, so it prints in the PDF
and the EPUB as well as in HTML (put there by :mod:`~idcpc_book.ext.book.marks`)::

    ... CLM_X one report unverified
    ... CLM_Y two independent superseded by CLM_Z

A superseded claim names the claims that supersede it (the other side of their
``:supersedes:`` links, sphinx-needs' ``supersedes_back``), each a link to that claim.
The reading page's legend (``{model-vocabulary} status-labels``) is drawn from
:data:`LEGEND`, built from the same model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from docutils import nodes

from idcpc_book.model import STATUSES

#: The status that carries no label.
UNLABELLED = "verified"
SUPERSEDED = "superseded"
#: The class of a status label; each label also gets ``claim-status-<status>``.
LABEL = "claim-status"


def superseded_by(need: Mapping[str, Any]) -> list[str]:
    """The claims that supersede ``need`` (those whose ``:supersedes:`` names it), sorted."""
    return sorted(need.get("supersedes_back") or [])


def label_text(status: str, successors: list[str]) -> str:
    """The label as a reader reads it: ``unverified``, ``superseded by CLM_A, CLM_B``."""
    if status == SUPERSEDED and successors:
        return f"{status} by {', '.join(successors)}"
    return status


#: Draws a link to a claim (its ID as the text) from the page being written.
ClaimLink = Callable[[str], nodes.Node]


def status_mark(
    needs: Mapping[str, Mapping[str, Any]], claim_id: str, link: ClaimLink
) -> nodes.inline | None:
    """The claim's status label; None for a verified claim, a claim without a status, or
    an ID that is not a claim's."""
    need = needs.get(claim_id)
    status = None if need is None else need.get("status")
    if not status or status == UNLABELLED:
        return None
    label = nodes.inline(classes=[LABEL, f"{LABEL}-{status}"])
    label += nodes.Text(status)
    successors = superseded_by(need) if status == SUPERSEDED and need is not None else []
    for index, successor in enumerate(successors):
        label += nodes.Text(" by " if not index else ", ")
        label += link(successor)
    return label


def _legend_entry(status: str, meaning: str) -> str:
    if status == UNLABELLED:
        return f"No label. {meaning}"
    shown = label_text(status, ["CLM_…"])
    extra = ", naming and linking the claim that supersedes it" if status == SUPERSEDED else ""
    return f"Labelled “{shown}” after the claim's identifier{extra}. {meaning}"


#: The legend of the labels, status by status (the reading page prints it).
LEGEND: dict[str, str] = {status: _legend_entry(status, m) for status, m in STATUSES.items()}
