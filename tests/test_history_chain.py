"""Tamper-evident history: the chain of editions, permanent entries, evidence that cannot
rise unnoticed, release tags, and a release that leaves no half-written edition.

The chain and history tests work on copies of the real book's ``editions/`` and
``corrections.toml`` in a temporary folder; the release tests on the clean test book,
with the HTML build replaced by one that writes the exports (or fails) in-process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build

from idcpc_book import archive, evidence, history, release, tags
from idcpc_book.archive import ClaimState
from idcpc_book.checker.cli import main as check_main
from idcpc_book.errors import InputError

ZERO = "0" * 64


@pytest.fixture
def past(tmp_path: Path) -> Path:
    """A book root holding copies of the real book's editions and of its corrections log
    as the last edition published it: the entries written since (which may cover the
    claims these tests change) are left out, so the tests hold as the book grows."""
    shutil.copytree(REPO / "editions", tmp_path / "editions")
    released = history.load(REPO).latest
    assert released is not None
    text = (REPO / "corrections.toml").read_text(encoding="utf-8")
    head, *blocks = re.split(r"(?m)^(?=\[\[entry\]\]$)", text)
    log = head + "".join(
        b for b in blocks if re.search(r'(?m)^id = "([^"]+)"', b)[1] in released.entries
    )
    (tmp_path / "corrections.toml").write_text(log, encoding="utf-8")
    return tmp_path


def _located(root: Path) -> str:
    with pytest.raises(InputError) as err:
        history.load(root)
    return err.value.located(root)


def _reseal(directory: Path) -> None:
    """What a forger does after editing an edition: make its checksums match again."""
    (directory / archive.SUMS).write_text(archive.sums_text(directory), encoding="utf-8")


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- 1. the chain ----------------------------------------------------------------------


def test_the_real_editions_form_a_chain(past: Path) -> None:
    first, second = history.load(past).archives
    assert first.previous is None
    assert (first.path / archive.PREVIOUS).read_text() == archive.FIRST
    assert second.previous == (first.manifest, "0.2.0")
    assert first.manifest == archive.sha256(first.path / archive.SUMS)
    # sha256sum -c SHA256SUMS PREVIOUS, run in editions/0.3.0, checks the link too
    done = subprocess.run(
        ["sha256sum", "-c", archive.SUMS, archive.PREVIOUS],
        cwd=second.path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "../0.2.0/SHA256SUMS: OK" in done.stdout


def test_a_deleted_edition_breaks_the_chain(past: Path) -> None:
    digest = archive.sha256(past / "editions" / "0.2.0" / archive.SUMS)
    shutil.rmtree(past / "editions" / "0.2.0")
    assert _located(past) == (
        f"editions/0.3.0/PREVIOUS:1: the edition before 0.3.0 is 0.2.0 (its SHA256SUMS has "
        f"SHA-256 {digest}), but editions/0.2.0/ is missing: an archived edition was deleted "
        "(restore it with git checkout)"
    )


def test_an_earlier_edition_rewritten_with_matching_checksums_breaks_the_chain(
    past: Path,
) -> None:
    old = past / "editions" / "0.2.0"
    digest = archive.sha256(old / archive.SUMS)
    _rewrite(old / "claims.json", "met Liu Haixing", "met Liu Haixing again")
    _reseal(old)
    assert _located(past) == (
        "editions/0.3.0/PREVIOUS:1: editions/0.2.0/SHA256SUMS is not the manifest 0.3.0 was "
        f"released after (SHA-256 {digest}): edition 0.2.0 was changed after it was "
        "released (restore it with git checkout)"
    )


def test_an_edition_inserted_before_the_first_breaks_the_chain(past: Path) -> None:
    made_up = past / "editions" / "0.1.0"
    shutil.copytree(past / "editions" / "0.2.0", made_up)
    claims = json.loads((made_up / "claims.json").read_text(encoding="utf-8"))
    claims["edition"]["version"] = "0.1.0"
    (made_up / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    _reseal(made_up)
    assert _located(past) == (
        "editions/0.2.0/PREVIOUS:1: says 0.2.0 is the first edition, but edition 0.1.0 is "
        "older: the chain of editions was rewritten"
    )


def test_a_previous_link_that_is_not_one_is_located(past: Path) -> None:
    edition = past / "editions" / "0.3.0"
    (edition / archive.PREVIOUS).write_text("0.2.0\n", encoding="utf-8")
    _reseal(edition)
    assert _located(past) == (
        "editions/0.3.0/PREVIOUS:1: not a link to the edition before: '<64 hex>  "
        "../<version>/SHA256SUMS', or 'none: this is the first edition'"
    )


def test_an_edition_without_its_link_is_refused(past: Path) -> None:
    edition = past / "editions" / "0.3.0"
    (edition / archive.PREVIOUS).unlink()
    sums = edition / archive.SUMS
    sums.write_text("".join(sums.read_text().splitlines(True)[:2]), encoding="utf-8")
    assert _located(past) == "editions/0.3.0/SHA256SUMS: does not list PREVIOUS"


def _exports(tmp: Path, version: str, source: Path) -> Path:
    """Exports of edition ``version``: the archived files of ``source``, relabelled."""
    out = tmp / f"exports-{version}"
    out.mkdir()
    for name in archive.FILES:
        data = json.loads((source / name).read_text(encoding="utf-8"))
        data["edition"]["version"] = version
        (out / name).write_text(json.dumps(data), encoding="utf-8")
    return out


def test_a_new_edition_is_linked_to_the_last(past: Path, tmp_path: Path) -> None:
    last = history.load(past).latest
    assert last is not None
    target = archive.write(past, "0.4.0", _exports(tmp_path, "0.4.0", last.path))
    assert (target / archive.PREVIOUS).read_text() == f"{last.manifest}  ../0.3.0/SHA256SUMS\n"
    assert [a.version for a in history.load(past).archives] == ["0.2.0", "0.3.0", "0.4.0"]


# -- 2. published entries are permanent -------------------------------------------------

FIRST_ENTRY = re.compile(r'\[\[entry\]\]\nid = "COR_DAR_LIU_HAIXING_MEETING_DATE".*?\n\n', re.S)


def test_an_untouched_log_keeps_every_published_entry(past: Path) -> None:
    assert history.released_faults(history.load(past)) == []


def test_a_deleted_published_entry_is_a_fault(past: Path) -> None:
    log = past / "corrections.toml"
    text, n = FIRST_ENTRY.subn("", log.read_text(encoding="utf-8"))
    assert n == 1
    log.write_text(text, encoding="utf-8")
    assert history.released_faults(history.load(past)) == [(
        "COR_DAR_LIU_HAIXING_MEETING_DATE", 0,
        "published in edition 0.2.0 but gone from corrections.toml: a published entry is "
        "permanent; restore it (it is in editions/0.2.0/claims.json)",
    )]  # fmt: skip


def test_a_reworded_published_entry_is_a_fault_and_a_reflow_is_not(past: Path) -> None:
    log = past / "corrections.toml"
    why = 'why = "The source is a report dated 4 January that does not give the day'
    _rewrite(
        log, why, 'why = "The source is a report dated  4 January\\nthat does not give the day'
    )
    assert history.released_faults(history.load(past)) == []
    _rewrite(log, '"Ishaq Dar met him in early January', '"Ishaq Dar met him in January')
    _rewrite(log, 'date = "2026-11-24"', 'date = "2026-11-25"')
    assert history.released_faults(history.load(past)) == [(
        "COR_DAR_LIU_HAIXING_MEETING_DATE", 10,
        "date, now changed since edition 0.2.0 published it: a published entry is permanent; "
        "restore it and record the new change in an entry of its own",
    )]  # fmt: skip


# -- 3. evidence cannot rise unnoticed ----------------------------------------------------


def _sources(edition: archive.Archive) -> dict[str, dict[str, object]]:
    """The edition's sources as the build's source needs give them."""
    data = json.loads((edition.path / "sources.json").read_text(encoding="utf-8"))
    return {s["id"]: {**s, "published": s["date"], "type": "source"} for s in data["sources"]}


def _current(
    edition: archive.Archive, sources: dict[str, dict[str, object]]
) -> dict[str, ClaimState]:
    """The edition's claims, graded again from ``sources`` as the build would."""
    return {
        key: ClaimState.of(
            key, c.chapter, c.text, c.status, c.kind, c.sources,
            evidence.grade(sources[s] for s in c.sources).grade,
        )
        for key, c in edition.claims.items()
    }  # fmt: skip


def _unrecorded(root: Path, change: Callable[[dict[str, dict[str, object]]], None]) -> list[str]:
    past_ = history.load(root)
    assert past_.latest is not None
    sources = _sources(past_.latest)
    change(sources)
    found = history.unrecorded(past_, _current(past_.latest, sources), sources)
    return [f"{f.claim}: {f.message}" for f in found]


def _set(source: str, **facts: object) -> Callable[[dict[str, dict[str, object]]], None]:
    def change(sources: dict[str, dict[str, object]]) -> None:
        sources[source].update(facts)

    return change


def test_the_last_edition_regraded_from_its_own_sources_is_unchanged(past: Path) -> None:
    assert _unrecorded(past, lambda sources: None) == []


#: The issue's attack: a record's kind raised from commentary to an official one.
RAISED = (
    "evidence (commentary -> actor-record: source SRC_SENQINGZN1951ILD kind (commentary -> "
    "official-cn)) changed since edition 0.3.0 without an entry in corrections.toml "
    "covering it"
)


def test_a_source_kind_that_raises_a_grade_needs_an_entry(past: Path) -> None:
    raise_it = _set("SRC_SENQINGZN1951ILD", kind="official-cn")
    assert _unrecorded(past, raise_it) == [
        f"CLM_IDCPC_FOUNDED_JANUARY_1951: {RAISED}",
        f"CLM_IDCPC_HEAD_WANG_JIAXIANG: {RAISED}",
    ]
    with (past / "corrections.toml").open("a", encoding="utf-8") as log:
        log.write(
            '\n[[entry]]\nid = "COR_ILD_OFFICIAL"\ntype = "correction"\ndate = "2026-12-08"\n'
            'claims = ["CLM_IDCPC_FOUNDED_JANUARY_1951", "CLM_IDCPC_HEAD_WANG_JIAXIANG"]\n'
            'was = "commentary"\nnow = "official"\nwhy = "The record is the official one."\n'
        )
    assert _unrecorded(past, raise_it) == []


def test_a_source_kind_that_leaves_the_grade_still_needs_an_entry(past: Path) -> None:
    assert _unrecorded(past, _set("SRC_POLICYCN2017SONGTAO", kind="independent-media")) == [
        f"{claim}: source SRC_POLICYCN2017SONGTAO kind (commentary -> independent-media) "
        "changed since edition 0.3.0 without an entry in corrections.toml covering it"
        for claim in ("CLM_IDCPC_HEAD_SONG_TAO", "CLM_PEOPLE_SONG_TAO_NAME")
    ]


def test_a_carried_outlet_that_moves_a_grade_needs_an_entry(past: Path) -> None:
    assert _unrecorded(past, _set("SRC_NEWSMAKERS2022INTERPARTYEXCHANGES", carries=None)) == [
        "CLM_SEED_001_IDENTIFIED: evidence (one-report -> two-independent: source "
        "SRC_NEWSMAKERS2022INTERPARTYEXCHANGES carries (Radio Pakistan -> none)) changed "
        "since edition 0.3.0 without an entry in corrections.toml covering it"
    ]
    # a fact that moves no grade and is not the kind is no change to a claim
    assert _unrecorded(past, _set("SRC_SENQINGZN1951ILD", title="Another title")) == []


# -- 4. tags --------------------------------------------------------------------------------


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A git that reads no user configuration and knows who commits."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test editors")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "editors@books.idcpc-reference.org")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def test_a_tagged_edition_rewritten_later_differs_from_its_tag(past: Path, git_env: None) -> None:
    _git(past, "init", "-q")
    _git(past, "add", "-A")
    _git(past, "commit", "-q", "-m", "The book")
    editions = history.load(past).archives
    assert tags.mismatches(past, editions) == []  # no tags: nothing to compare
    (past / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    digest = tags.commit_and_tag(
        past, "0.3.0", [past / "editions" / "0.3.0", past / "pyproject.toml"]
    )
    assert digest == editions[-1].manifest
    assert f"editions/0.3.0/SHA256SUMS SHA-256 {digest}" in _git(past, "cat-file", "tag", "v0.3.0")
    assert _git(past, "status", "--porcelain") == ""
    assert tags.mismatches(past, history.load(past).archives) == []
    # the attack: the last edition and its checksums rewritten to match
    tip = past / "editions" / "0.3.0"
    _rewrite(tip / "claims.json", "met Liu Haixing", "met Liu Haixing again")
    _reseal(tip)
    found = tags.mismatches(past, history.load(past).archives)
    assert next((p.relative_to(past).as_posix(), v, m) for p, v, m in found) == (
        "editions/0.3.0/SHA256SUMS", "0.3.0",
        "differs from the file tag v0.3.0 holds (v0.3.0:editions/0.3.0/SHA256SUMS): the "
        "archived edition was changed after it was released (restore it with git checkout "
        "v0.3.0 -- editions/0.3.0/)",
    )  # fmt: skip
    assert sorted(p.name for p, _, _ in found) == ["SHA256SUMS", "claims.json"]


def test_outside_git_there_are_no_tags(past: Path) -> None:
    assert not tags.is_checkout(past)
    assert tags.mismatches(past, history.load(past).archives) == []


# -- 5. a release is all or nothing ---------------------------------------------------------

BASE = "https://books.idcpc-reference.org/test/"


def _pyproject(version: str) -> str:
    return (
        f'[project]\nname = "test-book"\nversion = "{version}"\n\n[tool.idcpc-book]\n'
        'title = "Test book"\nauthors = "Test editors"\nas_of = "2026-01-01"\n'
        f'base_url = "{BASE}"\nlicence = "CC-BY-4.0"\n'
    )


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clean test book, whose check passes without a build."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "pyproject.toml").write_text(_pyproject("1.0.0"), encoding="utf-8")
    monkeypatch.setattr(release, "check", lambda root: True)
    return root


def _builds(
    monkeypatch: pytest.MonkeyPatch, fail: int | None = None, drift: bool = False
) -> list[Path]:
    """Replace the HTML build with one writing minimal exports; build number ``fail``
    fails; ``drift``: each build's exports differ. Returns the roots built."""
    built: list[Path] = []

    def sphinx(root: Path, builder: str, out: Path) -> bool:
        built.append(root)
        if len(built) == fail:
            return False
        shutil.rmtree(out, ignore_errors=True)
        (out / "exports").mkdir(parents=True)
        version = re.search(r'version = "(.*)"', (root / "pyproject.toml").read_text())[1]
        title = f"Test book, build {len(built)}" if drift else "Test book"
        head = {"version": version, "as_of": "2026-02-01", "url": BASE, "title": title}
        data = {"edition": head, "claims": [], "corrections": []}
        (out / "exports" / "claims.json").write_text(json.dumps(data), encoding="utf-8")
        data = {"edition": head, "sources": []}
        (out / "exports" / "sources.json").write_text(json.dumps(data), encoding="utf-8")
        return True

    monkeypatch.setattr(release, "_sphinx", sphinx)
    return built


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "build" not in p.relative_to(root).parts
    }


def test_a_release_whose_second_build_fails_changes_nothing_and_a_rerun_succeeds(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = _tree(book)
    built = _builds(monkeypatch, fail=2)
    assert release.main(["1.1.0", "2026-02-01", "--root", str(book)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"release: {book}/build/release/book/build/html: the HTML build failed (pass 2); "
        "the book is unchanged"
    )
    assert built == [book / "build" / "release" / "book"] * 2  # both in the staging copy
    assert _tree(book) == before
    assert not (book / "editions").exists()
    assert not (book / "build" / "release").exists()
    _builds(monkeypatch)
    assert release.main(["1.1.0", "2026-02-01", "--root", str(book)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"release: edition 1.1.0 (as of 2026-02-01) archived in {book}/editions/1.1.0",
        f"release: {book} is not the top of a git checkout: edition 1.1.0 was neither "
        "committed nor tagged",
    ]
    assert 'version = "1.1.0"' in (book / "pyproject.toml").read_text()
    assert (book / "editions" / "1.1.0" / archive.PREVIOUS).read_text() == archive.FIRST
    assert [a.version for a in history.load(book).archives] == ["1.1.0"]
    assert (book / "build" / "html" / "exports" / "claims.json").is_file()
    assert not (book / "build" / "release").exists()


def test_a_release_whose_published_build_differs_from_the_archive_changes_nothing(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = _tree(book)
    _builds(monkeypatch, drift=True)
    assert release.main(["1.1.0", "2026-02-01", "--root", str(book)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"release: {book}/build/release/book/build/html/exports/claims.json: differs from the "
        "archived edition's copy although nothing changed between the builds: the build is "
        "not reproducible; the book is unchanged"
    )
    assert _tree(book) == before
    assert not (book / "build" / "release").exists()


@pytest.mark.parametrize("journal", ["kept", "removed with build/"])
def test_a_release_killed_while_moving_into_place_is_finished_by_a_rerun(
    journal: str, book: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    _builds(monkeypatch)
    set_version = release._set_version

    def killed(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(release, "_set_version", killed)
    with pytest.raises(KeyboardInterrupt):
        release.main(["1.1.0", "2026-02-01", "--root", str(book)])
    # the edition is in place, the version is not: the check says so
    assert (book / "build" / "release" / release.JOURNAL).is_file()
    assert history.version_fault(history.load(book), "1.0.0") == (
        "version 1.0.0 is older than the last archived edition, 1.1.0: a release was "
        "interrupted; run it again to finish it (nox -s release -- 1.1.0 2026-02-01)"
    )
    monkeypatch.setattr(release, "_set_version", set_version)
    if journal != "kept":
        shutil.rmtree(book / "build")
    capsys.readouterr()
    assert release.main(["1.1.0", "2026-02-01", "--root", str(book)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "release: finished the interrupted release of edition 1.1.0"
    )
    assert 'version = "1.1.0"' in (book / "pyproject.toml").read_text()
    assert history.version_fault(history.load(book), "1.1.0") is None
    assert not (book / "build" / "release").exists()


def test_a_release_in_a_git_checkout_is_committed_and_tagged(
    book: Path, monkeypatch: pytest.MonkeyPatch, git_env: None, capsys
) -> None:
    _git(book, "init", "-q")
    (book / ".gitignore").write_text("build/\n", encoding="utf-8")
    _git(book, "add", "-A")
    _git(book, "commit", "-q", "-m", "The book")
    _builds(monkeypatch)
    assert release.main(["1.1.0", "2026-02-01", "--root", str(book)]) == 0
    digest = archive.sha256(book / "editions" / "1.1.0" / archive.SUMS)
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"release: committed and tagged v1.1.0 (SHA256SUMS {digest})"
    )
    assert _git(book, "tag", "-l") == "v1.1.0\n"
    assert _git(book, "status", "--porcelain") == ""
    assert _git(book, "show", "v1.1.0:pyproject.toml") == _pyproject("1.1.0").replace(
        'as_of = "2026-01-01"', 'as_of = "2026-02-01"'
    )


# -- the check, end to end, on the clean test book --------------------------------------------


@pytest.mark.slow
def test_a_record_kind_raised_after_a_release_fails_the_check(tmp_path: Path, capsys) -> None:
    """The issue's attack on a built book: the record's kind, not its text, is changed."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "pyproject.toml").write_text(_pyproject("1.0.0"), encoding="utf-8")
    assert release.main(["1.0.0", "2026-01-01", "--root", str(root)]) == 0
    _rewrite(root / "sources" / "beta.txt", 'kind = "state-media-pk"', 'kind = "official-pk"')
    out = root / "build" / "needs"
    built = sphinx_build(root / "docs", out, strict=True)
    # every build says so too (the verdict: idcpc_book.ext.inputs.verdict), and writes on
    assert built.returncode == 1
    assert "SRC_BETA kind (state-media-pk -> official-pk)) changed since" in built.stderr
    capsys.readouterr()
    code = check_main(["--root", str(root), "--needs", str(out / "needs.json")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line for line in lines if "SRC_BETA" in line] == [
        "docs/index.md:19: CLM_TALKS: evidence (two-independent -> actor-record: source "
        "SRC_BETA kind (state-media-pk -> official-pk)) changed since edition 1.0.0 without "
        "an entry in corrections.toml covering it"
    ]
    (root / "corrections.toml").write_text(
        '[[entry]]\nid = "COR_BETA_OFFICIAL"\ntype = "correction"\ndate = "2026-02-01"\n'
        'claims = ["CLM_TALKS"]\nwas = "two independent"\nnow = "actor record"\n'
        'why = "Beta Daily is the ministry\'s own paper."\n',
        encoding="utf-8",
    )
    assert check_main(["--root", str(root), "--needs", str(out / "needs.json")]) == 0
