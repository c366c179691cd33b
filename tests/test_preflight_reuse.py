"""A chapter the last build checked is not parsed again when its text and the checking code
are the same; every other is checked in full (idcpc_book.inputs.reuse, the preflight's
kept file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build
from markdown_it import MarkdownIt

from idcpc_book.checker import rules
from idcpc_book.checker.book import load
from idcpc_book.ext.inputs import preflight
from idcpc_book.inputs import census, content, records, reuse
from idcpc_book.inputs.book import Inputs, check_book
from idcpc_book.inputs.reuse import Kept

INCLUDE = "```{include} ../secret.txt\n```\n"
REFUSED = "{include}: directive not allowed in a chapter (README: What a chapter may contain)"


def _book(tmp_path: Path) -> Path:
    """A copy of the ``clean`` test book (one chapter) with two more, one linking to the
    other's folder."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "a.md").write_text("# A note\n", encoding="utf-8")
    (root / "docs" / "second.md").write_text(
        "# Second\n\n:::{editorial}\nSee [the note](notes/a.md).\n:::\n", encoding="utf-8"
    )
    return root


def _next(kept: Kept, root: Path) -> Kept:
    """What the next build reads of what this one kept (through JSON, as the build does)."""
    return Kept.load(json.loads(json.dumps(kept.data(), sort_keys=True)), root)


def _check(root: Path, kept: Kept | None = None) -> Inputs:
    return check_book(root, root / "docs", None, kept)


def _located(inputs: Inputs, root: Path) -> list[str]:
    return [err.located(root) for err in inputs.errors]


def _refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, any parse of a chapter, a claim or a block fails the test."""

    def refuse(*args: object) -> None:
        raise AssertionError(f"parsed again: {args!r:.80}")

    for name in ("parse", "parse_full", "parse_claim"):
        monkeypatch.setattr(census, name, refuse)
    monkeypatch.setattr(content, "parse_full", refuse)  # imported by name there


def _fill(root: Path) -> Kept:
    kept = Kept.load(None, root)
    _check(root, kept)
    assert (kept.reused, kept.checked) == (0, 3)
    return kept


def test_unchanged_chapters_are_not_parsed_again_and_give_the_same_result(
    tmp_path, monkeypatch
) -> None:
    root = _book(tmp_path)
    first = _check(root)
    kept = _next(_fill(root), root)
    _refuse_parsing(monkeypatch)
    again = _check(root, kept)
    assert (kept.reused, kept.checked) == (3, 0)
    assert again.docs == first.docs
    assert _located(again, root) == _located(first, root)


def test_a_changed_chapter_is_checked_in_full_and_its_new_fault_reported(tmp_path) -> None:
    """The must-fail case: a fault written into a chapter the last build kept is found."""
    root = _book(tmp_path)
    kept = _next(_fill(root), root)
    page = root / "docs" / "second.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + INCLUDE, encoding="utf-8")
    inputs = _check(root, kept)
    assert (kept.reused, kept.checked) == (2, 1)
    assert _located(inputs, root) == [f"docs/second.md:7: {REFUSED}"]
    # and the fault is found again from the kept check while the chapter stays so
    kept = _next(kept, root)
    assert _located(_check(root, kept), root) == [f"docs/second.md:7: {REFUSED}"]
    assert (kept.reused, kept.checked) == (3, 0)


def test_the_fault_a_kept_chapter_had_is_gone_once_it_is_fixed(tmp_path) -> None:
    root = _book(tmp_path)
    page = root / "docs" / "second.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n" + INCLUDE, encoding="utf-8")
    kept = Kept.load(None, root)
    assert _located(_check(root, kept), root) == [f"docs/second.md:7: {REFUSED}"]
    page.write_text(text, encoding="utf-8")
    assert _located(_check(root, _next(kept, root)), root) == []


def test_a_kept_chapter_whose_link_now_leads_outside_is_checked_again(tmp_path) -> None:
    """The one thing a chapter's check reads besides its text: where its links lead."""
    root = _book(tmp_path)
    kept = _next(_fill(root), root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.md").write_text("# Elsewhere\n", encoding="utf-8")
    shutil.rmtree(root / "docs" / "notes")
    (root / "docs" / "notes").symlink_to(outside)
    inputs = _check(root, kept)
    assert (kept.reused, kept.checked) == (1, 1)
    assert "docs/second.md:4: notes/a.md: link to a file outside the repository" in _located(
        inputs, root
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(version=0),
        lambda d: d.update(root="/elsewhere"),
        lambda d: d["made_by"].update(code="another"),
        lambda d: d["chapters"]["docs/second.md"].update(digest="0" * 64),
        lambda d: d["chapters"]["docs/second.md"].update(errors=[[1, 2, 3]]),
        lambda d: d["chapters"]["docs/second.md"]["prose"].append(["3", None]),
        lambda d: d["chapters"]["docs/second.md"].pop("voice"),
        lambda d: d["chapters"]["docs/second.md"].update(claims="x"),
        lambda d: d["chapters"]["docs/second.md"].update(looked={"notes/a.md": "yes"}),
    ],
    ids=["format", "root", "code", "digest", "error", "line", "missing", "shape", "looked"],
)
def test_a_kept_entry_of_another_kind_or_shape_is_not_used(tmp_path, damage) -> None:
    root = _book(tmp_path)
    data = json.loads(json.dumps(_fill(root).data()))
    damage(data)
    kept = Kept.load(data, root)
    _check(root, kept)
    assert kept.checked >= 1
    assert kept.reused + kept.checked == 3


def test_a_change_to_the_book_code_checks_every_chapter_again(tmp_path, monkeypatch) -> None:
    root = _book(tmp_path)
    data = _fill(root).data()
    made_by = dict(reuse.made_by(), code="a digest of other code")
    monkeypatch.setattr(reuse, "_made_by", lambda: tuple(made_by.items()))
    kept = Kept.load(data, root)
    _check(root, kept)
    assert (kept.reused, kept.checked) == (0, 3)


def test_the_real_book_checked_from_kept_checks_is_the_book_checked_in_full() -> None:
    first = _check(REPO)
    kept = Kept.load(None, REPO)
    _check(REPO, kept)
    kept = _next(kept, REPO)
    again = _check(REPO, kept)
    assert kept.checked == 0 and kept.reused == len(first.docs) > 10
    assert again.docs == first.docs
    assert _located(again, REPO) == _located(first, REPO)


def _build(root: Path, out: Path) -> tuple[int, list[str]]:
    """An incremental HTML build of ``root`` into ``out``: status and error lines."""
    result = sphinx_build(root / "docs", out, builder="html", fresh=False)
    return result.returncode, [line for line in result.stderr.splitlines() if "ERROR" in line]


def test_builds_into_the_same_output_reuse_only_unchanged_chapters(tmp_path, monkeypatch) -> None:
    root = _book(tmp_path)
    out = tmp_path / "out"
    assert _build(root, out) == (0, [])
    kept_file = out / ".doctrees" / preflight.FILE
    assert kept_file.is_file()
    # a chapter changed: its new fault stops the next build
    page = root / "docs" / "second.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + INCLUDE, encoding="utf-8")
    status, errors = _build(root, out)
    assert status == 2
    assert errors[0] == f"{page}:7: ERROR: {REFUSED}"
    # unchanged since: found again without parsing
    counts: list[tuple[int, int]] = []
    original = Kept.data

    def counted(self: Kept) -> dict:
        counts.append((self.reused, self.checked))
        return original(self)

    monkeypatch.setattr(Kept, "data", counted)
    status, errors = _build(root, out)
    assert (status, errors[0], counts) == (2, f"{page}:7: ERROR: {REFUSED}", [(3, 0)])
    # a damaged kept file (no longer matching its seal) is not read: every chapter checked
    text = kept_file.read_text(encoding="utf-8")
    kept_file.write_text(text.replace('"errors": [[', '"errors": [], "x": [[', 1))
    status, errors = _build(root, out)
    assert (status, errors[0], counts[-1]) == (2, f"{page}:7: ERROR: {REFUSED}", (0, 3))


def test_an_unchanged_record_is_not_parsed_again_and_a_changed_one_is(
    tmp_path, monkeypatch
) -> None:
    root = _book(tmp_path)
    first = _check(root)
    kept = _next(_fill(root), root)
    record = root / "sources" / "alpha.txt"
    record.write_text(
        record.read_text(encoding="utf-8").replace('kind = "', 'kind = "x', 1), encoding="utf-8"
    )
    parsed: list[str] = []
    original = records._parse

    def counted(path: Path, raw: str) -> records.SourceRecord:
        parsed.append(path.name)
        return original(path, raw)

    monkeypatch.setattr(records, "_parse", counted)
    again = _check(root, kept)
    assert parsed == ["alpha.txt"]
    assert again.records == {k: v for k, v in first.records.items() if k != "alpha"}
    assert [err.located(root).split(": header")[0] for err in again.errors] == [
        "sources/alpha.txt:2"
    ]
    assert len(_next(kept, root).last_records) == len(first.records) - 1


def test_the_rules_parse_no_chapter_again(built, monkeypatch) -> None:
    """The neutrality rule reads the prose the census noted (``DocCensus.voice``): were the
    rules to parse the chapters again, a chapter the preflight reused would be parsed
    anyway, the saving only moved."""
    root = ROOTS / "loaded-heading"
    book = load(root, built("loaded-heading"))
    assert book.docs and any(doc.voice for doc in book.docs)

    def refuse(self: MarkdownIt, *args: object) -> None:
        raise AssertionError("a rule parsed Markdown")

    census.clear_caches()  # the parses kept for the next book are dropped too
    census.clear_caches()
    monkeypatch.setattr(MarkdownIt, "parse", refuse)
    assert any(p.rule == "neutrality" for p in rules.check(book))
