"""The benchmark's synthetic books: valid books, built strictly, passing the checker.

Timings are never asserted; the benchmark (``nox -s bench``) prints them.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import sphinx_build

from idcpc_book.bench import generate
from idcpc_book.bench.cli import table, targets
from idcpc_book.checker.cli import main as check


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench-book")
    docs = generate.write_book(root, 20)
    result = sphinx_build(docs, root / "out", builder="html", strict=True)
    return root, result


def test_generated_book_builds_strictly(book) -> None:
    root, result = book
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    needs = json.loads((root / "out" / "needs.json").read_text())["versions"][""]["needs"]
    claims = [n for n in needs.values() if n["type"] == "claim"]
    sources = [n for n in needs.values() if n["type"] == "source"]
    assert len(claims) == 20
    assert len(sources) == 10  # two claims per source
    assert {n["docname"] for n in claims} == {f"chapter{c:02d}" for c in range(1, 11)}


def test_generated_book_passes_the_checker(book, capsys) -> None:
    root, _ = book
    code = check(["--root", str(root), "--needs", str(root / "out" / "needs.json")])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "claims: 20, sources: 10, citations: 20, prose coverage: 100.0 %, problems: 0" in printed


def test_edited_chapter_still_passes(book, tmp_path, capsys) -> None:
    root = tmp_path / "book"
    docs = generate.write_book(root, 20)
    path = generate.edit_chapter(docs)
    assert "(edited)" in path.read_text(encoding="utf-8")
    result = sphinx_build(docs, tmp_path / "out", builder="needs", strict=True)
    assert result.returncode == 0, result.stderr
    assert check(["--root", str(root), "--needs", str(tmp_path / "out" / "needs.json")]) == 0


def test_floor_builds_strictly_with_the_same_text(tmp_path) -> None:
    docs = generate.write_floor(tmp_path / "floor", 20)  # its own conf.py: no needs, no bibtex
    text = (docs / "chapter03.md").read_text(encoding="utf-8")
    assert "{cite" not in text and "{claim}" not in text
    assert generate.claims(20)[2].sentence in text
    result = sphinx_build(docs, tmp_path / "out", builder="html", strict=True, conf_dir=None)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "chapter03.html").is_file()


def test_needs_floor_builds_strictly_with_the_same_needs(tmp_path, book) -> None:
    """The sphinx-needs floor: the book's claim and source IDs, sentences and layout, but
    no fields, links, citations or project extensions."""
    docs = generate.write_needs_floor(tmp_path / "needs", 20)
    text = (docs / "chapter03.md").read_text(encoding="utf-8")
    assert "{cite" not in text and ":cites:" not in text and ":quote:" not in text
    conf = (docs / "conf.py").read_text(encoding="utf-8")
    assert 'extensions = ["myst_parser", "sphinx_needs"]' in conf
    result = sphinx_build(docs, tmp_path / "out", builder="html", strict=True, conf_dir=None)
    assert result.returncode == 0, result.stderr
    root, _ = book
    book_page = (root / "out" / "chapter03.html").read_text(encoding="utf-8")
    floor_page = (tmp_path / "out" / "chapter03.html").read_text(encoding="utf-8")
    claim = generate.claims(20)[2]
    for page in (book_page, floor_page):  # the same layout: the ID in the side cell
        assert f'id="{claim.id}"' in page
        assert "needs_side" in page and claim.sentence in page
    # The same claims on the page, and the same sources, as the book.
    ids = re.compile(r'id="((?:CLM|SRC)_BENCH[0-9_]*)"')
    assert set(ids.findall(floor_page)) == set(ids.findall(book_page))
    floor_sources = (tmp_path / "out" / "sources.html").read_text(encoding="utf-8")
    book_sources = (root / "out" / "sources.html").read_text(encoding="utf-8")
    assert len(set(ids.findall(floor_sources))) == 10
    assert set(ids.findall(floor_sources)) == set(ids.findall(book_sources))


def test_table_and_targets_from_results() -> None:
    row = {"seconds": 4.0, "cpu_seconds": 3.0, "peak_mb": 200, "floor_seconds": 2.0,
           "floor_cpu_seconds": 2.0, "floor_peak_mb": 100, "ratio": 2.0, "cpu_ratio": 1.5,
           "memory_ratio": 2.0}  # fmt: skip
    with_needs = {**row, "needs_seconds": 3.0, "needs_cpu_seconds": 2.5, "needs_peak_mb": 150,
                  "needs_ratio": 1.5, "needs_memory_ratio": 1.5}  # fmt: skip
    check_1000 = {"seconds": 0.4, "cpu_seconds": 0.3, "peak_mb": 40}
    check_5000 = {"seconds": 2.2, "cpu_seconds": 1.9, "peak_mb": 60}
    sizes = {
        1000: {"html": row, "incremental": row, "check": check_1000},
        5000: {"html": with_needs, "incremental": row, "check": check_5000},
    }
    lines = table(sizes, None)
    assert lines[2] == (
        "| 1000 | full HTML | 4.0 s | 2.0 s | 2.00x | 1.50x | | | 200 MB | 100 MB | 2.00x | | |"
    )
    assert lines[5] == (
        "| 5000 | full HTML | 4.0 s | 2.0 s | 2.00x | 1.50x | 3.0 s | 1.50x | 200 MB | 100 MB "
        "| 2.00x | 150 MB | 1.50x |"
    )
    assert "| 5000 | checker | 2.20 s (CPU 1.90 s) | | | | | | 60 MB | | | | |" in lines
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    found = {t["target"]: t for t in targets(sizes, None)}
    assert found["5000 claims: full HTML / floor"]["met"] is True
    assert found["5000 claims: full HTML / floor"]["bound"] == 1.5
    assert found["5000 claims: peak memory / floor's"]["bound"] == 1.5
    assert found["5000 claims: incremental / floor's"]["met"] is False
    assert "bound" not in found["5000 claims: incremental / floor's"]  # no needs floor row
    assert found["5000 claims: checker (s)"]["met"] is False
    assert found["checker 5000 / 1000 claims"]["met"] is True  # 5.5x exactly


def test_entry_lines_of_a_large_bibliography(tmp_path) -> None:
    """One pass finds every entry's line (each lookup used to re-read the whole file)."""
    from idcpc_book.bib import entry_line

    generate.write_book(tmp_path, 200)
    text = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    starts = [i + 1 for i, line in enumerate(text.split("\n")) if line.startswith("@online{")]
    assert len(starts) == 100
    assert [entry_line(text, generate.source_key(i)) for i in range(100)] == starts
    assert entry_line(text, "bench0000") is None  # a prefix of a key is not a key
    assert entry_line(text, "nosuchkey") is None
