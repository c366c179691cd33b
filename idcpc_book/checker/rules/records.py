"""Each source has its archived record, and each record is a source."""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need

RULE = "records"


def check(book: Book) -> Iterator[Problem]:
    built = set()
    for need in book.sources.values():
        key = need.get("bibkey") or ""
        built.add(key)
        if key not in book.records:
            yield at_need(book, need, RULE, f"source has no archived record sources/{key}.txt")
    for key, record in book.records.items():
        if key not in built:
            yield Problem(
                book.rel(record.path),
                1,
                record.source_id,
                "record is not a source in the book"
                + ("" if key in book.bib_keys else f" (refs.bib has no entry '{key}')"),
                RULE,
            )
