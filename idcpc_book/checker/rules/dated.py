"""A claim's "as of" is one date: the prose and ``:as_of:`` agree, and a claim of absence
has one.

A reader who cites "as of 7 December 2026" from the text and a tool that reads ``:as_of:``
from the exports must get the same date. A stated day must be ``:as_of:``; a stated month
or year must contain it. "As of the edition date" is refused: the edition's date moves with
every release while the claim stays as written, so the claim would seem re-confirmed each
time. A claim that says the book did not find something is true only of the searches made
so far, so it carries ``:as_of:``, the day the search was last run (its "Searches behind
'not found'" on the methodology page). The wording is detected by :mod:`idcpc_book.asof`,
which the "Open questions" page shares.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book import asof
from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need

RULE = "dated"


def check(book: Book) -> Iterator[Problem]:
    for need in book.claims.values():
        text = str(need.get("content") or "")
        as_of = str(need.get("as_of") or "")
        for stated in asof.stated_dates(text):
            message = _disagreement(stated, as_of)
            if message:
                yield at_need(book, need, RULE, message)
        found = asof.absence(text)
        if found and not as_of:
            yield at_need(
                book,
                need,
                RULE,
                f'says "{found}", a claim of absence, but has no :as_of: (add the day the '
                "search behind it was last run)",
            )


def _disagreement(stated: asof.StatedDate, as_of: str) -> str | None:
    """What is wrong with one stated "as of", or None."""
    says = f'says "{stated.wording}"'
    if stated.precision == "edition":
        return (
            f"{says}, which moves with every edition while the claim stays as written (write "
            "the day it was last confirmed, and give it as :as_of:)"
        )
    if not as_of:
        hint = stated.value if stated.precision == "day" else "the day it was last confirmed"
        return f"{says} but has no :as_of: (add :as_of: {hint})"
    if asof.agrees(stated, as_of):
        return None
    if stated.precision == "day":
        return f"{says} but its :as_of: is {as_of} (make them the same day)"
    return f"{says} but its :as_of: {as_of} is not in that {stated.precision}"
