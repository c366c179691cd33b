"""What a claim's prose says about time: the "as of" dates it states, and whether it reports
that something was not found (a claim of absence).

Defined once, here, for the checker's ``dated`` rule (the prose and ``:as_of:`` agree; a
claim of absence is dated) and for the "Open questions" page (every claim of absence, with
the date it was last searched). Only the book's own words are read: quotations, citation
roles and code are blanked first, so a source's "as of July 31, 2025" or its "not found"
inside quotation marks is the source's, not the book's.

The phrases were measured on the book (7 December 2026). A claim of absence says the book
looked and did not find: "has found no report", "was not found", "no official announcement
was found", "No source found by the editors reports". "unconfirmed" and "not confirmed" are
left out: in the book they describe a report (a source's own "had not confirmed") or sit
beside a "not found" already; "not named" describes a document, not a search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from idcpc_book.edition import MONTHS

_MONTH = "|".join(MONTHS)

#: Not the book's own words: citation and other roles, code, quotations (straight or
#: curly, double or single; an apostrophe after a letter opens none).
_NOT_OWN_WORDS = re.compile(
    r"\{[\w:.-]+\}`[^`]*`"
    r"|`[^`]*`"
    r'|"[^"]*"|\u201c[^\u201d]*\u201d'
    r"|(?<!\w)\u2018[^\u2019]*\u2019(?!\w)|(?<!\w)'[^']*'(?!\w)"
)

#: The edition's date, which moves with every release while a claim stays as written.
EDITION_WORDING = re.compile(
    r"the\s+(?:edition(?:'s|\u2019s)?\s+date|date\s+of\s+(?:this|the)\s+edition)"
    r"|\{\{\s*edition_date\s*\}\}",
    re.IGNORECASE,
)

#: "as of" and the date after it: a day (``7 December 2026``, ``December 7, 2026``,
#: ``2026-12-07``), a month (``December 2026``), a year, or the edition's date.
_AS_OF = re.compile(
    r"\bas\s+of\s+(?:"
    rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})"
    r"|(?P<y4>\d{4})(?![\d-])"
    rf"|(?P<edition>{EDITION_WORDING.pattern})"
    r")",
    re.IGNORECASE,
)

#: A claim of absence: the book searched and did not find. ``found no``, ``not found``,
#: and ``no`` + at most eight words + ``(was|were) found`` within one clause.
ABSENCE = re.compile(
    r"\bfound\s+no\b"
    r"|\bnot\s+(?:been\s+)?found\b"
    r"|\bno\b(?:\s+[^\s.;:,()]+){1,8}?\s+(?:(?:was|were|has\s+been|have\s+been)\s+)?found\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatedDate:
    """One "as of" in a claim's prose."""

    #: The words as written, whitespace folded: ``as of 7 December 2026``.
    wording: str
    #: ``day``, ``month``, ``year`` or ``edition``.
    precision: str
    #: The ISO date or its prefix (``2026-12-07``, ``2026-12``, ``2026``); "" for the edition.
    value: str


def own_words(text: str) -> str:
    """The claim's prose with quotations, roles and code blanked, whitespace folded."""
    return " ".join(_NOT_OWN_WORDS.sub(" ", text).split())


def _month(name: str) -> int:
    return [m.lower() for m in MONTHS].index(name.lower()) + 1


def stated_dates(text: str) -> list[StatedDate]:
    """Every "as of" date the prose states, in order."""
    found = []
    for match in _AS_OF.finditer(own_words(text)):
        g = match.groupdict()
        wording = match.group()
        if g["edition"]:
            found.append(StatedDate(wording, "edition", ""))
        elif g["iso"]:
            found.append(StatedDate(wording, "day", g["iso"]))
        elif g["y1"] or g["y2"]:
            day, month, year = (
                (g["d1"], g["m1"], g["y1"]) if g["y1"] else (g["d2"], g["m2"], g["y2"])
            )
            found.append(StatedDate(wording, "day", f"{year}-{_month(month):02d}-{int(day):02d}"))
        elif g["y3"]:
            found.append(StatedDate(wording, "month", f"{g['y3']}-{_month(g['m3']):02d}"))
        else:
            found.append(StatedDate(wording, "year", g["y4"]))
    return found


def absence(text: str) -> str | None:
    """The first words saying the book did not find something, or None."""
    match = ABSENCE.search(own_words(text))
    return match.group() if match else None


def agrees(stated: StatedDate, as_of: str) -> bool:
    """Whether ``as_of`` (an ISO day) is the stated day, or falls in its month or year."""
    return stated.precision != "edition" and as_of.startswith(stated.value)
