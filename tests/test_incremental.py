"""Incremental builds give the same outputs as a clean build after claims and sources change.

sphinx-needs fills aggregating directives (the claims index's ``needtable``) when a page
is written, but Sphinx only rewrites pages that were re-read: without help, the claims
index keeps the old claims after an edit elsewhere. ``OUTPUTS`` lists the build outputs
compared; add new exports to it. The real book, edited in its chapters, its records and
its history (``corrections.toml``), is compared file by file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, sphinx_build

from idcpc_book import buildstamp, sphinxbuild
from idcpc_book.bench import generate
from idcpc_book.ext.book import claims
from idcpc_book.ext.inputs import verdict

#: Each test builds a generated book three or more times.
pytestmark = pytest.mark.slow

#: Outputs of an HTML build compared between an incremental and a clean build.
OUTPUTS = [
    "needs.json",
    "claims.html",
    "sources.html",
    "chapter01.html",
    "chapter02.html",
    "exports/claims.json",
    "exports/claims.csv",
    "exports/sources.json",
    "exports/claims.sqlite",  # byte-reproducible: compared as bytes
]


#: What the edits of :func:`book` break on purpose (a disputed claim needs a source for
#: each side; a fact, a source that is not commentary): every build of it, incremental or
#: clean, says so (idcpc_book.ext.inputs.verdict) and writes on.
BROKEN = [
    "{docs}/chapter01.md:9: ERROR: CLM_BENCH_00000: disputed claim cites one source; cite a "
    "source for each side",
    "{docs}/chapter01.md:9: ERROR: CLM_BENCH_00000: fact claim rests only on commentary "
    "sources (SRC_BENCH00000); add an independent source or make it attributed",
    "ERROR: 2 problems found by the checker's rules (nox -s check reports the same)",
]


def _build(
    docs: Path, out: Path, fresh: bool, broken: bool = False, options: tuple[str, ...] = ()
) -> None:
    result = sphinx_build(docs, out, builder="html", strict=True, fresh=fresh, options=options)
    if not broken:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        assert result.stderr.splitlines() == [line.format(docs=docs) for line in BROKEN]


def _output(out: Path, name: str) -> str | bytes:
    path = out / name
    return path.read_bytes() if path.suffix == ".sqlite" else path.read_text(encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A 20-claim book built once, then edited: a claim in chapter 1, a source record."""
    tmp = tmp_path_factory.mktemp("incremental")
    root = tmp / "book"
    docs = generate.write_book(root, 20)
    incremental = tmp / "incremental"
    _build(docs, incremental, fresh=True)
    claim = generate.claims(20)[0]  # CLM_BENCH_00000, in chapter 1, cites bench00000
    _edit(docs / "chapter01.md", ":status: unverified", ":status: disputed")  # a fact
    _edit(docs / "chapter01.md", f":quote: {claim.quote}", f":quote: {claim.quote[:-1]}")
    record = root / "sources" / f"{claim.key}.txt"
    _edit(record, 'kind = "independent-media"', 'kind = "commentary"')
    _edit(record, "Synthetic record", "Edited synthetic record")
    _build(docs, incremental, fresh=False, broken=True)
    clean = tmp / "clean"
    _build(docs, clean, fresh=True, broken=True)
    return docs, incremental, clean


@pytest.mark.parametrize("name", OUTPUTS)
def test_incremental_output_equals_clean_build(book, name) -> None:
    _, incremental, clean = book
    assert _output(incremental, name) == _output(clean, name)


def test_edits_are_in_the_outputs(book) -> None:
    _, incremental, _ = book
    index = _output(incremental, "claims.html")
    row = index[index.index('id="CLM_BENCH_00000"') :][:2000]
    assert "disputed" in row
    assert "Edited synthetic record" in _output(incremental, "sources.html")


def test_prose_edit_leaves_the_claims_index_alone(book) -> None:
    """An edit that changes no need does not rewrite the need-aggregating pages."""
    docs, incremental, _ = book
    index = incremental / "claims.html"
    before = index.stat().st_mtime_ns
    _edit(docs / "chapter02.md", "This chapter gathers", "This chapter collects")
    _build(docs, incremental, fresh=False, broken=True)
    assert "This chapter collects" in _output(incremental, "chapter02.html")
    assert index.stat().st_mtime_ns == before


def test_pages_citing_an_edited_bib_entry_are_rewritten(tmp_path) -> None:
    """After an entry of refs.bib changes, every page is as in a clean build.

    The chapters citing it are not read again, but their citations (the entry's tooltip)
    are made when they are written: they must be written again.
    """
    root = tmp_path / "book"
    docs = generate.write_book(root, 20)
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"
    _build(docs, incremental, fresh=True)
    untouched = (incremental / "chapter02.html").stat().st_mtime_ns
    key = generate.claims(20)[6].key  # cited in chapters 7 and 8
    bib = root / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    entry_end = text.index("}\n", start)
    entry = text[start:entry_end]
    bib.write_text(
        text[:start]
        + entry.replace("on the corridor's", "on the corridor's (corrected)")
        + text[entry_end:],
        encoding="utf-8",
    )
    _build(docs, incremental, fresh=False)
    _build(docs, clean, fresh=True)
    pages = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*.html"))
    for name in [*pages, "needs.json", "searchindex.js"]:
        assert _output(incremental, name) == _output(clean, name), name
    assert "(corrected)" in _output(incremental, "chapter07.html")  # its tooltip
    assert (incremental / "chapter02.html").stat().st_mtime_ns == untouched  # not citing it


#: The real book's files a build reads: the build stamp's inputs without the code (conf.py
#: and the package are the repository's, as in every test), so a new input is copied too.
BOOK_FILES = tuple(n for n in buildstamp.INPUTS if n not in ("conf.py", "noxfile.py", "idcpc_book"))


def _files(out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and ".doctrees" not in p.relative_to(out).parts
    )


#: The real book's pages with a figure, besides cpec.md (idcpc_book.ext.book.drawings).
FIGURE_PAGES = ("jcm", "methodology", "people", "timeline")


def test_real_book_incremental_build_equals_a_clean_build(tmp_path) -> None:
    """The real book after an edit to prose (no other page with a figure is written
    again), then to a claim's text and date, a record and the corrections log: every
    file an incremental build leaves is the clean build's (the history is read outside
    Sphinx: without idcpc_book.ext.book.marks' source, the corrections page, the edition
    marks and the changes page stayed as before)."""
    root = tmp_path / "book"
    root.mkdir()
    for name in BOOK_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    docs, incremental, clean = root / "docs", tmp_path / "incremental", tmp_path / "clean"
    # The edit of a published corrections entry breaks the history rule, which is not this
    # test's point: the checker's rules are off (the generated book's test keeps them on)
    off = ("-D", f"{verdict.SETTING}=0")
    _build(docs, incremental, fresh=True, options=off)
    # an edit that no figure reads (prose) writes no other page with a figure again, and
    # no export (idcpc_book.ext.book.claims.exports_print)
    figure_pages = [incremental / f"{name}.html" for name in FIGURE_PAGES]
    figure_pages += [incremental / "exports" / name for name in claims.EXPORT_FILES]
    before = [page.stat().st_mtime_ns for page in figure_pages]
    _edit(docs / "cpec.md", "measure different things.", "measure different quantities.")
    _build(docs, incremental, fresh=False, options=off)
    assert "measure different quantities." in _output(incremental, "cpec.html")
    assert [page.stat().st_mtime_ns for page in figure_pages] == before
    # a date the timeline reads: its figure is drawn again (compared with a clean build's)
    _edit(docs / "cpec.md", ":event_date: 2013-05-22", ":event_date: 2013-05-23")
    _edit(docs / "visit-2024.md", "will soon visit Pakistan.", "will soon visit Pakistan")
    _edit(root / "sources" / "aaj2019firstjcm.txt", "from the URL slug.", "from the URL's slug.")
    # and the history, which no page reads: every claim it names is marked anew, and the
    # corrections page (not read again) is written again
    log = root / "corrections.toml"
    _edit(log, 'type = "correction"', 'type = "update"')
    _edit(log, "does not give the day", "gives no day")
    _build(docs, incremental, fresh=False, options=off)
    _build(docs, clean, fresh=True, options=off)
    assert _files(incremental) == _files(clean)
    for name in _files(clean):
        assert (incremental / name).read_bytes() == (clean / name).read_bytes(), name
    assert "gives no day" in _output(incremental, "corrections.html")


def test_an_incremental_build_misses_the_warning_of_a_page_it_does_not_write(tmp_path) -> None:
    """Why ``nox -s html`` keeps ``-E``: under ``-W`` an incremental build warns only for
    the pages it writes, and Sphinx does not write again a page whose reference target
    went away on another page, so a strict incremental build passes where a clean build
    fails. When this fails (Sphinx writes such pages again), nox's HTML build can drop -E."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text('extensions = ["myst_parser"]\n', encoding="utf-8")
    (docs / "index.md").write_text("# Index\n\n```{toctree}\na\nb\n```\n", encoding="utf-8")
    (docs / "a.md").write_text("(target-x)=\n# A\n\nText.\n", encoding="utf-8")
    (docs / "b.md").write_text("# B\n\nSee {ref}`target-x`.\n", encoding="utf-8")

    def build(out: Path, fresh: bool) -> subprocess.CompletedProcess[str]:
        args = sphinxbuild.command(docs, out, "html", fresh=fresh, color=False)
        return subprocess.run(args, capture_output=True, text=True)

    assert build(tmp_path / "incremental", fresh=True).returncode == 0
    _edit(docs / "a.md", "(target-x)=\n", "")
    assert build(tmp_path / "incremental", fresh=False).returncode == 0  # no warning
    clean = build(tmp_path / "clean", fresh=True)
    assert clean.returncode == 1
    assert "b.md:3: WARNING: undefined label: 'target-x'" in clean.stderr
