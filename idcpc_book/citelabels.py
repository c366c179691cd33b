"""Citation labels: one per work, the same in the text, the bibliography and the exports.

The book cites author-year ("Dawn 2024", "Song 2023"), as policy reports do. A label names
the author as the bibliography files it (an organisation whole, never inverted; a person
by family name) and the year, with a letter when one author has several works of a year:
the letters are given across the whole bibliography, in its order (earliest date first),
so "GSRRA 2024b" is one work wherever it is printed. Works without a known date are
"n.d.". Names are printed in their own order: ``nameorder = {family-given}`` in an entry
marks names written family name first (Chinese names: ``Song, Tao`` prints "Song Tao").
README, "Citing"; docs/bibliography.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from pybtex.database import Entry, Person

#: ``nameorder``: the entry's persons are written "Family, Given" and printed family name
#: first; the only value, since "Given Family" needs no mark (checked by inputs/bib.py).
FAMILY_FIRST = "family-given"

#: The year of a work whose date is not known.
UNDATED = "n.d."
_ESCAPED = re.compile(r"\\([$%#&_{}])|[{}]")


def plain(field: str) -> str:
    """A BibTeX ``field`` as the reader sees it: grouping braces dropped, the escaped
    characters (``\\&``, ``\\$``, ``\\%``, ``\\#``, ``\\_``, ``\\{``, ``\\}``) unescaped.

    The fields are plain UTF-8 text (README, Adding a source); pybtex's LaTeX reading
    would also turn ``--`` into a dash, ``~`` into a space and leave ``\\$`` as typed.
    """
    return _ESCAPED.sub(lambda match: match.group(1) or "", field)


def is_organisation(person: Person) -> bool:
    """A double-braced author (``{{The Nation}}``): one name, never split or inverted."""
    names = person.last_names
    return (
        len(names) == 1
        and names[0].startswith("{")
        and names[0].endswith("}")
        and not (person.first_names or person.middle_names or person.prelast_names)
    )


def family_first(entry: Entry) -> bool:
    """Whether ``entry`` marks its persons' names as written family name first."""
    return entry.fields.get("nameorder", "") == FAMILY_FIRST


def full_name(person: Person, family_name_first: bool = False) -> str:
    """A person's or organisation's name in its own order ("Imtiaz Ali", "Song Tao")."""
    if is_organisation(person):
        return plain(person.last_names[0])
    family = [*person.prelast_names, *person.last_names]
    given = [*person.first_names, *person.middle_names]
    parts = [*family, *given] if family_name_first else [*given, *family]
    return plain(" ".join([*parts, *person.lineage_names]))


def label_name(person: Person) -> str:
    """The name a label gives: an organisation whole, a person's family name."""
    if is_organisation(person):
        return plain(person.last_names[0])
    return plain(" ".join([*person.prelast_names, *person.last_names]))


def label_author(entry: Entry) -> str:
    """The author part of ``entry``'s label: "Dawn", "Ding and Li", "Wang et al."."""
    persons = entry.persons.get("author", [])
    if not persons:
        return plain(entry.fields.get("organization", "")) or "Anon."
    if len(persons) == 2:
        return f"{label_name(persons[0])} and {label_name(persons[1])}"
    return label_name(persons[0]) + (" et al." if len(persons) > 2 else "")


def names(entry: Entry) -> str:
    """All authors of ``entry`` in their own order, as the bibliography prints them."""
    order = family_first(entry)
    full = [full_name(p, order) for p in entry.persons.get("author", [])]
    if len(full) <= 2:
        return " and ".join(full)
    return ", ".join(full[:-1]) + ", and " + full[-1]


def year(entry: Entry) -> str:
    return entry.fields.get("year", "") or UNDATED


def fold(text: str) -> str:
    """``text`` for sorting: case and diacritics ignored ("Émile" files with "emile")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _number(value: str) -> int:
    return int(value) if value.isdigit() else 0


def sort_key(entry: Entry) -> tuple[object, ...]:
    """The bibliography's order: the label's author, the year (undated last), then the
    date and title, which also give the order of the letters ("2024a" before "2024b")."""
    fields = entry.fields
    dated = year(entry) != UNDATED
    return (
        fold(label_author(entry)),
        label_author(entry),
        not dated,
        _number(fields.get("year", "")) if dated else 0,
        _number(fields.get("month", "")),
        _number(fields.get("day", "")),
        fold(plain(fields.get("title", ""))),
        entry.key,
    )


def suffix(index: int) -> str:
    """The letter of the ``index``-th work (0: "a") of one author and year: a..z, aa, ab..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else suffix(index // 26 - 1) + letters[index % 26]


def labels(entries: Iterable[tuple[str, Entry]]) -> dict[str, str]:
    """Each key's label, letters given in the bibliography's order across all ``entries``."""
    ordered = sorted(entries, key=lambda item: sort_key(item[1]))
    bases = [(key, f"{label_author(entry)} {year(entry)}") for key, entry in ordered]
    totals = Counter(base for _, base in bases)
    seen: Counter[str] = Counter()
    found: dict[str, str] = {}
    for key, base in bases:
        if totals[base] == 1:
            found[key] = base
        else:  # "n.d.-a", as author-date styles letter undated works
            found[key] = base + ("-" if base.endswith(UNDATED) else "") + suffix(seen[base])
        seen[base] += 1
    return found
