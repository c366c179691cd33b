"""A claim's evidence grade, computed from its sources by the rules in the claim model.

The grades themselves (names, labels, what each needs) are data,
:data:`idcpc_book.model.EVIDENCE_GRADES`; this module only applies them. The build (the
marker beside each claim, the claims index, the exports, the figures) and the checker (the
two-source rule) call :func:`grade`, so they cannot disagree.

Sources are given as mappings with the fields of a ``source`` need: ``kind``, ``publisher``
and, where the copy reproduces another outlet's report, ``carries`` (from refs.bib).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from idcpc_book.model import EVIDENCE_GRADES, EvidenceGrade

Source = Mapping[str, Any]

#: A publisher's qualifier: ``People's Daily Online (Xinhua)``, ``GSRRA (...), gsrra.com``.
_QUALIFIER = re.compile(r"\s*[(,].*$", re.DOTALL)
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}


@dataclass(frozen=True)
class Evidence:
    """A claim's grade (its name and label) and the reason, in words."""

    grade: str
    label: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"grade": self.grade, "label": self.label, "reason": self.reason}


def outlet(source: Source) -> str:
    """The source's independence key: whose report it is.

    The outlet the source ``carries`` (a wire agency or the original outlet), else its
    publisher, without a qualifier in brackets or after a comma ("China Daily (mirror at
    ...)" is China Daily), compared without case and with curly apostrophes made straight.
    """
    name = source.get("carries") or source.get("publisher") or source.get("id") or ""
    return " ".join(_QUALIFIER.sub("", str(name)).split()).replace("\u2019", "'").casefold()


def unqualified(name: str) -> str:
    """A publisher without the qualifier that says where the copy is ("Pakistan Press Release
    (pakistanpressrelease.com)" is Pakistan Press Release): the name a reader knows."""
    return _QUALIFIER.sub("", name).strip() or name


def _name(source: Source) -> str:
    """The outlet as a reader reads it: what the source carries, else the publisher, without
    the qualifier that says where the copy is ("NHK (archived copy at ...)" is NHK)."""
    name = str(source.get("carries") or source.get("publisher") or source.get("id") or "")
    return _QUALIFIER.sub("", name).strip() or name


def _fits(grade: EvidenceGrade, sources: list[Source]) -> list[Source]:
    """The sources of ``grade``'s kinds, one per outlet, if there are enough of them."""
    first: dict[str, Source] = {}
    for source in sources:
        if source.get("kind") in grade.kinds:
            first.setdefault(outlet(source), source)
    return list(first.values()) if len(first) >= grade.min_outlets else []


def _reason(grade: EvidenceGrade, chosen: list[Source], copies: int) -> str:
    kinds = sorted({str(s.get("kind")) for s in chosen})
    reason = grade.reason.format(
        n=_NUMBERS.get(len(chosen), str(len(chosen))),
        outlets="; ".join(_name(s) for s in chosen),
        kinds=" and ".join(k.replace("-pk", "").replace("-cn", "") for k in kinds),
    )
    if copies > len(chosen):
        reason += f", in {copies} copies"
    return reason


def grade(sources: Iterable[Source]) -> Evidence:
    """The first grade of :data:`~idcpc_book.model.EVIDENCE_GRADES` that ``sources`` fit."""
    sources = sorted(sources, key=lambda s: str(s.get("id") or ""))
    for candidate in EVIDENCE_GRADES:
        chosen = _fits(candidate, sources)
        if chosen or candidate.min_outlets == 0:
            keys = {outlet(s) for s in chosen}
            copies = sum(
                1 for s in sources if outlet(s) in keys and s.get("kind") in candidate.kinds
            )
            return Evidence(candidate.name, candidate.label, _reason(candidate, chosen, copies))
    raise AssertionError("the last grade needs no source")  # pragma: no cover


def of_claim(claim: Mapping[str, Any], needs: Mapping[str, Mapping[str, Any]]) -> Evidence:
    """The evidence of a claim need, from the source needs it ``cites``."""
    return grade(needs[s] for s in claim.get("cites") or [] if s in needs)


def states_fact(evidence: Evidence) -> bool:
    """Whether the grade carries a ``verified`` ``fact`` (the two-source rule)."""
    return next(g.states_fact for g in EVIDENCE_GRADES if g.name == evidence.grade)
