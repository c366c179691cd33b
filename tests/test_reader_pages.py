"""The generated reader pages: "At a glance" (the key facts, a ``needtable`` sorted by
``:key_fact:``) and "Who's who" (the holders of the terms of office, ``{whos-who}``).

A tiny book (``tests/roots/key-facts-ok``) is built in this interpreter and each page's list
is compared with exactly what its claims say; the real book's pages are checked against
its needs (slow: they need the real book's build)."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build

from idcpc_book.figures.offices import name_key, people
from idcpc_book.model import KEY_FACTS_MAX, KEY_FACTS_MIN, claims_among

ROOT = ROOTS / "key-facts-ok"


class Lists(HTMLParser):
    """The rows of every table (each cell's text) and the entries of the ``whos-who``
    list: (name, anchor, [each term's text]), with the links in the list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.people: list[tuple[str, str, list[str]]] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None
        self._in_list = False
        self._term: list[str] | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "dl" and "whos-who" in (found.get("class") or "").split():
            self._in_list = True
        elif self._in_list and tag == "dt":
            self._term = []
            self.people.append(("", found.get("id") or "", []))
        elif self._in_list and tag == "li":
            self._item = []
        elif self._in_list and tag == "a":
            self.links.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "dl":
            self._in_list = False
        elif tag == "dt" and self._term is not None:
            _, anchor, terms = self.people[-1]
            self.people[-1] = ("".join(self._term).strip(), anchor, terms)
            self._term = None
        elif tag == "li" and self._item is not None:
            self.people[-1][2].append(" ".join("".join(self._item).split()))
            self._item = None

    def handle_data(self, data: str) -> None:
        for sink in (self._cell, self._term, self._item):
            if sink is not None:
                sink.append(data)


def read_lists(page: Path) -> Lists:
    parser = Lists()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Lists:
    out = tmp_path_factory.mktemp("reader-pages")
    result = sphinx_build(ROOT / "docs", out, builder="html", strict=True)
    assert (result.returncode, result.stderr) == (0, "")
    glance, people = read_lists(out / "glance.html"), read_lists(out / "whoswho.html")
    assert (glance.people, people.rows) == ([], [])
    glance.people, glance.links = people.people, people.links
    return glance


TEXT = "According to Alpha News, the minister visited for three days."


def test_glance_lists_the_key_facts_in_their_order_with_status_and_dates(tiny) -> None:
    head, *rows = tiny.rows
    assert head == ["#", "Fact", "Status", "Event date", "As of", "Claim"]
    assert rows == [
        ["1", TEXT, "verified", "2024-06", "2024-06-22", "CLM_B_FIRST"],
        *[
            [str(i), TEXT, "verified", f"2024-06-{10 + i}", "", f"CLM_FACT_{i:02d}"]
            for i in range(2, 10)
        ],
        ["10", TEXT, "unverified", "", "2026-12-07", "CLM_A_LAST"],
    ]


def test_whos_who_lists_each_holder_once_a_to_z_with_terms(tiny) -> None:
    assert tiny.people == [
        (
            "Ali Khan",
            "person-ali-khan",
            ["Minister: start not given; last confirmed in office on 21 June 2024 (CLM_ALI_KHAN)"],
        ),
        (
            "Émile Martin",
            "person-emile-martin",
            ["Ambassador: from 2020 (CLM_EMILE); no later date given (CLM_EMILE)"],
        ),
        (
            "Zhang Wei",
            "person-zhang-wei",
            [
                "Envoy: from March 2019 (CLM_ZHANG_ENVOY) until June 2022 (CLM_ZHANG_ENVOY)",
                "Head of the department: from 2 June 2022 (CLM_ZHANG_HEAD); last confirmed in "
                "office on 1 March 2026 (CLM_ZHANG_LATER)",
            ],
        ),
    ]
    claims = ("CLM_ALI_KHAN", "CLM_EMILE", "CLM_ZHANG_ENVOY", "CLM_ZHANG_HEAD", "CLM_ZHANG_LATER")
    assert set(tiny.links) == {f"index.html#{claim}" for claim in claims}


def test_both_lists_follow_an_edit_of_the_claims_on_an_incremental_build(tmp_path) -> None:
    """The lists show the claims of another page: written again when those claims change,
    as a clean build writes them."""
    root = tmp_path / "book"
    shutil.copytree(ROOT, root)
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"
    assert sphinx_build(root / "docs", incremental, builder="html", strict=True).returncode == 0
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    for old, new in (
        (":holder: Ali Khan", ":holder: Ali Raza"),
        (":key_fact: 10", ":key_fact: 11"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    index.write_text(text, encoding="utf-8")
    again = sphinx_build(root / "docs", incremental, builder="html", strict=True, fresh=False)
    assert again.returncode == 0, again.stderr
    assert sphinx_build(root / "docs", clean, builder="html", strict=True).returncode == 0
    for page in ("glance.html", "whoswho.html"):
        edited, rebuilt = read_lists(incremental / page), read_lists(clean / page)
        assert (edited.rows, edited.people) == (rebuilt.rows, rebuilt.people)
    assert read_lists(incremental / "glance.html").rows[-1][:1] == ["11"]
    assert read_lists(incremental / "whoswho.html").people[0][0] == "Ali Raza"


def test_a_person_is_their_holder_value_as_written() -> None:
    def claim(claim_id: str, holder: str) -> dict[str, str]:
        return {"id": claim_id, "type": "claim", "office": "Minister", "holder": holder}

    needs = {
        "CLM_B": claim("CLM_B", "liu Jianchao"),
        "CLM_A": claim("CLM_A", "Liu Jianchao"),
        "CLM_C": claim("CLM_C", "Liu Jianchao"),
        "CLM_D": claim("CLM_D", "Ángel Ruiz"),
    }
    found = [(p.name, [c["id"] for t in p.terms for c in t.claims]) for p in people(needs)]
    # two spellings are two people (the page says so); case and accents only order them
    assert found == [
        ("Ángel Ruiz", ["CLM_D"]),
        ("Liu Jianchao", ["CLM_A", "CLM_C"]),
        ("liu Jianchao", ["CLM_B"]),
    ]
    assert name_key("Ángel") == "angel"


# -- the real book ------------------------------------------------------------------------


def _real_needs(html_book: Path) -> dict[str, dict]:
    data = json.loads((html_book / "needs.json").read_text(encoding="utf-8"))
    return claims_among(data["versions"][data["current_version"]]["needs"])


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_real_glance_lists_ten_to_fifteen_dated_current_key_facts(html_book) -> None:
    claims = _real_needs(html_book)
    head, *rows = read_lists(html_book / "glance.html").rows
    assert head == ["#", "Fact", "Status", "Event date", "As of", "Claim"]
    assert KEY_FACTS_MIN <= len(rows) <= KEY_FACTS_MAX
    assert [row[0] for row in rows] == [str(i) for i in range(1, len(rows) + 1)]
    key = {c["id"] for c in claims.values() if c.get("key_fact") is not None}
    assert {row[5] for row in rows} == key
    for place, text, status, event_date, as_of, claim_id in rows:
        claim = claims[claim_id]
        assert (int(place), status) == (claim["key_fact"], claim["status"])
        assert status in ("verified", "unverified", "disputed")
        assert event_date or as_of
        assert all(_DATE.match(d) for d in (event_date, as_of) if d)
        assert (event_date or None, as_of or None) == (claim.get("event_date"), claim.get("as_of"))
        assert text and "{cite" not in text


def test_real_whos_who_lists_every_holder(html_book) -> None:
    claims = _real_needs(html_book)
    holders = {c["holder"] for c in claims.values() if c.get("holder")}
    listed = read_lists(html_book / "whoswho.html").people
    names = [name for name, _, _ in listed]
    assert sorted(names) == sorted(holders) and len(names) == len(holders)
    assert names == sorted(names, key=name_key)
    assert all(terms for _, _, terms in listed)
