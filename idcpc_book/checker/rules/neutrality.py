"""No loaded or promotional wording in the book's own voice.

The book's own voice is every heading and paragraph except the text of an
``attributed`` claim (which reports what someone said). There, a slogan, superlative
or honorific from ``idcpc_book/data/neutrality.toml`` is allowed only inside
quotation marks. Evidence (``:quote:``), citation keys, code and link targets are
not prose and are not read. The prose is found by the census (``DocCensus.voice``, in
the same walk that finds the claims), so this rule parses nothing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem

RULE = "neutrality"
WORDLIST = Path(__file__).resolve().parents[2] / "data" / "neutrality.toml"

#: Spans that are not the book's own words: quotations, roles (citations), code,
#: link targets. They are blanked (newlines kept, so line numbers stay right).
_NOT_OWN_WORDS = re.compile(
    r"\{[\w:.-]+\}`[^`]*`"  # {cite:p}`key`
    r"|`[^`]*`"  # code
    r"|\]\([^)]*\)|<https?://[^>]*>"  # link targets
    r'|"[^"]*"|\u201c[^\u201d]*\u201d'  # double quotations, straight or curly
    # single quotations, straight or curly; an apostrophe (after a letter) opens none
    r"|(?<!\w)\u2018[^\u2019]*\u2019(?!\w)|(?<!\w)'[^']*'(?!\w)"
)


#: Where a form may start: not inside a word. Written once before all the forms of a
#: pattern, not once per form: Python's ``re`` tries the alternatives at every position
#: of the text, and a failed look-behind ends that try at once (inside words: ten times
#: faster on a 5000-claim book, the same matches).
_WORD_START = r"(?<![\w-])"


@dataclass(frozen=True)
class Term:
    """One entry of the word list: a pattern for its forms and its neutral exceptions."""

    pattern: re.Pattern[str]
    exceptions: tuple[re.Pattern[str], ...]
    #: The forms as one alternation, without the word-start test (see :func:`_any_term`).
    forms: str


def _form(text: str) -> str:
    """One form: its words, separated by any run of spaces or hyphens, ending a word."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", text.strip())]
    return r"[\s-]+".join(words) + r"(?![\w-]|\.\w)"


def _compile(forms: str) -> re.Pattern[str]:
    return re.compile(f"{_WORD_START}(?:{forms})", re.IGNORECASE)


@cache
def load_terms(path: Path = WORDLIST) -> tuple[Term, ...]:
    """The word list, compiled (read once)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = []
    for entry in data["term"]:
        forms = "|".join(_form(f) for f in entry["match"])
        exceptions = tuple(_compile(_form(e)) for e in entry.get("except", []))
        terms.append(Term(_compile(forms), exceptions, forms))
    return tuple(terms)


@cache
def _any_term(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """One pattern for every term: most prose has none, and one search says so."""
    return _compile("|".join(f"(?:{t.forms})" for t in terms))


def loaded_words(text: str, terms: tuple[Term, ...]) -> Iterator[tuple[int, str]]:
    """(offset, wording) of each loaded use in ``text`` outside quotations."""
    if not _any_term(terms).search(text):
        return
    own = _NOT_OWN_WORDS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    for term in terms:
        neutral = [m.span() for e in term.exceptions for m in e.finditer(own)]
        for match in term.pattern.finditer(own):
            if not any(a <= match.start() and match.end() <= b for a, b in neutral):
                yield match.start(), match.group()


def check(book: Book) -> Iterator[Problem]:
    terms = load_terms()
    for doc in book.docs:
        for piece in doc.voice:  # noted by the census: nothing is parsed again here
            line, obj, prose = piece.line, piece.obj, piece.text
            for at, found in loaded_words(prose, terms):
                words = " ".join(found.split())  # a phrase may run over a line break
                yield Problem(
                    doc.path,
                    line + prose.count("\n", 0, at),
                    obj,
                    f"loaded wording '{words}' in the book's own voice (quote or attribute it)",
                    RULE,
                )
