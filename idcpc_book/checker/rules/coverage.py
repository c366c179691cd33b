"""Every paragraph of a chapter is inside a claim or an editorial block."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.inputs.census import DocCensus

RULE = "coverage"


@dataclass(frozen=True)
class Coverage:
    path: str
    covered: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def of(doc: DocCensus) -> Coverage:
    covered = sum(1 for unit in doc.prose if doc.editorial_page or unit.cover)
    return Coverage(doc.path, covered, len(doc.prose))


def check(book: Book) -> Iterator[Problem]:
    for doc in book.docs:
        if doc.editorial_page:
            continue
        for unit in doc.prose:
            if unit.cover is None:
                yield Problem(
                    unit.path,
                    unit.line,
                    "-",
                    "uncovered prose: paragraph is in neither a claim nor an editorial block",
                    RULE,
                )
