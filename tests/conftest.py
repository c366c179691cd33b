"""Shared fixtures: build a test book (or the real one) once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pybtex.style.formatting import BaseStyle

# The tests start hundreds of Python processes (builds, the checker); where the machine
# forbids bytecode caches (PYTHONDONTWRITEBYTECODE, set on some CI machines) each of them
# would compile Sphinx and its extensions again, about a second each.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    builder: str = "needs",
    strict: bool = False,
    conf_dir: Path | None = REPO,
) -> subprocess.CompletedProcess[str]:
    """Build ``srcdir`` in a fresh interpreter, with the project's real conf.py (or, with
    ``conf_dir=None``, the one in ``srcdir``)."""
    # --no-color: messages are compared exactly, and CI may force colour (FORCE_COLOR)
    args = [sys.executable, "-m", "sphinx", "--no-color", "-q", "-E", "-b", builder]
    if conf_dir is not None:
        args += ["-c", str(conf_dir)]
    if strict:
        args += ["-W", "--keep-going", "-n"]
    return subprocess.run(
        [*args, str(srcdir), str(outdir)], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """``built(name)`` -> the needs.json of test root ``name``, built once."""
    cache: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in cache:
            out = tmp_path_factory.mktemp(name)
            sphinx_build(ROOTS / name / "docs", out)
            cache[name] = out / "needs.json"
        return cache[name]

    return build


@pytest.fixture
def formatted(monkeypatch) -> list[str]:
    """The keys of the entries pybtex formats, in order."""
    calls: list[str] = []
    original = BaseStyle.format_entry

    def counting(self, label, entry, bib_data=None):
        calls.append(entry.key)
        return original(self, label, entry, bib_data)

    monkeypatch.setattr(BaseStyle, "format_entry", counting)
    return calls
