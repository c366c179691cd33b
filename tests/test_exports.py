"""The exports (claims.json/.csv, sources.json, ClaimReview JSON-LD) of the real book."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import REPO, sphinx_build
from test_cite import html_book  # noqa: F401  (the shared HTML build)

from idcpc_book.bib import read_bib
from idcpc_book.exports import FILES, reviewed_pairs, verdict_label
from idcpc_book.model import QUOTE_SEPARATOR


def _needs(out) -> dict:
    return json.loads((out / "needs.json").read_text())["versions"][""]["needs"]


def test_every_claim_is_in_claims_csv_with_its_sources(html_book) -> None:  # noqa: F811
    needs = _needs(html_book)
    rows = list(csv.DictReader(io.StringIO((html_book / "exports" / "claims.csv").read_text())))
    by_id = {row["id"]: row for row in rows}
    claims = {k: n for k, n in needs.items() if n["type"] == "claim"}
    assert sorted(by_id) == sorted(claims)
    assert [row["id"] for row in rows] == sorted(claims)  # stable order
    for key, need in claims.items():
        row = by_id[key]
        assert row["source_ids"].split(" | ") == sorted(need["cites"]), key
        assert row["source_urls"].split(" | ") == [needs[s]["url"] for s in sorted(need["cites"])]
        assert (row["kind"], row["status"], row["chapter"]) == (
            need["kind"],
            need["status"],
            need["docname"],
        )
        assert row["quotes"] == QUOTE_SEPARATOR.join(
            q.strip() for q in need["quote"].split(QUOTE_SEPARATOR.strip())
        )
        assert row["text"] and "{cite" not in row["text"] and "`" not in row["text"], key


def test_claims_json_has_plain_text_and_evidence(html_book) -> None:  # noqa: F811
    data = json.loads((html_book / "exports" / "claims.json").read_text())
    claim = next(c for c in data["claims"] if c["id"] == "CLM_VISIT_ARRIVAL")
    assert claim["text"].startswith("Liu arrived on Thursday 20 June 2024 and was received")
    assert claim["text"].endswith("Ambassador Imran Ahmed Siddiqui.")  # citation dropped
    assert claim["event_date"] == "2024-06-20"
    assert claim["quotes"][0].startswith("He was received at the Islamabad International Airport")
    assert {s["kind"] for s in claim["sources"]} == {"independent-media"}
    assert claim["page"] == "visit-2024.html#CLM_VISIT_ARRIVAL"
    assert data["edition"]["as_of"] == "2026-11-24"


def test_sources_json_matches_refs_bib_and_records(html_book) -> None:  # noqa: F811
    needs = _needs(html_book)
    sources = json.loads((html_book / "exports" / "sources.json").read_text())["sources"]
    assert [s["id"] for s in sources] == sorted(
        k for k, n in needs.items() if n["type"] == "source"
    )
    bib = read_bib(REPO / "refs.bib")
    for source in sources:
        entry = bib.entries[source["bibkey"]]
        assert source["url"] == entry.fields["url"]
        assert source["accessed"] == entry.fields["urldate"]
        assert (REPO / source["archive"]).is_file()
        assert source["cited_by"] == sorted(needs[source["id"]]["cites_back"])
        assert source["kind"] and source["title"] and source["date"]


def test_claimreview_items_are_complete(html_book) -> None:  # noqa: F811
    needs = _needs(html_book)
    data = json.loads((html_book / "exports" / "claimreview.jsonld").read_text())
    assert data["@context"] == "https://schema.org"
    reviews = data["@graph"]
    assert len(reviews) >= 20
    for review in reviews:
        verdict = needs[review["identifier"]]
        statement = needs[review["itemReviewed"]["identifier"]]
        assert review["@type"] == "ClaimReview"
        assert (verdict["docname"], verdict["kind"]) == ("seeds", "assessment")
        assert statement["kind"] == "attributed"
        assert review["claimReviewed"] and review["reviewBody"].startswith("Verdict")
        assert review["reviewRating"]["alternateName"]
        assert review["itemReviewed"]["author"]["name"]
        assert review["itemReviewed"]["appearance"][0]["url"].startswith("https://")
        assert review["url"].endswith("permalink.html?id=" + review["identifier"])
    dates = next(r for r in reviews if r["identifier"] == "CLM_SEED_000_VERDICT_VISIT_DATES")
    assert dates["itemReviewed"]["identifier"] == "CLM_SEED_000_SAYS_VISIT"
    assert dates["reviewRating"]["alternateName"] == "verified"
    assert dates["itemReviewed"]["author"]["name"].startswith("GSRRA")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Verdict on the dates: verified. Xinhua reports.", "verified"),
        ("Verdict: unverified. It is verified elsewhere.", "unverified"),
        (
            'Verdict on "chairman": contradicted in detail, and outdated. More.',
            "contradicted; outdated",
        ),
        ("Verdict on the agenda: a plan, not checkable. More.", "a plan, not checkable"),
    ],
)
def test_verdict_label(text, label) -> None:
    assert verdict_label(text) == label


def _claim(key, kind, reviews=()):
    return {"id": key, "type": "claim", "kind": kind, "reviews": list(reviews), "cites": []}


def test_a_verdict_pairs_with_the_statements_it_reviews() -> None:
    needs = {
        c["id"]: c
        for c in [
            _claim("CLM_A_SAYS", "attributed"),
            _claim("CLM_B_SAYS", "attributed"),
            _claim("CLM_A_VERDICT", "assessment", ["CLM_A_SAYS", "CLM_B_SAYS"]),
            _claim("CLM_A_NOTE", "assessment"),  # reviews nothing: not a ClaimReview
        ]
    }
    pairs = [(v["id"], s["id"]) for v, s in reviewed_pairs(needs)]
    assert pairs == [("CLM_A_VERDICT", "CLM_A_SAYS"), ("CLM_A_VERDICT", "CLM_B_SAYS")]


def test_exports_are_byte_identical_when_rebuilt(html_book, tmp_path) -> None:  # noqa: F811
    again = tmp_path / "again"
    result = sphinx_build(REPO / "docs", again, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (again / "exports" / name).read_bytes() == (
            html_book / "exports" / name
        ).read_bytes(), name
    assert (again / "permalink.html").read_bytes() == (html_book / "permalink.html").read_bytes()
