"""The edition, CITATION.cff, "cite this claim" and the permalink page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from conftest import REPO
from pybtex.database import parse_string

from idcpc_book import citation_cff, history
from idcpc_book.cite import cite
from idcpc_book.edition import load
from idcpc_book.errors import InputError

GOOD_TABLE = """
[project]
version = "1.2.3"
[tool.idcpc-book]
title = "A Book"
authors = "Someone"
as_of = "2026-11-24"
base_url = "https://example.org/book/"
licence = "CC-BY-4.0"
"""


def _needs(out: Path) -> dict:
    return json.loads((out / "needs.json").read_text())["versions"][""]["needs"]


def test_edition_is_read_from_pyproject(tmp_path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(GOOD_TABLE)
    edition = load(path)
    assert edition.version == "1.2.3"
    assert edition.label == "version 1.2.3, as of 24 November 2026"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('as_of = "2026-11-24"\n', "", "[tool.idcpc-book] lacks: as_of"),
        (
            '"2026-11-24"',
            '"24 Nov 2026"',
            "[tool.idcpc-book] as_of must be a date, YYYY-MM-DD; got '24 Nov 2026'",
        ),
        ('"https://example.org/book/"', '"https://example.org/book"', "base_url must end with '/'"),
    ],
)
def test_bad_edition_is_a_located_error(tmp_path, old, new, message) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(GOOD_TABLE.replace(old, new))
    with pytest.raises(InputError) as err:
        load(path)
    assert err.value.path == path
    assert message in err.value.message


def test_citation_cff_is_current() -> None:
    assert citation_cff.main(["--check"]) == 0
    text = (REPO / "CITATION.cff").read_text()
    edition = load()
    assert f'version: "{edition.version}"' in text
    assert f'date-released: "{edition.as_of}"' in text


def test_stale_citation_cff_is_reported(tmp_path, monkeypatch, capsys) -> None:
    stale = tmp_path / "CITATION.cff"
    stale.write_text(citation_cff.render(load()).replace(load().version, "0.0.1"))
    monkeypatch.setattr(citation_cff, "CFF_PATH", stale)
    assert citation_cff.main(["--check"]) == 1
    assert capsys.readouterr().out == (f"{stale}: stale; run python -m idcpc_book.citation_cff\n")


def test_citation_cff_is_valid_cff() -> None:
    cffconvert = Path(sys.executable).parent / "cffconvert"
    result = subprocess.run(
        [str(cffconvert), "--validate", "-i", str(REPO / "CITATION.cff")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


def test_every_claim_bibtex_parses_with_pybtex(html_book) -> None:
    claims = json.loads((html_book / "exports" / "claims.json").read_text())["claims"]
    needs = _needs(html_book)
    assert {c["id"] for c in claims} == {k for k, n in needs.items() if n["type"] == "claim"}
    edition = load()
    for claim in claims:
        bib = parse_string(claim["citation"]["bibtex"], "bibtex")
        entry = bib.entries[claim["id"]]
        assert entry.fields["title"] == "Claim " + claim["id"].replace("_", r"\_")
        assert entry.fields["version"] == edition.version
        assert entry.fields["url"].endswith("permalink.html?id=" + claim["id"])
        assert entry.fields["urldate"] == edition.as_of  # the edition's date, in the exports


def test_every_claim_csl_json_renders_with_citeproc(html_book) -> None:
    claims = json.loads((html_book / "exports" / "claims.json").read_text())["claims"]
    items = [json.loads(json.dumps(c["citation"]["csl"])) for c in claims]
    for item in items:
        for field in ("id", "type", "title", "container-title", "version", "URL", "accessed"):
            assert item[field], (item["id"], field)
    import citeproc

    style_file = next((Path(citeproc.__file__).parent / "data" / "styles").glob("*.csl"))
    style = CitationStylesStyle(str(style_file), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    assert all(load().title in text for text in rendered)
    ids = {re.search(r"Claim (CLM_\w+)", text).group(1) for text in rendered}
    assert ids == {item["id"] for item in items}


def test_plain_citation_names_book_edition_id_url_and_access_date() -> None:
    edition = load()
    text = cite(edition, "CLM_VISIT_ARRIVAL").text
    assert text == (
        f"{edition.authors}. “Claim CLM_VISIT_ARRIVAL.” In {edition.title}, "
        f"version {edition.version}, as of {edition.as_of_long}. "
        f"{edition.base_url}permalink.html?id=CLM_VISIT_ARRIVAL (accessed {edition.as_of})."
    )
    dated = cite(edition, "CLM_VISIT_ARRIVAL", accessed="2027-01-05")
    assert dated.text.endswith("(accessed 2027-01-05).")
    assert "urldate = {2027-01-05}" in dated.bibtex
    assert dated.csl["accessed"] == {"raw": "2027-01-05"}


def test_every_claim_has_a_collapsed_cite_box(html_book) -> None:
    needs = _needs(html_book)
    pages: dict[str, list[str]] = {}
    for key, need in needs.items():
        if need["type"] == "claim":
            pages.setdefault(need["docname"], []).append(key)
    for doc, ids in pages.items():
        page = (html_book / f"{doc}.html").read_text(encoding="utf-8")
        boxes = re.findall(r'<details class="claim-cite"><summary title="Cite claim (\w+)"', page)
        assert sorted(boxes) == sorted(ids), doc
        assert '<details class="claim-cite" open' not in page  # collapsed: prose first


def test_edition_is_on_every_page(html_book) -> None:
    edition = load()
    marker = f"Version {edition.version}, as of {edition.as_of_long}"
    pages = sorted(html_book.glob("*.html"))
    missing = [p.name for p in pages if p.name != "permalink.html" and marker not in p.read_text()]
    assert missing == []
    index = (html_book / "index.html").read_text()
    assert f"This is version {edition.version} of the book" in index  # MyST substitution


def test_permalink_page_maps_every_need_offline(html_book) -> None:
    page = (html_book / "permalink.html").read_text(encoding="utf-8")
    data = re.search(r'<script id="locations" type="application/json">(.*?)</script>', page)
    locations = json.loads(data.group(1))
    needs = _needs(html_book)
    # a withdrawn claim's permalink lands on its note in the corrections log
    withdrawn = {k: f"corrections.html#{k}" for k in history.load(REPO).withdrawals()}
    assert withdrawn and not withdrawn.keys() & needs.keys()
    assert locations == {k: f"{n['docname']}.html#{k}" for k, n in needs.items()} | withdrawn
    assert "XMLHttpRequest" not in page and "fetch(" not in page  # works from file://
    for key, target in locations.items():
        doc = target.split("#")[0]
        assert f'id="{key}"' in (html_book / doc).read_text(encoding="utf-8")


def test_claims_index_has_the_filters_it_needs(html_book) -> None:
    page = (html_book / "claims.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="[^"]*claims-filter[^"]*".*?</table>', page, flags=re.S)
    headers = re.findall(r'<th class="head[^"]*"[^>]*><p>([^<]+)</p>', table.group(0))
    assert {"Chapter", "Kind", "Status", "Sources"} <= set(headers)  # claims-filter.js columns
    assert '<script src="_static/claims-filter.js' in page
    assert (html_book / "_static" / "claims-filter.js").is_file()
    assert "cdn" not in (html_book / "_static" / "claims-filter.js").read_text().lower()


def test_traceability_lists_the_claims_resting_on_each_source(html_book) -> None:
    needs = _needs(html_book)
    page = (html_book / "traceability.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="need row-\w+" data-need-id="(SRC_\w+)">(.*?)</tr>', page, re.S)
    cited_by = {}
    for source_id, row in rows:
        cell = re.search(r'<td class="needs_cites_back">(.*?)</td>', row, flags=re.S).group(1)
        links = re.findall(r'href="([\w-]+)\.html#(CLM_\w+)">', cell)
        assert all(doc == needs[key]["docname"] for doc, key in links), source_id
        cited_by[source_id] = sorted(key for _, key in links)
    sources = {k: n for k, n in needs.items() if n["type"] == "source"}
    assert cited_by == {k: sorted(n["cites_back"]) for k, n in sources.items()}
