"""Live rebuilds are quiet: a rebuild of an unchanged book finds its configuration unchanged
(idcpc_book/ext/upstream/config_stable.py) and writes no page again."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from conftest import REPO, ROOTS
from sphinx.cmd.build import build_main


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
    """sphinx-autobuild with -q: no per-build progress and MyST's configuration dump."""
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    live = noxfile[noxfile.index("def live(") :]
    assert '"sphinx-autobuild",\n        "-q",' in live
