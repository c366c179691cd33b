"""Faults of the checkout and the process, not of the book's content: a link, a Windows
checkout, a byte order mark, a killed or concurrent build, a folder that cannot be
written. Each ends in a message naming the file (or the other build) and a non-zero
exit, never a traceback, and never costs the last good output.

Files are broken in-process on the clean fixture book; the process faults (a build
killed, another build running, nox's own messages) run nox for real on that book with
the project's noxfile (as tests/test_check_reuse.py), in this interpreter.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build
from test_check_reuse import _book, _nox

from idcpc_book import buildlock, buildout, buildstamp
from idcpc_book.checker.cli import main as check_main
from idcpc_book.inputs.records import stamp_hash

_spec = importlib.util.spec_from_file_location("hash_sources", REPO / "scripts/hash_sources.py")
hash_sources = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hash_sources)

STOPPED = "ERROR: 1 problem in the book's files: build stopped before reading, nothing written"
ONE = "check_citations: 1 problem; nothing was checked"
LINK = "is a symbolic link to {}; the book reads only regular files inside the repository: put the file itself here"
CRLF = (
    "has Windows line endings (CRLF): save it with LF endings, as .gitattributes pins them "
    "(a checkout made with core.autocrlf: commit your work, then "
    "`git rm -rq --cached . && git reset --hard`)"
)
BOM = "starts with a UTF-8 byte order mark (BOM): save it as UTF-8 without BOM"


def _clean(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    return root


def _check(root: Path, capsys, needs: Path) -> tuple[int, list[str]]:
    """The checker's exit status and what it printed to stderr, line by line."""
    code = check_main(["--root", str(root), "--needs", str(needs)])
    return code, capsys.readouterr().err.splitlines()


# --- the book's files -------------------------------------------------------------------


def test_a_chapter_linked_from_outside_the_repository_is_refused(tmp_path, capsys, built) -> None:
    root = _clean(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text("# Elsewhere\n", encoding="utf-8")
    (root / "docs" / "extra.md").symlink_to(outside)
    assert _check(root, capsys, built("clean")) == (
        2,
        [f"check_citations: docs/extra.md: {LINK.format(outside)}", ONE],
    )
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode == 2
    assert result.stderr == f"ERROR: {root}/docs/extra.md: {LINK.format(outside)}\n{STOPPED}\n"


def test_a_linked_folder_in_docs_is_refused(tmp_path, capsys, built) -> None:
    """Sphinx would read the chapters of a linked folder; the book refuses the link."""
    root = _clean(tmp_path)
    (tmp_path / "more").mkdir()
    (root / "docs" / "more").symlink_to(tmp_path / "more")
    assert _check(root, capsys, built("clean")) == (
        2,
        [f"check_citations: docs/more: {LINK.format(tmp_path / 'more')}", ONE],
    )


FOLDER_LINK = (
    "is a symbolic link to {}; the book reads only folders inside the repository: put the "
    "folder itself here"
)


@pytest.mark.parametrize("folder", ["sources", "editions"])
def test_a_linked_folder_of_records_or_editions_is_refused(tmp_path, capsys, built, folder) -> None:
    """The files in a linked folder are regular files: the folder itself is refused, in the
    check and in the build, before anything in it is read."""
    root = _clean(tmp_path)
    outside = tmp_path / "outside"
    if (root / folder).exists():
        shutil.move(root / folder, outside)
    else:
        outside.mkdir()
    (root / folder).symlink_to(outside)
    assert _check(root, capsys, built("clean")) == (
        2,
        [f"check_citations: {folder}: {FOLDER_LINK.format(outside)}", ONE],
    )
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert result.returncode == 2
    assert result.stderr == f"ERROR: {root}/{folder}: {FOLDER_LINK.format(outside)}\n{STOPPED}\n"


def test_a_linked_docs_folder_is_refused_by_the_check(tmp_path, capsys, built) -> None:
    """Sphinx resolves its source folder (the build then reads the target as its book);
    the checker, given the repository, refuses the link."""
    root = _clean(tmp_path)
    outside = tmp_path / "outside"
    shutil.move(root / "docs", outside)
    (root / "docs").symlink_to(outside)
    assert _check(root, capsys, built("clean")) == (
        2,
        [f"check_citations: docs: {FOLDER_LINK.format(outside)}", ONE],
    )


def test_a_record_link_in_a_loop_is_located(tmp_path, capsys, built) -> None:
    root = _clean(tmp_path)
    (root / "sources" / "gamma.txt").symlink_to("gamma.txt")
    assert _check(root, capsys, built("clean")) == (
        2,
        ["check_citations: sources/gamma.txt: is a symbolic link in a loop (to gamma.txt)", ONE],
    )


def test_the_clean_book_of_regular_lf_files_passes(capsys, built) -> None:
    """The passing case of the checks above: regular files, LF, no BOM."""
    assert check_main(["--root", str(ROOTS / "clean"), "--needs", str(built("clean"))]) == 0


@pytest.mark.parametrize(
    ("name", "line"),
    [("docs/index.md", 1), ("sources/alpha.txt", 1), ("refs.bib", 1), ("corrections.toml", 2)],
)
def test_windows_line_endings_are_named(name, line, tmp_path, capsys, built) -> None:
    root = _clean(tmp_path)
    path = root / name
    if name == "corrections.toml":  # the fixture has none: an empty log, LF then CRLF
        path.write_bytes(b"# The corrections log.\n# No entries yet.\r\n")
    else:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert _check(root, capsys, built("clean")) == (
        2,
        [f"check_citations: {name}:{line}: {CRLF}", ONE],
    )


def test_a_byte_order_mark_is_named(tmp_path, capsys, built) -> None:
    root = _clean(tmp_path)
    record = root / "sources" / "alpha.txt"
    record.write_bytes(b"\xef\xbb\xbf" + record.read_bytes())
    assert _check(root, capsys, built("clean")) == (
        2,
        [f"check_citations: sources/alpha.txt:1: {BOM}", ONE],
    )
    result = sphinx_build(root / "docs", tmp_path / "out", strict=True)
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        2,
        f"{root}/sources/alpha.txt:1: ERROR: {BOM}",
    )


def test_a_carriage_return_inside_a_line_is_named(tmp_path, capsys, built) -> None:
    root = _clean(tmp_path)
    record = root / "sources" / "beta.txt"
    raw = stamp_hash(record.read_bytes().decode("utf-8") + "one\rtwo\n")
    record.write_bytes(raw.encode("utf-8"))  # bytes: text mode would turn the CR into LF
    lines = raw.count("\n")
    assert _check(root, capsys, built("clean")) == (
        2,
        [
            f"check_citations: sources/beta.txt:{lines}: "
            "has a carriage return (CR) that ends no line: remove it",
            ONE,
        ],
    )


# --- hash_sources -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["../../x", "/tmp/x", "Alpha", "alpha.txt", "../sources/alpha"])
def test_hash_sources_refuses_a_key_that_is_a_path(key, tmp_path, capsys) -> None:
    root = _clean(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*"))
    assert hash_sources.main(["--root", str(root), key]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        f"hash_sources: {key!r} is not a bib key (lower-case letters and digits, starting "
        "with a letter): give the key of a record in sources/, not a path"
    )
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_hash_sources_hashes_a_record_named_by_its_key(tmp_path, capsys) -> None:
    root = _clean(tmp_path)
    record = root / "sources" / "alpha.txt"
    record.write_text(record.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    assert hash_sources.main(["--root", str(root), "alpha"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "hashed: sources/alpha.txt",
        "1 record(s), 1 hashed",
    ]


# --- the build stamp --------------------------------------------------------------------


def test_the_stamp_hashes_a_link_not_what_it_points_to(tmp_path) -> None:
    root = tmp_path / "book"
    (root / "docs").mkdir(parents=True)
    target = tmp_path / "outside.md"
    target.write_text("# A\n", encoding="utf-8")
    (root / "docs" / "a.md").symlink_to(target)
    first = buildstamp.input_digests(root)
    target.write_text("# B\n", encoding="utf-8")  # outside the repository: not an input
    assert buildstamp.input_digests(root) == first
    (root / "docs" / "a.md").unlink()
    (root / "docs" / "a.md").symlink_to(tmp_path / "other.md")
    assert buildstamp.input_digests(root) != first
    (root / "docs" / "b.md").symlink_to("b.md")  # a loop is hashed too, not skipped
    assert "docs/b.md" in buildstamp.input_digests(root)


# --- atomic outputs, in-process ---------------------------------------------------------


def _tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` and the digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_publish_replaces_the_output_whole(tmp_path) -> None:
    build = tmp_path / "build"
    (build / "html").mkdir(parents=True)
    (build / "html" / "old.html").write_text("old")
    staged = buildout.stage(build, "html")
    (staged / "new.html").write_text("new")
    buildout.publish(staged, build / "html")
    assert _tree(build / "html") == _tree_of({"new.html": "new"}, tmp_path)
    assert list((build / buildout.STAGING).iterdir()) == []


def _tree_of(files: dict[str, str], tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "expected"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return _tree(folder)


def test_an_old_output_that_cannot_be_removed_is_reported(tmp_path, monkeypatch) -> None:
    build = tmp_path / "build"
    (build / "exports").mkdir(parents=True)
    staged = buildout.stage(build, "exports")

    def refuse(path, *args, **kwargs) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", refuse)
    with pytest.raises(PermissionError) as caught:
        buildout.publish(staged, build / "exports")
    assert caught.value.filename == str(build / buildout.STAGING / f"exports-{os.getpid()}.old")


def test_the_next_build_puts_back_an_output_a_killed_build_moved_aside(tmp_path) -> None:
    """Killed between the two renames of a publish: the old output is in the staging
    area, build/html is gone; the next build restores it and removes the half-built one."""
    build = tmp_path / "build"
    staging = build / buildout.STAGING
    (staging / "html-99999.old").mkdir(parents=True)
    (staging / "html-99999.old" / "index.html").write_text("last good")
    (staging / "html-99999" / "_static").mkdir(parents=True)
    (staging / ".html-99999-exports.partial").mkdir()
    (build / "exports").mkdir()
    (staging / "exports-99999.old").mkdir()  # build/exports was published: this one goes
    buildout.clean_stale(build)
    assert (build / "html" / "index.html").read_text() == "last good"
    assert list(staging.iterdir()) == []


# --- one build at a time ----------------------------------------------------------------


HOLD = """
import sys, time
from pathlib import Path
from idcpc_book.buildlock import build_lock
with build_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(build: Path) -> subprocess.Popen[str]:
    """Another process holding ``build``'s lock (until killed)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(build)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def test_a_second_build_is_refused_while_another_holds_the_lock(tmp_path) -> None:
    build = tmp_path / "build"
    holder = _holder(build)
    try:
        started = (build / buildlock.LOCK_NAME).read_text().split()[1]
        with pytest.raises(buildlock.BuildLocked) as caught, buildlock.build_lock(build):
            pass
        assert str(caught.value) == (
            f"another build is running in this checkout (pid {holder.pid}, started {started}); "
            f"wait for it or remove {build / '.lock'} if it is not running"
        )
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_build_leaves_no_lock_behind(tmp_path) -> None:
    build = tmp_path / "build"
    holder = _holder(build)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with buildlock.build_lock(build) as path:  # the kernel released the lock
        assert path.read_text().split()[0] == str(os.getpid())
        with buildlock.build_lock(build):  # a session calling another: re-entrant
            pass


# --- nox sessions, for real -------------------------------------------------------------


@pytest.fixture()
def small_book(tmp_path) -> Path:
    return _book(tmp_path / "book")


def _lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """nox's log lines without the duration it adds to a slow session's verdict."""
    return [re.sub(r" \(took [^)]*\)\.$", ".", line) for line in result.stderr.splitlines()]


def test_nox_refuses_a_build_beside_another_one(small_book) -> None:
    holder = _holder(small_book / "build")
    try:
        result = _nox(small_book, "html")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert re.fullmatch(
        f"nox > Session html aborted: another build is running in this checkout "
        rf"\(pid {holder.pid}, started \d\d:\d\d:\d\d\); "
        r"wait for it or remove build/\.lock if it is not running\.",
        _lines(result)[1],
    )
    assert "Traceback" not in result.stderr


def test_nox_names_a_build_folder_it_cannot_write(small_book) -> None:
    (small_book / "build").write_text("not a folder")
    result = _nox(small_book, "html")
    assert result.returncode == 1
    assert _lines(result) == [
        "nox > Running session html",
        "nox > Session html aborted: the build cannot write its output: build: File exists.",
    ]


@pytest.mark.slow
def test_a_killed_html_build_leaves_the_last_good_one(small_book) -> None:
    book = small_book
    assert _nox(book, "html").returncode == 0
    html, exports = book / "build" / "html", book / "build" / "exports"
    assert sorted(p.name for p in html.iterdir() if p.name.startswith(".")) == [
        ".buildinfo",
        ".doctrees",
    ]  # nothing hidden in the published folder
    before = (_tree(html), _tree(exports), (book / buildstamp.STAMP).read_bytes())
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    build = subprocess.Popen(
        [sys.executable, "-m", "nox", "--no-venv", "--no-install", "-f", "noxfile.py", "-s", "html"],
        cwd=book, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    staging = book / "build" / buildout.STAGING
    deadline = time.monotonic() + 60
    while not list(staging.glob("html-*/.doctrees")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be killed"
    os.killpg(build.pid, signal.SIGKILL)  # nox and the sphinx-build it runs
    build.wait()
    assert list(staging.iterdir())  # the killed build's half-built folder is left there
    assert (_tree(html), _tree(exports), (book / buildstamp.STAMP).read_bytes()) == before
    result = _nox(book, "html", "check")
    assert result.returncode == 0, result.stderr
    assert list(staging.iterdir()) == []  # cleaned by the next build
    rebuilt = {k: v for k, v in _tree(html).items() if not k.startswith(".doctrees/")}
    assert rebuilt == {k: v for k, v in before[0].items() if not k.startswith(".doctrees/")}
