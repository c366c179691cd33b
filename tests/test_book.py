"""The real book: strict HTML and PDF builds, the checker at 100 %, working PDF links."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO
from pypdf import PdfReader

from idcpc_book.checker.cli import main


@pytest.fixture
def html(real_book, html_book):
    return html_book, real_book.build("html")


@pytest.fixture
def pdf(real_book, pdf_book):
    return pdf_book, real_book.build("simplepdf")


def test_html_builds_without_warnings(html) -> None:
    out, result = html
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (out / "index.html").is_file()


def test_book_passes_the_checker(html, capsys, tmp_path) -> None:
    out, _ = html
    report = tmp_path / "check.json"
    code = main(["--root", str(REPO), "--needs", str(out / "needs.json"), "--json", str(report)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    summary = json.loads(report.read_text())["summary"]
    assert summary["coverage_percent"] == 100.0
    assert summary["claims"] >= 10


def test_every_claim_kind_is_used(html) -> None:
    out, _ = html
    needs = json.loads((out / "needs.json").read_text())["versions"][""]["needs"]
    kinds = {n["kind"] for n in needs.values() if n["type"] == "claim"}
    assert kinds == {"fact", "attributed", "assessment"}


def test_claims_render_as_prose_with_a_linkable_id(html) -> None:
    out, _ = html
    page = (out / "visit-2024.html").read_text(encoding="utf-8")
    assert 'id="CLM_VISIT_ARRIVAL"' in page
    assert 'href="#CLM_VISIT_ARRIVAL"' in page  # the marker in the margin links to the claim


def test_timeline_lists_every_dated_claim_in_date_order(html) -> None:
    out, _ = html
    needs = json.loads((out / "needs.json").read_text())["versions"][""]["needs"]
    dated = {i for i, n in needs.items() if n["type"] == "claim" and n.get("event_date")}
    page = (out / "timeline.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="need[^"]*" data-need-id="(CLM_[A-Z0-9_]+)">', page)
    dates = re.findall(r'<td class="needs_event_date"><p>([0-9-]+)</p></td>', page)
    assert "CLM_VISIT_ARRIVAL" in dated
    assert set(rows) == dated and len(rows) == len(dated)
    assert dates == sorted(dates) and len(dates) == len(rows)
    assert "{cite:" not in page


@pytest.mark.client
def test_pdf_builds_without_warnings(pdf) -> None:
    out, result = pdf
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (out / "idcpc-cpec-reference.pdf").is_file()


@pytest.mark.client
def test_pdf_internal_links_all_resolve(pdf) -> None:
    out, _ = pdf
    reader = PdfReader(out / "idcpc-cpec-reference.pdf")
    names = set(reader.named_destinations)
    internal = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                continue
            dest = annot.get("/Dest") or (action or {}).get("/D")
            internal.append(str(dest))
    assert internal, "the PDF has no internal links"
    assert [d for d in internal if d not in names] == []
    assert "CLM_VISIT_ARRIVAL" in names  # claim IDs are link targets in the PDF
