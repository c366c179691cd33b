"""Live rebuilds are quiet: a rebuild of an unchanged book finds its configuration unchanged
(idcpc_book/ext/upstream/config_stable.py) and writes no page again."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, ROOTS
from sphinx.cmd.build import build_main
from sphinx_autobuild.build import Builder

from idcpc_book import live, warm
from idcpc_book.inputs import census


def _build(docs: Path, out: Path) -> str:
    """An incremental HTML build as ``nox -s live`` runs it (not quiet): what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = build_main(["-b", "html", "--no-color", "-c", str(REPO), str(docs), str(out)])
    assert status == 0, printed.getvalue()
    return printed.getvalue()


def test_a_rebuild_finds_the_configuration_unchanged(tmp_path) -> None:
    shutil.copytree(ROOTS / "clean", tmp_path / "book")
    docs, out = tmp_path / "book" / "docs", tmp_path / "out"
    first = _build(docs, out)
    assert "updating environment: [new config] 1 added" in first
    again = _build(docs, out)
    assert "The configuration has changed" not in again
    assert "targets for 0 source files that are out of date" in again
    assert "updating environment: 0 added, 0 changed, 0 removed" in again
    assert "build info mismatch" not in again  # the HTML pages are not all written again


def test_live_session_builds_quietly() -> None:
    """sphinx-autobuild (through idcpc_book.live) with -q: no per-build progress and
    MyST's configuration dump."""
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    session = noxfile[noxfile.index("def live(") :]
    assert '"idcpc_book.live",\n        "-q",' in session


def test_live_session_hands_its_options_to_sphinx_autobuild() -> None:
    """``nox -s live -- --port 8001``: what follows ``--`` reaches sphinx-autobuild."""
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    session = noxfile[
        noxfile.index("def live(") : noxfile.index("env=", noxfile.index("def live("))
    ]
    assert session.rstrip().endswith(
        "*session.posargs,  # sphinx-autobuild's own options, e.g. -- --port 8001"
    )


# -- Rebuilds forked from a warm process (idcpc_book/live.py, idcpc_book/warm.py) ----------

STOPPED = "ERROR: 1 problem in the book's files: build stopped before reading, nothing written"
BIB_FAULT = "refs.bib:9: ERROR: BibTeX syntax error: '=' expected"
FAILED = "Sphinx exited with exit code: 2"


def _book(tmp_path: Path, root: str = "clean") -> Path:
    """A copy of test root ``root``; its source folder."""
    shutil.copytree(ROOTS / root, tmp_path / root)
    return tmp_path / root / "docs"


def _args(docs: Path, out: Path) -> list[str]:
    """sphinx-autobuild's arguments to sphinx-build as ``nox -s live`` gives them."""
    return ["-q", "--no-color", "-c", str(REPO), str(docs), str(out)]


def _builder(cls: type[Builder], docs: Path, out: Path) -> Builder:
    return cls(_args(docs, out), url_host="127.0.0.1:0", pre_build_commands=[],
               post_build_commands=[])  # fmt: skip


def _pages(out: Path) -> dict[str, bytes]:
    """The HTML pages and needs.json a build wrote."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.suffix in (".html", ".json") and ".doctrees" not in p.parts
    }


@pytest.mark.parametrize("root", ["clean", "malformed-bib"])
def test_a_warm_build_reports_and_writes_what_a_new_process_does(root, tmp_path, capfd) -> None:
    """sphinx-autobuild's own builder (``python -m sphinx build``) against the warm one."""
    docs = _book(tmp_path, root)
    printed = {}
    for name, cls in (("new process", Builder), ("warm", live.WarmBuilder)):
        _builder(cls, docs, tmp_path / name)(changed_paths=[docs / "index.md"])
        out, err = capfd.readouterr()
        command = "> python -m sphinx build" if cls is Builder else "> sphinx-build"
        assert command in out
        # the command line shown differs, the rest is the same
        printed[name] = ([line for line in out.splitlines() if "> " not in line], err)
    assert printed["warm"] == printed["new process"]
    assert _pages(tmp_path / "warm") == _pages(tmp_path / "new process")
    if root == "clean":
        assert "index.html" in _pages(tmp_path / "warm")
        assert FAILED not in printed["warm"][0]


def test_a_failing_warm_build_reports_its_status_and_message(tmp_path, capfd) -> None:
    docs = _book(tmp_path, "malformed-bib")
    finished = warm.fork_build(_args(docs, tmp_path / "out"))
    assert finished.status == 2
    assert capfd.readouterr().err == f"{docs.parent}/{BIB_FAULT}\n{STOPPED}\n"
    _builder(live.WarmBuilder, docs, tmp_path / "out")(changed_paths=[docs.parent / "refs.bib"])
    out, err = capfd.readouterr()
    assert err == f"{docs.parent}/{BIB_FAULT}\n{STOPPED}\n"
    assert f"{FAILED}\n" in out
    assert out.rstrip().endswith("Serving on http://127.0.0.1:0\x1b[0m")


def test_nothing_of_a_warm_build_reaches_the_next(tmp_path, capfd) -> None:
    """Rebuilds from one parent: the fault of one is not the next's, an edit between them
    is seen, and the parent's own memo of parses is untouched (it never builds)."""
    docs = _book(tmp_path)
    bib, index = docs.parent / "refs.bib", docs / "index.md"
    builder = _builder(live.WarmBuilder, docs, tmp_path / "out")
    memo = (dict(census._MEMO.current), dict(census._MEMO.previous))
    good = bib.read_bytes()
    shutil.copy(ROOTS / "malformed-bib" / "refs.bib", bib)
    builder(changed_paths=[bib])
    assert f"{FAILED}\n" in capfd.readouterr().out
    bib.write_bytes(good)
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("An editorial introduction.", "An edited introduction."),
                     encoding="utf-8")  # fmt: skip
    builder(changed_paths=[bib, index])
    out, err = capfd.readouterr()
    assert (FAILED in out, err) == (False, "")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "An edited introduction." in page
    assert "An editorial introduction." not in page
    assert (dict(census._MEMO.current), dict(census._MEMO.previous)) == memo


@pytest.mark.slow  # a new interpreter per build, as sphinx-autobuild runs it: about 1 s each
@pytest.mark.parametrize("reason", ["changed code", "no fork"])
def test_a_new_process_builds_where_the_warm_one_cannot(reason, tmp_path, capfd, monkeypatch):
    """Where the warm parent's code is stale (sphinx-autobuild's own path builds with the
    new) or ``os.fork`` is missing: a new process, as sphinx-autobuild builds."""
    docs = _book(tmp_path)
    builder = _builder(live.WarmBuilder, docs, tmp_path / "out")
    module = Path(warm.__file__).resolve()
    assert str(module) in builder.code
    if reason == "changed code":
        builder.code[str(module)] = (0, 0)  # as if warm.py had changed since the server started
    else:
        monkeypatch.delattr(os, "fork")
    builder(changed_paths=[])
    out, _ = capfd.readouterr()
    changed = "idcpc_book/warm.py changed since the server started"
    assert (changed in out) is (reason == "changed code")
    assert "> python -m sphinx build" in out
    assert "> sphinx-build" not in out
    assert (tmp_path / "out" / "index.html").is_file()


def test_live_runs_sphinx_autobuild_with_the_warm_builder(tmp_path, monkeypatch) -> None:
    """``python -m idcpc_book.live`` is sphinx-autobuild's command line, its builds forked."""
    import sphinx_autobuild.__main__ as autobuild

    built, served = [], []
    monkeypatch.setattr(
        warm, "fork_build", lambda args: built.append(args) or warm.Finished(0, None)
    )
    monkeypatch.setattr(autobuild.uvicorn, "run", lambda app, **options: served.append(options))
    docs = _book(tmp_path)
    live.main(["-q", "-c", str(REPO), str(docs), str(tmp_path / "out"), "--port", "8123"])
    assert built == [["-q", "-c", str(REPO), str(docs), str(tmp_path / "out")]], (
        "sphinx-autobuild's main no longer builds with idcpc_book.live.WarmBuilder"
    )
    assert served == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    assert autobuild.Builder is Builder


def test_the_warm_up_reads_none_of_the_books_files() -> None:
    """The parent's imports, in a new interpreter: no input of the book but its code
    (``buildstamp.INPUTS``) is opened, and no ``Sphinx`` is made."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from idcpc_book.buildstamp import INPUTS
        repo, opened = Path(sys.argv[1]), []
        book = [repo / name for name in INPUTS if name != "idcpc_book"]
        def hook(event, args):
            if event == "open" and isinstance(args[0], str):
                path = Path(args[0]).resolve()
                if any(path.is_relative_to(where) for where in book):
                    opened.append(str(path))
        sys.addaudithook(hook)
        from idcpc_book import warm
        import sphinx.application
        made = []
        sphinx.application.Sphinx.__init__ = lambda *args, **kwargs: made.append(args)
        warm.warm_up()
        assert "sphinx_needs" in sys.modules and "idcpc_book.ext.book.claims" in sys.modules
        print(opened, made)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(REPO)], capture_output=True, text=True, check=True
    )
    assert run.stdout == "[] []\n", run.stdout + run.stderr
