"""``nox -s check`` reuses the last HTML build's data when its stamp says it is current
(:mod:`idcpc_book.buildstamp`), and builds when it is not.

The sessions run for real on a small book (the ``clean`` test root with the project's
``conf.py``, ``noxfile.py``, templates, package and scripts), in this interpreter (``--no-venv``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, ROOTS

from idcpc_book import buildstamp, sphinxbuild

NOT_CURRENT = "nox > build/html is not current: {}; building"
CURRENT = "nox > build/html is current (its stamp matches the inputs): no second build"
#: Each test runs nox sessions that build a small book.
pytestmark = pytest.mark.slow


def _nox(root: Path, *sessions: str) -> subprocess.CompletedProcess[str]:
    """``nox -s <sessions>`` in ``root``, its output (nox logs to stderr) as one text."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "nox", "--no-venv", "--no-install", "--no-color",
         "-f", "noxfile.py", "-s", *sessions],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def _book(path: Path) -> Path:
    shutil.copytree(ROOTS / "clean", path)
    for name in ("conf.py", "noxfile.py", "pyproject.toml"):
        shutil.copy2(REPO / name, path / name)
    for name in ("_templates", "_static"):  # conf.py's, relative to its folder
        shutil.copytree(REPO / "docs" / name, path / "docs" / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("idcpc_book", "scripts"):
        shutil.copytree(REPO / name, path / name, ignore=ignore)
    return path


@pytest.fixture(scope="module")
def html_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small book after ``nox -s html``."""
    root = _book(tmp_path_factory.mktemp("reuse") / "book")
    result = _nox(root, "html")
    assert result.returncode == 0, result.stderr
    return root


def _copy(root: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(root, tmp_path / "book", symlinks=True))


def test_check_right_after_html_runs_no_sphinx_build(html_built, tmp_path) -> None:
    root = _copy(html_built, tmp_path)
    result = _nox(root, "check")
    assert result.returncode == 0, result.stderr
    log = result.stderr.splitlines()
    assert CURRENT in log
    assert " -m sphinx " not in result.stderr  # nox prints every command it runs
    assert not (root / "build" / "needs").exists()
    assert (
        "nox > python scripts/check_citations.py --needs build/html/needs.json "
        "--json build/check.json" in log
    )
    assert json.loads((root / "build" / "check.json").read_text())["summary"]["problems"] == 0


def test_check_after_an_edited_chapter_builds_again(html_built, tmp_path) -> None:
    root = _copy(html_built, tmp_path)
    index = root / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = _nox(root, "check")
    assert result.returncode == 0, result.stderr
    log = result.stderr.splitlines()
    assert NOT_CURRENT.format("docs/index.md changed since the HTML build") in log
    assert CURRENT not in log
    # with the verdict off: the checker reports the problems, once (idcpc_book.ext.inputs.verdict)
    needs_build = sphinxbuild.command(
        "docs", "build/needs", "needs", conf_dir=".", python="python",
        options=("-D", "idcpc_verdict=0"),
    )  # fmt: skip
    staged = f"nox > {' '.join(needs_build[:-1])} build/.staging/needs-"  # then build/needs
    assert any(line.startswith(staged) for line in log), log
    assert (root / "build" / "needs" / "needs.json").is_file()


def test_a_failed_html_build_keeps_the_last_good_build_and_its_stamp(html_built, tmp_path) -> None:
    """The build wrote into build/.staging (idcpc_book.buildout): build/html and the stamp
    that describes it stay, and the stamp says the inputs changed since."""
    root = _copy(html_built, tmp_path)
    stamp = (root / buildstamp.STAMP).read_bytes()
    needs = (root / buildstamp.OUTDIR / "needs.json").read_bytes()
    index = root / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{nope}\n```\n", encoding="utf-8")
    result = _nox(root, "html")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "nox > Session html aborted: the html build failed (messages above); "
        "build/html is unchanged"
    )
    assert (root / buildstamp.STAMP).read_bytes() == stamp
    assert (root / buildstamp.OUTDIR / "needs.json").read_bytes() == needs
    assert not (root / buildstamp.PENDING).exists()
    assert list((root / "build" / ".staging").iterdir()) == []
    reason = buildstamp.stale_reason(root, root / buildstamp.STAMP, root / buildstamp.OUTDIR)
    assert reason == "docs/index.md changed since the HTML build"


def _stamped(tmp_path: Path) -> Path:
    """A book with a stamp of its inputs and outputs, as after a successful HTML build."""
    root = tmp_path / "book"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.md").write_text("# A\n")
    (root / "conf.py").write_text("")
    out = root / buildstamp.OUTDIR
    out.mkdir(parents=True)
    for name in buildstamp.OUTPUTS:
        (out / name).write_text("{}\n")
    stamp = buildstamp.finish(buildstamp.begin(root), out)
    (root / buildstamp.STAMP).write_text(json.dumps(stamp))
    return root


def _reason(root: Path) -> str | None:
    return buildstamp.stale_reason(root, root / buildstamp.STAMP, root / buildstamp.OUTDIR)


def test_the_stamp_is_current_until_an_input_or_output_changes(tmp_path) -> None:
    root = _stamped(tmp_path)
    assert _reason(root) is None
    (root / "docs" / "b.md").write_text("# B\n")
    assert _reason(root) == "docs/b.md is new since the HTML build"
    (root / "docs" / "a.md").unlink()
    assert _reason(root) == "docs/a.md is gone since the HTML build (and 1 more inputs)"


def test_the_stamp_is_stale_when_the_data_was_rewritten(tmp_path) -> None:
    root = _stamped(tmp_path)
    (root / buildstamp.OUTDIR / "needs.json").write_text("{}\n\n")
    assert _reason(root) == "build/html/needs.json is not the file the HTML build wrote"


def test_the_stamp_is_stale_in_another_python_environment(tmp_path) -> None:
    root = _stamped(tmp_path)
    stamp = json.loads((root / buildstamp.STAMP).read_text())
    stamp["environment"]["sphinx"] = "0.1"
    (root / buildstamp.STAMP).write_text(json.dumps(stamp))
    assert _reason(root) == "the Python environment differs from the HTML build's (sphinx)"
