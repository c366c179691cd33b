"""A verified fact rests on two independent sources or on the actor's own record.

The newsroom rule, applied with the book's evidence grades (:mod:`idcpc_book.evidence`):
a ``fact`` claim with status ``verified`` needs a grade that ``states_fact`` (the actor's
official record, or two independent outlets). Copies of one wire report, or two reports
of one publisher, are one outlet. A claim on one report is ``unverified``, or says whose
statement it reports (``attributed``).
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book import evidence
from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need

RULE = "corroboration"


def check(book: Book) -> Iterator[Problem]:
    for need in book.claims.values():
        if need.get("kind") != "fact" or need.get("status") != "verified":
            continue
        if not any(sid in book.sources for sid in need.get("cites") or []):
            continue  # reported by the citations rule
        found = evidence.of_claim(need, book.sources)
        if not evidence.states_fact(found):
            yield at_need(
                book,
                need,
                RULE,
                f"verified fact rests on {found.reason}; cite a second independent source "
                "or the actor's official record, or make it unverified or attributed",
            )
