"""Shared fixtures: build a test book, and the real book once per builder, per session."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import realbook
from sphinx.cmd.build import build_main
from sphinxapp import docutils_registry, formatted  # noqa: F401  (fixtures shared with the canaries)

# The tests start Python processes (the real book's builds, end-to-end runs); where the machine
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
    fresh: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Build ``srcdir`` with ``sphinx-build``'s own entry point, in this interpreter, with
    the project's real conf.py (or, with ``conf_dir=None``, the one in ``srcdir``); from
    scratch (``-E``) unless not ``fresh``.

    What the command prints and its exit status, as a run of the command gives them (the
    book's files stop a build with ``SystemExit(2)``); a fresh interpreter per build
    costs seconds, an in-process build of a tiny root a fraction of one.
    """
    # --no-color: messages are compared exactly, and CI may force colour (FORCE_COLOR)
    args = ["--no-color", "-q", *(["-E"] if fresh else []), "-b", builder]
    if conf_dir is not None:
        args += ["-c", str(conf_dir)]
    if strict:
        args += ["-W", "--keep-going", "-n"]
    args += [str(srcdir), str(outdir)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = build_main(args)
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(
        ["sphinx-build", *args], status, out.getvalue(), err.getvalue()
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


@dataclass
class RealBook:
    """The real book, built strictly (offline, ``realbook.EPOCH``) once per builder into
    ``out/<builder>``; a build's log is kept for the tests that read it."""

    base: Path
    prefix: list[str]
    env: dict[str, str]
    logs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        return self.base / "out"

    def build(self, builder: str) -> subprocess.CompletedProcess[str]:
        """The strict build with ``builder``, run the first time it is asked for."""
        if builder not in self.logs:
            self.logs[builder] = realbook.build(
                builder,
                self.out / builder,
                self.base / "doctrees" / builder,
                self.prefix,
                {**self.env, "PYTHONHASHSEED": "1", "TZ": "UTC"},
            )
        return self.logs[builder]

    def built(self, builder: str) -> Path:
        """The output folder of a build that passed (the test fails with its log if not)."""
        result = self.build(builder)
        if result.returncode != 0:
            pytest.fail(f"the real book's {builder} build failed:\n{result.stderr}")
        return self.out / builder


@pytest.fixture(scope="session")
def real_book(tmp_path_factory: pytest.TempPathFactory) -> RealBook:
    base = tmp_path_factory.mktemp("real-book")
    prefix, env = realbook.offline(base)
    return RealBook(base, prefix, env)


@pytest.fixture(scope="session")
def html_book(real_book: RealBook) -> Path:
    """The real book's HTML build (its needs.json and exports included)."""
    return real_book.built("html")


@pytest.fixture(scope="session")
def pdf_book(real_book: RealBook) -> Path:
    """The real book's PDF build (sphinx-simplepdf)."""
    return real_book.built("simplepdf")


@pytest.fixture(scope="session")
def epub_book(real_book: RealBook) -> Path:
    """The real book's EPUB build."""
    return real_book.built("epub")


@pytest.fixture(scope="session")
def pdf_pages(pdf_book: Path) -> list[str]:
    """The text of each page of the real book's PDF, as poppler's ``pdftotext`` extracts
    it, once (the whole PDF is read in one run; pages end with a form feed)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found: install the Debian package poppler-utils (.ci/run does)")
    text = subprocess.run(
        ["pdftotext", str(pdf_book / realbook.PDF_NAME), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.split("\f")[:-1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs a build of the real book is ``slow``: the fast tier
    (``-m "not slow and not client"``) never builds it."""
    for item in items:
        if "real_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
