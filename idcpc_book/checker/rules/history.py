"""No claim of the last archived edition changes without a trace.

A report that cited a claim must be able to learn from any later edition whether it
still stands and why it changed. So a claim of the last archived edition (``editions/``)
whose text (as readers see it: markup aside, reflowing is no change), status, kind or
sources differ in the book, or that is gone from it, needs an entry in
``corrections.toml`` that is new since that edition; a gone claim, a withdrawal entry.
Entries must also name claims that exist, and a withdrawn claim must be gone.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book import corrections, history
from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need

RULE = "history"


def check(book: Book) -> Iterator[Problem]:
    if not book.past.archives and not book.past.entries:
        return
    current = history.current_states(book.claims, book.texts)
    for found in history.unrecorded(book.past, current):
        if found.claim in book.claims:
            yield at_need(book, book.claims[found.claim], RULE, found.message)
        else:  # gone: located at the chapter it was in
            path = book.rel(book.docs_dir / f"{found.chapter}.md")
            yield Problem(path, 0, found.claim, found.message, RULE)
    for entry, message in history.entry_faults(book.past, current):
        yield Problem(corrections.FILE, entry.line, entry.id, message, RULE)
