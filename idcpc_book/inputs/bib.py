"""Reading ``refs.bib``: the one place where a source's bibliographic facts live."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from pybtex import errors as pybtex_errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input import bibtex
from pybtex.scanner import PybtexError, PybtexSyntaxError

from idcpc_book.citelabels import FAMILY_FIRST, names, plain
from idcpc_book.errors import InputError
from idcpc_book.inputs.markup import is_web_url
from idcpc_book.inputs.text import read_utf8

REQUIRED_FIELDS = ("title", "year", "url", "urldate")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class BibFacts:
    """What the book shows about a source, derived from its bib entry."""

    key: str
    title: str
    publisher: str
    date: str
    url: str
    accessed: str
    line: int
    #: The wire agency or outlet whose report this copy reproduces (``carries``), if any:
    #: copies of one report are one outlet for the evidence grades (idcpc_book/evidence.py).
    carries: str | None = None


#: The entry types of the book's sources (README, Adding a source); the book's style formats
#: them, and pybtex reads a stray character before one (``@@online``) as another type.
ENTRY_TYPES = frozenset({"online"})


def read_bib(path: Path) -> BibliographyData:
    """Parse ``path`` strictly; any syntax error or duplicate key is an :class:`InputError`."""
    text = read_utf8(path)
    parser = bibtex.Parser()
    # pybtex reports some problems (e.g. duplicate keys) through its global error
    # mode; strict mode turns them into exceptions we can locate.
    pybtex_errors.set_strict_mode(True)
    try:
        data = parser.parse_string(text)
    except PybtexSyntaxError as err:
        detail = str(err).split(": ", 1)[-1]  # "syntax error in line N: <detail>"
        raise InputError(path, err.lineno, f"BibTeX syntax error: {detail}") from None
    except BibliographyDataError as err:
        key = str(err).rsplit(" ", 1)[-1]
        raise InputError(path, entry_line(text, key), f"BibTeX error: {err}") from None
    except PybtexError as err:
        raise InputError(path, None, f"BibTeX error: {err}") from None
    for key, entry in data.entries.items():
        if entry.type not in ENTRY_TYPES:
            raise InputError(path, entry_line(text, key), (
                f"entry '{key}' is of type '@{entry.type}'; the book's sources are "
                + ", ".join(f"@{t}" for t in sorted(ENTRY_TYPES)) + " entries"
            ))  # fmt: skip
        _check_names(path, text, key, entry)
        url = entry.fields.get("url")
        if url is not None and not is_web_url(url):
            raise InputError(path, entry_line(text, key), (
                f"{key}: url must be an http:// or https:// address (it becomes a link in "
                f"every edition); got {url!r}"
            ))  # fmt: skip
    return data


#: An entry's author field as written (one line, braces balanced one level deep).
_AUTHOR = re.compile(r"\bauthor\s*=\s*\{((?:[^{}\n]|\{[^{}\n]*\})*)\}", re.I)


def _check_names(path: Path, text: str, key: str, entry: Entry) -> None:
    """A ``nameorder`` entry names its value right and writes each person "Family, Given"."""
    order = entry.fields.get("nameorder")
    if order is None:
        return
    if order != FAMILY_FIRST:
        raise InputError(path, entry_line(text, key), (
            f"{key}: nameorder must be {FAMILY_FIRST!r} (names written 'Family, Given', "
            f"printed family name first); got {order!r}"
        ))  # fmt: skip
    line = entry_line(text, key)
    start = sum(len(row) for row in text.splitlines(keepends=True)[: (line or 1) - 1])
    end = text.find("\n@", start + 1)
    written = _AUTHOR.search(text, start, end if end >= 0 else len(text))
    names = re.split(r"\s+and\s+", written.group(1)) if written else []
    for name in names:  # pybtex keeps no trace of the comma: the text is read
        if "," not in name:
            raise InputError(path, line, (
                f"{key}: with nameorder = {{{FAMILY_FIRST}}} each author is written "
                f"'Family, Given' (e.g. 'Song, Tao'); got {name.strip()!r}"
            ))  # fmt: skip


_ENTRY_START = re.compile(r"@\w+\s*[{(]\s*([^\s,]+)\s*,")


@functools.lru_cache(maxsize=4)
def _entry_lines(text: str) -> dict[str, int]:
    """Where each entry of ``text`` starts: one pass, shared by every lookup in it.

    Looking each key up with its own search would read the file once per key, which
    grows with the square of the bibliography (5000 entries: seconds).
    """
    lines: dict[str, int] = {}
    line, pos = 1, 0
    for match in _ENTRY_START.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        lines.setdefault(match.group(1), line)
    return lines


def entry_line(text: str, key: str) -> int | None:
    """The line where the entry ``key`` starts (pybtex keeps no positions)."""
    return _entry_lines(text).get(key)


def facts(entry: Entry, key: str, path: Path, line: int | None) -> BibFacts:
    """The displayed facts of one entry; missing required fields are an :class:`InputError`."""
    fields = entry.fields
    missing = [name for name in REQUIRED_FIELDS if not fields.get(name)]
    if missing:
        raise InputError(path, line, f"{key}: entry lacks required field(s): {', '.join(missing)}")
    if not _ISO.match(fields["urldate"]):
        raise InputError(path, line, f"{key}: urldate must be YYYY-MM-DD")
    for name, last in (("month", 12), ("day", 31)):
        value = fields.get(name)
        if value and not (re.fullmatch(r"[0-9]{1,2}", value) and 1 <= int(value) <= last):
            raise InputError(
                path, line, f"{key}: {name} must be a number from 1 to {last}; got {value!r}"
            )
    carries = fields.get("carries")
    if carries is not None and (not carries.strip() or "\n" in carries):
        raise InputError(
            path, line, f"{key}: carries must name one outlet on one line; got {carries!r}"
        )
    publisher = fields.get("organization") or fields.get("publisher") or ""
    if not publisher:
        publisher = names(entry)
    return BibFacts(
        key=key,
        title=plain(fields["title"]),
        publisher=plain(publisher),
        date=iso_date(fields),
        url=fields["url"],
        accessed=fields["urldate"],
        line=line or 0,
        carries=plain(carries) if carries else None,
    )


def iso_date(fields: dict[str, str] | object) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from the year, month and day fields."""
    get = fields.get  # type: ignore[attr-defined]
    parts = [get("year", "")]
    if get("month"):
        parts.append(f"{int(get('month')):02d}")
        if get("day"):
            parts.append(f"{int(get('day')):02d}")
    return "-".join(parts)
