"""One verdict: every build runs the checker's rules and fails where the check fails, with
the check's messages (the build prints the paths in full and Sphinx's ``ERROR:``).

README ("When something is broken") and the reading page promise it; these tests hold
the promise for each builder and for each rule's test book.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build
from test_checker_rules import CASES, PASSING

from idcpc_book import sphinxbuild
from idcpc_book.checker.cli import main as check_main
from idcpc_book.ext.inputs.verdict import SETTING
from idcpc_book.inputs import census
from idcpc_book.inputs.book import check_book

WRONG_QUOTE = (
    'docs/index.md:7: ERROR: CLM_VISIT: quote not found in the archived text of SRC_ALPHA: "four-'
    'day visit - from 20 to 22 June"'
)
COUNT = "ERROR: {} found by the checker's rules (nox -s check reports the same)"
#: The builders of ``nox -s html``, ``epub``, ``pdf`` and ``check``; EPUB and PDF are slow.
BUILDERS = [
    "html",
    "needs",
    pytest.param("epub", marks=pytest.mark.slow),
    pytest.param("simplepdf", marks=pytest.mark.slow),
]


def _build(root: Path, tmp_path: Path, builder: str):
    """A strict build, its doctrees outside the output (which EPUB would take for content)."""
    doctrees = ("-d", str(tmp_path / "doctrees"))
    return sphinx_build(root / "docs", tmp_path / builder, builder, strict=True, options=doctrees)


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": ERROR: " in line or line.startswith("ERROR")]


def _checker_lines(root: Path, needs: Path, tmp_path: Path) -> list[str]:
    """The checker's problems on ``needs``, as the build prints them."""
    report = tmp_path / "report.json"
    with contextlib.redirect_stdout(io.StringIO()):
        check_main(["--root", str(root), "--needs", str(needs), "--json", str(report)])
    lines = []
    for p in json.loads(report.read_text())["problems"]:
        where = f"{root}/{p['path']}"
        if p["line"]:
            lines.append(f"{where}:{p['line']}: ERROR: {p['obj']}: {p['message']}")
        else:
            lines.append(f"ERROR: {where}: {p['obj']}: {p['message']}")
    return lines


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_wrong_quote_fails_every_build_with_the_checks_message(builder, tmp_path) -> None:
    root = ROOTS / "quote-not-found"
    result = _build(root, tmp_path, builder)
    assert result.returncode == 1
    assert _errors(result.stderr)[0] == f"{root}/{WRONG_QUOTE}"
    assert _errors(result.stderr)[-1] == COUNT.format("2 problems")


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_book_that_passes_the_check_builds(builder, tmp_path) -> None:
    result = _build(ROOTS / "clean", tmp_path, builder)
    assert (result.returncode, _errors(result.stderr)) == (0, [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_rules_problems_fail_the_build_as_the_check_reports_them(
    name, root_builds, tmp_path
) -> None:
    """Every problem the checker finds in a rule's test book, and no other, is an error of
    that book's build, at the same place with the same words."""
    needs, build = root_builds(name)
    expected = _checker_lines(ROOTS / name, needs, tmp_path)
    verdict = [line for line in _errors(build.stderr) if line in expected]
    assert sorted(verdict) == sorted(expected)
    count = f"{len(expected)} problem" + ("" if len(expected) == 1 else "s")
    assert _errors(build.stderr)[-1] == COUNT.format(count)


@pytest.mark.parametrize("name", ["clean", *PASSING])
def test_a_book_without_problems_gets_no_verdict(name, root_builds) -> None:
    assert not any("checker's rules" in line for line in _errors(root_builds(name)[1].stderr))


def test_the_checks_own_build_leaves_the_report_to_the_checker(tmp_path, capsys) -> None:
    """``nox -s check`` builds with the verdict off, then the checker reports each problem
    once: the build passes, the checker fails with the message."""
    root = ROOTS / "quote-not-found"
    off = ("-D", f"{SETTING}=0")
    result = sphinx_build(root / "docs", tmp_path, "needs", strict=True, options=off)
    assert (result.returncode, _errors(result.stderr)) == (0, [])
    assert check_main(["--root", str(root), "--needs", str(tmp_path / "needs.json")]) == 1
    assert WRONG_QUOTE.replace("ERROR: ", "") in capsys.readouterr().out.splitlines()


def test_nox_check_turns_the_verdict_off_in_its_build() -> None:
    assert ("-D", f"{SETTING}=0") == sphinxbuild.VERDICT_OFF
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert '"needs", "needs", *sphinxbuild.VERDICT_OFF,' in noxfile


def test_the_chapters_parses_are_dropped_once_the_preflight_has_run(tmp_path, monkeypatch) -> None:
    """The preflight's parses (the census' memo) serve its own checks, then nothing (the
    verdict's rules read the census): a build drops them before it reads a page (unless
    the process keeps them between books, as this suite does: conftest.py)."""
    monkeypatch.setattr(census, "_KEEP_BETWEEN_BOOKS", False)  # as in a build's own process
    root = ROOTS / "clean"
    census.clear_caches()
    check_book(root, root / "docs")  # what the preflight keeps: this book's parses
    assert census._MEMO.current, "the census keeps nothing: this test would pass on its own"
    result = _build(root, tmp_path, "html")
    assert (result.returncode, _errors(result.stderr)) == (0, [])
    assert (census._MEMO.current, census._MEMO.previous) == ({}, {})


def test_a_process_checking_book_after_book_keeps_the_parses(tmp_path) -> None:
    """The suite's setting (conftest.py): the parses of one build serve the next."""
    assert census._KEEP_BETWEEN_BOOKS
    root = ROOTS / "clean"
    result = _build(root, tmp_path, "html")
    assert (result.returncode, _errors(result.stderr)) == (0, [])
    assert census._MEMO.current
