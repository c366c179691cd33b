"""The edition: title, version, "as of" date and base URL, defined once in ``pyproject.toml``.

``[project].version`` is the version; ``[tool.idcpc-book]`` holds the rest. ``conf.py``
(Sphinx ``release``, the page banner, the PDF cover, MyST substitutions), the citation
formats (:mod:`idcpc_book.cite`) and ``CITATION.cff`` all read it from here, so the
edition cannot be stated two ways. No date is taken from the clock: the "as of" date
is the editors' statement of how current the book is.

Where the book is published may differ by deployment: ``IDCPC_BOOK_BASE_URL`` overrides
``base_url`` and ``IDCPC_BOOK_REPOSITORY`` the repository of ``[project.urls]`` (the GitHub
Pages workflow sets both from the repository it runs in), validated as the file's values.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from packaging.version import InvalidVersion, Version

from idcpc_book import tomlfile
from idcpc_book.errors import InputError

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
TABLE = "idcpc-book"
#: The months' English names (dates as the book prints them and reads them in prose).
MONTHS = (
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
    repository: str = ""  # the source repository ([project.urls] Repository); "" unknown
    issues: str = ""  # its issue tracker ([project.urls] Issues), GitHub-style; "" unknown

    @property
    def as_of_long(self) -> str:
        """The "as of" date in words, e.g. ``24 November 2026`` (locale-independent)."""
        day = dt.date.fromisoformat(self.as_of)
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

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
#: The repository and its issue tracker: http(s), no trailing slash, nothing unsafe.
_PROJECT_URL = re.compile(r"^https?://[^\s\"'<>\\`{}?#]+[^/\s\"'<>\\`{}?#]$")
#: The environment variables that say where a deployment publishes the book.
ENV_BASE_URL = "IDCPC_BOOK_BASE_URL"
ENV_REPOSITORY = "IDCPC_BOOK_REPOSITORY"
#: An SPDX licence identifier (e.g. ``CC-BY-4.0``).
_LICENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")

#: Hosts reserved for examples and tests (RFC 2606, RFC 6761): not a real address.
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost")
PLACEHOLDER_TLDS = (".example", ".invalid", ".test", ".localhost")


def is_placeholder(url: str) -> bool:
    """Whether ``url`` is on a reserved host (``example.org``...): not a published address."""
    host = (urlsplit(url).hostname or "").lower()
    return (
        not host
        or any(host == h or host.endswith(f".{h}") for h in PLACEHOLDER_HOSTS)
        or host.endswith(PLACEHOLDER_TLDS)
    )


def _line(text: str, key: str) -> int | None:
    """The line of ``key = ...`` (or of the table header ``[key]``) in the TOML ``text``."""
    pattern = re.compile(rf"^\s*({re.escape(key)}\s*=|\[{re.escape(key)}\]\s*$)")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def load(path: Path = PYPROJECT, environ: Mapping[str, str] | None = None) -> Edition:
    """Read the edition from ``pyproject.toml`` and the deployment's overrides in
    ``environ`` (default: the process's environment; ``{}``: the file alone); a missing or
    bad value is an InputError located at its line (or naming its variable)."""
    environ = os.environ if environ is None else environ
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, None, f"cannot read the edition: {err}") from None
    data = tomlfile.parse(path, text)
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
    repository, issues = _project_urls(path, text, data)
    base_url = environ.get(ENV_BASE_URL, "")
    if base_url:
        if not _BASE_URL.match(base_url):
            raise InputError(
                path, None, f"the environment's {ENV_BASE_URL} must be an http(s) address "
                "ending with '/', without spaces, quotes, angle brackets, braces, backslashes "
                f"or backquotes; got {base_url!r}"
            )  # fmt: skip
        values["base_url"] = base_url
    override = environ.get(ENV_REPOSITORY, "")
    if override:
        if not _PROJECT_URL.match(override):
            raise InputError(path, None, f"the environment's {ENV_REPOSITORY} {_URL_RULE}; "
                             f"got {override!r}")  # fmt: skip
        repository, issues = override, f"{override}/issues"
    return Edition(**values, repository=repository, issues=issues)


_URL_RULE = (
    "must be an http(s) address without a trailing '/', query, spaces, quotes, angle "
    "brackets, braces, backslashes or backquotes"
)


def _project_urls(path: Path, text: str, data: dict) -> tuple[str, str]:
    """``[project.urls]`` Repository and Issues ("" each when absent), validated."""
    urls = data.get("project", {}).get("urls", {})
    found = []
    for name in ("Repository", "Issues"):
        value = urls.get(name, "")
        if value and (not isinstance(value, str) or not _PROJECT_URL.match(value)):
            raise InputError(
                path, _line(text, name), f"[project.urls] {name} {_URL_RULE}; got {value!r}"
            )
        found.append(value)
    return found[0], found[1]


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
