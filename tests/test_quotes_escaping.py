"""Quotes that are evidence, and outputs that do not run what a contributor wrote.

A quote must be long enough to identify a passage, match at word boundaries, match
whatever Unicode encoding of a letter it uses (NFC) and never match a look-alike letter
of another script. Claim text reaches a CSV cell with any formula neutralised and the
JSON-LD with ``<`` escaped; the database stores it as data. Edition fields from
``pyproject.toml`` are refused unless they are plain text, a version, an address.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build
from test_hostile import build, check, make_book

from idcpc_book import quoting
from idcpc_book.checker.book import Book
from idcpc_book.checker.rules import quotes
from idcpc_book.edition import load
from idcpc_book.errors import InputError
from idcpc_book.escape import csv_cell, html_safe_json
from idcpc_book.history import History
from idcpc_book.inputs.records import SourceRecord
from idcpc_book.normalise import normalise

ARCHIVE = (
    "The minister’s three-day visit – from 20 to 22 June – was announced on Wednesday "
    "in the café of the Liuzhou office. 中联部是负责中国共产党对外工作的职能部门,为正部级。"
)


def _problems(quote: str, text: str = ARCHIVE) -> list[str]:
    """The quotes rule's messages for one claim quoting ``quote`` from a record of ``text``."""
    root = Path("/book")
    need = {
        "id": "CLM_X",
        "docname": "index",
        "lineno": 7,
        "quote": quote,
        "cites": ["SRC_ALPHA"],
    }
    record = SourceRecord(root / "sources/alpha.txt", "alpha", "independent-media", "", text, 5)
    book = Book(
        root=root,
        docs_dir=root / "docs",
        claims={"CLM_X": need},
        sources={"SRC_ALPHA": {"bibkey": "alpha"}},
        bib_keys={},
        records={"alpha": record},
        docs=[],
        past=History([], []),
        texts={},
    )
    return [f"{p.path}:{p.line}: {p.obj}: {p.message}" for p in quotes.check(book)]


SHORT = "at least 3 words and 15 characters"
CJK = "; a Chinese or Japanese character counts as a word and 3 characters"


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("a", f'quote "a" is too short to be evidence (1 word, 1 character; {SHORT})'),
        (".", f'quote "." is too short to be evidence (0 words, 1 character; {SHORT})'),
        ("Liu", f'quote "Liu" is too short to be evidence (1 word, 3 characters; {SHORT})'),
        # three words are not enough when they are short
        (
            "from 20 to",
            f'quote "from 20 to" is too short to be evidence (3 words, 10 characters; {SHORT})',
        ),
        # fifteen characters are not enough in two words
        (
            "three-day visit",
            f'quote "three-day visit" is too short to be evidence (2 words, 15 characters; {SHORT})',
        ),
        (
            "为正部级",
            f'quote "为正部级" is too short to be evidence (4 words, 12 characters; {SHORT}{CJK})',
        ),
    ],
)
def test_a_quote_too_short_to_be_evidence_is_refused(quote, message) -> None:
    assert _problems(quote) == [f"docs/index.md:7: CLM_X: {message}"]


@pytest.mark.parametrize(
    "quote",
    [
        "three-day visit - from 20 to 22 June",  # the typographic dash folded
        "announced on Wednesday",  # 3 words, 22 characters
        "职能部门,为正部级",  # 8 Chinese characters and a comma: 8 words, 25 characters
        "中联部是负责中国共产党",  # no word boundary is asked for inside Chinese text
    ],
)
def test_a_passage_long_enough_is_evidence(quote) -> None:
    assert _problems(quote) == []


def test_a_quote_inside_a_longer_word_is_not_a_passage() -> None:
    # "June" in the archive: the quote ends inside it
    assert _problems("visit - from 20 to 22 Jun") == [
        "docs/index.md:7: CLM_X: quote not found in the archived text of SRC_ALPHA "
        '(only inside longer words): "visit - from 20 to 22 Jun"'
    ]
    # "Liu" starts "Liuzhou": found only as its beginning
    assert _problems("the café of the Liu")[0].endswith(
        '(only inside longer words): "the café of the Liu"'
    )
    assert _problems("of the Liuzhou office") == []


def test_a_decomposed_letter_matches_the_composed_one() -> None:
    nfd = unicodedata.normalize("NFD", "in the café of the Liuzhou office")
    assert nfd != "in the café of the Liuzhou office"  # e + COMBINING ACUTE ACCENT
    assert _problems(nfd) == []
    # and a decomposed archive matches a composed quote
    assert _problems("in the café of the", unicodedata.normalize("NFD", ARCHIVE)) == []


def test_a_look_alike_letter_of_another_script_never_matches() -> None:
    cyrillic_a = "\u0430"  # CYRILLIC SMALL LETTER A, drawn as the Latin a
    quote = f"w{cyrillic_a}s announced on Wednesday"
    assert _problems(quote) == [
        f'docs/index.md:7: CLM_X: quote not found in the archived text of SRC_ALPHA: "{quote}"'
    ]
    # the normaliser keeps the two letters apart (no NFKC, no case folding)
    assert normalise(quote) != normalise("was announced on Wednesday")
    assert normalise("ﬁnd") != normalise("find")  # a compatibility ligature is kept too


def test_quote_size_counts_words_and_weighted_characters() -> None:
    assert quoting.size("Liu said on Friday") == (4, 18)
    assert quoting.size("为正部级") == (4, 12)
    assert quoting.size("劉海星1962年生") == (6, 19)


def test_the_checker_reports_a_short_quote_at_its_claim(tmp_path, capsys) -> None:
    root = make_book(tmp_path, {":quote: three-day visit - from 20 to 22 June": ":quote: Liu"})
    out, result = build(root, tmp_path)
    message = f'quote "Liu" is too short to be evidence (1 word, 3 characters; {SHORT})'
    # every build refuses it as the check does (tests/test_verdict.py)
    assert result.returncode == 1
    assert f"{root}/docs/index.md:7: ERROR: CLM_VISIT: {message}" in result.stderr.splitlines()
    code, lines, _ = check(root, capsys, out / "needs.json")
    assert code == 1
    assert lines[0] == f"docs/index.md:7: CLM_VISIT: {message}"


# -- Escaped outputs -------------------------------------------------------------------

FORMULA = "=1+1"
SCRIPT = "</script><script>alert(1)</script>"
SQL = "1); DROP TABLE claims; SELECT (1"  # no quote marks: MyST would curl them


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("60-65", "60-65"),
        ("Talks were held", "Talks were held"),
        ("", ""),
    ],
)
def test_a_csv_cell_never_starts_a_formula(value, cell) -> None:
    assert csv_cell(value) == cell


def test_json_for_html_escapes_markup_and_keeps_the_data() -> None:
    text = json.dumps({"a": SCRIPT + " & >"}, ensure_ascii=False)
    safe = html_safe_json(text)
    assert "<" not in safe and ">" not in safe and "&" not in safe
    assert json.loads(safe) == json.loads(text)


@pytest.fixture(scope="module")
def hostile_exports(tmp_path_factory) -> Path:
    """The exports of a tiny book whose verdict holds a script and whose statement
    starts with a formula and holds SQL."""
    root = tmp_path_factory.mktemp("hostile-exports") / "book"
    shutil.copytree(ROOTS / "review-ok", root)
    page = root / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        "The minister visited for three days", f"{SCRIPT} The minister visited for three days"
    ).replace("Talks were held {cite", f"{FORMULA} Talks were held {SQL} {{cite")
    page.write_text(text, encoding="utf-8")
    out = root.parent / "html"
    result = sphinx_build(root / "docs", out, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    return out / "exports"


def _claims(exports: Path) -> dict[str, dict]:
    """The claims of claims.json, by ID."""
    data = json.loads((exports / "claims.json").read_text(encoding="utf-8"))
    return {c["id"]: c for c in data["claims"]}


def test_claims_csv_neutralises_a_formula(hostile_exports) -> None:
    text = (hostile_exports / "claims.csv").read_text(encoding="utf-8")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    # the JSON keeps the text as written: only the spreadsheet format needs the mark
    written = _claims(hostile_exports)["CLM_TALKS"]["text"]
    assert written.startswith(f"{FORMULA} Talks were held {SQL}")
    assert rows["CLM_TALKS"]["text"] == "'" + written
    cells = [cell for row in rows.values() for cell in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


class _Scripts(HTMLParser):
    """The text of each <script> element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self._open = True
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._open = False

    def handle_data(self, data) -> None:
        if self._open:
            self.scripts[-1] += data


def test_claimreview_jsonld_cannot_end_a_script_element(hostile_exports) -> None:
    text = (hostile_exports / "claimreview.jsonld").read_text()
    assert "<" not in text and ">" not in text
    review = {r["identifier"]: r for r in json.loads(text)["@graph"]}["CLM_VISIT"]
    assert review["claimReviewed"].startswith(SCRIPT)  # the data is unchanged
    # embedded in a page as JSON-LD is, it stays one script holding the whole JSON
    page = f'<script type="application/ld+json">{text}</script>'
    parser = _Scripts()
    parser.feed(page)
    assert parser.scripts == [text]


def test_a_page_embeds_its_claimreview_as_one_inert_script(hostile_exports) -> None:
    """The page's JSON-LD holds the claim's script as text, and the same data as the
    export (the page holds every claim of this book)."""
    parser = _Scripts()
    parser.feed((hostile_exports.parent / "index.html").read_text(encoding="utf-8"))
    embedded = [text for text in parser.scripts if '"ClaimReview"' in text]
    assert len(embedded) == 1 and "<" not in embedded[0]
    exported = (hostile_exports / "claimreview.jsonld").read_text(encoding="utf-8")
    assert json.loads(embedded[0]) == json.loads(exported)


def test_the_database_stores_content_as_data(hostile_exports) -> None:
    con = sqlite3.connect(hostile_exports / "claims.sqlite")
    try:
        (text,) = con.execute("SELECT text FROM claims WHERE id = 'CLM_TALKS'").fetchone()
        (count,) = con.execute("SELECT count(*) FROM claims").fetchone()
    finally:
        con.close()
    # bound as a value, not run, and not marked: a database holds no formulas
    assert text == _claims(hostile_exports)["CLM_TALKS"]["text"]
    assert count == 2


def test_the_permalink_page_escapes_its_json() -> None:
    from idcpc_book.ext.book.claims import permalink_page

    page = permalink_page({"CLM_X": f"index.html#{SCRIPT}"}, "Book")
    parser = _Scripts()
    parser.feed(page)
    assert json.loads(parser.scripts[0]) == {"CLM_X": f"index.html#{SCRIPT}"}


# -- Edition fields --------------------------------------------------------------------

PYPROJECT = (REPO / "pyproject.toml").read_text(encoding="utf-8")


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "title",
            "</title><script>alert(1)</script>",
            "[tool.idcpc-book] title must be plain text, without '<'",
        ),
        ("authors", "A\u202eB", "[tool.idcpc-book] authors must be plain text, without '\\u202e'"),
        ("authors", "A {B", "[tool.idcpc-book] authors must be plain text, without '{'"),
        (
            "version",
            "<b>1</b>",
            "[project] version must be a version in its PEP 440 form, e.g. 0.3.0; got '<b>1</b>'",
        ),
        (
            "version",
            "v1.0",
            "[project] version must be a version in its PEP 440 form, e.g. 0.3.0; got 'v1.0'",
        ),
        (
            "base_url",
            "javascript:alert(1)//",
            "[tool.idcpc-book] base_url must be an http(s) address without spaces, quotes, "
            "angle brackets, braces, backslashes or backquotes; got 'javascript:alert(1)//'",
        ),
        (
            "base_url",
            'https://example.org/"onmouseover="x/',
            "[tool.idcpc-book] base_url must be an http(s) address without spaces, quotes, "
            "angle brackets, braces, backslashes or backquotes; "
            "got 'https://example.org/\"onmouseover=\"x/'",
        ),
        (
            "licence",
            "CC BY<",
            "[tool.idcpc-book] licence must be an SPDX identifier, e.g. CC-BY-4.0; got 'CC BY<'",
        ),
    ],
)
def test_an_edition_field_that_is_not_plain_is_refused(tmp_path, key, value, message) -> None:
    lines = PYPROJECT.splitlines(keepends=True)
    number = _line(PYPROJECT, f"{key} = ")
    lines[number - 1] = f"{key} = {json.dumps(value)}\n"
    path = tmp_path / "pyproject.toml"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(path)
    assert (err.value.path, err.value.line, err.value.message) == (path, number, message)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("title", "Zürich & 北京: a book's title, with (brackets)"),
        ("authors", "Ayşe Öztürk, 刘 and O'Brien"),
        ("version", "1.0.0rc1"),
        ("base_url", "http://example.org/a-b_c/~d/"),
    ],
)
def test_plain_edition_fields_are_accepted(tmp_path, key, value) -> None:
    lines = PYPROJECT.splitlines(keepends=True)
    number = _line(PYPROJECT, f"{key} = ")
    lines[number - 1] = f"{key} = {json.dumps(value, ensure_ascii=False)}\n"
    path = tmp_path / "pyproject.toml"
    path.write_text("".join(lines), encoding="utf-8")
    assert getattr(load(path), key) == value


def test_a_build_with_markup_in_the_title_stops_before_writing(tmp_path) -> None:
    """The build reads the edition beside conf.py: a copy of both, with a bad title."""
    conf = tmp_path / "conf"
    (conf / "docs").mkdir(parents=True)
    shutil.copy(REPO / "conf.py", conf)
    for folder in ("_static", "_templates"):
        (conf / "docs" / folder).symlink_to(REPO / "docs" / folder)
    number = _line(PYPROJECT, "title = ")
    lines = PYPROJECT.splitlines(keepends=True)
    lines[number - 1] = 'title = "</title><script>alert(1)</script>"\n'
    (conf / "pyproject.toml").write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "html"
    result = sphinx_build(ROOTS / "clean" / "docs", out, builder="html", strict=True, conf_dir=conf)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{conf / 'pyproject.toml'}:{number}: ERROR: [tool.idcpc-book] title must be plain "
        "text, without '<'"
    )
    assert not (out / "index.html").exists()
