"""Neutrality lint (the checker's neutrality rule): the word list and what counts as the book's voice.

The failing fixture books (loaded-fact-claim, loaded-editorial, loaded-heading) are in
test_checker_rules.py; here the book that uses loaded words only where allowed passes.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from conftest import ROOTS
from hypothesis import given, settings
from hypothesis import strategies as st

from idcpc_book.checker.cli import main
from idcpc_book.checker.rules.neutrality import (
    _NOT_OWN_WORDS,
    WORDLIST,
    load_terms,
    loaded_words,
)


def test_loaded_words_in_quotes_attributed_claims_and_names_pass(built, capsys) -> None:
    root = ROOTS / "loaded-allowed"
    code = main(["--root", str(root), "--needs", str(built("loaded-allowed"))])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0, lines
    assert lines[-1].endswith("problems: 0")


def test_every_word_list_entry_has_forms_and_a_reason() -> None:
    entries = tomllib.loads(WORDLIST.read_text(encoding="utf-8"))["term"]
    assert len(entries) >= 15
    for entry in entries:
        assert set(entry) <= {"match", "reason", "except"}, entry
        assert entry["match"] and all(f.strip() for f in entry["match"]), entry
        assert len(entry["reason"]) > 10, entry


def found(text: str) -> list[str]:
    return [words for _, words in loaded_words(text, load_terms())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a historic visit", ["historic"]),
        ("a Historic visit", ["Historic"]),
        ("a historical survey", []),
        ('a "historic" visit', []),
        ("a \u201chistoric\u201d visit", []),
        ("a \u2018historic\u2019 visit", []),
        ("Pakistan's 'historic' visit and China's", []),
        ("Pakistan\u2019s great visit and China\u2019s", ["great"]),
        ("win win and win-win and win - win", ["win win", "win-win", "win - win"]),
        ("the iron\nbrothers", ["iron\nbrothers"]),
        ("the Great Hall of the People and a great hall", ["great"]),
        ("{cite:p}`gsrra2024fruitfulvisit` and `great` code", []),
        ("[a link](https://example.org/historic-visit)", []),
        ("H.E. the minister; THE.ESTEEMED; H.Exx", ["H.E.", "ESTEEMED"]),
        ("ironclad, irony, greatness, landmarks", ["ironclad"]),
    ],
)
def test_what_is_flagged(text: str, expected: list[str]) -> None:
    assert sorted(found(text)) == sorted(expected)


def _reference_terms() -> list[tuple[re.Pattern[str], list[re.Pattern[str]]]]:
    """The word list compiled as before the speed-up: the word-start test in every form."""

    def form(text: str) -> str:
        words = [re.escape(w) for w in re.split(r"[\s-]+", text.strip())]
        return r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-]|\.\w)"

    entries = tomllib.loads(WORDLIST.read_text(encoding="utf-8"))["term"]
    return [
        (
            re.compile("|".join(form(f) for f in e["match"]), re.IGNORECASE),
            [re.compile(form(x), re.IGNORECASE) for x in e.get("except", [])],
        )
        for e in entries
    ]


def _reference(text: str) -> list[tuple[int, str]]:
    own = _NOT_OWN_WORDS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    hits = []
    for pattern, exceptions in _reference_terms():
        neutral = [m.span() for e in exceptions for m in e.finditer(own)]
        for m in pattern.finditer(own):
            if not any(a <= m.start() and m.end() <= b for a, b in neutral):
                hits.append((m.start(), m.group()))
    return hits


_ENTRIES = tomllib.loads(WORDLIST.read_text(encoding="utf-8"))["term"]
#: Words of the list (and of its exceptions), cased and joined in every way.
_PIECES = sorted(
    {w for e in _ENTRIES for f in (*e["match"], *e.get("except", [])) for w in f.split()}
)
_TOKEN = st.one_of(
    st.sampled_from(["the", "visit", "a"]),
    st.sampled_from(_PIECES).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.capitalize(), w + "s", "x" + w])
    ),
    st.sampled_from([" ", "  ", "-", " - ", "\n", ".", ".x", "'", '"', "\u201c", "`", "_", "K"]),
)


@given(st.lists(_TOKEN, max_size=8).map("".join))
@settings(max_examples=800, deadline=None)
def test_loaded_words_as_before_the_shared_word_start(text: str) -> None:
    assert list(loaded_words(text, load_terms())) == _reference(text)
