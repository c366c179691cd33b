"""The exports (claims.json/.csv, sources.json, the database) of the real book; the
ClaimReview JSON-LD: tests/test_claimreview.py."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

from conftest import REPO

from idcpc_book import edition
from idcpc_book.inputs.bib import read_bib
from idcpc_book.model import QUOTE_SEPARATOR


def _needs(out) -> dict:
    return json.loads((out / "needs.json").read_text())["versions"][""]["needs"]


def test_every_claim_is_in_claims_csv_with_its_sources(html_book) -> None:
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


def test_claims_json_has_plain_text_and_evidence(html_book) -> None:
    data = json.loads((html_book / "exports" / "claims.json").read_text())
    claim = next(c for c in data["claims"] if c["id"] == "CLM_VISIT_ARRIVAL")
    assert claim["text"].startswith("Liu arrived on Thursday 20 June 2024 and was received")
    assert claim["text"].endswith("Ambassador Imran Ahmed Siddiqui.")  # citation dropped
    assert claim["event_date"] == "2024-06-20"
    assert claim["quotes"][0].startswith("He was received at the Islamabad International Airport")
    assert {s["kind"] for s in claim["sources"]} == {"independent-media"}
    assert claim["page"] == "visit-2024.html#CLM_VISIT_ARRIVAL"
    assert data["edition"]["as_of"] == edition.load(REPO / "pyproject.toml").as_of


def _exported(out: Path) -> tuple[dict, dict]:
    """The claims of claims.json and the rows of claims.csv, by ID."""
    data = json.loads((out / "exports" / "claims.json").read_text())
    with (out / "exports" / "claims.csv").open(newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    return {c["id"]: c for c in data["claims"]}, rows


def test_money_figures_are_exported_with_measure_and_package(html_book) -> None:
    claims, rows = _exported(html_book)
    assert claims["CLM_CPEC_2023_DIRECT_INVESTMENT"]["money"] == {
        "usd_bn_low": 25.4,
        "usd_bn_high": 25.4,
        "measure": "invested",
        "package": "Chinese direct investment under CPEC in its first ten years, to 2023",
    }
    assert claims["CLM_VISIT_ARRIVAL"]["money"] == dict.fromkeys(
        ("usd_bn_low", "usd_bn_high", "measure", "package")
    )
    size = rows["CLM_CPEC_HEADLINE_SIZE_VARIES"]
    assert (size["amount_usd_bn"], size["measure"]) == ("50-65", "headline")
    assert rows["CLM_VISIT_ARRIVAL"]["amount_usd_bn"] == ""


def test_terms_of_office_are_exported(html_book) -> None:
    claims, rows = _exported(html_book)
    assert claims["CLM_PEOPLE_LIU_JIANCHAO_TERM"]["term"] == {
        "office": "Head of the IDCPC",
        "holder": "Liu Jianchao",
        "start": "2022-06-02",
        "end": "2025-09",
    }
    assert claims["CLM_VISIT_ARRIVAL"]["term"] == dict.fromkeys(
        ("office", "holder", "start", "end")
    )
    hashmi = rows["CLM_PEOPLE_KHALIL_HASHMI"]
    assert (hashmi["office"], hashmi["holder"], hashmi["term_start"], hashmi["term_end"]) == (
        "Pakistan's ambassador to China",
        "Khalil Hashmi",
        "2023-11-13",
        "",
    )


def test_sources_json_matches_refs_bib_and_records(html_book) -> None:
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


# -- claims.sqlite ----------------------------------------------------------------------

LINKS = ("contradicts", "supersedes", "reviews")


def _db(path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


def _column(value):
    """A JSON value as the database stores it in a column (a list or mapping as JSON)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return int(value) if isinstance(value, bool) else value


def _row(record: dict) -> dict:
    """The columns of a record's own row: its scalars, and its mappings flattened."""
    row = {}
    for key, value in record.items():
        if isinstance(value, dict):
            row.update({f"{key}_{k}": _column(v) for k, v in value.items()})
        elif not isinstance(value, list):
            row[key] = value
    return row


def _items(con, table: str, owner: str, key: str) -> list:
    rows = con.execute(f"SELECT * FROM {table} WHERE {owner} = ? ORDER BY position", (key,))
    items = [{k: v for k, v in dict(r).items() if k not in (owner, "position")} for r in rows]
    return [next(iter(i.values())) if len(i) == 1 else i for i in items]


def _lists_match(con, entity: str, record: dict, done: tuple[str, ...]) -> None:
    """Every other list field of a record is in ``<entity>_<field>``, item for item."""
    for key, value in record.items():
        if isinstance(value, list) and key not in done:
            expected = [
                {k: _column(v) for k, v in i.items()} if isinstance(i, dict) else i for i in value
            ]
            assert _items(con, f"{entity}_{key}", f"{entity}_id", record["id"]) == expected, key


def test_claims_sqlite_holds_the_json_exports_row_for_row(html_book) -> None:
    exported = html_book / "exports"
    claims = json.loads((exported / "claims.json").read_text())
    sources = json.loads((exported / "sources.json").read_text())
    con = _db(exported / "claims.sqlite")
    assert dict(con.execute("SELECT * FROM edition").fetchone()) == claims["edition"]
    assert [dict(r) for r in con.execute("SELECT * FROM claims ORDER BY rowid")] == [
        _row(c) for c in claims["claims"]
    ]
    assert [dict(r) for r in con.execute("SELECT * FROM sources ORDER BY rowid")] == [
        _row(s) for s in sources["sources"]
    ]
    links = {(r[0], r[1], r[2]) for r in con.execute("SELECT * FROM claim_links")}
    cited = {(r[0], r[1]) for r in con.execute("SELECT claim_id, source_id FROM claim_sources")}
    assert links == {(c["id"], k, t) for c in claims["claims"] for k in LINKS for t in c[k]}
    assert any(k == "reviews" for _, k, _ in links)
    assert cited == {(c["id"], s["id"]) for c in claims["claims"] for s in c["sources"]}
    assert con.execute("SELECT count(*) FROM claim_sources").fetchone()[0] == len(cited)
    for claim in claims["claims"]:
        assert _items(con, "claim_quotes", "claim_id", claim["id"]) == claim["quotes"]
        _lists_match(con, "claim", claim, ("sources", *LINKS))
    for source in sources["sources"]:
        _lists_match(con, "source", source, ())


def test_claims_fts_finds_a_claim_by_a_word_of_its_quote(html_book) -> None:
    """Each claim whose quotes hold a word its text does not is found by that word."""
    con = _db(html_book / "exports" / "claims.sqlite")
    match = "SELECT id FROM claims_fts WHERE claims_fts MATCH ?"
    searched = 0
    for claim in json.loads((html_book / "exports" / "claims.json").read_text())["claims"]:
        text_words = set(re.findall(r"\w+", claim["text"].lower()))
        quote_words = re.findall(r"\w+", " ".join(claim["quotes"]).lower())
        word = next((w for w in quote_words if w not in text_words and len(w) > 4), None)
        if word is None:
            continue
        assert claim["id"] in [r[0] for r in con.execute(match, (f'"{word}"',))], word
        assert claim["id"] in [r[0] for r in con.execute(match, (f'quotes : "{word}"',))], word
        searched += 1
    assert searched > 100


def _record(key: str, **fields) -> dict:
    return {"id": key, "kind": "fact", "text": f"Text of {key}.", **fields}


def test_fields_added_to_the_records_reach_the_database(tmp_path) -> None:
    """The tables follow the records' shapes: a new scalar is a column, a new list a table."""
    from idcpc_book.sqlite_export import write

    claims = [
        _record(
            "CLM_A",
            added_in="0.2.0",
            checked=True,
            citation={"text": "A.", "csl": {"id": "CLM_A"}},
            sources=[{"id": "SRC_X", "title": "X"}],
            quotes=["first quote", "second quote"],
            evidence=[{"source": "SRC_X", "quote": "first quote"}],
            changed_in=["0.1.0", "0.2.0"],
            contradicts=[],
            supersedes=["CLM_B"],
            reviews=[],
        ),
        _record(
            "CLM_B",
            added_in=None,
            checked=False,
            citation={"text": "B.", "csl": {"id": "CLM_B"}},
            sources=[],
            quotes=[],
            evidence=[],
            changed_in=[],
            contradicts=["CLM_A"],
            supersedes=[],
            reviews=[],
        ),
    ]
    sources = [{"id": "SRC_X", "title": "X", "kind": "reference", "cited_by": ["CLM_A"]}]
    edition = {"title": "T", "version": "1.0", "as_of": "2026-01-01", "url": "https://x/"}
    path = tmp_path / "claims.sqlite"
    write(path, edition, claims, sources)
    con = _db(path)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'claims_fts_%' ORDER BY rowid"
        )
    ]
    assert tables == [
        "edition",
        "claims",
        "claim_links",
        "claim_sources",
        "claim_quotes",
        "claim_evidence",
        "claim_changed_in",
        "sources",
        "source_cited_by",
        "claims_fts",
    ]
    assert [tuple(r) for r in con.execute("SELECT * FROM claims")] == [
        ("CLM_A", "fact", "Text of CLM_A.", "0.2.0", 1, "A.", '{"id": "CLM_A"}'),
        ("CLM_B", "fact", "Text of CLM_B.", None, 0, "B.", '{"id": "CLM_B"}'),
    ]
    assert [r[1] for r in con.execute("PRAGMA table_info(claims)")] == [
        "id",
        "kind",
        "text",
        "added_in",
        "checked",
        "citation_text",
        "citation_csl",
    ]
    assert [tuple(r) for r in con.execute("SELECT * FROM claim_evidence")] == [
        ("CLM_A", 1, "SRC_X", "first quote")
    ]
    assert [tuple(r) for r in con.execute("SELECT * FROM claim_changed_in")] == [
        ("CLM_A", 1, "0.1.0"),
        ("CLM_A", 2, "0.2.0"),
    ]
    assert [tuple(r) for r in con.execute("SELECT * FROM claim_links")] == [
        ("CLM_A", "supersedes", "CLM_B"),
        ("CLM_B", "contradicts", "CLM_A"),
    ]
    assert [tuple(r) for r in con.execute("SELECT * FROM claim_sources")] == [("CLM_A", "SRC_X")]
    assert [tuple(r) for r in con.execute("SELECT * FROM claim_quotes")] == [
        ("CLM_A", 1, "first quote"),
        ("CLM_A", 2, "second quote"),
    ]
    assert [tuple(r) for r in con.execute("SELECT * FROM source_cited_by")] == [
        ("SRC_X", 1, "CLM_A")
    ]
    found = con.execute("SELECT id FROM claims_fts WHERE claims_fts MATCH 'quotes'").fetchall()
    assert [r[0] for r in found] == ["CLM_A"]  # "quote", stemmed
    con.close()
    first = path.read_bytes()
    write(path, edition, claims, sources)  # over the old file
    assert path.read_bytes() == first
