"""A chapter's check, kept for the next build: what an unchanged chapter's check found.

Parsing the chapters is most of :func:`~idcpc_book.inputs.book.check_book`'s time, and
between two builds of the writer's loop one chapter changed, if any. Every chapter is
still read every build (its bytes are what decides), but one whose text, path and book
root are those of the last check, checked by the same code (:func:`made_by`: the book's
package and the parsers' versions), is not parsed again: its census
(:class:`~idcpc_book.inputs.census.DocCensus`, the own-voice prose the neutrality rule
reads included) and its own faults (structure, content allowlists, claim fields) are
taken from the last check. The one thing a chapter's check reads besides its text, where
its relative links lead (a folder may have become a link), is looked up again, and any
difference means a full check. The checks across files (the cited sources, the records'
bib entries) run every time, on the census however it was found.

What is kept is plain data (:meth:`Kept.data`), which the Sphinx build writes as JSON
(:mod:`idcpc_book.ext.inputs.preflight`); an entry that does not have exactly the
expected shape is not used (its chapter is checked in full), nor is a file of another
format, code or root. The checker's command line keeps nothing: it checks every chapter.

A source record is kept the same way, by its text: what its header said (the text follows
it, so it is cut from the file read), not parsed again while the text is the same. Its
``refs.bib`` entry and the claims citing it are looked up every build.
"""

from __future__ import annotations

import functools
import hashlib
import platform
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from idcpc_book import buildstamp
from idcpc_book.errors import InputError
from idcpc_book.inputs import content
from idcpc_book.inputs.census import ClaimSite, DocCensus, Fault, ProseUnit, Voice
from idcpc_book.inputs.records import SourceRecord

#: The kept data's format; another one is not read.
VERSION = 1
#: The parsers whose reading a chapter's check is, besides the book's own code (docutils:
#: MyST's directive parser reads an unusual claim's options) and Python's (``tomllib``).
PARSERS = ("docutils", "markdown-it-py", "mdit-py-plugins", "myst-parser", "pyyaml")


def made_by() -> dict[str, str]:
    """What checked a kept chapter besides its text: the book's code and the parsers'
    versions. A chapter kept by other code is checked again."""
    return dict(_made_by())


@functools.cache
def _made_by() -> tuple[tuple[str, str], ...]:
    """:func:`made_by`, found once per process (as the code's digest is)."""
    found = [("code", buildstamp.package_digest()), ("python", platform.python_version())]
    for name in PARSERS:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "-"))
    return tuple(found)


def digest(text: str) -> str:
    """The key of a chapter's text (its bytes, as read: UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Checked:
    """One chapter's own check: its census, its faults (``path`` relative to the root)
    and the relative link targets it looked up, with where they led (see
    :func:`idcpc_book.inputs.content.checked`)."""

    doc: DocCensus
    errors: list[InputError]
    looked: dict[str, bool]


@dataclass
class Kept:
    """The chapters' checks the last build kept (``last``), and this build's.

    ``reused`` and ``checked`` count the chapters taken from the last check and those
    checked in full (the build's log and the tests read them)."""

    root: str
    last: dict[str, Any] = field(default_factory=dict)
    now: dict[str, Any] = field(default_factory=dict)
    reused: int = 0
    checked: int = 0
    #: The records' headers as read, by file name (see :meth:`record`).
    last_records: dict[str, Any] = field(default_factory=dict)
    records: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, data: Any, root: Path) -> Kept:
        """What ``data`` (a kept file's JSON, None when there is none) holds for ``root``;
        nothing when it is of another format, code or root."""
        kept = cls(str(root.resolve()))
        if (
            isinstance(data, dict)
            and data.get("version") == VERSION
            and data.get("made_by") == made_by()
            and data.get("root") == kept.root
            and isinstance(data.get("chapters"), dict)
            and isinstance(data.get("records"), dict)
        ):
            kept.last, kept.last_records = data["chapters"], data["records"]
        return kept

    def data(self) -> dict[str, Any]:
        """This build's checks, to keep for the next (JSON-ready)."""
        return {
            "version": VERSION,
            "made_by": made_by(),
            "root": self.root,
            "chapters": dict(sorted(self.now.items())),
            "records": dict(sorted(self.records.items())),
        }

    def get(self, root: Path, rel: str, text: str) -> Checked | None:
        """The last check of the chapter ``rel`` if its text is ``text`` and its links lead
        where they did; None otherwise (it is checked in full)."""
        entry = self.last.get(rel)
        key = digest(text)
        if not isinstance(entry, dict) or entry.get("digest") != key:
            return None
        try:
            found = _checked(root, rel, text, entry)
        except (KeyError, TypeError, ValueError):
            return None
        if any(content.inside(root, rel, target) != was for target, was in found.looked.items()):
            return None
        self.now[rel] = entry
        self.reused += 1
        return found

    def put(self, root: Path, text: str, found: Checked) -> None:
        """Keep a chapter's full check for the next build."""
        self.checked += 1
        self.now[found.doc.path] = {"digest": digest(text), **_entry(root, found)}

    def record(self, path: Path, raw: str) -> SourceRecord | None:
        """The record ``raw`` (read from ``path``) as the last build read it, if its text
        is the same: its header is not parsed again."""
        entry = self.last_records.get(path.name)
        if not isinstance(entry, list) or len(entry) != 6 or entry[0] != digest(raw):
            return None
        _, kind, notes, sha256, sha256_line, text_line = entry
        try:
            text = "\n".join(raw.split("\n")[_int(text_line) - 1 :])
            record = SourceRecord(
                path, path.stem, _of(kind, str), _of(notes, str), text, text_line,
                None if sha256 is None else _of(sha256, str), _int(sha256_line),
            )  # fmt: skip
        except ValueError:
            return None
        self.records[path.name] = entry
        return record

    def put_record(self, raw: str, record: SourceRecord) -> None:
        """Keep a record read in full for the next build."""
        self.records[record.path.name] = [
            digest(raw), record.kind, record.notes, record.sha256, record.sha256_line,
            record.text_line,
        ]  # fmt: skip


def _entry(root: Path, found: Checked) -> dict[str, Any]:
    doc = found.doc
    return {
        "editorial": doc.editorial_page,
        "claims": [[c.line, c.options, c.body, c.warnings] for c in doc.claims],
        "prose": [[u.line, u.cover] for u in doc.prose],
        "faults": [[f.line, f.obj, f.message] for f in doc.faults],
        "voice": [[v.line, v.obj, v.text] for v in doc.voice],
        "errors": [[e.path.relative_to(root).as_posix(), e.line, e.message] for e in found.errors],
        "looked": found.looked,
    }


def _checked(root: Path, rel: str, text: str, entry: dict[str, Any]) -> Checked:
    """An entry read back, its every value of the type it was written with (ValueError
    otherwise: a tampered or damaged entry is not used)."""
    doc = DocCensus(rel, _of(entry["editorial"], bool), text)
    for line, options, body, warnings in entry["claims"]:
        if not (isinstance(options, dict) and all(isinstance(v, str) for v in options.values())):
            raise ValueError("claim options")
        site = ClaimSite(rel, _int(line), options, _of(body, str), _strs(warnings))
        doc.claims.append(site)
    for line, cover in entry["prose"]:
        doc.prose.append(ProseUnit(rel, _int(line), None if cover is None else _of(cover, str)))
    for line, obj, message in entry["faults"]:
        doc.faults.append(Fault(rel, _int(line), _of(obj, str), _of(message, str)))
    for line, obj, piece in entry["voice"]:
        doc.voice.append(Voice(_int(line), _of(obj, str), _of(piece, str)))
    errors = [
        InputError(root / _of(path, str), None if line is None else _int(line), _of(message, str))
        for path, line, message in entry["errors"]
    ]
    looked = entry["looked"]
    if not (isinstance(looked, dict) and all(isinstance(v, bool) for v in looked.values())):
        raise ValueError("looked")
    return Checked(doc, errors, looked)


def _of(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"{value!r} is not a {kind.__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a line")
    return value


def _strs(value: Any) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValueError(f"{value!r} is not a list of texts")
    return value
