"""Reproducible, offline builds of the real book.

One build runs with networking blocked (a user + network namespace, ``unshare -rn``;
where that is unavailable, a ``sitecustomize`` that makes every socket connection
fail), the other normally, in another folder, with another hash seed and time zone.
Both use the same ``SOURCE_DATE_EPOCH``. Every output file must be byte-identical,
except the build caches listed in ``NOT_OUTPUT`` (each with its reason).
"""

from __future__ import annotations

import fnmatch
import os
import runpy
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import REPO, ROOTS
from realbook import kernel_block_works, offline

from idcpc_book.exports import FILES

#: Builders whose whole output folder is compared. A new export (a builder, or files
#: written into one of these folders) is covered without changing this test.
BUILDERS = ("needs", "html", "simplepdf")
#: Outputs that must exist (a build that silently wrote nothing would compare equal).
EXPECTED = (
    "needs/needs.json",
    "html/index.html",
    "html/searchindex.js",
    "simplepdf/idcpc-cpec-reference.pdf",
    # the exports and the permalink page, written by the HTML build
    *(f"html/exports/{name}" for name in FILES),
    "html/permalink.html",
    # the figures drawn from the claims (SVG)
    *(
        f"{builder}/_images/claims-{name}.svg"
        for builder in ("html", "simplepdf")
        for name in ("timeline", "evidence-profile", "jcm-meetings")
    ),
)
#: Files that are build caches, not outputs, and why they may differ.
#: (Sphinx's pickled environment and doctrees, which hold absolute paths, modification
#: times and unordered sets, are written outside the output folders.)
NOT_OUTPUT = {
    # "config: <hash>" for incremental rebuilds; sphinx-simplepdf puts a DebugPython
    # object (its repr has a memory address) into html_context, so the hash varies.
    "*/.buildinfo": "incremental-build marker",
}


@pytest.fixture(scope="module")
def builds(real_book, html_book, pdf_book, needs_book, book_again):
    """(offline build, normal build, offline prefix, env): the session's offline builds of
    the real book (hash seed 1, UTC) and its second build (conftest's ``book_again``)."""
    return real_book.out, book_again, real_book.prefix, real_book.env


def outputs(folder: Path) -> set[str]:
    """The output files of the builders of ``BUILDERS`` in ``folder``, as relative paths."""
    files = {
        p.relative_to(folder).as_posix()
        for builder in BUILDERS
        for p in (folder / builder).rglob("*")
        if p.is_file()
    }
    return {f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in NOT_OUTPUT)}


@pytest.mark.parametrize("kernel", [True, False], ids=["unshare", "python-hook"])
def test_network_is_really_blocked(kernel, tmp_path) -> None:
    if kernel and not kernel_block_works():
        pytest.skip("unshare -rn is not permitted here (no user namespaces); the hook is used")
    prefix, env = offline(tmp_path, kernel)
    probe = "import socket; socket.create_connection(('93.184.215.14', 80), timeout=5)"
    result = subprocess.run(
        [*prefix, sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode != 0
    expected = "Network is unreachable" if kernel else "network access blocked"
    assert expected in result.stderr


def test_source_date_epoch_sets_the_copyright_year(tmp_path) -> None:
    """Sphinx writes no build date, except that it replaces the current year in the
    copyright line with the year of ``SOURCE_DATE_EPOCH``."""
    this_year = time.localtime().tm_year
    args = ["-q", "-E", "-b", "html", "-c", str(REPO), "-D", f"copyright={this_year}, Test"]
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *args, str(ROOTS / "clean" / "docs"), str(tmp_path)],
        env={**os.environ, "SOURCE_DATE_EPOCH": "946728000"},  # 2000-01-01 12:00 UTC
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Copyright &#169; 2000, Test" in page
    assert f"{this_year}, Test" not in page


def test_builds_offline_and_byte_identical(builds) -> None:
    first, second, _, _ = builds
    files = outputs(first)
    assert set(EXPECTED) <= files
    assert outputs(second) == files
    differ = [f for f in sorted(files) if (first / f).read_bytes() != (second / f).read_bytes()]
    assert differ == []


def test_checker_passes_offline(builds) -> None:
    first, _, prefix, env = builds
    needs = first / "needs" / "needs.json"
    result = subprocess.run(
        [*prefix, sys.executable, "scripts/check_citations.py", "--needs", str(needs)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_build_folder_path_in_the_outputs(builds) -> None:
    first, _, _, _ = builds
    marker = str(first).encode()
    leaking = [f for f in sorted(outputs(first)) if marker in (first / f).read_bytes()]
    assert leaking == []


class _RemoteAssets(HTMLParser):
    """Collects remote URLs that a browser would fetch (not plain hyperlinks)."""

    FETCHED: ClassVar[dict[str, str]] = {
        "link": "href",
        "script": "src",
        "img": "src",
        "source": "src",
        "iframe": "src",
    }

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = self.FETCHED.get(tag)
        for attr, value in attrs:
            if (
                attr == name
                and value
                and value.strip().lower().startswith(("http:", "https:", "//"))
            ):
                self.remote.append(f"<{tag} {attr}={value}>")


def test_no_remote_assets_in_the_html(builds) -> None:
    first, _, _, _ = builds
    found = []
    for page in sorted((first / "html").rglob("*.html")):
        parser = _RemoteAssets()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.name}: {r}" for r in parser.remote]
    for css in sorted((first / "html" / "_static").rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        if "url(http" in text.replace('"', "").replace("'", "") or "@import url(http" in text:
            found.append(f"{css.name}: remote url()")
    assert found == []


def test_conf_fetches_nothing() -> None:
    conf = runpy.run_path(str(REPO / "conf.py"))
    assert not any("intersphinx" in ext for ext in conf["extensions"])
    assert "intersphinx_mapping" not in conf
