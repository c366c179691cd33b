"""The corrections log as data: ``corrections.toml`` beside ``refs.bib``.

Each ``[[entry]]`` records one change to one or more claims after they were published::

    [[entry]]
    id = "COR_JCM_MEETING_DATE"
    type = "correction"             # correction, clarification, update or withdrawal
    date = "2026-11-24"             # when the change was made
    claims = ["CLM_JCM_M3_DATE_PLACE_FORMAT"]
    was = "met on 4 January 2026"   # what the claims said
    now = "met in early January 2026, reported on 4 January"
    why = "The source gives only the report date."
    replaced_by = "CLM_X"           # withdrawal only, optional: the claim that replaces it

The corrections page and the "Changes in this edition" page are generated from these
entries; the checker's history rule requires one for every change to a claim of the
last archived edition (:mod:`idcpc_book.history`). An entry's edition is not written in
the file: it is the first archived edition that carries it (unreleased until then).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from idcpc_book import tomlfile
from idcpc_book.errors import InputError
from idcpc_book.model import CLAIM_PREFIX, ID_PATTERN
from idcpc_book.textfile import read_utf8

FILE = "corrections.toml"

#: The types of entry, and what each means (printed on the methodology page).
ENTRY_TYPES: dict[str, str] = {
    "correction": "The claim was wrong: a misreading, a wrong date, name or figure, or too "
    "little support for its status.",
    "clarification": "The claim was right but could be misread; it now says the same more exactly.",
    "update": "Events after the claim's date, or a newer source, changed what it should say.",
    "withdrawal": "The claim is no longer in the book. Its ID stays reserved and its "
    "permanent link leads to this entry.",
}
ENTRY_PATTERN = r"^COR_[A-Z0-9]+(_[A-Z0-9]+)*$"
_REQUIRED = ("id", "type", "date", "claims", "why")
_TEXT_FIELDS = ("was", "now", "why", "replaced_by")
_HEADER = re.compile(r"^\s*\[\[entry\]\]\s*(#.*)?$")


@dataclass(frozen=True)
class Entry:
    """One entry of the log, with the line of its ``[[entry]]`` header."""

    id: str
    type: str
    date: str
    claims: tuple[str, ...]
    was: str
    now: str
    why: str
    replaced_by: str | None
    line: int

    def as_dict(self) -> dict[str, object]:
        """The entry as the exports give it (without its edition, which they add)."""
        return {
            "id": self.id,
            "type": self.type,
            "date": self.date,
            "claims": list(self.claims),
            "was": self.was,
            "now": self.now,
            "why": self.why,
            "replaced_by": self.replaced_by,
        }


def path_of(root: Path) -> Path:
    return root / FILE


def load(root: Path) -> list[Entry]:
    """The entries of ``<root>/corrections.toml`` in file order (none if there is no file).

    Raises :class:`InputError` at the entry's line for a malformed one.
    """
    path = path_of(root)
    if not (path.is_file() or path.is_symlink()):  # a link is refused by read_utf8
        return []
    text = read_utf8(path)
    data = tomlfile.parse(path, text)
    unknown = sorted(set(data) - {"entry"})
    if unknown:
        raise InputError(path, None, f"unknown table {unknown[0]!r}: entries are [[entry]]")
    raw = data.get("entry", [])
    lines = [n for n, line in enumerate(text.splitlines(), 1) if _HEADER.match(line)]
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        line = lines[index] if index < len(lines) else 1
        entry = _entry(path, line, item)
        if entry.id in seen:
            raise InputError(
                path, line, f"{entry.id}: duplicate entry ID: first at line {seen[entry.id]}"
            )
        seen[entry.id] = line
        entries.append(entry)
    return entries


def _entry(path: Path, line: int, item: dict[str, object]) -> Entry:
    name = str(item.get("id", "entry"))

    def fail(message: str) -> InputError:
        return InputError(path, line, f"{name}: {message}")

    missing = [key for key in _REQUIRED if key not in item]
    if missing:
        raise fail(f"lacks {', '.join(missing)}")
    unknown = sorted(set(item) - set(_REQUIRED) - set(_TEXT_FIELDS))
    if unknown:
        raise fail(f"unknown field {unknown[0]!r}")
    if not isinstance(item["id"], str) or not re.match(ENTRY_PATTERN, item["id"]):
        raise fail(f"entry ID must match {ENTRY_PATTERN}")
    if item["type"] not in ENTRY_TYPES:
        raise fail(f"type must be one of {', '.join(ENTRY_TYPES)}; got {item['type']!r}")
    date = item["date"]
    if isinstance(date, dt.date):  # a bare TOML date
        date = date.isoformat()
    try:
        dt.date.fromisoformat(str(date))
    except ValueError:
        raise fail(f"date must be a date, YYYY-MM-DD; got {date!r}") from None
    claims = item["claims"]
    if not isinstance(claims, list) or not claims:
        raise fail("claims must be a list of claim IDs")
    for claim in claims:
        if not isinstance(claim, str) or not (
            claim.startswith(CLAIM_PREFIX) and re.match(ID_PATTERN, claim)
        ):
            raise fail(f"{claim!r} is not a claim ID")
    for key in _TEXT_FIELDS:
        if key in item and not isinstance(item[key], str):
            raise fail(f"{key} must be a string")
    if item["type"] != "withdrawal":
        for key in ("was", "now"):
            if not item.get(key):
                raise fail(f"a {item['type']} says what the claims said and say now: lacks {key}")
        if "replaced_by" in item:
            raise fail("replaced_by is for a withdrawal")
    replaced_by = item.get("replaced_by")
    return Entry(
        id=str(item["id"]),
        type=str(item["type"]),
        date=str(date),
        claims=tuple(claims),
        was=str(item.get("was", "")),
        now=str(item.get("now", "")),
        why=str(item["why"]),
        replaced_by=str(replaced_by) if replaced_by else None,
        line=line,
    )
