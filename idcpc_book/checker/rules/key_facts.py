"""The key facts: the short, current and dated list the "At a glance" page shows.

A claim's ``:key_fact: N`` gives its place on that page (``docs/glance.md``, a
``needtable`` of the claims with a key fact, sorted by it). The selection is data in the
claims themselves, so the page never restates a fact, and this rule keeps the list what
the page promises a reader new to the subject: between :data:`~idcpc_book.model.KEY_FACTS_MIN`
and :data:`~idcpc_book.model.KEY_FACTS_MAX` facts, each in a place of its own, none
overtaken (``superseded``) and each with a date (``event_date`` or ``as_of``) to show.
A book none of whose claims is a key fact has no such list, and the rule is silent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules._common import at_need
from idcpc_book.model import KEY_FACTS_MAX, KEY_FACTS_MIN

RULE = "key_facts"
PAGE = "the 'At a glance' page"


def place(need: Mapping[str, Any]) -> int | None:
    """The claim's place among the key facts (``None``: not a key fact)."""
    value = need.get("key_fact")
    if value is None or value == "":
        return None
    return int(value)  # the schema (an integer) and the field check hold it to a number


def key_facts(claims: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The claims that are key facts, by place, then by ID."""
    found = [need for need in claims.values() if place(need) is not None]
    return sorted(found, key=lambda need: (place(need), need["id"]))


def check(book: Book) -> Iterator[Problem]:
    facts = key_facts(book.claims)
    if not facts:
        return
    first: dict[int, Mapping[str, Any]] = {}
    for need in facts:
        n = place(need)
        assert n is not None
        if n in first:
            other = first[n]
            yield at_need(
                book,
                need,
                RULE,
                f"key_fact {n} is also the place of {other['id']} "
                f"({book.need_path(other)}:{other.get('lineno') or 0}); each key fact needs "
                f"a place of its own on {PAGE}",
            )
        else:
            first[n] = need
        if need.get("status") == "superseded":
            successors = ", ".join(sorted(need.get("supersedes_back") or [])) or "none yet"
            yield at_need(
                book,
                need,
                RULE,
                f"key fact {n} is superseded; {PAGE} shows current facts (give :key_fact: "
                f"{n} to the claim that supersedes it: {successors})",
            )
        if not need.get("event_date") and not need.get("as_of"):
            yield at_need(
                book,
                need,
                RULE,
                f"key fact {n} has no :event_date: or :as_of:; {PAGE} shows each key fact's date",
            )
    if not KEY_FACTS_MIN <= len(facts) <= KEY_FACTS_MAX:
        yield at_need(
            book,
            facts[-1],
            RULE,
            f"the book has {len(facts)} key facts (claims with :key_fact:); {PAGE} lists "
            f"{KEY_FACTS_MIN} to {KEY_FACTS_MAX}",
        )
