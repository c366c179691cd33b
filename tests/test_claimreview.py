"""Each claim's schema.org ClaimReview: embedded as JSON-LD in the page that holds it, read
back as a search engine reads it (extruct), with a rating on the book's declared scale,
and the same data as the export ``claimreview.jsonld``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import extruct
import pytest
from conftest import REPO, ROOTS, sphinx_build

from idcpc_book import claimreview, edition
from idcpc_book.cite import permalink
from idcpc_book.model import STATUS_RATINGS, STATUSES

#: The properties schema.org gives each type written (its own and those it inherits:
#: ClaimReview < Review < CreativeWork < Thing; Rating; Claim < CreativeWork; Book;
#: Organization), https://schema.org/<Type>; and those each one must have.
ALLOWED = {
    "ClaimReview": {
        "@id", "@type", "url", "identifier", "datePublished", "author", "isPartOf",
        "claimReviewed", "reviewRating", "itemReviewed",
    },
    "Rating": {
        "@type", "ratingValue", "bestRating", "worstRating", "alternateName", "ratingExplanation",
    },
    "Claim": {"@type", "appearance", "author"},
    "CreativeWork": {"@type", "url", "headline", "datePublished", "publisher"},
    "Organization": {"@type", "name", "url"},
    "Book": {"@type", "name", "version", "url"},
}  # fmt: skip
REQUIRED = {
    "ClaimReview": {"url", "author", "claimReviewed", "reviewRating", "itemReviewed"},
    "Rating": {"ratingValue", "bestRating", "worstRating", "alternateName"},
    "Claim": {"appearance"},
    "CreativeWork": {"url"},
    "Organization": {"name"},
}


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every typed node of a JSON-LD value."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _shape_faults(graph: dict[str, Any]) -> list[str]:
    faults = []
    for node in _nodes(graph["@graph"]):
        kind = node["@type"]
        extra = set(node) - ALLOWED.get(kind, set())
        missing = REQUIRED.get(kind, set()) - set(node)
        if extra or missing:
            faults.append(f"{kind}: not schema.org's {sorted(extra)}, missing {sorted(missing)}")
    return faults


def reviews_in(page: Path) -> list[dict[str, Any]]:
    """The ClaimReview items of a page's JSON-LD, as extruct reads them; each graph is
    checked against schema.org's properties first."""
    found = extruct.extract(page.read_text(encoding="utf-8"), syntaxes=["json-ld"])["json-ld"]
    items = []
    for graph in found:
        assert graph["@context"] == "https://schema.org"
        assert _shape_faults(graph) == []
        items += [item for item in graph["@graph"] if item["@type"] == "ClaimReview"]
    return items


def test_every_status_has_a_rating_on_one_scale() -> None:
    assert sorted(STATUS_RATINGS) == sorted(STATUSES)
    assert len(set(STATUS_RATINGS.values())) == len(STATUS_RATINGS)
    assert (claimreview.BEST, claimreview.WORST) == (3, 0)
    assert STATUS_RATINGS["verified"] == claimreview.BEST
    assert STATUS_RATINGS["superseded"] == claimreview.WORST


def _source(key: str, publisher: str) -> dict[str, Any]:
    return {"id": key, "type": "source", "url": f"https://{key}.example/", "publisher": publisher}


@pytest.mark.parametrize(
    ("publishers", "author"),
    [(["Dawn"], "Dawn"), (["Dawn", "Dawn"], "Dawn"), (["Dawn", "Xinhua"], None), ([""], None)],
)
def test_a_claim_has_an_author_only_when_its_sources_have_one_publisher(publishers, author) -> None:
    needs: dict[str, dict[str, Any]] = {
        f"SRC_{i}": _source(f"SRC_{i}", name) for i, name in enumerate(publishers)
    }
    claim = {"id": "CLM_X", "type": "claim", "status": "disputed", "cites": list(needs)}
    needs["CLM_X"] = claim
    book = edition.load(REPO / "pyproject.toml")
    review = claimreview.claim_review(claim, needs, {"CLM_X": ("index", "X.")}, book)
    assert review["itemReviewed"].get("author", {}).get("name") == author
    assert [a["url"] for a in review["itemReviewed"]["appearance"]] == [
        needs[key]["url"] for key in sorted(needs) if key.startswith("SRC_")
    ]
    assert review["reviewRating"]["alternateName"] == "disputed"
    assert review["reviewRating"]["ratingValue"] == 1
    assert _shape_faults({"@graph": [review]}) == []


@pytest.fixture(scope="module")
def tiny_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("claimreview") / "html"
    result = sphinx_build(ROOTS / "clean" / "docs", out, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    return out


def test_a_page_with_claims_embeds_a_review_of_each(tiny_html) -> None:
    reviews = {r["identifier"]: r for r in reviews_in(tiny_html / "index.html")}
    assert sorted(reviews) == ["CLM_TALKS", "CLM_VISIT"]
    talks = reviews["CLM_TALKS"]
    assert talks["claimReviewed"] == "Talks were held."
    assert talks["reviewRating"]["alternateName"] == "verified"
    assert talks["url"] == permalink(edition.load(REPO / "pyproject.toml"), "CLM_TALKS")
    assert reviews["CLM_VISIT"]["reviewRating"]["ratingValue"] == STATUS_RATINGS["unverified"]


def test_a_page_without_claims_embeds_none(tiny_html) -> None:
    assert reviews_in(tiny_html / "genindex.html") == []


def test_every_claim_of_the_real_book_is_reviewed_on_its_page(html_book) -> None:
    """Every chapter page's JSON-LD reads back with a ClaimReview per claim on the page and a
    declared rating for each; together they are the export, item for item."""
    needs = json.loads((html_book / "needs.json").read_text())["versions"][""]["needs"]
    claims = {k: n for k, n in needs.items() if n["type"] == "claim"}
    texts = {
        c["id"]: c["text"]
        for c in json.loads((html_book / "exports" / "claims.json").read_text())["claims"]
    }
    book = edition.load(REPO / "pyproject.toml")
    seen: dict[str, dict[str, Any]] = {}
    for doc in sorted({n["docname"] for n in claims.values()}):
        reviews = reviews_in(html_book / f"{doc}.html")
        assert sorted(r["identifier"] for r in reviews) == sorted(
            k for k, n in claims.items() if n["docname"] == doc
        ), doc
        for review in reviews:
            claim = claims[review["identifier"]]
            rating = review["reviewRating"]
            assert rating["alternateName"] == claim["status"]
            assert rating["ratingValue"] == STATUS_RATINGS[claim["status"]]
            assert review["claimReviewed"] == texts[claim["id"]]
            assert review["url"] == permalink(book, claim["id"])
            urls = [a["url"] for a in review["itemReviewed"]["appearance"]]
            assert urls == [needs[s]["url"] for s in sorted(claim["cites"])]
            seen[claim["id"]] = review
    assert sorted(seen) == sorted(claims)
    export = json.loads((html_book / "exports" / "claimreview.jsonld").read_text())
    assert export["@graph"] == [seen[key] for key in sorted(seen)]
