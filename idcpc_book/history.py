"""The book's history: archived editions and the corrections log, compared with the book.

One place answers, for the build, the exports and the checker alike: in which edition a
claim was added, which entries changed it, which claims were withdrawn, what changed
between two editions, which changes to the last archived edition no entry covers (a
claim's text, status, kind, sources, evidence grade, or the kind of a source it cites),
and which published entries the log lost or rewrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from idcpc_book import archive, corrections
from idcpc_book.archive import Archive, ClaimState
from idcpc_book.corrections import Entry
from idcpc_book.model import claims_among

#: The parts of a claim a change is reported in, in report order: ``evidence`` is its
#: grade, ``source`` the kind of a source it cites (a grade that did not move).
ASPECTS = ("added", "withdrawn", "text", "status", "kind", "sources", "evidence", "source")

#: A source's facts that its claims' grades rest on: name in sources.json -> field of its need.
SOURCE_FACTS = {
    "kind": "kind",
    "publisher": "publisher",
    "carries": "carries",
    "date": "published",
    "url": "url",
    "title": "title",
}
#: The fields of a published corrections entry that must never change.
ENTRY_FIELDS = ("type", "date", "claims", "was", "now", "why", "replaced_by")


@dataclass(frozen=True)
class Change:
    """How one claim differs between two states of the book."""

    claim: str
    chapter: str
    aspects: tuple[str, ...]
    old: ClaimState | None
    new: ClaimState | None


@dataclass(frozen=True)
class Comparison:
    """What changed from ``base`` (an archived version) to ``target`` (a version, or
    ``None`` for the book as it is, not yet released)."""

    base: str | None
    target: str | None
    changes: list[Change]
    sources_added: list[str]
    sources_removed: list[str]


@dataclass
class History:
    """The archived editions (oldest first) and the corrections log."""

    archives: list[Archive]
    entries: list[Entry]
    _entry_edition: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for edition in reversed(self.archives):  # the first edition that carries it wins
            for entry_id in edition.entries:
                self._entry_edition[entry_id] = edition.version

    @property
    def latest(self) -> Archive | None:
        return self.archives[-1] if self.archives else None

    def entry_edition(self, entry_id: str) -> str | None:
        """The edition an entry was published in; ``None``: not yet released."""
        return self._entry_edition.get(entry_id)

    def added_in(self, claim_id: str) -> str | None:
        """The first archived edition holding the claim; ``None``: not yet released."""
        for edition in self.archives:
            if claim_id in edition.claims:
                return edition.version
        return None

    def entries_for(self, claim_id: str) -> list[Entry]:
        return [e for e in self.entries if claim_id in e.claims]

    def withdrawals(self) -> dict[str, Entry]:
        """Withdrawn claim ID -> its withdrawal entry."""
        return {c: e for e in self.entries if e.type == "withdrawal" for c in e.claims}

    def unreleased(self) -> list[Entry]:
        """The entries no archived edition carries yet: they cover changes since the last."""
        return [e for e in self.entries if self.entry_edition(e.id) is None]

    def known_claims(self) -> set[str]:
        return {c for edition in self.archives for c in edition.claims}


def load(root: Path) -> History:
    """The history of the book at ``root`` (empty when it has no archive and no log)."""
    return History(archive.load_all(root), corrections.load(root))


def current_states(
    needs: Mapping[str, Mapping[str, Any]], texts: Mapping[str, str]
) -> dict[str, ClaimState]:
    """The book's claims as built: ``texts`` gives each claim's text as readers see it."""
    return {
        key: ClaimState.of(
            key, need["docname"], texts.get(key, ""), need.get("status") or "",
            need.get("kind") or "", need.get("cites") or [], need.get("evidence") or "",
        )
        for key, need in claims_among(needs).items()
    }  # fmt: skip


def compare(old: Mapping[str, ClaimState], new: Mapping[str, ClaimState]) -> list[Change]:
    """Every claim added, withdrawn or changed from ``old`` to ``new``, by chapter and ID."""
    changes = []
    for claim in sorted(set(old) | set(new)):
        before, after = old.get(claim), new.get(claim)
        if before is None:
            aspects = ["added"]
        elif after is None:
            aspects = ["withdrawn"]
        else:
            aspects = before.differences(after)
        if aspects:
            chapter = (after or before).chapter  # type: ignore[union-attr]
            changes.append(Change(claim, chapter, tuple(aspects), before, after))
    return sorted(changes, key=lambda c: (c.chapter, c.claim))


def _sources(states: Iterable[ClaimState]) -> set[str]:
    return {s for state in states for s in state.sources}


def this_edition(history: History, current: Mapping[str, ClaimState]) -> Comparison | None:
    """The changes the "Changes in this edition" page lists.

    When the book differs from the last archived edition, it is a new edition in the
    making: its changes since that edition. When it is that edition, that edition's
    changes from the one before. ``None`` when there is nothing to compare with.
    """
    latest = history.latest
    if latest is None:
        return None
    changes = compare(latest.claims, current)
    if changes:
        base, target, old, new = latest.version, None, latest.claims, current
    elif len(history.archives) > 1:
        before = history.archives[-2]
        base, target, old, new = before.version, latest.version, before.claims, latest.claims
        changes = compare(old, new)
    else:
        return Comparison(None, latest.version, [], [], [])
    was, now = _sources(old.values()), _sources(new.values())
    return Comparison(base, target, changes, sorted(now - was), sorted(was - now))


@dataclass(frozen=True)
class Unrecorded:
    """A change to a claim of the last archived edition that no new entry covers."""

    claim: str
    chapter: str
    message: str
    #: ``None`` when the claim is gone from the book.
    state: ClaimState | None


#: Source ID -> each changed fact: (name, archived value, value now).
Moved = dict[str, list[tuple[str, Any, Any]]]


def source_changes(latest: Archive, sources: Mapping[str, Mapping[str, Any]]) -> Moved:
    """The facts of each source in ``sources`` (its needs) that differ from ``latest``'s
    ``sources.json`` (a fact the edition did not record is not compared)."""
    moved: Moved = {}
    for source_id, need in sources.items():
        archived = latest.source_facts.get(source_id)
        if archived is None:
            continue
        for name, field_name in SOURCE_FACTS.items():
            if name in archived and (archived[name] or None) != (need.get(field_name) or None):
                moved.setdefault(source_id, []).append((name, archived[name], need.get(field_name)))
    return moved


def _with_sources(changes: list[Change], latest: Archive, current: Mapping[str, ClaimState],
                  moved: Moved) -> list[Change]:  # fmt: skip
    """``changes`` and, for each claim whose grade did not move but a cited source's kind
    did, the aspect ``source``."""
    by_claim = {c.claim: c for c in changes}
    for claim in sorted(set(latest.claims) & set(current)):
        old, new = latest.claims[claim], current[claim]
        kept = set(old.sources) & set(new.sources)
        if not any(f == "kind" for s in kept for f, _, _ in moved.get(s, [])):
            continue
        change = by_claim.get(claim)
        if change is None:
            by_claim[claim] = Change(claim, new.chapter, ("source",), old, new)
        elif "evidence" not in change.aspects:
            by_claim[claim] = Change(claim, new.chapter, (*change.aspects, "source"), old, new)
    return sorted(by_claim.values(), key=lambda c: (c.chapter, c.claim))


def unrecorded(
    history: History,
    current: Mapping[str, ClaimState],
    sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Unrecorded]:
    """The changes since the last archived edition that the corrections log lacks.

    An entry covers a change when it is new since that edition, names the claim and, for
    a claim gone from the book, is a withdrawal (any other type, for a changed claim).
    ``sources`` (the source needs) adds the changes to the facts of the sources a claim
    cites: a kind that changed, or any fact that moved its evidence grade.
    """
    latest = history.latest
    if latest is None:
        return []
    fresh = history.unreleased()
    moved = source_changes(latest, sources or {})
    found = []
    for change in _with_sources(compare(latest.claims, current), latest, current, moved):
        if change.aspects == ("added",):
            continue
        covering = [e for e in fresh if change.claim in e.claims]
        if change.aspects == ("withdrawn",):
            if any(e.type == "withdrawal" for e in covering):
                continue
            message = (
                f"in edition {latest.version} but gone from the book; a claim is never "
                f"deleted silently: add a withdrawal entry to {corrections.FILE}"
            )
        else:
            if any(e.type != "withdrawal" for e in covering):
                continue
            parts = " and ".join(_described(change, moved))
            message = (
                f"{parts} changed since edition {latest.version} without an entry in "
                f"{corrections.FILE} covering it"
            )
        found.append(Unrecorded(change.claim, change.chapter, message, change.new))
    return found


def _cause(change: Change, moved: Moved, facts: tuple[str, ...]) -> list[str]:
    """``SRC_X kind (commentary -> official-cn)``: the moved facts of the claim's sources."""
    kept = sorted(set(change.old.sources) & set(change.new.sources))  # type: ignore[union-attr]
    return [
        f"source {source} {name} ({before or 'none'} -> {after or 'none'})"
        for source in kept
        for name, before, after in moved.get(source, [])
        if name in facts
    ]


def _described(change: Change, facts: Moved) -> list[str]:
    """``text``, ``status (verified -> disputed)``, ...: the changed parts, with values."""
    out = []
    for aspect in change.aspects:
        if aspect == "evidence":
            cause = "; ".join(_cause(change, facts, tuple(SOURCE_FACTS)))
            grades = f"{change.old.evidence} -> {change.new.evidence}"  # type: ignore[union-attr]
            out.append(f"evidence ({grades}{': ' + cause if cause else ''})")
        elif aspect == "source":
            out += _cause(change, facts, ("kind",))
        elif aspect in ("status", "kind"):
            before = getattr(change.old, aspect)
            after = getattr(change.new, aspect)
            out.append(f"{aspect} ({before} -> {after})")
        elif aspect == "sources":
            before, after = set(change.old.sources), set(change.new.sources)  # type: ignore[union-attr]
            moved = [f"+{s}" for s in sorted(after - before)]
            moved += [f"-{s}" for s in sorted(before - after)]
            out.append(f"sources ({', '.join(moved)})")
        else:
            out.append(aspect)
    return out


def entry_faults(history: History, current: Mapping[str, ClaimState]) -> list[tuple[Entry, str]]:
    """Entries that name what does not exist, or withdraw a claim still in the book."""
    known = history.known_claims() | set(current)
    faults = []
    for entry in history.entries:
        for claim in entry.claims:
            if claim not in known:
                faults.append((entry, f"names {claim}, which is in no edition of the book"))
            elif entry.type == "withdrawal" and claim in current:
                faults.append((entry, f"withdraws {claim}, which is still in the book"))
        if entry.replaced_by and entry.replaced_by not in current:
            faults.append(
                (entry, f"replaced_by {entry.replaced_by}, which is not a claim in the book")
            )
    return faults


def _same(value: Any) -> Any:
    """A published field's value as compared: a reflow or a list's order is no change."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return " ".join(value.split()) if isinstance(value, str) else (value or "")


def released_faults(history: History) -> list[tuple[str, int, str]]:
    """``(entry ID, line, message)`` for each entry an archived edition published that the
    log has lost or changed: a published entry is permanent (line 0: gone)."""
    current = {e.id: e for e in history.entries}
    faults: list[tuple[str, int, str]] = []
    reported: set[str] = set()
    for edition in history.archives:  # oldest first: name the edition that published it
        for entry_id, published in sorted(edition.entry_texts.items()):
            entry = current.get(entry_id)
            if entry_id in reported:
                continue
            if entry is None:
                reported.add(entry_id)
                faults.append((entry_id, 0, (
                    f"published in edition {edition.version} but gone from {corrections.FILE}: "
                    f"a published entry is permanent; restore it (it is in "
                    f"{archive.FOLDER}/{edition.version}/claims.json)"
                )))  # fmt: skip
                continue
            now = entry.as_dict()
            changed = [k for k in ENTRY_FIELDS if _same(published.get(k)) != _same(now[k])]
            if changed:
                reported.add(entry_id)
                faults.append((entry_id, entry.line, (
                    f"{', '.join(changed)} changed since edition {edition.version} published "
                    "it: a published entry is permanent; restore it and record the new change "
                    "in an entry of its own"
                )))  # fmt: skip
    return faults


def version_fault_of(version: str, last: str) -> bool:
    """Whether the book's ``version`` is older than the ``last`` edition."""
    try:
        return Version(version) < Version(last)
    except InvalidVersion:  # not a version: the edition's own check says so
        return False


def version_fault(history: History, version: str) -> str | None:
    """Why the book's version cannot follow its archived editions (None: it can)."""
    latest = history.latest
    if latest is None or not version_fault_of(version, latest.version):
        return None
    return (
        f"version {version} is older than the last archived edition, {latest.version}: a "
        f"release was interrupted; run it again to finish it (nox -s release -- "
        f"{latest.version} {latest.as_of})"
    )
