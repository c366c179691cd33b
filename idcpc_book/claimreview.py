"""Each claim as a schema.org ``ClaimReview``: the export ``claimreview.jsonld`` and the
JSON-LD embedded in each HTML page that holds claims (:mod:`idcpc_book.ext.book.claimreview`)
come from this one generator, so they say the same thing.

A claim's review rates it by its status, the book's declared label
(:data:`idcpc_book.model.STATUSES`) as ``alternateName`` on the numeric scale of
:data:`idcpc_book.model.STATUS_RATINGS`, which the methodology page prints. The item
reviewed is the claim as it appears in its cited sources (``appearance``: each source's
URL, title, publisher and date); its ``author`` is the publisher when all its sources have
one and the same, and is left out otherwise. The review's ``url`` is the claim's permanent
link in the edition (:func:`idcpc_book.cite.permalink`: the edition's base URL).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from idcpc_book.cite import permalink
from idcpc_book.edition import Edition
from idcpc_book.escape import html_safe_json
from idcpc_book.model import STATUS_RATINGS, STATUSES, claims_by_id

Needs = Mapping[str, Mapping[str, Any]]
Texts = Mapping[str, tuple[str, str]]

BEST, WORST = max(STATUS_RATINGS.values()), min(STATUS_RATINGS.values())


def rating(status: str) -> dict[str, Any]:
    """The review's rating: the status on the book's scale."""
    return {
        "@type": "Rating",
        "ratingValue": STATUS_RATINGS[status],
        "bestRating": BEST,
        "worstRating": WORST,
        "alternateName": status,
        "ratingExplanation": STATUSES[status],
    }


def _appearance(source: Mapping[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": source.get("url")}
    if source.get("title"):
        work["headline"] = source["title"]
    if source.get("published"):
        work["datePublished"] = source["published"]
    if source.get("publisher"):
        work["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    return work


def claim_review(
    need: Mapping[str, Any], needs: Needs, texts: Texts, edition: Edition
) -> dict[str, Any]:
    """One claim's ``ClaimReview``."""
    claim_id = need["id"]
    url = permalink(edition, claim_id)
    sources = [needs[s] for s in sorted(need.get("cites") or []) if s in needs]
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": [_appearance(s) for s in sources],
    }
    publishers = {s.get("publisher") for s in sources}
    if len(publishers) == 1 and None not in publishers and "" not in publishers:
        item["author"] = {"@type": "Organization", "name": publishers.pop()}
    return {
        "@type": "ClaimReview",
        "@id": url,
        "url": url,
        "identifier": claim_id,
        "datePublished": edition.as_of,
        "author": {"@type": "Organization", "name": edition.authors, "url": edition.base_url},
        "isPartOf": {
            "@type": "Book",
            "name": edition.title,
            "version": edition.version,
            "url": edition.base_url,
        },
        "claimReviewed": texts[claim_id][1] if claim_id in texts else "",
        "reviewRating": rating(need.get("status") or ""),
        "itemReviewed": item,
    }


def graph(
    needs: Needs, texts: Texts, edition: Edition, claim_ids: Iterable[str] | None = None
) -> dict[str, Any]:
    """The ``ClaimReview`` of each claim (of ``claim_ids`` only, when given), by ID."""
    wanted = None if claim_ids is None else set(claim_ids)
    reviews = [
        claim_review(need, needs, texts, edition)
        for need in claims_by_id(needs)
        if wanted is None or need["id"] in wanted
    ]
    return {"@context": "https://schema.org", "@graph": reviews}


def script_json(data: dict[str, Any]) -> str:
    """JSON-LD text that can sit inside an HTML ``<script>``: no ``<``, ``>`` or ``&``
    (:func:`idcpc_book.escape.html_safe_json`), so a claim's text cannot end it."""
    return html_safe_json(json.dumps(data, ensure_ascii=False, sort_keys=True))
