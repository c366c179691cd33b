"""Archived source records: ``sources/<bibkey>.txt``.

A record is the archived text of one source, preceded by a small TOML header::

    +++
    kind = "official-pk"
    notes = "How and where the text was archived."
    sha256 = "<SHA-256 of the archived text>"
    +++
    <archived text, verbatim>

The file stem is the source's ``refs.bib`` key; the source's need ID is derived
from it (:func:`source_id`). Bibliographic facts (title, publisher, date, URL,
date read, and whose report the copy reproduces: ``carries``) live only in ``refs.bib``.

``sha256`` is the SHA-256 (hex) of the archived text, i.e. of the UTF-8 bytes after
the closing fence line. It makes a record tamper-evident: the checker fails when the
text no longer matches it, so a quote cannot be made to "match" by quietly editing
the archive. ``python scripts/hash_sources.py`` writes it deliberately.

A ``carries`` line in the header is refused with the place it now belongs (the record's
``refs.bib`` entry), so that an old record cannot lose it silently.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from idcpc_book.errors import InputError
from idcpc_book.inputs.text import read_utf8
from idcpc_book.model import SOURCE_KINDS

FENCE = "+++"
BIBKEY_RE = re.compile(r"^[a-z][a-z0-9]*$")
HASH_KEY = "sha256"
_HASH_LINE = re.compile(r"^\s*sha256\s*=")
CARRIES_KEY = "carries"


@dataclass(frozen=True)
class SourceRecord:
    """One archived record, with the line where its text starts (for messages)."""

    path: Path
    bibkey: str
    kind: str
    notes: str
    text: str
    text_line: int
    #: The recorded SHA-256 (``None`` when the header has none) and its header line.
    sha256: str | None = None
    sha256_line: int = 1

    @property
    def source_id(self) -> str:
        return source_id(self.bibkey)


def source_id(bibkey: str) -> str:
    """The need ID of the source whose bib key is ``bibkey``."""
    return "SRC_" + bibkey.upper()


def text_digest(text: str) -> str:
    """The SHA-256 (lower-case hex) of an archived text, as the header records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_line(header_lines: list[str]) -> int | None:
    """The index of the ``sha256 = ...`` line among the header lines, if any."""
    return _key_line(header_lines, _HASH_LINE)


def _key_line(header_lines: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, line in enumerate(header_lines) if pattern.match(line)), None)


_CARRIES_LINE = re.compile(rf"^\s*{CARRIES_KEY}\s*=")


class Reuse(Protocol):
    """Records read by an earlier build (:class:`idcpc_book.inputs.reuse.Kept`)."""

    def record(self, path: Path, raw: str) -> SourceRecord | None: ...

    def put_record(self, raw: str, record: SourceRecord) -> None: ...


def read_record(path: Path, kept: Reuse | None = None) -> SourceRecord:
    """Read one record; raise :class:`InputError` (with the line) if it is unusable.

    ``kept``: the records an earlier build read; one whose text is the same is not
    parsed again, and each usable record read is given to it."""
    if not BIBKEY_RE.match(path.stem):  # the key is written into the book's markup
        raise InputError(path, None, (
            "the file name must be the source's refs.bib key: a lowercase letter, then "
            "lowercase letters and digits"
        ))  # fmt: skip
    raw = read_utf8(path)
    found = kept.record(path, raw) if kept is not None else None
    if found is None:
        found = _parse(path, raw)
        if kept is not None:
            kept.put_record(raw, found)
    return found


def _parse(path: Path, raw: str) -> SourceRecord:
    """The record ``raw``, read from ``path`` (see :func:`read_record`)."""
    lines = raw.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise InputError(path, 1, f"record must start with a '{FENCE}' header line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise InputError(path, 1, f"header is not closed by a '{FENCE}' line") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, 2, f"header is not valid TOML: {err}") from None
    kind = meta.get("kind")
    if kind not in SOURCE_KINDS:
        raise InputError(
            path, 2, f"header 'kind' must be one of {', '.join(SOURCE_KINDS)}; got {kind!r}"
        )
    notes = meta.get("notes", "")
    if not isinstance(notes, str):
        raise InputError(path, 2, "header 'notes' must be a string")
    sha256 = meta.get(HASH_KEY)
    at = hash_line(lines[1:end])
    sha256_line = at + 2 if at is not None else 1
    if sha256 is not None and not isinstance(sha256, str):
        raise InputError(path, sha256_line, f"header '{HASH_KEY}' must be a string")
    if CARRIES_KEY in meta:
        at = _key_line(lines[1:end], _CARRIES_LINE)
        raise InputError(
            path,
            at + 2 if at is not None else 2,
            f"header '{CARRIES_KEY}' belongs in refs.bib: move it to the entry "
            f"'{path.stem}' as {CARRIES_KEY} = {{{meta[CARRIES_KEY]}}}",
        )
    text = "\n".join(lines[end + 1 :])
    if not text.strip():
        raise InputError(path, end + 2, "archived text is empty")
    return SourceRecord(path, path.stem, kind, notes, text, end + 2, sha256, sha256_line)


def split_record(raw: str) -> tuple[list[str], str] | None:
    """A record's header lines (between the fences) and its text; ``None`` if unfenced."""
    lines = raw.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        return None
    return lines[1:end], "\n".join(lines[end + 1 :])


def stamp_hash(raw: str) -> str:
    """``raw`` with its header's ``sha256`` set to the digest of its text.

    Replaces an existing ``sha256`` line in place, or adds one as the header's last
    line; nothing else changes, so stamping twice gives the same file.
    """
    parts = split_record(raw)
    if parts is None:
        raise ValueError("not a fenced record")
    header, text = parts
    line = f'{HASH_KEY} = "{text_digest(text)}"'
    at = hash_line(header)
    header = [*header[:at], line, *header[at + 1 :]] if at is not None else [*header, line]
    return "\n".join([FENCE, *header, FENCE, text])


def record_paths(sources_dir: Path) -> list[Path]:
    """The record files, sorted, with any symbolic link named ``*.txt`` (reading one
    refuses it); anything else in the folder is ignored."""
    return sorted(p for p in sources_dir.glob("*.txt") if p.is_symlink() or p.is_file())
