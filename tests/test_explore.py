"""``nox -s explore``: the claims database served by Datasette with the book's metadata,
queried over HTTP as a reader's browser or script does."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml
from conftest import REPO

from idcpc_book.edition import load

METADATA = REPO / "explore" / "metadata.yml"
#: Datasette's first start compiles its templates; a slow machine may take a while.
START_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(base: str, path: str, **params: str) -> object:
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def datasette(html_book):
    """Datasette serving the built book's claims.sqlite on a free port: its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "datasette", "serve", "--immutable",
            str(html_book / "exports" / "claims.sqlite"), "--metadata", str(METADATA),
            "--host", "127.0.0.1", "--port", str(port),
        ],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                _get(base, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"Datasette did not start:\n{server.communicate()[0]}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _claims(html_book) -> dict:
    data = json.loads((html_book / "exports" / "claims.json").read_text())
    return {c["id"]: c for c in data["claims"]}


def test_metadata_names_the_book_and_its_licence() -> None:
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    edition = load(REPO / "pyproject.toml")
    assert metadata["title"].startswith(edition.title)
    assert metadata["license"] == edition.licence
    assert metadata["source_url"].startswith(edition.base_url)
    assert metadata["description"] and metadata["source"]
    queries = metadata["databases"]["claims"]["queries"]
    assert all(q["title"] and q["description"] and q["sql"] for q in queries.values())


def test_served_metadata_is_the_file(datasette) -> None:
    served = json.loads(urllib.request.urlopen(f"{datasette}/-/metadata.json").read())
    assert served == yaml.safe_load(METADATA.read_text(encoding="utf-8"))


def test_canned_query_claims_on_chinese_state_media_only(datasette, html_book) -> None:
    rows = _get(datasette, "/claims/only_chinese_state_media.json")
    expected = sorted(
        key
        for key, claim in _claims(html_book).items()
        if claim["sources"] and {s["kind"] for s in claim["sources"]} == {"state-media-cn"}
    )
    assert [r["id"] for r in rows] == expected
    assert len(expected) > 5
    assert all(r["text"] for r in rows)


def test_canned_query_pakistani_outlets_on_the_jcm_2024(datasette, html_book) -> None:
    rows = _get(datasette, "/claims/pakistani_outlets_on_the_jcm_2024.json")
    claims = _claims(html_book)
    assert rows
    assert ("CLM_JCM_DAR_INVITATION_MAY_2024", "2024-05-14", "UrduPoint") in {
        (r["id"], r["date"], r["publisher"]) for r in rows
    }
    for row in rows:
        claim = claims[row["id"]]
        assert row["date"].startswith("2024")
        # the search stems words (porter): "consultation" matches "consultative"
        said = (claim["text"] + " ".join(claim["quotes"])).lower()
        assert "jcm" in said or re.search(r"joint consult\w* mechanism", said), row["id"]


def test_canned_queries_of_money_and_offices_hold_every_such_claim(datasette, html_book) -> None:
    claims = _claims(html_book)
    money = _get(datasette, "/claims/money_figures.json")
    assert sorted(r["id"] for r in money) == sorted(
        k for k, c in claims.items() if c["money"]["measure"]
    )
    assert {r["id"]: (r["usd_bn_low"], r["usd_bn_high"]) for r in money}[
        "CLM_CPEC_HEADLINE_SIZE_VARIES"
    ] == (50, 65)
    terms = _get(datasette, "/claims/terms_of_office.json")
    assert sorted(r["id"] for r in terms) == sorted(
        k for k, c in claims.items() if c["term"]["office"]
    )
    hashmi = next(r for r in terms if r["id"] == "CLM_PEOPLE_KHALIL_HASHMI")
    assert (hashmi["office"], hashmi["holder"], hashmi["started"]) == (
        "Pakistan's ambassador to China",
        "Khalil Hashmi",
        "2023-11-13",
    )


def test_search_finds_a_claim_by_a_word_of_its_quote(datasette, html_book) -> None:
    """The canned search and the claims table's search box (claims_fts, by rowid) agree."""
    claim = _claims(html_book)["CLM_VISIT_ARRIVAL"]
    word = "received"
    assert word in claim["quotes"][0]
    found = [r["id"] for r in _get(datasette, "/claims/search_claims.json", words=word)]
    assert claim["id"] in found
    table = _get(datasette, "/claims/claims.json", _search=word, _col="id", _size="max")
    assert sorted(r["id"] for r in table) == sorted(found)


def _search_db(tmp_path):
    """A claims database of two claims, written as the build writes claims.sqlite."""
    from idcpc_book.sqlite_export import write

    claims = [
        {"id": "CLM_A", "chapter": "visit-2024", "status": "verified", "url": "a.html#CLM_A",
         "text": "Liu arrived in Islamabad.", "quotes": ["He was received at the airport"]},
        {"id": "CLM_B", "chapter": "jcm", "status": "reported", "url": "b.html#CLM_B",
         "text": "The mechanism met again.", "quotes": ["the third meeting was held"]},
    ]  # fmt: skip
    edition = {"title": "T", "version": "1.0", "as_of": "2026-01-01", "url": "https://x/"}
    path = tmp_path / "claims.sqlite"
    write(path, edition, claims, [{"id": "SRC_X", "title": "X", "cited_by": ["CLM_A", "CLM_B"]}])
    return path


@pytest.mark.parametrize(
    ("words", "found"),
    [("", []), ("   ", []), ("received", ["CLM_A"]), ("met OR Liu", ["CLM_A", "CLM_B"])],
)
def test_canned_search_runs_with_an_empty_and_a_real_term(tmp_path, words, found) -> None:
    """Datasette opens the canned search with an empty term: no "fts5: syntax error"."""
    import sqlite3

    sql = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["claims"]["queries"][
        "search_claims"
    ]["sql"]
    con = sqlite3.connect(_search_db(tmp_path))
    assert sorted(r[0] for r in con.execute(sql, {"words": words})) == found


def test_an_unguarded_search_fails_on_the_empty_term(tmp_path) -> None:
    """What the guard prevents: FTS5 refuses an empty MATCH."""
    import sqlite3

    con = sqlite3.connect(_search_db(tmp_path))
    with pytest.raises(sqlite3.OperationalError, match='fts5: syntax error near ""'):
        con.execute(
            "select id from claims_fts where claims_fts match :words", {"words": ""}
        ).fetchall()
