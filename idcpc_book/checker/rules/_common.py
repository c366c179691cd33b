"""Helpers shared by the rules."""

from __future__ import annotations

import re
from typing import Any

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem

#: ``{cite}`a,b``` and its variants (``cite:p``, ``cite:t``, ``cite:ps`` ...).
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")


def cited_keys(content: str) -> list[str]:
    """The citation keys of every cite role in ``content``, in order."""
    return [
        k.strip() for m in CITE_ROLE.finditer(content) for k in m.group(1).split(",") if k.strip()
    ]


def at_need(book: Book, need: dict[str, Any], rule: str, message: str) -> Problem:
    """A problem located at the need's directive."""
    return Problem(book.need_path(need), int(need.get("lineno") or 0), need["id"], message, rule)
