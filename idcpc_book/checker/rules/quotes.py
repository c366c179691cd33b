"""Every claim quotes its evidence, and each quote is a passage of a cited source's archive.

Quotes are compared after :func:`idcpc_book.normalise.normalise` (Unicode composition,
whitespace, quotation marks, dashes) and nothing looser; what makes a quote evidence
(its length, word boundaries) is :mod:`idcpc_book.quoting`'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book import quoting
from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need
from idcpc_book.model import split_quotes
from idcpc_book.normalise import normalise

RULE = "quotes"


def _shown(quote: str) -> str:
    return quote if len(quote) <= 60 else quote[:57] + "..."


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
        for quote in quotes:
            short = quoting.too_short(normalise(quote))
            if short:
                message = f'quote "{_shown(quote)}" is too short to be evidence ({short})'
                yield at_need(book, need, RULE, message)
                continue
            if not archives:
                continue  # reported by the citations and records rules
            found = {quoting.find(normalise(quote), text) for text in archives.values()}
            if quoting.Found.PASSAGE not in found:
                inside = " (only inside longer words)" if quoting.Found.INSIDE_WORD in found else ""
                yield at_need(
                    book,
                    need,
                    RULE,
                    f"quote not found in the archived text of {', '.join(archives)}"
                    f'{inside}: "{_shown(quote)}"',
                )
