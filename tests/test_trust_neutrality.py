"""Neutrality lint (checker rule 10): the word list and what counts as the book's voice.

The failing fixture books (loaded-fact-claim, loaded-editorial, loaded-heading) are in
test_checker_rules.py; here the book that uses loaded words only where allowed passes.
"""

from __future__ import annotations

import tomllib

import pytest
from conftest import ROOTS

from idcpc_book.checker.cli import main
from idcpc_book.checker.rules.neutrality import WORDLIST, load_terms, loaded_words


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
