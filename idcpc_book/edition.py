"""The edition: title, version, "as of" date and base URL, defined once in ``pyproject.toml``.

``[project].version`` is the version; ``[tool.idcpc-book]`` holds the rest. ``conf.py``
(Sphinx ``release``, the page banner, the PDF cover, MyST substitutions), the citation
formats (:mod:`idcpc_book.cite`) and ``CITATION.cff`` all read it from here, so the
edition cannot be stated two ways. No date is taken from the clock: the "as of" date
is the editors' statement of how current the book is.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from idcpc_book.errors import InputError

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
TABLE = "idcpc-book"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Edition:
    """What identifies one edition of the book."""

    title: str
    authors: str
    version: str
    as_of: str  # ISO date: the book is current as of this day
    base_url: str  # where the HTML edition is published; ends with "/"
    licence: str  # SPDX identifier of the text's licence

    @property
    def as_of_long(self) -> str:
        """The "as of" date in words, e.g. ``24 November 2026`` (locale-independent)."""
        day = dt.date.fromisoformat(self.as_of)
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"

    @property
    def label(self) -> str:
        """``version 0.2.0, as of 24 November 2026``."""
        return f"version {self.version}, as of {self.as_of_long}"


def load(path: Path = PYPROJECT) -> Edition:
    """Read the edition from ``pyproject.toml``; a missing or bad value is an InputError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(path, None, f"cannot read the edition: {err}") from None
    table = data.get("tool", {}).get(TABLE, {})
    values = {
        "title": table.get("title"),
        "authors": table.get("authors"),
        "version": data.get("project", {}).get("version"),
        "as_of": table.get("as_of"),
        "base_url": table.get("base_url"),
        "licence": table.get("licence"),
    }
    missing = [name for name, value in values.items() if not isinstance(value, str) or not value]
    if missing:
        raise InputError(path, None, f"[tool.{TABLE}] lacks: {', '.join(missing)}")
    try:
        dt.date.fromisoformat(values["as_of"])
    except ValueError:
        raise InputError(path, None, f"[tool.{TABLE}] as_of must be YYYY-MM-DD") from None
    if not values["base_url"].endswith("/"):
        raise InputError(path, None, f"[tool.{TABLE}] base_url must end with '/'")
    return Edition(**values)
