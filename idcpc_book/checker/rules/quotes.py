"""Every claim quotes its evidence, and each quote is in a cited source's archive.

Quotes are compared after :func:`idcpc_book.normalise.normalise` (whitespace,
quotation marks, dashes) and nothing looser.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need
from idcpc_book.model import split_quotes
from idcpc_book.normalise import normalise

RULE = "quotes"


def check(book: Book) -> Iterator[Problem]:
    # Each archive normalised once, not once per claim that cites it.
    normalised: dict[str, str] = {}
    for need in book.claims.values():
        quotes = split_quotes(need.get("quote") or "")
        if not quotes:
            yield at_need(book, need, RULE, "claim has no :quote:")
            continue
        archives = {}
        for target in need.get("cites") or []:
            key = book.sources.get(target, {}).get("bibkey")
            if key in book.records:
                if key not in normalised:
                    normalised[key] = normalise(book.records[key].text)
                archives[target] = normalised[key]
        if not archives:
            continue  # reported by the citations and records rules
        for quote in quotes:
            if not any(normalise(quote) in text for text in archives.values()):
                shown = quote if len(quote) <= 60 else quote[:57] + "..."
                yield at_need(
                    book,
                    need,
                    RULE,
                    f'quote not found in the archived text of {", ".join(archives)}: "{shown}"',
                )
