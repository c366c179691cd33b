"""The glossary as data: ``glossary.toml`` beside ``refs.bib``.

A journalist meets the same body under several names (IDCPC, "International Liaison
Department", CPCID). The glossary lists each term once, with what it stands for and the
other names it goes by, and every name is tied to a claim whose text or quote uses it,
so the glossary says nothing the claims do not::

    [[term]]
    term = "JCM"                     # the acronym or short name
    expansion = "Joint Consultative Mechanism"
    claim = "CLM_JCM_NAME"           # a claim whose text or quote holds both

    [[term.variant]]
    form = "CPEC Political Parties Joint Consultation Mechanism"
    claim = "CLM_JCM_NAME_VARIANTS"  # a claim whose text or quote holds the form

This module reads the file strictly (as :mod:`idcpc_book.corrections` reads its log): the
file is the book's text (UTF-8, LF, no link), the TOML parses, only these keys occur, every
value is a plain one-line string (shown as text, never parsed as markup) and every claim is
a claim ID. Each fault is an :class:`~idcpc_book.errors.InputError` at the line of its
``[[term]]`` or ``[[term.variant]]`` header, naming the term. Whether the claims exist and
use the names is the checker's ``glossary`` rule (it needs the built claims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from idcpc_book import tomlfile
from idcpc_book.errors import InputError
from idcpc_book.model import CLAIM_PREFIX, ID_PATTERN
from idcpc_book.textfile import read_utf8

FILE = "glossary.toml"

_TERM_KEYS = ("term", "expansion", "claim")
_VARIANT_KEYS = ("form", "claim")
_TERM_HEADER = re.compile(r"^\s*\[\[\s*term\s*\]\]\s*(#.*)?$")
_VARIANT_HEADER = re.compile(r"^\s*\[\[\s*term\s*\.\s*variant\s*\]\]\s*(#.*)?$")
#: The longest name or expansion: a glossary line, not a paragraph.
MAX_LENGTH = 160


@dataclass(frozen=True)
class Variant:
    """Another name of a term, and the claim that uses it."""

    form: str
    claim: str
    line: int


@dataclass(frozen=True)
class Term:
    """One entry: the term, what it stands for, the claim using both, its other names."""

    term: str
    expansion: str
    claim: str
    variants: tuple[Variant, ...]
    line: int


def path_of(root: Path) -> Path:
    return root / FILE


def load(root: Path) -> list[Term]:
    """The terms of ``<root>/glossary.toml`` in file order (none if there is no file).

    Raises :class:`InputError` at the line of the first malformed entry.
    """
    path = path_of(root)
    if not (path.is_file() or path.is_symlink()):  # a link is refused by read_utf8
        return []
    text = read_utf8(path)
    data = tomlfile.parse(path, text)
    unknown = sorted(set(data) - {"term"})
    if unknown:
        raise InputError(path, None, f"unknown table {unknown[0]!r}: entries are [[term]]")
    raw = data.get("term", [])
    if not isinstance(raw, list):
        raise InputError(path, None, "'term' must be [[term]] entries")
    lines = text.splitlines()
    term_lines = [n for n, line in enumerate(lines, 1) if _TERM_HEADER.match(line)]
    variant_lines = [n for n, line in enumerate(lines, 1) if _VARIANT_HEADER.match(line)]
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        line = term_lines[index] if index < len(term_lines) else 1
        after = term_lines[index + 1] if index + 1 < len(term_lines) else len(lines) + 1
        own = [n for n in variant_lines if line < n < after]
        term = _term(path, line, own, item)
        if term.term in seen:
            raise InputError(
                path, line, f"{term.term}: duplicate term: first at line {seen[term.term]}"
            )
        seen[term.term] = line
        terms.append(term)
    return terms


def _string(value: object) -> str | None:
    """A plain one-line string with no surrounding spaces, or None."""
    if not isinstance(value, str):
        return None
    if not value or value != value.strip() or any(c in value for c in "\n\r\t"):
        return None
    return value


def _claim_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(CLAIM_PREFIX)
        and re.match(ID_PATTERN, value) is not None
    )


def _fields(
    path: Path, line: int, name: str, item: object, keys: tuple[str, ...], what: str
) -> dict[str, str]:
    """``item``'s keys, all present, known and plain strings; the claim a claim ID."""

    def fail(message: str) -> InputError:
        return InputError(path, line, f"{name}: {message}")

    if not isinstance(item, dict):
        raise fail(f"a {what} is a table")
    unknown = sorted(set(item) - set(keys) - ({"variant"} if what == "term" else set()))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} in a {what} (expected {', '.join(keys)})")
    missing = [key for key in keys if key not in item]
    if missing:
        raise fail(f"{what} lacks {', '.join(missing)}")
    for key in keys:
        value = _string(item[key])
        if value is None:
            raise fail(f"{key} must be a non-empty string on one line, without spaces around it")
        if len(value) > MAX_LENGTH:
            raise fail(f"{key} is longer than {MAX_LENGTH} characters")
    if not _claim_id(item["claim"]):
        raise fail(f"claim {item['claim']!r} is not a claim ID (CLM_...)")
    return {key: item[key] for key in keys}


def _term(path: Path, line: int, variant_lines: list[int], item: object) -> Term:
    name = str(item.get("term", "term")) if isinstance(item, dict) else "term"
    values = _fields(path, line, name, item, _TERM_KEYS, "term")
    assert isinstance(item, dict)
    raw = item.get("variant", [])
    if not isinstance(raw, list):
        raise InputError(path, line, f"{name}: variants are [[term.variant]] tables")
    variants = []
    forms = {values["term"]: line}
    for index, entry in enumerate(raw):
        at = variant_lines[index] if index < len(variant_lines) else line
        found = _fields(path, at, name, entry, _VARIANT_KEYS, "variant")
        if found["form"] in forms:
            raise InputError(
                path, at, f"{name}: duplicate form {found['form']!r}: first at line "
                f"{forms[found['form']]}"
            )  # fmt: skip
        forms[found["form"]] = at
        variants.append(Variant(found["form"], found["claim"], at))
    return Term(values["term"], values["expansion"], values["claim"], tuple(variants), line)
