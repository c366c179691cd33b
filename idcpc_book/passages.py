"""Where the archived passage behind each quote is published: the contract between the
claims (which link to it) and the evidence pages (which hold it).

Each quote of a claim (its ``:quote:`` parts, in order, numbered from 1) is shown in
context on an evidence page, at an anchor of its own. Both sides ask this module, so
the link and its target cannot drift apart.
"""

from __future__ import annotations

#: The folder of the generated evidence pages (one docname per source under it).
FOLDER = "evidence"


def docname(source_id: str) -> str:
    """The evidence page of a source (``SRC_X`` -> ``evidence/SRC_X``)."""
    return f"{FOLDER}/{source_id}"


def anchor(claim_id: str, index: int) -> str:
    """The anchor of quote ``index`` (from 1) of ``claim_id`` on its source's page."""
    return f"{claim_id}-q{index}"
