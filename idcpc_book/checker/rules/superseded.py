"""A superseded claim names what overtook it: some claim ``:supersedes:`` it.

The model's status ``superseded`` reads "since overtaken; see the claim that supersedes
it", so a reader who lands on the old claim must find the new one (the link's incoming
side, "superseded by", points there), and a claim that ``:supersedes:`` another must
leave it marked ``superseded``, not still ``verified``. A claim still true, which nothing
overtook, keeps its status (changing a published claim's status needs a corrections entry).
"""

from __future__ import annotations

from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need

RULE = "superseded"
STATUS = "superseded"


def check(book: Book) -> Iterator[Problem]:
    superseded_by: dict[str, list[str]] = {}
    for need in book.claims.values():
        for target in need.get("supersedes") or []:
            superseded_by.setdefault(target, []).append(need["id"])
            status = book.claims.get(target, {}).get("status")
            if target in book.claims and status != STATUS:
                yield at_need(
                    book,
                    need,
                    RULE,
                    f"supersedes {target}, whose status is {status}, not {STATUS} (set its "
                    f":status: to {STATUS}, with a corrections entry if it was published)",
                )
    for need in book.claims.values():
        if need.get("status") == STATUS and need["id"] not in superseded_by:
            yield at_need(
                book,
                need,
                RULE,
                f"status is {STATUS}, but no claim supersedes it (add ':supersedes: "
                f"{need['id']}' to the claim that overtook it, or, if it still holds, give it "
                "its status back with a corrections entry)",
            )
