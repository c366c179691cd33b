"""No claim of the last archived edition changes without a trace; no published history is lost.

A report that cited a claim must be able to learn from any later edition whether it
still stands and why it changed. So a claim of the last archived edition (``editions/``)
whose text (as readers see it: markup aside, reflowing is no change), status, kind,
sources or evidence grade differ in the book, or one of whose sources changed kind, or
that is gone from it, needs an entry in ``corrections.toml`` that is new since that
edition; a gone claim, a withdrawal entry. Entries must also name claims that exist, and a
withdrawn claim must be gone. Every entry an archived edition published stays in the log
unchanged; the book's version is never older than its last edition (an interrupted
release); and where the git checkout has a release's tag, the archived edition is the
tagged one.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book import corrections, edition, history, tags
from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need
from idcpc_book.errors import InputError

RULE = "history"


def check(book: Book) -> Iterator[Problem]:
    if not book.past.archives and not book.past.entries:
        return
    current = history.current_states(book.claims, book.texts)
    for found in history.unrecorded(book.past, current, book.sources):
        if found.claim in book.claims:
            yield at_need(book, book.claims[found.claim], RULE, found.message)
        else:  # gone: located at the chapter it was in
            path = book.rel(book.docs_dir / f"{found.chapter}.md")
            yield Problem(path, 0, found.claim, found.message, RULE)
    for entry, message in history.entry_faults(book.past, current):
        yield Problem(corrections.FILE, entry.line, entry.id, message, RULE)
    for entry_id, line, message in history.released_faults(book.past):
        yield Problem(corrections.FILE, line, entry_id, message, RULE)
    yield from _version(book)
    for path, version, message in tags.mismatches(book.root, book.past.archives):
        yield Problem(book.rel(path), 0, f"v{version}", message, RULE)


def _version(book: Book) -> Iterator[Problem]:
    pyproject = book.root / "pyproject.toml"
    if not pyproject.is_file():
        return
    try:
        current = edition.load(pyproject)
    except InputError:  # reported by the input checks
        return
    message = history.version_fault(book.past, current.version)
    if message:
        lines = pyproject.read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if text.startswith("version =")), 0)
        yield Problem("pyproject.toml", line, current.version, message, RULE)
