"""The real book broken in each way a writer breaks it: every command fails cleanly.

Each mutation damages a copy of the book (its chapters, records, ``refs.bib``,
``pyproject.toml`` and ``conf.py``); each command is then run on the copy as a user runs
it: the HTML build, the ``needs`` build that ``nox -s check`` runs, and the checker. The
test asserts, per command, the exit status and the exact first line of the message, and
that no command prints a traceback.

The commands run in this interpreter, through their own entry points (``sphinx-build``'s
``build_main``, the checker's ``main``), once per copy: most faults stop a build before
it reads a page, in a fraction of a second. A handful (``END_TO_END``) also run as
separate processes, in parallel, as ``nox`` runs them, and must end the same way.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO
from sphinx.cmd.build import build_main

from idcpc_book import sphinxbuild
from idcpc_book.checker.cli import main as check_main

RECORD = "sources/thenews2024liulandsislamabad.txt"
#: Where bytes appended to docs/jcm.md land: its last line and its length.
_JCM = (REPO / "docs" / "jcm.md").read_bytes()
JCM_LINES, JCM_BYTES = _JCM.count(b"\n"), len(_JCM)
#: "\n\xff..." appended: the bad byte on a line of its own; "\xff" appended: on the last.
BAD_AT = f"docs/jcm.md:{JCM_LINES + 2}: ERROR: not valid UTF-8 (byte {JCM_BYTES + 1})"
ONE_MORE_AT = f"docs/jcm.md:{JCM_LINES + 1}: ERROR: not valid UTF-8 (byte {JCM_BYTES})"
CHAPTER = "docs/visit-2024.md"
#: The end of claim CLM_VISIT_DATES (line 41 of the chapter), with its closing fence.
DATES_END = "Ishaq Dar {cite:p}`brecorder2024idcpcministerdue,geo2024liutovisit`.\n:::\n"
STRICT = [*sphinxbuild.STRICT, "-E", "-q", "--no-color"]


def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as file:
        file.write(data)


def _last_fence(path: Path) -> None:
    """Remove the last closing fence of the chapter (its last claim's)."""
    text = path.read_text(encoding="utf-8")
    cut = text.rindex("\n:::\n")
    path.write_text(text[:cut] + "\n" + text[cut + 5 :], encoding="utf-8")


#: The line of the chapter's last claim (its ``:::{claim}``), which "last claim not closed"
#: leaves open: the chapter grows as the book does.
LAST_CLAIM_LINE = 1 + max(
    i
    for i, line in enumerate((REPO / CHAPTER).read_text(encoding="utf-8").splitlines())
    if line.startswith(":::{claim}")
)

#: The edition's ``as_of = "..."`` as pyproject.toml writes it (each release changes the date).
AS_OF_LINE = next(
    line.split("#")[0].strip()
    for line in (REPO / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    if line.startswith("as_of = ")
)

#: name -> the damage done to the book folder.
MUTATIONS: dict[str, Callable[[Path], None]] = {
    "record deleted": lambda b: (b / RECORD).unlink(),
    "claim cites an unknown source": lambda b: _sub(
        b / CHAPTER, "SRC_GEO2024LIUTOVISIT\n:kind: fact", "SRC_NOSUCHSOURCE\n:kind: fact"
    ),
    "claim of an unknown kind": lambda b: _sub(
        b / CHAPTER, "SRC_GEO2024LIUTOVISIT\n:kind: fact", "SRC_GEO2024LIUTOVISIT\n:kind: rumour"
    ),
    "record header broken": lambda b: _sub(b / RECORD, "+++\n", "+++\nkind = = broken\n"),
    "record of an unknown kind": lambda b: _sub(
        b / RECORD, 'kind = "independent-media"', 'kind = "gossip"'
    ),
    "record without refs.bib entry": lambda b: shutil.copy(b / RECORD, b / "sources/orphan.txt"),
    "record with bad bytes": lambda b: _append(b / RECORD, b"\xff\n"),
    "chapter with bad bytes": lambda b: _append(b / "docs/jcm.md", b"\n\xff\xfe broken\n"),
    "claim fence missing": lambda b: _sub(b / CHAPTER, DATES_END, DATES_END[:-4]),
    "last claim not closed": lambda b: _last_fence(b / CHAPTER),
    "heading inside a claim": lambda b: _sub(
        b / CHAPTER, DATES_END, DATES_END[:-4] + "\n## Inside\n\nMore.\n:::\n"
    ),
    "editorial not closed": lambda b: _sub(
        b / CHAPTER, "what has changed since.\n:::\n", "what has changed since.\n"
    ),
    "refs.bib syntax error": lambda b: _sub(
        b / "refs.bib", "  urldate = {2026-11-24},\n}", "  urldate = {2026-11-24},\n"
    ),
    "refs.bib stray character": lambda b: _sub(b / "refs.bib", "@online", "@@online"),
    "refs.bib deleted": lambda b: (b / "refs.bib").unlink(),
    "edition date impossible": lambda b: _sub(
        b / "pyproject.toml", AS_OF_LINE, 'as_of = "2026-13-45"'
    ),
    "edition title missing": lambda b: _sub(b / "pyproject.toml", "\ntitle = ", "\n# title = "),
    "pyproject.toml broken": lambda b: _sub(
        b / "pyproject.toml", "[tool.idcpc-book]", "[tool.idcpc-book"
    ),
    "two faults at once": lambda b: ((b / RECORD).unlink(), _append(b / "docs/jcm.md", b"\xff")),
    "duplicate claim ID": lambda b: _sub(
        b / CHAPTER, ":id: CLM_VISIT_ANNOUNCED_PROGRAMME", ":id: CLM_VISIT_DATES"
    ),
}


@dataclass(frozen=True)
class Outcome:
    status: int
    lines: tuple[str, ...]  # the message (stderr), the book's path as {book}
    traceback: bool
    wrote: bool  # whether the command left a page or needs.json in build/

    @property
    def first(self) -> str:
        return self.lines[0] if self.lines else ""


def _outcome(book: Path, status: int, out: str, err: str) -> Outcome:
    lines = tuple(line for line in err.replace(str(book), "{book}").splitlines() if line.strip())
    crashed = "Traceback" in err + out or "Extension error" in err
    wrote = any((book / "build").glob("*/index.html")) or any((book / "build").glob("*/*.json"))
    return Outcome(status, lines, crashed, wrote)


def _run(args: list[str], book: Path) -> Outcome:
    """A command run as a separate process in ``book``."""
    result = subprocess.run(args, cwd=book, capture_output=True, text=True, check=False)
    return _outcome(book, result.returncode, result.stdout, result.stderr)


def _call(entry: Callable[[list[str]], int], args: list[str], book: Path) -> Outcome:
    """A command's entry point called in this interpreter, in ``book``: its exit status
    (``SystemExit`` included) and what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(book), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = entry(args)
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
    return _outcome(book, status, out.getvalue(), err.getvalue())


#: command -> its arguments in a book folder (after ``sphinx-build`` or the checker).
ARGS = {
    "html": [*STRICT, "-c", ".", "-b", "html", "docs", "build/html"],
    "needs": [*STRICT, "-c", ".", "-b", "needs", "docs", "build/needs"],
    "check": ["--root", "."],
}


def _commands(book: Path, separately: bool = False) -> dict[str, Outcome]:
    """The three commands on ``book``, in turn; ``separately``: each as its own process."""
    outcomes = {}
    for command, args in ARGS.items():
        args = [a.replace(".", str(book)) if a == "." else a for a in args]
        if command == "needs":
            shutil.rmtree(book / "build", ignore_errors=True)
        if not separately:
            entry = check_main if command == "check" else build_main
            outcomes[command] = _call(entry, args, book)
        elif command == "check":
            outcomes[command] = _run([sys.executable, "-m", "idcpc_book.checker.cli", *args], book)
        else:
            outcomes[command] = _run([sys.executable, "-m", "sphinx", *args], book)
    return outcomes


def _broken_book(tmp: Path, name: str) -> Path:
    book = tmp / name.replace(" ", "-")
    for folder in ("docs", "sources"):
        shutil.copytree(REPO / folder, book / folder)
    for file in ("refs.bib", "pyproject.toml", "conf.py"):
        shutil.copy(REPO / file, book / file)
    MUTATIONS[name](book)
    return book


#: Mutations whose commands also run as separate processes. A duplicate ID is found
#: only by reading the whole book (twice: HTML and needs), so it runs only so.
END_TO_END = ("record deleted", "two faults at once", "duplicate claim ID")
IN_PROCESS = [name for name in MUTATIONS if name != "duplicate claim ID"]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict[str, Outcome]]:
    """The commands' outcomes on each broken copy, run in this interpreter."""
    tmp = tmp_path_factory.mktemp("mutations")
    return {name: _commands(_broken_book(tmp, name)) for name in IN_PROCESS}


@pytest.fixture(scope="module")
def end_to_end(tmp_path_factory) -> dict[str, dict[str, Outcome]]:
    """The commands' outcomes on the copies of ``END_TO_END``, each a process."""
    tmp = tmp_path_factory.mktemp("mutations-e2e")
    books = {name: _broken_book(tmp, name) for name in END_TO_END}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = {name: pool.submit(_commands, book, True) for name, book in books.items()}
    return {name: future.result() for name, future in done.items()}


STOPPED = "ERROR: {n} in the book's files: build stopped before reading, nothing written"
MISSING = (
    "SRC_THENEWS2024LIULANDSISLAMABAD: archived record missing (refs.bib has the entry); it "
    "leaves 6 claims unsupported: CLM_PEOPLE_IMRAN_AHMED_SIDDIQUI, CLM_PEOPLE_ORG_MOFA_PAKISTAN, "
    "CLM_SEED_000_VERDICT_VISIT_DATES, CLM_SEED_GSRRA_RELIED_ON_FO, CLM_VISIT_ARRIVAL and 1 "
    "more. Restore the file (git checkout -- sources/thenews2024liulandsislamabad.txt) or "
    "archive the source again (README: Adding a source)"
)
UNCLOSED = (
    "not closed: no ':::' line ends it, so it runs to the end of the file (or of the block "
    "around it); add the closing line after its last paragraph"
)
KINDS = (
    "official-pk, official-cn, state-media-pk, state-media-cn, independent-media, reference, "
    "commentary"
)


def _pyproject_line(start: str) -> int:
    """The line of pyproject.toml that starts with ``start`` (its layout may change)."""
    lines = (REPO / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


EDITION_TABLE = _pyproject_line("[tool.idcpc-book]")
AS_OF = _pyproject_line("as_of = ")

#: name -> (status of the builds, first line of a build's message, first line of the
#: checker's). "{book}/" is the broken copy; the checker names paths relative to it.
EXPECTED: dict[str, tuple[int, str, str]] = {
    "record deleted": (2, f"ERROR: {{book}}/{RECORD}: {MISSING}", f"{RECORD}: {MISSING}"),
    "claim cites an unknown source": (
        2, "{book}/docs/visit-2024.md:41: ERROR: CLM_VISIT_DATES: cites SRC_NOSUCHSOURCE, which "
        "is not a source: there is no sources/nosuchsource.txt and no refs.bib entry "
        "'nosuchsource'", "docs/visit-2024.md:41: CLM_VISIT_DATES: cites SRC_NOSUCHSOURCE, "
        "which is not a source: there is no sources/nosuchsource.txt and no refs.bib entry "
        "'nosuchsource'",
    ),
    "claim of an unknown kind": (
        2, "{book}/docs/visit-2024.md:41: ERROR: CLM_VISIT_DATES: unknown kind 'rumour' "
        "(expected one of fact, attributed, assessment)", "docs/visit-2024.md:41: "
        "CLM_VISIT_DATES: unknown kind 'rumour' (expected one of fact, attributed, assessment)",
    ),
    "record header broken": (
        2, f"{{book}}/{RECORD}:2: ERROR: header is not valid TOML: Invalid value (at line 1, "
        "column 8)", f"{RECORD}:2: header is not valid TOML: Invalid value (at line 1, column 8)",
    ),
    "record of an unknown kind": (
        2, f"{{book}}/{RECORD}:2: ERROR: header 'kind' must be one of {KINDS}; got 'gossip'",
        f"{RECORD}:2: header 'kind' must be one of {KINDS}; got 'gossip'",
    ),
    "record without refs.bib entry": (
        2, "{book}/sources/orphan.txt:1: ERROR: no refs.bib entry with key 'orphan'",
        "sources/orphan.txt:1: no refs.bib entry with key 'orphan'",
    ),
    "record with bad bytes": (
        2, f"{{book}}/{RECORD}:25: ERROR: not valid UTF-8 (byte 2401)",
        f"{RECORD}:25: not valid UTF-8 (byte 2401)",
    ),
    "chapter with bad bytes": (
        2, "{book}/" + BAD_AT, BAD_AT.replace("ERROR: ", ""),
    ),
    "claim fence missing": (
        2, "{book}/docs/visit-2024.md:53: ERROR: CLM_VISIT_ANNOUNCED_PROGRAMME: a claim inside "
        "claim CLM_VISIT_DATES: close CLM_VISIT_DATES first (is its closing ':::' missing?)",
        "docs/visit-2024.md:53: CLM_VISIT_ANNOUNCED_PROGRAMME: a claim inside claim "
        "CLM_VISIT_DATES: close CLM_VISIT_DATES first (is its closing ':::' missing?)",
    ),
    "last claim not closed": (
        2, f"{{book}}/{CHAPTER}:{LAST_CLAIM_LINE}: ERROR: CLM_VISIT_DAR_LIU_HAIXING_2026: {UNCLOSED}",
        f"{CHAPTER}:{LAST_CLAIM_LINE}: CLM_VISIT_DAR_LIU_HAIXING_2026: {UNCLOSED}",
    ),
    "heading inside a claim": (
        2, "{book}/docs/visit-2024.md:53: ERROR: CLM_VISIT_DATES: a heading inside claim "
        "CLM_VISIT_DATES: a claim holds prose only; close the claim before the heading (is its "
        "closing ':::' missing?)", "docs/visit-2024.md:53: CLM_VISIT_DATES: a heading inside "
        "claim CLM_VISIT_DATES: a claim holds prose only; close the claim before the heading "
        "(is its closing ':::' missing?)",
    ),
    "editorial not closed": (
        2, "{book}/docs/visit-2024.md:11: ERROR: CLM_VISIT_INVITATION_MAY_2024: a claim inside "
        "an editorial block: close the editorial block first (is its closing ':::' missing?)",
        "docs/visit-2024.md:11: CLM_VISIT_INVITATION_MAY_2024: a claim inside an editorial "
        "block: close the editorial block first (is its closing ':::' missing?)",
    ),
    "refs.bib syntax error": (
        2, "{book}/refs.bib:15: ERROR: BibTeX syntax error: '=' expected",
        "refs.bib:15: BibTeX syntax error: '=' expected",
    ),
    "refs.bib stray character": (
        2, "{book}/refs.bib:6: ERROR: entry 'brecorder2024idcpcministerdue' is of type "
        "'@@online'; the book's sources are @online entries", "refs.bib:6: entry "
        "'brecorder2024idcpcministerdue' is of type '@@online'; the book's sources are @online "
        "entries",
    ),
    "refs.bib deleted": (
        2, "ERROR: {book}/refs.bib: not found: the book's bibliography (README: Adding a source)",
        "refs.bib: not found: the book's bibliography (README: Adding a source)",
    ),
    "edition date impossible": (
        2, f"{{book}}/pyproject.toml:{AS_OF}: ERROR: [tool.idcpc-book] as_of must be a date, "
        "YYYY-MM-DD; got '2026-13-45'", f"pyproject.toml:{AS_OF}: [tool.idcpc-book] as_of must be a "
        "date, YYYY-MM-DD; got '2026-13-45'",
    ),
    "edition title missing": (
        2, f"{{book}}/pyproject.toml:{EDITION_TABLE}: ERROR: [tool.idcpc-book] lacks: title",
        f"pyproject.toml:{EDITION_TABLE}: [tool.idcpc-book] lacks: title",
    ),
    "pyproject.toml broken": (
        2, f"{{book}}/pyproject.toml:{EDITION_TABLE}: ERROR: not valid TOML: Expected ']' at the "
        "end of a table declaration", f"pyproject.toml:{EDITION_TABLE}: not valid TOML: "
        "Expected ']' at the end of a table "
        "declaration",
    ),
    "two faults at once": (
        2, "{book}/" + ONE_MORE_AT, ONE_MORE_AT.replace("ERROR: ", ""),
    ),
    "duplicate claim ID": (
        1, "{book}/docs/visit-2024.md:54: WARNING: Need could not be created: A need with ID "
        "'CLM_VISIT_DATES' already exists (defined at visit-2024:41). [needs.create_need]", "",
    ),
}  # fmt: skip


def _fails_cleanly(results: dict[str, Outcome], name: str) -> None:
    status, build_line, check_line = EXPECTED[name]
    for command, outcome in results.items():
        assert not outcome.traceback, (command, outcome)
    for command in ("html", "needs"):
        assert (results[command].status, results[command].first) == (status, build_line), command
        if status == 2:  # stopped before reading a page: nothing written to look finished
            assert not results[command].wrote, command
    check = results["check"]
    expected_check = (status, f"check_citations: {check_line}") if status == 2 else (1, "")
    assert (check.status, check.first) == expected_check


@pytest.mark.parametrize("name", IN_PROCESS)
def test_each_command_fails_cleanly(outcomes, name) -> None:
    _fails_cleanly(outcomes[name], name)


@pytest.mark.slow
@pytest.mark.parametrize("name", END_TO_END)
def test_each_command_fails_cleanly_as_a_process(end_to_end, outcomes, name) -> None:
    """The commands as processes end as ``EXPECTED`` says, and as their entry points
    called in this interpreter do (every line of the message the same)."""
    _fails_cleanly(end_to_end[name], name)
    if name in outcomes:
        assert end_to_end[name] == outcomes[name]


def test_every_fault_of_a_run_is_reported_at_once(outcomes) -> None:
    html = outcomes["two faults at once"]["html"]
    assert html.lines == (
        "{book}/" + ONE_MORE_AT,
        f"ERROR: {{book}}/{RECORD}: {MISSING}",
        STOPPED.format(n="2 problems"),
    )
    check = outcomes["two faults at once"]["check"]
    assert check.lines[1:] == (
        f"check_citations: {RECORD}: {MISSING}",
        "check_citations: 2 problems; nothing was checked",
    )


def test_a_single_fault_is_counted_once(outcomes) -> None:
    assert outcomes["record deleted"]["html"].lines[1:] == (STOPPED.format(n="1 problem"),)


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["simplepdf", "epub"])
def test_pdf_and_epub_stop_as_html_does(tmp_path, builder) -> None:
    """The PDF and EPUB builds read the same files and stop the same way."""
    book = _broken_book(tmp_path, "chapter with bad bytes")
    sphinx = [sys.executable, "-m", "sphinx", *STRICT, "-c", str(book), "-b", builder]
    outcome = _run([*sphinx, "docs", f"build/{builder}"], book)
    assert (outcome.status, outcome.lines, outcome.traceback, outcome.wrote) == (
        2,
        (EXPECTED["chapter with bad bytes"][1], STOPPED.format(n="1 problem")),
        False,
        False,
    )
    assert not any((book / "build").rglob("*.pdf")) and not any((book / "build").rglob("*.epub"))
