"""The checker's rules: one registry (:data:`RULES`) gives each its number, name and what
breaks it; every list of the rules (the report's JUnit cases, the methodology page, the
README) is read from it. The rules live one module per concern, each exposing
``check(book)``; a module may hold several numbered rules (citations: 1 to 3)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from idcpc_book import quoting
from idcpc_book.checker.book import Book
from idcpc_book.checker.problems import Problem
from idcpc_book.checker.rules import (
    citations,
    corroboration,
    coverage,
    dated,
    glossary,
    history,
    identity,
    integrity,
    key_facts,
    neutrality,
    quotes,
    records,
    superseded,
    support,
)
from idcpc_book.model import KEY_FACTS_MAX, KEY_FACTS_MIN


@dataclass(frozen=True)
class Rule:
    """One numbered rule."""

    number: int
    #: The rule name of its problems (``Problem.rule``) and its JUnit test case.
    name: str
    #: When it fails, one sentence in the book's Markdown (the methodology page's words).
    doc: str
    check: Callable[[Book], Iterator[Problem]]


#: (module, when the rule fails), in the rules' order; numbered from 1 below.
_RULES: tuple[tuple[ModuleType, str], ...] = (
    (citations, "a claim has no `:cites:`, or cites something that is not a source"),
    (
        citations,
        "a claim's text has no citation, or its citation keys differ from its sources' keys",
    ),
    (
        citations,
        "a citation key is missing from `refs.bib`, a bibliography entry is used by no "
        "source, or a source is cited by no claim",
    ),
    (records, "a source has no archived record, or a record belongs to no source"),
    (
        quotes,
        "a claim has no quote, a quote is too short to be evidence (fewer than "
        f"{quoting.MIN_WORDS} words or {quoting.MIN_CHARS} characters), or it is not a passage "
        "of the archived text of any cited source: "
        "absent, or only inside longer words (after Unicode composition, NFC, and folding "
        "whitespace, quotation-mark style and dash style, and nothing else)",
    ),
    (
        identity,
        "an identifier is missing, malformed or duplicated, or a kind, status, `as_of` or "
        "`event_date` is invalid",
    ),
    (coverage, "a paragraph is neither in a claim nor marked editorial"),
    (
        support,
        "a `fact` claim rests only on commentary sources, a `disputed` claim cites a single "
        "source (a disagreement needs a source for each side), or a `:reviews:` link does "
        "not go from an `assessment` to an `attributed` claim",
    ),
    (
        integrity,
        "an archived record's text no longer matches the SHA-256 recorded in its header (so "
        'a quote cannot be made to "match" by editing the archive silently)',
    ),
    (
        neutrality,
        "a heading, an editorial block, or a `fact` or `assessment` claim uses loaded or "
        "promotional wording outside quotation marks (the word list is "
        "`idcpc_book/data/neutrality.toml`, with a reason for each entry)",
    ),
    (
        history,
        "a claim of the last archived edition changed (text, status, kind, sources, evidence "
        "grade, or the kind of a source it cites) or is gone without an entry in the "
        "corrections log that covers it; an entry an archived edition published was removed "
        "or changed; the version is older than the last edition; an archived edition differs "
        "from its release tag (see [Corrections](#corrections))",
    ),
    (
        corroboration,
        "a `fact` claim with status `verified` rests neither on the actor's own official "
        "record nor on two independent outlets (its evidence grade is not \"actor's "
        'record" or "two independent"): a single report, however many outlets copy it, '
        "leaves a fact `unverified`",
    ),
    (
        superseded,
        "a `superseded` claim is superseded by no claim (no claim's `:supersedes:` names it), "
        "or a claim's `:supersedes:` names a claim whose status is not `superseded`",
    ),
    (
        dated,
        'a claim\'s text says "as of" a date that is not its `:as_of:` (a day must be it, a '
        'month or year must contain it), says "as of the edition date", or says "as of" '
        'without an `:as_of:`; or a claim of absence ("has found no", "was not found", '
        '"no ... was found") has no `:as_of:`, the day the search was last run',
    ),
    (
        key_facts,
        'the key facts (the claims with a `:key_fact:`, listed by the "At a glance" '
        f"page) are fewer than {KEY_FACTS_MIN} or more than {KEY_FACTS_MAX}, two share a "
        "place, or one is `superseded` or has neither an `event_date` nor an `as_of`",
    ),
    (
        glossary,
        "a name in the glossary (`glossary.toml`: a term, its expansion or a variant) is "
        "tied to a claim that does not exist, or is not in that claim's text or quote "
        "(after the quotes' normalisation)",
    ),
)

#: Every rule, by number.
RULES: tuple[Rule, ...] = tuple(
    Rule(number, module.RULE, doc, module.check)
    for number, (module, doc) in enumerate(_RULES, start=1)
)


def names() -> list[str]:
    """The rule names, each once, in the order of their first number."""
    return list(dict.fromkeys(rule.name for rule in RULES))


def numbers(name: str) -> list[int]:
    """The numbers of the rules named ``name``."""
    return [rule.number for rule in RULES if rule.name == name]


def check(book: Book) -> list[Problem]:
    """Every problem of every rule, sorted (a module holding several rules runs once)."""
    checks = dict.fromkeys(rule.check for rule in RULES)
    return sorted({p for run in checks for p in run(book)})
