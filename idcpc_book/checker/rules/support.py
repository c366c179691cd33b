"""What a claim's status and kind promise, its sources must be able to carry.

* a ``fact`` (the book's own voice) needs at least one source that is not commentary:
  a blogger's or columnist's word alone can be reported (``attributed``), not asserted;
* a ``disputed`` claim shows a disagreement, so it cites a source for each side;
* a verdict (``assessment``) ``reviews`` a statement someone made (``attributed``): the
  link says which statement the verdict judges (the claims index and exports carry it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need

RULE = "support"

#: Source kinds that can be reported but cannot alone carry a fact.
OPINION_KINDS = frozenset({"commentary"})


def check(book: Book) -> Iterator[Problem]:
    for need in book.claims.values():
        yield from _reviews(book, need)
        cites = [sid for sid in need.get("cites") or [] if sid in book.sources]
        if not cites:
            continue  # reported by the citations rule
        if need.get("kind") == "fact" and all(
            book.sources[sid].get("kind") in OPINION_KINDS for sid in cites
        ):
            yield at_need(
                book,
                need,
                RULE,
                f"fact claim rests only on commentary sources ({', '.join(cites)}); "
                "add an independent source or make it attributed",
            )
        if need.get("status") == "disputed" and len(cites) < 2:
            yield at_need(
                book,
                need,
                RULE,
                "disputed claim cites one source; cite a source for each side",
            )


def _reviews(book: Book, need: dict[str, Any]) -> Iterator[Problem]:
    targets = need.get("reviews") or []
    if targets and need.get("kind") != "assessment":
        yield at_need(
            book,
            need,
            RULE,
            f"only an assessment can review a claim (this claim is {need.get('kind')})",
        )
    for target in targets:
        reviewed = book.claims.get(target)
        if reviewed is not None and reviewed.get("kind") != "attributed":
            yield at_need(
                book,
                need,
                RULE,
                f"reviews {target}, a {reviewed.get('kind')} claim; "
                "a verdict reviews an attributed claim (a statement someone made)",
            )
