"""The evidence page: each quote in the paragraph of its archived source, inside ``<mark>``,
at ``passages.anchor``, with a link back to its claim; in HTML and EPUB, not in the PDF."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, ROOTS, sphinx_build
from test_clients import browser, serve  # noqa: F401  (Chromium, as a fixture of this module)

from idcpc_book import passages, sphinxbuild
from idcpc_book.excerpts import Archive, Excerpt
from idcpc_book.ext.book.evidence_pages import LICENCE_NOTE
from idcpc_book.inputs.records import read_record, record_paths, stamp_hash
from idcpc_book.model import split_quotes
from idcpc_book.normalise import normalise

ROOT = ROOTS / "evidence-passages"


class Marks(HTMLParser):
    """Each ``<mark id=...>``: its text, the text of the paragraph around it, and the
    ``href`` of the link in the paragraph just before that paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: dict[str, dict[str, str]] = {}
        self._paragraph: list[str] | None = None
        self._mark: str | None = None
        self._last_href = ""  # the last link of the last paragraph
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "p":
            self._paragraph, self._href = [], ""
        elif tag == "a" and self._paragraph is not None:
            self._href = found.get("href") or ""
        elif tag == "mark" and found.get("id"):
            self._mark = found["id"]
            self.marks[self._mark] = {"text": "", "back": self._last_href}

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._mark = None
        elif tag == "p" and self._paragraph is not None:
            text = "".join(self._paragraph)
            for entry in self.marks.values():
                entry.setdefault("paragraph", text)
            self._paragraph, self._last_href = None, self._href

    def handle_data(self, data: str) -> None:
        if self._paragraph is not None:
            self._paragraph.append(data)
        if self._mark is not None:
            self.marks[self._mark]["text"] += data


def marks_of(page: Path) -> dict[str, dict[str, str]]:
    parser = Marks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.marks


# -- where a quote is, in its archived text ------------------------------------------------

ARCHIVE = (
    "Intro line.\n\nHe said \u201cthe  corridor\nis \u2014 great\u201d today.\n\n"
    "Its Liuzhou plant opened.\n\nLast paragraph."
)


def test_a_quote_is_cut_out_of_its_paragraph_across_whitespace_and_marks() -> None:
    assert Archive(ARCHIVE).excerpt('"the corridor is - great"') == Excerpt(
        "He said ", "\u201cthe  corridor\nis \u2014 great\u201d", " today.", 21
    )


def test_a_quote_across_a_paragraph_break_shows_both_paragraphs() -> None:
    found = Archive(ARCHIVE).excerpt("great\u201d today. Its Liuzhou plant")
    assert found is not None
    assert (found.before, found.after) == ("He said \u201cthe  corridor\nis \u2014 ", " opened.")
    assert found.quoted == "great\u201d today.\n\nIts Liuzhou plant"


def test_a_quote_the_check_would_refuse_has_no_excerpt() -> None:
    archive = Archive(ARCHIVE)
    assert archive.excerpt("Liu plant opened") is None  # not at a word boundary
    assert archive.excerpt("the corridor is great") is None  # the dash is missing
    assert archive.excerpt("Its liuzhou plant") is None  # letter case differs


def test_a_decomposed_letter_is_mapped_back_to_the_archive() -> None:
    found = Archive("The Cafe\u0301 Society met.").excerpt("Caf\u00e9 Society met")
    assert found == Excerpt("The ", "Cafe\u0301 Society met", ".", 4)


def test_every_archive_is_normalised_as_the_checker_does() -> None:
    for path in record_paths(REPO / "sources"):
        text = read_record(path).text
        assert Archive(text).normalised == normalise(text), path.name


# -- a tiny book ----------------------------------------------------------------------------


def _book(tmp: Path, quote: str | None = None) -> Path:
    """The evidence root, with CLM_VISIT's quote replaced by ``quote`` if given."""
    root = tmp / "book"
    shutil.copytree(ROOT, root)
    for path in (root / "sources").glob("*.txt"):
        path.write_text(stamp_hash(path.read_text(encoding="utf-8")), encoding="utf-8")
    if quote is not None:
        page = root / "docs" / "index.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(
            text.replace(":quote: three-day visit - from 20 to 22 June", f":quote: {quote}"),
            encoding="utf-8",
        )
    return root


@pytest.fixture(scope="module")
def tiny_html(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("evidence")
    out = tmp / "html"
    result = sphinx_build(_book(tmp) / "docs", out, "html", strict=True)
    assert result.returncode == 0, result.stderr
    return out


def test_each_quote_is_marked_in_its_paragraph_with_its_anchor_and_back_link(tiny_html) -> None:
    marks = marks_of(tiny_html / "evidence.html")
    assert sorted(marks) == ["CLM_TALKS-q1", "CLM_TALKS-q2", "CLM_VISIT-q1"]
    visit = marks[passages.anchor("CLM_VISIT", 1)]
    assert visit == {
        "text": "three-day visit \u2013 from 20 to 22 June",
        "back": "index.html#CLM_VISIT",
        "paragraph": "The minister arrived on Thursday for a\n"
        "three-day visit \u2013 from 20 to 22 June, his office said.",
    }
    # straight quotes in the claim, typographic ones in the archive: still highlighted
    assert marks["CLM_TALKS-q1"]["text"] == "call on the \u201csenior leadership\u201d"
    # a quote goes to the first cited source that holds it: the second is only in beta's
    page = (tiny_html / "evidence.html").read_text(encoding="utf-8")
    assert page.index('id="SRC_BETA"') < page.index('id="CLM_TALKS-q2"')
    assert '<mark class="evidence-quote" id="CLM_VISIT-q1">' in page


def test_the_page_gives_the_sources_facts_and_says_why_only_passages(tiny_html) -> None:
    page = (tiny_html / "evidence.html").read_text(encoding="utf-8")
    alpha = read_record(ROOT / "sources" / "alpha.txt")
    assert LICENCE_NOTE.replace("'", "&#x27;") in page or LICENCE_NOTE in page
    assert "not whole articles" in LICENCE_NOTE and "licence" in LICENCE_NOTE
    assert '<a class="reference external" href="https://example.org/alpha">' in page
    assert alpha.sha256 and alpha.sha256 in page
    assert "sources/alpha.txt" in page
    assert "Unrelated closing paragraph" not in page  # passages, not the whole archive


def test_the_archive_and_the_bib_entry_are_shown_as_text(tiny_html) -> None:
    page = (tiny_html / "evidence.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in page
    assert "Talks &lt;b&gt;held&lt;/b&gt; in the capital" in page
    assert "<script>alert" not in page and "<b>held" not in page


def test_a_quote_not_in_its_source_has_no_passage(tmp_path) -> None:
    out = tmp_path / "html"
    book = _book(tmp_path, quote="four-day visit - from 20 to 23 June")
    # Every strict build refuses it (the verdict); a build without it (as `nox -s check`'s
    # own) must still show no passage for it.
    result = sphinx_build(book / "docs", out, "html", strict=True, options=sphinxbuild.VERDICT_OFF)
    assert result.returncode == 0, result.stderr
    assert sorted(marks_of(out / "evidence.html")) == ["CLM_TALKS-q1", "CLM_TALKS-q2"]


def test_an_incremental_build_writes_the_page_again_when_a_quote_changes(tmp_path) -> None:
    book, out = _book(tmp_path), tmp_path / "html"
    assert sphinx_build(book / "docs", out, "html", strict=True).returncode == 0
    page = book / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    old, new = "three-day visit - from 20 to 22 June", "for a three-day visit -"
    page.write_text(text.replace(old, new), "utf-8")
    again = sphinx_build(book / "docs", out, "html", strict=True, fresh=False)
    assert again.returncode == 0, again.stderr
    quote = marks_of(out / "evidence.html")["CLM_VISIT-q1"]["text"]
    assert quote == "for a\nthree-day visit \u2013"


def test_the_pdf_leaves_the_evidence_page_out_and_the_epub_keeps_it(tmp_path) -> None:
    book = _book(tmp_path)
    single = sphinx_build(book / "docs", tmp_path / "single", "singlehtml", strict=True)
    assert (single.returncode, single.stderr) == (0, "")
    page = (tmp_path / "single" / "index.html").read_text(encoding="utf-8")
    assert "CLM_VISIT" in page
    assert "evidence-quote" not in page and "Evidence</h1>" not in page
    # not strict: the EPUB builder warns about the doctrees this helper keeps in its output
    epub = sphinx_build(book / "docs", tmp_path / "epub", "epub")
    warnings = [w for w in epub.stderr.splitlines() if "mimetype for .doctrees/" not in w]
    assert (epub.returncode, warnings) == (0, [])
    marks = marks_of(tmp_path / "epub" / "evidence.xhtml")
    assert marks["CLM_VISIT-q1"]["back"] == "index.xhtml#CLM_VISIT"


# -- the real book ---------------------------------------------------------------------------


@pytest.mark.slow
def test_every_quote_of_the_book_is_marked_on_the_evidence_page(html_book) -> None:
    data = json.loads((html_book / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    marks = marks_of(html_book / f"{passages.PAGE}.html")
    wanted = {}
    for claim_id, need in needs.items():
        if need["type"] == "claim":
            for index, quote in enumerate(split_quotes(need.get("quote") or ""), start=1):
                wanted[passages.anchor(claim_id, index)] = (quote, f"{need['docname']}.html")
    assert len(wanted) > 1000
    assert sorted(marks) == sorted(wanted)
    for anchor, (quote, chapter) in wanted.items():
        assert normalise(marks[anchor]["text"]) == normalise(quote), anchor
        assert marks[anchor]["back"] == f"{chapter}#{anchor.rsplit('-q', 1)[0]}", anchor
        assert re.sub(r"\s+", " ", marks[anchor]["text"]).strip() in re.sub(
            r"\s+", " ", marks[anchor]["paragraph"]
        )


@pytest.fixture
def chromium(browser):  # noqa: F811  (test_clients' browser fixture, under another name)
    return browser


@pytest.mark.client
def test_a_claims_passage_is_highlighted_in_chromium(chromium, html_book) -> None:
    """From a claim in its chapter to its first quote's passage, and back."""
    claim, chapter = "CLM_VISIT_ARRIVAL", "visit-2024.html"
    data = json.loads((html_book / "needs.json").read_text(encoding="utf-8"))
    quote = split_quotes(data["versions"][data["current_version"]]["needs"][claim]["quote"])[0]
    anchor = passages.anchor(claim, 1)
    with serve(html_book) as base:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + chapter, wait_until="networkidle")
        # the claim's own link to its passage when it shows one, else the passage's address
        link = page.locator(f'[id="{claim}"] a[href$="{passages.PAGE}.html#{anchor}"]')
        if link.count() and link.first.is_visible():
            link.first.click()
        else:
            page.goto(f"{base}{passages.PAGE}.html#{anchor}", wait_until="networkidle")
        page.wait_for_url(f"**/{passages.PAGE}.html#{anchor}", timeout=15_000)
        # once the long page is loaded, the passage is in view (the page's script lands
        # on it: the browser's own scroll happens while the page still grows above it)
        page.wait_for_function(
            """id => { const e = document.getElementById(id);
              if (!e || document.readyState !== "complete") return false;
              const r = e.getBoundingClientRect();
              return r.top >= 0 && r.bottom <= innerHeight; }""",
            arg=anchor,
            timeout=30_000,
        )
        target = page.locator(":target")
        assert target.evaluate("e => e.tagName") == "MARK"
        assert normalise(target.inner_text()) == normalise(quote)
        # the highlight differs from the text around it
        assert target.evaluate(
            "e => getComputedStyle(e).backgroundColor"
            " !== getComputedStyle(e.parentElement).backgroundColor"
        )
        page.locator(
            f'p.evidence-claim:has(+ blockquote [id="{anchor}"]) a[href$="#{claim}"]'
        ).click()
        page.wait_for_url(f"**/{chapter}#{claim}", timeout=15_000)
        page.close()
