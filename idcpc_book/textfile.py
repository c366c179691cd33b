"""A file of the book as text, with the line of the first byte that is not UTF-8.

Chapters, source records, ``refs.bib`` and ``corrections.toml`` are all read this way, so
a damaged file is reported alike wherever it is: ``path:line: not valid UTF-8 (byte N)``.

The book's files are plain UTF-8 with LF line endings, and regular files:

- a symbolic link is refused, whatever it points to: a link could make the book read a
  file outside the repository (or loop), and the published text would then not be the
  text under review. The book has none;
- a byte order mark is named as one (it would otherwise break the first line's syntax
  and be reported as something else);
- Windows line endings (CRLF, as ``core.autocrlf`` checks files out) are refused, not
  normalised: a record's ``sha256`` is over its bytes, and the repository's
  ``.gitattributes`` pins LF, so the fix is in the checkout.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from idcpc_book.errors import InputError

BOM = b"\xef\xbb\xbf"


def _refuse_link(path: Path) -> None:
    """:class:`InputError` when ``path`` is a symbolic link (a loop named as one)."""
    if not path.is_symlink():
        return
    target = os.readlink(path)
    try:
        path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(path, None, f"is a symbolic link in a loop (to {target})") from None
    raise InputError(
        path,
        None,
        f"is a symbolic link to {target}; the book reads only regular files inside the "
        "repository: put the file itself here",
    )


def _check_text(path: Path, data: bytes, text: str) -> None:
    """:class:`InputError` at a byte order mark or the first carriage return."""
    if data.startswith(BOM):
        raise InputError(
            path, 1, "starts with a UTF-8 byte order mark (BOM): save it as UTF-8 without BOM"
        )
    at = text.find("\r")
    if at < 0:
        return
    line = text.count("\n", 0, at) + 1
    if text.startswith("\r\n", at):
        raise InputError(
            path,
            line,
            "has Windows line endings (CRLF): save it with LF endings, as .gitattributes "
            "pins them (a checkout made with core.autocrlf: commit your work, then "
            "`git rm -rq --cached . && git reset --hard`)",
        )
    raise InputError(path, line, "has a carriage return (CR) that ends no line: remove it")


def read_utf8(path: Path) -> str:
    """The text of ``path``; :class:`InputError` at the line of an undecodable byte, a
    byte order mark or a carriage return, or when the file is a symbolic link or cannot
    be read. Newlines are kept as written."""
    _refuse_link(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, line, f"not valid UTF-8 (byte {err.start})") from None
    _check_text(path, data, text)
    return text
