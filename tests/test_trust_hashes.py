"""Source integrity: the hash command writes, checks and is idempotent; the real
archive is fully hashed. (The checker rule itself is tested with the fixture books
in test_checker_rules.py: hash-mismatch, hash-missing, hash-malformed.)"""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from conftest import REPO, ROOTS

from idcpc_book.inputs.records import read_record, record_paths, stamp_hash, text_digest

_spec = importlib.util.spec_from_file_location("hash_sources", REPO / "scripts/hash_sources.py")
hash_sources = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hash_sources)

NEW = '+++\nkind = "commentary"\nnotes = "New."\n+++\nSome archived text.\n'


@pytest.fixture
def book(tmp_path):
    shutil.copytree(ROOTS / "clean", tmp_path / "book")
    return tmp_path / "book"


def test_every_real_record_matches_its_hash() -> None:
    for path in record_paths(REPO / "sources"):
        record = read_record(path)
        assert record.sha256 == text_digest(record.text), path.name


def test_new_record_is_hashed_then_left_alone(book, capsys) -> None:
    new = book / "sources" / "gamma.txt"
    new.write_text(NEW, encoding="utf-8")
    assert hash_sources.main(["--root", str(book), "--check"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "stale: sources/gamma.txt",
        "3 record(s), 1 stale",
    ]
    assert hash_sources.main(["--root", str(book)]) == 0
    digest = text_digest("Some archived text.\n")
    assert new.read_text(encoding="utf-8") == NEW.replace(
        "+++\nSome", f'sha256 = "{digest}"\n+++\nSome'
    )
    before = {p: p.read_bytes() for p in (book / "sources").iterdir()}
    assert hash_sources.main(["--root", str(book)]) == 0  # idempotent
    assert {p: p.read_bytes() for p in (book / "sources").iterdir()} == before
    assert hash_sources.main(["--root", str(book), "--check"]) == 0


def test_changed_text_gets_its_hash_replaced_in_place(book) -> None:
    alpha = book / "sources" / "alpha.txt"
    changed = alpha.read_text(encoding="utf-8").replace("Wednesday", "Thursday")
    alpha.write_text(changed, encoding="utf-8")
    assert hash_sources.main(["--root", str(book), "alpha"]) == 0
    lines = alpha.read_text(encoding="utf-8").split("\n")
    assert lines[3] == f'sha256 = "{text_digest(read_record(alpha).text)}"'
    assert len(lines) == len(changed.split("\n"))


def test_only_the_named_records_are_written(book) -> None:
    for name in ("alpha", "beta"):
        path = book / "sources" / f"{name}.txt"
        path.write_text(path.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    assert hash_sources.main(["--root", str(book), "beta"]) == 0
    assert hash_sources.main(["--root", str(book), "--check"]) == 1


def test_unusable_record_is_reported_and_others_still_hashed(book, capsys) -> None:
    (book / "sources" / "bad.txt").write_text("no header\n", encoding="utf-8")
    (book / "sources" / "gamma.txt").write_text(NEW, encoding="utf-8")
    assert hash_sources.main(["--root", str(book)]) == 2
    err = capsys.readouterr().err
    assert err == "hash_sources: sources/bad.txt:1: record must start with a '+++' header line\n"
    assert read_record(book / "sources" / "gamma.txt").sha256 is not None


def test_stamp_keeps_everything_but_the_hash_line() -> None:
    raw = '+++\nkind = "reference"\nsha256 = "old"\nnotes = "x"\n+++\n\n  text  \n\n'
    stamped = stamp_hash(raw)
    assert stamped == raw.replace('"old"', f'"{text_digest(chr(10) + "  text  " + chr(10) * 2)}"')
    assert stamp_hash(stamped) == stamped
