"""Machine-readable exports of the book: claims, sources and ClaimReview JSON-LD (the list
of files: :mod:`idcpc_book.export_list`).

Written by :mod:`idcpc_book.ext.book.claims` when the HTML build finishes, from the
resolved sphinx-needs data (the same data as ``needs.json``; the source fields come from
``refs.bib`` and ``sources/`` through :mod:`idcpc_book.inputs.bib` and
:mod:`idcpc_book.inputs.records`) plus each claim's text without markup. Everything is
sorted and no clock is read, so a rebuild of the same commit gives byte-identical files.

The needs are read where sphinx-needs keeps them (any mapping of need ID to a mapping of
fields: its ``NeedsView`` of ``NeedItem``), not copied. :func:`write_all` writes each
file as soon as it is made, the JSON in pieces: ``json.dumps`` with ``indent`` runs
Python's pure-Python encoder, which gathers every piece of the text in one list before
joining them (2.5 million pieces and 100 MB for a 13 MB ``claims.json`` at 5000 claims,
the peak memory of the whole build). The text written is :func:`render_all`'s.

* ``claims.json`` / ``claims.csv``: every claim with its chapter, kind, status, dates,
  text, sources (URL, kind), evidence grade (:mod:`idcpc_book.evidence`), evidence quotes,
  citation, the edition it was added in and the corrections entries that changed it;
  ``claims.json`` also carries the corrections log and the withdrawn claims
  (:mod:`idcpc_book.history`).
* ``sources.json``: every source with its bibliographic facts, archive path and the claims
  resting on it.
* ``claimreview.jsonld``: every claim as a schema.org ``ClaimReview`` rated by its status,
  the format fact-checkers publish in (:mod:`idcpc_book.claimreview`, which also makes the
  JSON-LD embedded in each chapter page).
* ``claims.sqlite``: the records of ``claims.json`` and ``sources.json`` as tables, with
  full-text search (:mod:`idcpc_book.sqlite_export`).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from idcpc_book import claimreview, evidence, sqlite_export
from idcpc_book.cite import cite
from idcpc_book.edition import Edition
from idcpc_book.escape import csv_cell, html_safe_json
from idcpc_book.export_list import DATABASE, FILES
from idcpc_book.history import History
from idcpc_book.model import (
    QUOTE_SEPARATOR,
    TERM_OPTIONS,
    amount_range,
    claims_by_id,
    split_quotes,
)

CSV_COLUMNS = (
    "id",
    "chapter",
    "chapter_title",
    "section",
    "kind",
    "status",
    "as_of",
    "event_date",
    "evidence",
    "evidence_reason",
    "amount_usd_bn",
    "measure",
    "package",
    *TERM_OPTIONS,
    "key_fact",
    "text",
    "source_ids",
    "source_urls",
    "source_kinds",
    "quotes",
    "url",
    "citation",
    "added_in",
    "changed_in",
)
#: Separator of several values in one CSV cell.
CSV_LIST_SEPARATOR = " | "

Needs = Mapping[str, Mapping[str, Any]]
Texts = Mapping[str, tuple[str, str]]

_JSON = {"indent": 2, "ensure_ascii": False, "sort_keys": True}
#: Pieces of JSON text joined and written at a time by :func:`_write_json`.
_JSON_BATCH = 65536


def _dump_json(data: Any) -> str:
    return json.dumps(data, **_JSON) + "\n"


def _write_json(path: Path, data: Any) -> None:
    """Write ``_dump_json(data)`` to ``path``, a batch of pieces at a time."""
    pieces = json.JSONEncoder(**_JSON).iterencode(data)  # what json.dumps joins
    with path.open("w", encoding="utf-8", newline="") as out:
        for batch in iter(lambda: list(itertools.islice(pieces, _JSON_BATCH)), []):
            out.write("".join(batch))
        out.write("\n")


def _source_summary(need: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": need["id"],
        "bibkey": need.get("bibkey"),
        "cited_as": need.get("cited_as"),
        "title": need.get("title"),
        "publisher": need.get("publisher"),
        "url": need.get("url"),
        "kind": need.get("kind"),
        "carries": need.get("carries"),
    }


def _edition(edition: Edition) -> dict[str, str]:
    return {
        "title": edition.title,
        "version": edition.version,
        "as_of": edition.as_of,
        "url": edition.base_url,
    }


def _changed_in(past: History, claim_id: str) -> list[dict[str, Any]]:
    return [
        {"entry": e.id, "type": e.type, "edition": past.entry_edition(e.id)}
        for e in past.entries_for(claim_id)
    ]


def corrections(past: History) -> list[dict[str, Any]]:
    """The corrections log's entries, each with the edition that first carried it
    (``None``: not yet in a released edition)."""
    return [{**e.as_dict(), "edition": past.entry_edition(e.id)} for e in past.entries]


def withdrawn(past: History) -> list[dict[str, Any]]:
    """Each withdrawn claim: its entry, what it last said and the claim replacing it."""
    out = []
    for claim_id, entry in sorted(past.withdrawals().items()):
        last = next((a for a in reversed(past.archives) if claim_id in a.claims), None)
        out.append(
            {
                "id": claim_id,
                "entry": entry.id,
                "date": entry.date,
                "why": entry.why,
                "replaced_by": entry.replaced_by,
                "last_edition": last.version if last else None,
                "last_text": last.claims[claim_id].text if last else None,
            }
        )
    return out


def claim_records(
    needs: Needs,
    texts: Texts,
    titles: Mapping[str, str],
    edition: Edition,
    past: History | None = None,
) -> list[dict[str, Any]]:
    """One record per claim, sorted by ID."""
    past = past or History([], [])
    records = []
    for need in claims_by_id(needs):
        citation = cite(edition, need["id"])
        quote = need.get("quote") or ""
        records.append(
            {
                "id": need["id"],
                "chapter": need["docname"],
                "chapter_title": titles.get(need["docname"], ""),
                "section": need.get("section_name") or "",
                "kind": need.get("kind"),
                "status": need.get("status"),
                "as_of": need.get("as_of"),
                "event_date": need.get("event_date"),
                "text": texts.get(need["id"], ("", ""))[1],
                "sources": [_source_summary(needs[s]) for s in sorted(need.get("cites", []))],
                "evidence": evidence.of_claim(need, needs).as_json(),
                "money": _money(need),
                "term": _term(need),
                "key_fact": need.get("key_fact"),
                "quotes": split_quotes(quote),
                "contradicts": sorted(need.get("contradicts", [])),
                "supersedes": sorted(need.get("supersedes", [])),
                "reviews": sorted(need.get("reviews") or []),
                "url": citation.url,
                "page": f"{need['docname']}.html#{need['id']}",
                "added_in": past.added_in(need["id"]),
                "changed_in": _changed_in(past, need["id"]),
                "citation": {
                    "text": citation.text,
                    "bibtex": citation.bibtex,
                    "csl": citation.csl,
                },
            }
        )
    return records


def _money(need: Mapping[str, Any]) -> dict[str, Any]:
    """A claim's money figure (all null when it states none): US$ billion, low and high."""
    amount = need.get("amount")
    low, high = amount_range(amount) if amount else (None, None)
    return {
        "usd_bn_low": low,
        "usd_bn_high": high,
        "measure": need.get("measure"),
        "package": need.get("package"),
    }


#: A term of office in the records, by option (the database's columns: ``term_office`` ...).
TERM_KEYS = ("office", "holder", "start", "end")


def _term(need: Mapping[str, Any]) -> dict[str, Any]:
    """A claim's term of office (all null when it describes none)."""
    return {key: need.get(name) for key, name in zip(TERM_KEYS, TERM_OPTIONS, strict=True)}


def _amount_text(record: Mapping[str, Any]) -> str:
    """The CSV's ``amount_usd_bn``: ``25.4``, or ``60-65`` for a range; empty for none."""
    low, high = record["money"]["usd_bn_low"], record["money"]["usd_bn_high"]
    if low is None:
        return ""
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def claims_csv(records: list[dict[str, Any]]) -> str:
    """The claims as CSV (one row per claim; lists joined with ``" | "``); a cell a
    spreadsheet would run as a formula starts with ``'`` (:func:`~idcpc_book.escape.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        sources = r["sources"]
        row = [
            r["id"],
            r["chapter"],
            r["chapter_title"],
            r["section"],
            r["kind"],
            r["status"],
            r["as_of"] or "",
            r["event_date"] or "",
            r["evidence"]["grade"],
            r["evidence"]["reason"],
            _amount_text(r),
            r["money"]["measure"] or "",
            r["money"]["package"] or "",
            *(r["term"][key] or "" for key in TERM_KEYS),
            "" if r["key_fact"] is None else str(r["key_fact"]),
            r["text"],
            CSV_LIST_SEPARATOR.join(s["id"] for s in sources),
            CSV_LIST_SEPARATOR.join(s["url"] or "" for s in sources),
            CSV_LIST_SEPARATOR.join(s["kind"] or "" for s in sources),
            QUOTE_SEPARATOR.join(r["quotes"]),
            r["url"],
            r["citation"]["text"],
            r["added_in"] or "",
            CSV_LIST_SEPARATOR.join(c["entry"] for c in r["changed_in"]),
        ]
        writer.writerow([csv_cell(c) if isinstance(c, str) else c for c in row])
    return buffer.getvalue()


def source_records(needs: Needs) -> list[dict[str, Any]]:
    """One record per source, sorted by ID, with the claims citing it."""
    return [
        {
            "id": n["id"],
            "bibkey": n.get("bibkey"),
            "cited_as": n.get("cited_as"),
            "title": n.get("title"),
            "publisher": n.get("publisher"),
            "date": n.get("published"),
            "url": n.get("url"),
            "accessed": n.get("accessed"),
            "kind": n.get("kind"),
            "carries": n.get("carries"),
            "archive": n.get("archive"),
            "cited_by": sorted(n.get("cites_back", [])),
        }
        for n in (needs[k] for k in sorted(needs))
        if n["type"] == "source"
    ]


def _files(
    needs: Needs, texts: Texts, titles: Mapping[str, str], edition: Edition, past: History
) -> Iterator[tuple[str, Any]]:
    """Each export file's name and content (a text, data written as JSON, or a function
    writing the file at the path it is given), made one at a time."""
    head = _edition(edition)
    records = claim_records(needs, texts, titles, edition, past)
    history = {"corrections": corrections(past), "withdrawn": withdrawn(past)}
    yield FILES[0], {"edition": head, "claims": records, **history}
    yield FILES[1], claims_csv(records)
    sources = source_records(needs)
    yield FILES[2], {"edition": head, "sources": sources}
    # JSON-LD is made to be pasted into a page's <script>: no "<" may end it there
    yield FILES[3], html_safe_json(_dump_json(claimreview.graph(needs, texts, edition)))
    yield (
        DATABASE,
        functools.partial(
            sqlite_export.write, edition=head, claims=records, sources=sources, extra=history
        ),
    )


def render_all(
    needs: Needs,
    texts: Texts,
    titles: Mapping[str, str],
    edition: Edition,
    past: History | None = None,
) -> dict[str, str]:
    """The text of every export file but the database, by file name."""
    return {
        name: content if isinstance(content, str) else _dump_json(content)
        for name, content in _files(needs, texts, titles, edition, past or History([], []))
        if not callable(content)
    }


def write_all(
    out: Path,
    needs: Needs,
    texts: Texts,
    titles: Mapping[str, str],
    edition: Edition,
    past: History | None = None,
) -> None:
    """Write the exports into ``out``: :func:`render_all`'s texts and the database, all
    or none.

    They are written into a new folder that then takes ``out``'s place, so a build that
    fails while writing them leaves no mix of new and old files in ``out``. That folder is
    beside the build's output folder, not in it: a build killed while writing leaves
    nothing hidden inside the folder that is published.
    """
    partial = out.parent.with_name(f".{out.parent.name}-{out.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for name, content in _files(needs, texts, titles, edition, past or History([], [])):
            if callable(content):
                content(partial / name)
            elif isinstance(content, str):
                (partial / name).write_text(content, encoding="utf-8", newline="")
            else:
                _write_json(partial / name, content)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)  # not ignore_errors: a folder that stays is reported, not hidden
    partial.rename(out)
