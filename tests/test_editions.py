"""Editions that can be audited: the release command, the history rule and the pages.

A copy of the clean test book gets a ``pyproject.toml`` of its own, is released as
1.0.0, changed, and released as 1.1.0; each kind of unrecorded change must fail the check
with its exact message, and a recorded one must pass.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build

from idcpc_book import archive, corrections, history
from idcpc_book.checker.cli import main as check_main
from idcpc_book.errors import InputError
from idcpc_book.release import is_placeholder, refusals
from idcpc_book.release import main as release_main

BASE = "https://books.idcpc-reference.org/test/"


def _pyproject(version: str = "1.0.0", base_url: str = BASE) -> str:
    return f"""[project]
name = "test-book"
version = "{version}"

[tool.idcpc-book]
title = "Test book"
authors = "Test editors"
as_of = "2026-01-01"
base_url = "{base_url}"
licence = "CC-BY-4.0"
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "pyproject.toml").write_text(_pyproject(), encoding="utf-8")
    return root


def _edit(root: Path, old: str, new: str) -> None:
    page = root / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(root: Path, capsys) -> tuple[int, list[str]]:
    out = root / "build" / "needs"
    result = sphinx_build(root / "docs", out, strict=True)
    capsys.readouterr()
    code = check_main(["--root", str(root), "--needs", str(out / "needs.json")])
    # one verdict: the build fails where the check does (idcpc_book.ext.inputs.verdict)
    assert result.returncode == (1 if code else 0), result.stderr
    return code, capsys.readouterr().out.splitlines()


def _entry(entry_id: str, kind: str, claims: str, **more: str) -> str:
    fields = "".join(f'{k} = "{v}"\n' for k, v in more.items())
    return (
        f'\n[[entry]]\nid = "{entry_id}"\ntype = "{kind}"\ndate = "2026-02-01"\n'
        f"claims = [{claims}]\n{fields}"
    )


def _log(root: Path, *entries: str) -> None:
    with (root / "corrections.toml").open("a", encoding="utf-8") as log:
        log.write("".join(entries))


RELEASE_REFUSALS = {
    "placeholder": "the base URL is a placeholder (https://example.org/x/): set "
    "[tool.idcpc-book] base_url in pyproject.toml to where the book is published "
    "(README: Releasing an edition)",
    "archived": "edition 1.0.0 is already archived in editions/1.0.0/; choose a new version",
    "older": "version 0.9.0 is not newer than the last edition, 1.0.0",
    "date": "the 'as of' date must be YYYY-MM-DD; got '2026-13-01'",
    "spelling": "'1.0.0-rc1' is not written canonically: write '1.0.0rc1'",
}


def test_placeholder_hosts() -> None:
    assert is_placeholder("https://example.org/idcpc-cpec-reference/")
    assert is_placeholder("https://docs.example.com/")
    assert is_placeholder("https://book.test/")
    assert not is_placeholder(BASE)


def test_release_refuses_a_placeholder_base_url(book: Path, capsys) -> None:
    (book / "pyproject.toml").write_text(_pyproject(base_url="https://example.org/x/"))
    before = (book / "pyproject.toml").read_text()
    assert release_main(["1.0.0", "2026-01-01", "--root", str(book)]) == 1
    assert capsys.readouterr().err == f"release: refused: {RELEASE_REFUSALS['placeholder']}\n"
    assert (book / "pyproject.toml").read_text() == before
    assert not (book / "editions").exists()


def test_release_refuses_a_bad_date(book: Path) -> None:
    assert refusals(book, "1.0.0", "2026-13-01") == [RELEASE_REFUSALS["date"]]


def test_release_refuses_a_version_the_edition_loader_refuses(book: Path) -> None:
    """pyproject's version must be canonical PEP 440 (idcpc_book.edition): a release that
    wrote '1.0.0-rc1' would archive an edition the next build refuses."""
    assert refusals(book, "1.0.0-rc1", "2026-01-01") == [RELEASE_REFUSALS["spelling"]]
    assert refusals(book, "1.0.0rc1", "2026-01-01") == []


@pytest.mark.slow
def test_release_refuses_a_failing_book(book: Path, capsys) -> None:
    _edit(
        book,
        ":quote: three-day visit - from 20 to 22 June",
        ":quote: four-day visit - from 20 to 22 June",
    )
    assert release_main(["1.0.0", "2026-01-01", "--root", str(book)]) == 1
    captured = capsys.readouterr()
    assert "quote not found in the archived text of SRC_ALPHA" in captured.out
    assert captured.err.endswith("release: refused: the book fails its check (messages above)\n")
    assert not (book / "editions").exists()
    assert 'version = "1.0.0"' in (book / "pyproject.toml").read_text()


def _history_pages(root: Path) -> None:
    """The corrections log and the changes page, as the real book has them."""
    for name, directive in (("corrections", "corrections-log"), ("changes", "edition-changes")):
        (root / "docs" / f"{name}.md").write_text(
            f"---\norphan: true\nprose: editorial\n---\n\n# {name.title()}\n\n"
            f"```{{{directive}}}\n```\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """The test book released as edition 1.0.0 by ``nox -s release``'s command, once: a
    release builds the book three times. Each test releasing the same book copies it."""
    root = tmp_path_factory.mktemp("released") / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "pyproject.toml").write_text(_pyproject(), encoding="utf-8")
    assert release_main(["1.0.0", "2026-01-01", "--root", str(root)]) == 0
    return root


def _released(book: Path, released: Path) -> Path:
    """``book`` (the clean test book) as the release of edition 1.0.0 left it."""
    shutil.rmtree(book)
    shutil.copytree(released, book)
    return book / "editions" / "1.0.0"


@pytest.mark.slow
def test_release_archives_the_edition_then_refuses_it_again(book: Path, released: Path) -> None:
    target = _released(book, released)
    assert sorted(p.name for p in target.iterdir()) == [
        "PREVIOUS", "SHA256SUMS", "claims.json", "sources.json"
    ]  # fmt: skip
    assert (target / "SHA256SUMS").read_text() == archive.sums_text(target)
    data = json.loads((target / "claims.json").read_text())
    assert data["edition"]["version"] == "1.0.0"
    assert {c["id"]: c["added_in"] for c in data["claims"]} == {
        "CLM_TALKS": "1.0.0",
        "CLM_VISIT": "1.0.0",
    }
    assert refusals(book, "1.0.0", "2026-02-01") == [RELEASE_REFUSALS["archived"]]
    assert refusals(book, "0.9.0", "2026-02-01") == [RELEASE_REFUSALS["older"]]
    assert refusals(book, "1.1.0", "2025-12-31") == [
        "as of 2025-12-31 is earlier than the last edition's (2026-01-01)"
    ]
    # the archive is tamper-evident
    claims = target / "claims.json"
    claims.write_text(claims.read_text().replace("three days", "four days"))
    with pytest.raises(InputError) as err:
        archive.load(target)
    assert err.value.located(book) == (
        "editions/1.0.0/SHA256SUMS:1: claims.json does not match its checksum: the archived "
        "edition was changed after it was released (restore it with git checkout)"
    )


#: Each kind of unrecorded change to a claim of edition 1.0.0: (edit, exact message).
UNRECORDED = {
    "text": (
        ("The minister visited for three days", "The minister stayed for three days"),
        "docs/index.md:7: CLM_VISIT: text changed since edition 1.0.0 without an entry in "
        "corrections.toml covering it",
    ),
    "status": (
        (":kind: attributed\n:status: verified", ":kind: attributed\n:status: unverified"),
        "docs/index.md:19: CLM_TALKS: status (verified -> unverified) changed since edition "
        "1.0.0 without an entry in corrections.toml covering it",
    ),
    "kind": (
        (":kind: attributed", ":kind: fact"),
        "docs/index.md:19: CLM_TALKS: kind (attributed -> fact) changed since edition 1.0.0 "
        "without an entry in corrections.toml covering it",
    ),
    "withdrawn": (
        None,
        "docs/index.md: CLM_VISIT: in edition 1.0.0 but gone from the book; a claim is "
        "never deleted silently: add a withdrawal entry to corrections.toml",
    ),
}
_VISIT = re.compile(r":::\{claim\}\n:id: CLM_VISIT\n.*?\n:::\n", re.S)


def _withdraw_visit(root: Path) -> None:
    page = root / "docs" / "index.md"
    page.write_text(_VISIT.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")


def _sources_change(root: Path) -> None:
    """CLM_VISIT cites SRC_BETA as well, with a quote of its own."""
    _edit(
        root,
        ":cites: SRC_ALPHA\n:kind: fact",
        ":cites: SRC_ALPHA, SRC_BETA\n:kind: fact",
    )
    _edit(root, "three days {cite:p}`alpha`.", "three days {cite:p}`alpha,beta`.")
    _edit(
        root,
        ":quote: three-day visit - from 20 to 22 June",
        ":quote: three-day visit - from 20 to 22 June || Talks were held on Friday",
    )


SOURCES_MESSAGE = (
    "docs/index.md:7: CLM_VISIT: sources (+SRC_BETA) and evidence (one-report -> "
    "two-independent) changed since edition 1.0.0 without an entry in corrections.toml "
    "covering it"
)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["text", "status", "kind", "sources", "withdrawn", "reflow"])
def test_each_unrecorded_change_fails_the_check_and_a_recorded_one_passes(
    kind: str, book: Path, released: Path, capsys
) -> None:
    _released(book, released)
    claim = "CLM_TALKS" if kind in ("status", "kind") else "CLM_VISIT"
    if kind == "withdrawn":
        _withdraw_visit(book)
        message = UNRECORDED["withdrawn"][1]
    elif kind == "sources":
        _sources_change(book)
        message = SOURCES_MESSAGE
    elif kind == "reflow":  # whitespace and line breaks are no change
        _edit(book, "The minister visited for three days", "The minister visited\nfor three  days")
        assert _check(book, capsys)[0] == 0
        return
    else:
        (old, new), message = UNRECORDED[kind]
        _edit(book, old, new)
    code, lines = _check(book, capsys)
    assert code == 1
    assert message in lines
    assert lines[-1].endswith("problems: 1")
    # an entry of the wrong type does not cover it
    wrong = "correction" if kind == "withdrawn" else "withdrawal"
    extra = {"was": "a", "now": "b"} if wrong == "correction" else {}
    _log(book, _entry("COR_WRONG", wrong, f'"{claim}"', why="Test.", **extra))
    code, lines = _check(book, capsys)
    assert code == 1
    assert message in lines
    (book / "corrections.toml").unlink()
    if kind == "withdrawn":
        _log(book, _entry("COR_GONE", "withdrawal", '"CLM_VISIT"', why="Wrong.",
                          replaced_by="CLM_TALKS"))  # fmt: skip
    else:
        _log(book, _entry("COR_FIX", "correction", f'"{claim}"', was="a", now="b", why="Test."))
    assert _check(book, capsys)[0] == 0


@pytest.mark.slow
def test_entry_faults_are_located(book: Path, released: Path, capsys) -> None:
    _released(book, released)
    _log(
        book,
        _entry("COR_A", "withdrawal", '"CLM_VISIT"', why="Still there."),
        _entry("COR_B", "correction", '"CLM_NOPE"', was="a", now="b", why="No such claim."),
    )
    code, lines = _check(book, capsys)
    assert code == 1
    assert "corrections.toml:2: COR_A: withdraws CLM_VISIT, which is still in the book" in lines
    assert "corrections.toml:9: COR_B: names CLM_NOPE, which is in no edition of the book" in lines


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            _entry("COR_X", "rumour", '"CLM_VISIT"', why="x"),
            "corrections.toml:2: COR_X: type must be one of correction, clarification, update, "
            "withdrawal; got 'rumour'",
        ),
        (
            _entry("COR_X", "correction", '"CLM_VISIT"', why="x"),
            "corrections.toml:2: COR_X: a correction says what the claims said and say now: "
            "lacks was",
        ),
        (
            '\n[[entry]]\nid = "COR_X"\ntype = "update"\n',
            "corrections.toml:2: COR_X: lacks date, claims, why",
        ),
        (
            _entry("cor-x", "update", '"CLM_VISIT"', why="x"),
            "corrections.toml:2: cor-x: entry ID must match ^COR_[A-Z0-9]+(_[A-Z0-9]+)*$",
        ),
        (
            _entry("COR_X", "update", '"SRC_ALPHA"', was="a", now="b", why="x"),
            "corrections.toml:2: COR_X: 'SRC_ALPHA' is not a claim ID",
        ),
    ],
)
def test_malformed_entries_are_input_errors(book: Path, entry: str, message: str) -> None:
    _log(book, entry)
    with pytest.raises(InputError) as err:
        corrections.load(book)
    assert err.value.located(book) == message


def test_a_log_that_is_not_toml_is_located(book: Path) -> None:
    _log(book, "\n[[entry]\n")
    with pytest.raises(InputError) as err:
        corrections.load(book)
    assert err.value.located(book) == (
        "corrections.toml:2: not valid TOML: Expected ']]' at the end of an array declaration"
    )


def test_a_malformed_log_stops_the_build(book: Path, tmp_path: Path) -> None:
    _log(book, _entry("COR_X", "rumour", '"CLM_VISIT"', why="x"))
    result = sphinx_build(book / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{book}/corrections.toml:2: ERROR: COR_X: type must be one of correction, "
        "clarification, update, withdrawal; got 'rumour'"
    )
    assert "Traceback" not in result.stderr


#: The withdrawn claim's permanent link lands on its entry.
LOG_ENTRY = (
    '<div class="correction-entry docutils container" id="COR_VISIT_GONE">\n'
    '<span id="CLM_VISIT"></span><p class="correction-head"><strong>2026-02-01</strong> · '
    "withdrawal in 1.1.0 · "
)


def _page_text(html: Path) -> str:
    body = html.read_text(encoding="utf-8")
    main = body[body.index('<article role="main"') : body.index("</article>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.mark.slow
def test_two_editions_give_the_changes_page_and_the_withdrawn_permalink(
    book: Path, capsys, tmp_path: Path
) -> None:
    _history_pages(book)
    assert release_main(["1.0.0", "2026-01-01", "--root", str(book)]) == 0, capsys.readouterr()
    # a second edition: one claim withdrawn, one re-statused, one added, a source added
    _withdraw_visit(book)
    _edit(book, ":kind: attributed\n:status: verified", ":kind: attributed\n:status: disputed")
    page = book / "docs" / "index.md"
    page.write_text(
        page.read_text().replace(
            "## Sources",
            ":::{claim}\n:id: CLM_ARRIVAL\n:cites: SRC_BETA\n:kind: attributed\n"
            ":status: verified\n:quote: Talks were held on Friday\n\n"
            "Beta Daily reported talks {cite:p}`beta`.\n:::\n\n## Sources",
        )
    )
    _log(
        book,
        _entry("COR_VISIT_GONE", "withdrawal", '"CLM_VISIT"', why="The visit was not shown.",
               replaced_by="CLM_ARRIVAL"),
        _entry("COR_TALKS_DISPUTED", "correction", '"CLM_TALKS"', was="verified",
               now="disputed", why="The two reports differ."),
    )  # fmt: skip
    (book / "pyproject.toml").write_text(_pyproject("1.0.0"))
    assert release_main(["1.1.0", "2026-02-01", "--root", str(book)]) == 0, capsys.readouterr()
    html = book / "build" / "html"
    digests = {a.version: a.manifest for a in history.load(book).archives}
    assert _page_text(html / "changes.html") == (
        "Changes ¶ Changes from edition 1.0.0 to edition 1.1.0. In all: 1 "
        "claim added, 1 claim withdrawn, 0 claims reworded, 1 claim with a new status, 0 "
        "claims with a new kind, 0 claims with new sources, 0 sources added, 0 sources no "
        "longer cited. Archived editions (the SHA-256 of each edition's manifest, the "
        "SHA256SUMS in its folder in editions/, which also holds the digest of the manifest "
        f"before it): 1.1.0 (as of 2026-02-01): {digests['1.1.0']}; 1.0.0 (as of 2026-01-01): "
        f"{digests['1.0.0']}. Test book CLM_ARRIVAL : added CLM_TALKS : status verified → disputed "
        "( COR_TALKS_DISPUTED ) CLM_VISIT : withdrawn ( COR_VISIT_GONE )"
    )
    log = (html / "corrections.html").read_text()
    assert LOG_ENTRY in log
    permalink = (html / "permalink.html").read_text()
    places = json.loads(re.search(r'type="application/json">(.*?)</script>', permalink)[1])
    assert places["CLM_VISIT"] == "corrections.html#CLM_VISIT"
    claims = json.loads((book / "editions" / "1.1.0" / "claims.json").read_text())
    by_id = {c["id"]: c for c in claims["claims"]}
    assert by_id["CLM_ARRIVAL"]["added_in"] == "1.1.0"
    assert by_id["CLM_TALKS"]["added_in"] == "1.0.0"
    assert by_id["CLM_TALKS"]["changed_in"] == [
        {"edition": "1.1.0", "entry": "COR_TALKS_DISPUTED", "type": "correction"}
    ]
    assert claims["withdrawn"] == [
        {
            "date": "2026-02-01",
            "entry": "COR_VISIT_GONE",
            "id": "CLM_VISIT",
            "last_edition": "1.0.0",
            "last_text": "The minister visited for three days.",
            "replaced_by": "CLM_ARRIVAL",
            "why": "The visit was not shown.",
        }
    ]
    assert [e["edition"] for e in claims["corrections"]] == ["1.1.0", "1.1.0"]
    marks = re.findall(
        r'<span class="claim-history">(.*?)</span>', (html / "index.html").read_text()
    )
    assert marks == [
        'added in 1.0.0 · <a class="reference internal" href="corrections.html#COR_TALKS_DISPUTED">'
        "correction in 1.1.0</a>",
        "added in 1.1.0",
    ]
    past = history.load(book)
    assert [a.version for a in past.archives] == ["1.0.0", "1.1.0"]


def test_the_real_book_is_archived() -> None:
    """The current edition of the real book is in editions/, and its checksums hold."""
    past = history.load(REPO)
    assert past.archives, "no archived edition in editions/"
    assert all(
        archive.sums_text(a.path) == (a.path / "SHA256SUMS").read_text() for a in past.archives
    )
