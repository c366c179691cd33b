"""The edition: title, version, "as of" date and base URL, defined once in ``pyproject.toml``.

``[project].version`` is the version; ``[tool.idcpc-book]`` holds the rest. ``conf.py``
(Sphinx ``release``, the page banner, the PDF cover, MyST substitutions), the citation
formats (:mod:`idcpc_book.cite`) and ``CITATION.cff`` all read it from here, so the
edition cannot be stated two ways. No date is taken from the clock: the "as of" date
is the editors' statement of how current the book is.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

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


#: An edition that stands in while ``conf.py`` is read when the real one cannot be: the
#: build then stops before reading a page (:mod:`idcpc_book.ext.inputs.preflight`).
PLACEHOLDER = Edition("(edition unreadable)", "", "0", "1970-01-01", "/", "")

#: Characters a plain-text edition field may not hold: markup (HTML's ``<``/``>``, BibTeX's
#: braces); control and format characters are refused by category (Cc, Cf).
_NOT_PLAIN = set("<>{}")
#: The published address: http(s), nothing that could leave an attribute or a string.
_BASE_URL = re.compile(r"^https?://[^\s\"'<>\\`{}]+/$")
#: An SPDX licence identifier (e.g. ``CC-BY-4.0``).
_LICENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")

#: Where tomllib's message gives the line of a syntax error (shared by the TOML readers).
TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _line(text: str, key: str) -> int | None:
    """The line of ``key = ...`` (or of the table header ``[key]``) in the TOML ``text``."""
    pattern = re.compile(rf"^\s*({re.escape(key)}\s*=|\[{re.escape(key)}\]\s*$)")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def load(path: Path = PYPROJECT) -> Edition:
    """Read the edition from ``pyproject.toml``; a missing or bad value is an InputError
    located at its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, None, f"cannot read the edition: {err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = TOML_LINE.search(str(err))
        line = int(found.group(1)) if found else None
        raise InputError(
            path, line, f"not valid TOML: {TOML_LINE.sub('', str(err)).strip()}"
        ) from None
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
        raise InputError(
            path, _line(text, f"tool.{TABLE}"), f"[tool.{TABLE}] lacks: {', '.join(missing)}"
        )
    try:
        dt.date.fromisoformat(values["as_of"])
    except ValueError:
        raise InputError(
            path, _line(text, "as_of"), f"[tool.{TABLE}] as_of must be a date, YYYY-MM-DD; "
            f"got {values['as_of']!r}"
        ) from None  # fmt: skip
    if not values["base_url"].endswith("/"):
        raise InputError(
            path, _line(text, "base_url"), f"[tool.{TABLE}] base_url must end with '/'"
        )
    fault = _field_fault(values)
    if fault:
        name, message = fault
        table = "[project]" if name == "version" else f"[tool.{TABLE}]"
        raise InputError(path, _line(text, name), f"{table} {name} {message}")
    return Edition(**values)


def _plain_fault(value: str) -> str | None:
    """Why ``value`` is not plain text (``None``: it is)."""
    for char in value:
        if char in _NOT_PLAIN or unicodedata.category(char) in ("Cc", "Cf"):
            return f"must be plain text, without {char!r}"
    return None


def _field_fault(values: dict[str, str]) -> tuple[str, str] | None:
    """The first field whose value could be read as markup or code, and why.

    The edition is printed on every page, the PDF cover, the EPUB metadata, the
    citations and ``CITATION.cff``; validated here, it needs no escaping in each.
    """
    version = values["version"]
    try:
        canonical = str(Version(version))
    except InvalidVersion:
        canonical = None
    if canonical != version:
        return "version", f"must be a version in its PEP 440 form, e.g. 0.3.0; got {version!r}"
    for name in ("title", "authors"):
        fault = _plain_fault(values[name])
        if fault:
            return name, fault
    if not _BASE_URL.match(values["base_url"]):
        return "base_url", (
            "must be an http(s) address without spaces, quotes, angle brackets, braces, "
            f"backslashes or backquotes; got {values['base_url']!r}"
        )
    if not _LICENCE.match(values["licence"]):
        return "licence", f"must be an SPDX identifier, e.g. CC-BY-4.0; got {values['licence']!r}"
    return None
