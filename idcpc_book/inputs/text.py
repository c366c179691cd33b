"""A file of the book as text, with the line of the first byte that is not UTF-8.

Chapters, source records and ``refs.bib`` are all read this way, so a damaged file is
reported alike wherever it is: ``path:line: not valid UTF-8 (byte N)``.
"""

from __future__ import annotations

from pathlib import Path

from idcpc_book.errors import InputError


def read_utf8(path: Path) -> str:
    """The text of ``path``; :class:`InputError` at the line of an undecodable byte, or
    when the file cannot be read. Newlines are kept as written."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, line, f"not valid UTF-8 (byte {err.start})") from None
