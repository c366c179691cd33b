"""Shared fixtures: build a test book, and the real book once per builder, per session."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import realbook
from sphinx.cmd.build import build_main
from sphinxapp import docutils_registry, formatted  # noqa: F401  (fixtures shared with the canaries)

from idcpc_book import sphinxbuild
from idcpc_book.inputs import census

# The tests start Python processes (the real book's builds, end-to-end runs); where the machine
# forbids bytecode caches (PYTHONDONTWRITEBYTECODE, set on some CI machines) each of them
# would compile Sphinx and its extensions again, about a second each.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# The suite checks book after book in this process, most a copy of the last with one chapter
# changed: the parses of the others are kept from one to the next (a build's own process drops
# them after its preflight; tests/test_verdict.py checks that).
census.keep_between_books()

REPO = realbook.REPO
ROOTS = Path(__file__).resolve().parent / "roots"


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    builder: str = "needs",
    strict: bool = False,
    conf_dir: Path | None = REPO,
    fresh: bool = True,
    options: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Build ``srcdir`` with ``sphinx-build``'s own entry point, in this interpreter, with
    the project's real conf.py (or, with ``conf_dir=None``, the one in ``srcdir``); from
    scratch (``-E``) unless not ``fresh``; ``options``: more ``sphinx-build`` options.

    What the command prints and its exit status, as a run of the command gives them (the
    book's files stop a build with ``SystemExit(2)``); a fresh interpreter per build
    costs seconds, an in-process build of a tiny root a fraction of one.
    """
    # color=False: messages are compared exactly, and CI may force colour (FORCE_COLOR)
    command = sphinxbuild.command(
        srcdir,
        outdir,
        builder,
        conf_dir=conf_dir,
        strict=strict,
        fresh=fresh,
        color=False,
        options=options,
    )
    args = command[3:]  # what follows "python -m sphinx": build_main's arguments
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
def root_builds(tmp_path_factory: pytest.TempPathFactory):
    """``root_builds(name)`` -> (needs.json, the build's run) of test root ``name``, built
    once (``needs`` builder, not strict)."""
    cache: dict[str, tuple[Path, subprocess.CompletedProcess[str]]] = {}

    def build(name: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
        if name not in cache:
            out = tmp_path_factory.mktemp(name)
            cache[name] = (out / "needs.json", sphinx_build(ROOTS / name / "docs", out))
        return cache[name]

    return build


@pytest.fixture(scope="session")
def built(root_builds):
    """``built(name)`` -> the needs.json of test root ``name``, built once."""
    return lambda name: root_builds(name)[0]


#: A build of the real book: (builder, variant). Variant "" is the session's offline build
#: (hash seed 1, UTC) into ``out/``; "again" is a second one into ``again/``, with
#: networking, hash seed 2 and another time zone (``test_trust_build.py`` compares them).
Key = tuple[str, str]
VARIANTS: dict[str, dict[str, str]] = {
    "": {"PYTHONHASHSEED": "1", "TZ": "UTC"},
    "again": {"PYTHONHASHSEED": "2", "TZ": "Asia/Karachi"},
}
#: The builds each fixture needs: a test using one of these needs its builds.
BUILDS_OF: dict[str, tuple[Key, ...]] = {
    "html_book": (("html", ""),),
    "pdf_book": (("simplepdf", ""),),
    "epub_book": (("epub", ""),),
    "needs_book": (("needs", ""),),
    "book_again": (("needs", "again"), ("html", "again"), ("simplepdf", "again")),
}


@dataclass
class RealBook:
    """The real book, built strictly (``realbook.build``) once per builder and variant,
    one build at a time, in a background thread: the builds asked for by the selected
    tests start with the session and run beside the other tests. A build's log is kept
    for the tests that read it."""

    base: Path
    prefix: list[str]
    env: dict[str, str]
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    runs: dict[Key, Future[subprocess.CompletedProcess[str]]] = field(default_factory=dict)

    def folder(self, variant: str = "") -> Path:
        return self.base / (variant or "out")

    @property
    def out(self) -> Path:
        return self.folder()

    def start(self, key: Key) -> None:
        """Queue the build ``key`` unless it is queued already."""
        if key not in self.runs:
            builder, variant = key
            prefix, env = (self.prefix, self.env) if not variant else ([], {})
            self.runs[key] = self.pool.submit(
                realbook.build,
                builder,
                self.folder(variant) / builder,
                self.base / "doctrees" / (variant or "out") / builder,
                prefix,
                {**env, **VARIANTS[variant]},
            )

    def build(self, builder: str, variant: str = "") -> subprocess.CompletedProcess[str]:
        """The strict build with ``builder`` (queued if it was not), once it has run."""
        self.start((builder, variant))
        return self.runs[builder, variant].result()

    def built(self, builder: str, variant: str = "") -> Path:
        """The output folder of a build that passed (the test fails with its log if not)."""
        result = self.build(builder, variant)
        if result.returncode != 0:
            pytest.fail(
                f"the real book's {builder} build ({variant or 'first'}) failed:\n{result.stderr}"
            )
        return self.folder(variant) / builder


@pytest.fixture(scope="session")
def real_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealBook]:
    base = tmp_path_factory.mktemp("real-book")
    prefix, env = realbook.offline(base)
    book = RealBook(base, prefix, env)
    yield book
    book.pool.shutdown(cancel_futures=True)


@pytest.fixture(scope="session", autouse=True)
def _real_book_in_background(request: pytest.FixtureRequest) -> None:
    """Start, at the first test, the builds of the real book that the selected tests (those
    left after ``-m`` and ``-k``) need: first the session's, then the second build."""
    wanted: list[Key] = []
    for item in request.session.items:
        for name in getattr(item, "fixturenames", ()):
            wanted += [key for key in BUILDS_OF.get(name, ()) if key not in wanted]
    if wanted:
        book = request.getfixturevalue("real_book")
        order = [("html", ""), ("simplepdf", ""), ("epub", ""), ("needs", "")]
        for key in sorted(wanted, key=lambda k: (k[1], order.index(k) if k in order else 0)):
            book.start(key)


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
def needs_book(real_book: RealBook) -> Path:
    """The real book's ``needs`` build, as ``nox -s check`` makes it."""
    return real_book.built("needs")


@pytest.fixture(scope="session")
def book_again(real_book: RealBook) -> Path:
    """The folder of the second build of the real book (``needs``, ``html``, ``simplepdf``):
    with networking, another hash seed and time zone, in another folder."""
    for builder, variant in BUILDS_OF["book_again"]:
        real_book.built(builder, variant)
    return real_book.folder("again")


@pytest.fixture(scope="session")
def poppler_outputs(pdf_book: Path) -> dict[str, str]:
    """What poppler's ``pdftotext`` and ``pdffonts`` print for the real book's PDF, run
    once each, side by side (each reads the whole PDF, some twenty seconds)."""
    for tool in ("pdftotext", "pdffonts"):
        if shutil.which(tool) is None:
            pytest.skip(
                f"{tool} not found: install the Debian package poppler-utils (.ci/run does)"
            )
    pdf = str(pdf_book / realbook.PDF_NAME)
    runs = {
        "pdftotext": subprocess.Popen(["pdftotext", pdf, "-"], stdout=subprocess.PIPE, text=True),
        "pdffonts": subprocess.Popen(["pdffonts", pdf], stdout=subprocess.PIPE, text=True),
    }
    outputs = {}
    for tool, run in runs.items():
        outputs[tool] = run.communicate()[0]
        assert run.returncode == 0, f"{tool} failed on {pdf}"
    return outputs


@pytest.fixture(scope="session")
def pdf_pages(poppler_outputs: dict[str, str]) -> list[str]:
    """The text of each page of the real book's PDF, as ``pdftotext`` extracts it, once
    (the whole PDF is read in one run; pages end with a form feed)."""
    return poppler_outputs["pdftotext"].split("\f")[:-1]


@pytest.fixture(scope="session")
def pdf_fonts(poppler_outputs: dict[str, str]) -> str:
    """The font list ``pdffonts`` prints for the real book's PDF, once."""
    return poppler_outputs["pdffonts"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs a build of the real book is ``slow``: the fast tier
    (``-m "not slow and not client"``) never builds it. The modules holding such tests run
    last, so that their builds, started with the first test, run beside the others."""
    late = set()
    for item in items:
        if "real_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
            late.add(item.path)
    items.sort(key=lambda item: item.path in late)
