"""Helpers shared by the rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem


def at_need(book: Book, need: Mapping[str, Any], rule: str, message: str) -> Problem:
    """A problem located at the need's directive."""
    return Problem(book.need_path(need), int(need.get("lineno") or 0), need["id"], message, rule)
