"""The claims index in the PDF and the EPUB: a compact list (ID, page or chapter, status,
grade) in place of the HTML edition's full table (idcpc_book.ext.formats.compact_index)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOTS, sphinx_build

INDEX = """
## Index

```{needtable}
:types: claim
:columns: id as "ID"; status as "Status"; quote as "Evidence"
:style: table
:class: claims-filter
:sort: id
```
"""


#: The full index's table (not the script of the same name that every page loads).
FULL_TABLE = re.compile(r'<table class="[^"]*\bclaims-filter\b')


def _book(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("## Sources", INDEX + "\n## Sources"), encoding="utf-8")
    return root


def test_html_keeps_the_full_index(tmp_path) -> None:
    root = _book(tmp_path)
    result = sphinx_build(root / "docs", tmp_path / "html", builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert FULL_TABLE.search(page) and "Talks were held on Friday" in page
    assert "claims-list" not in page


def test_epub_index_is_a_list_of_id_chapter_status_and_grade(tmp_path) -> None:
    root = _book(tmp_path)
    result = sphinx_build(
        root / "docs", tmp_path / "epub", builder="epub", strict=True,
        options=("-d", str(tmp_path / "doctrees")),  # not in the book's folder
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "epub" / "index.xhtml").read_text(encoding="utf-8")
    assert not FULL_TABLE.search(page) and "Talks were held on Friday" not in page
    items = re.findall(r'<li><p><a class="claims-list-id reference internal" href="([^"]+)">'
                       r"(\w+)</a> <span>([^<]*)</span></p>\s*</li>", page)  # fmt: skip
    assert items == [
        ("#CLM_TALKS", "CLM_TALKS", "Test book · verified · two independent"),
        ("#CLM_VISIT", "CLM_VISIT", "Test book · unverified · one report"),
    ]


@pytest.mark.slow
def test_pdf_index_is_a_table_with_page_numbers(tmp_path) -> None:
    from pypdf import PdfReader

    root = _book(tmp_path)
    out = tmp_path / "pdf"
    result = sphinx_build(root / "docs", out, builder="simplepdf", strict=True)
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert not FULL_TABLE.search(page) and "Talks were held on Friday" not in page
    assert re.findall(
        r'<a class="claims-list-page reference internal" href="([^"]+)"></a>', page
    ) == [
        "#CLM_TALKS",
        "#CLM_VISIT",
    ]
    reader = PdfReader(next(out.glob("*.pdf")))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert re.search(r"CLM_TALKS\s*\d+\s*verified\s*two independent", text), text
