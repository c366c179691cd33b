"""Each archived record's text matches the SHA-256 in its header.

A quote is checked against the archive, so the archive itself must not change
unnoticed: a record whose text was edited (or which never had a hash) fails until
its hash is rewritten deliberately with ``python scripts/hash_sources.py <key>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.inputs.records import HASH_KEY, text_digest

RULE = "integrity"
_HEX = re.compile(r"^[0-9a-f]{64}$")
FIX = "python scripts/hash_sources.py"


def check(book: Book) -> Iterator[Problem]:
    for key, record in book.records.items():
        if record.sha256 is None:
            message = f"record has no '{HASH_KEY}' of its text (run {FIX} {key})"
        elif not _HEX.match(record.sha256):
            message = f"'{HASH_KEY}' is not 64 lower-case hex digits"
        elif record.sha256 != text_digest(record.text):
            message = (
                f"archived text does not match its '{HASH_KEY}' (changed since it was hashed; "
                f"if the change is deliberate, run {FIX} {key})"
            )
        else:
            continue
        yield Problem(book.rel(record.path), record.sha256_line, record.source_id, message, RULE)
