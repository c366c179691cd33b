"""Each claim offers its evidence (HTML) and shows its status (HTML, PDF, EPUB).

The disclosure and the labels are drawn from data (:mod:`idcpc_book.ext.book.disclosure`,
:mod:`idcpc_book.ext.book.status`): unit cases on plain needs, one tiny book built in
process (HTML and EPUB: escaping, links, labels), and the real book (every claim shows
its quotes; every claim not verified is labelled in the HTML, the EPUB and the PDF).
The same pages in Chromium: tests/test_clients.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, ROOTS, sphinx_build
from docutils import nodes
from pypdf import PdfReader
from realbook import EPUB_NAME, PDF_NAME
from sphinx.cmd.build import build_main

from idcpc_book import passages, sphinxbuild
from idcpc_book.ext.book import disclosure, status
from idcpc_book.ext.book.vocabulary import VOCABULARIES
from idcpc_book.inputs.records import stamp_hash
from idcpc_book.model import STATUSES, split_quotes
from idcpc_book.normalise import normalise

# -- unit: the disclosure and the labels drawn from plain needs ----------------------

NEEDS = {
    "CLM_A": {
        "id": "CLM_A",
        "type": "claim",
        "docname": "index",
        "status": "unverified",
        "cites": ["SRC_X", "SRC_Y"],
        "quote": "the talks were held in the capital || a second quote, absent",
        "supersedes_back": [],
    },
    "SRC_X": {
        "id": "SRC_X",
        "type": "source",
        "docname": "sources",
        "kind": "independent-media",
        "publisher": "X <News>",
        "title": "Talks & more",
        "published": "2024-06-20",
        "url": "https://example.org/x?a=1&b=2",
        "accessed": "2026-11-24",
    },
    "SRC_Y": {
        "id": "SRC_Y",
        "type": "source",
        "docname": "sources",
        "kind": "state-media-pk",
        "publisher": "Y Daily",
        "title": "",
        "published": "2024",
        "url": "",
        "accessed": "",
    },
}
TEXTS = {
    "SRC_X": normalise("Yesterday the talks were held in the capital, officials said."),
    "SRC_Y": normalise("Nothing of the kind: the talks were held in the capital."),
}


def _link(todoc: str, anchor: str, text: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=f"{todoc}.html#{anchor}")


def _draw(has_doc=lambda doc: True, report=None) -> disclosure.evidence_disclosure:
    return disclosure.draw(NEEDS, "CLM_A", TEXTS.get, _link, has_doc, report)


def test_quotes_are_found_in_the_sources_whose_archive_holds_them() -> None:
    found = disclosure.quotes_found(NEEDS["CLM_A"], TEXTS.get)
    assert found == [
        disclosure.QuoteFound(1, "the talks were held in the capital", ("SRC_X", "SRC_Y")),
        disclosure.QuoteFound(2, "a second quote, absent", ()),
    ]


def test_disclosure_lists_grade_reason_status_quotes_and_their_sources() -> None:
    box = _draw()
    paragraphs = [p.astext() for p in box.findall(nodes.paragraph)]
    assert paragraphs == [
        "Evidence grade: two independent: two independent outlets (X <News>; Y Daily).",
        f"Status: unverified. {STATUSES['unverified']}",
        "“the talks were held in the capital”",
        "Found in X <News>, “Talks & more”, 2024-06-20, https://example.org/x?a=1&b=2, "
        "read 2026-11-24. Passage in context",
        "Found in Y Daily, 2024.",  # the passage is shown under the first source only
        "“a second quote, absent”",
        "Not found in the archived text of the cited sources.",
    ]
    refs = [r["refuri"] for r in box.findall(nodes.reference)]
    assert refs == [
        "sources.html#SRC_X",
        "https://example.org/x?a=1&b=2",
        f"{passages.docname('SRC_X')}.html#{passages.anchor('CLM_A', 1)}",
        "sources.html#SRC_Y",
    ]


def test_passage_link_only_to_an_evidence_page_that_exists() -> None:
    box = _draw(has_doc=lambda doc: False)
    assert "Passage in context" not in box.astext()
    refs = [r["refuri"] for r in box.findall(nodes.reference)]
    assert refs == ["sources.html#SRC_X", "https://example.org/x?a=1&b=2", "sources.html#SRC_Y"]


def test_report_link_goes_last_in_the_disclosure() -> None:
    assert disclosure.report_link.__name__ == "report_link"  # the place H6's part fills
    report = nodes.paragraph("", "Report an error", classes=["claim-report"])
    assert _draw(report=report).children[-1] is report


def test_status_label_only_for_claims_not_verified() -> None:
    needs = {
        "CLM_V": {"status": "verified"},
        "CLM_U": {"status": "unverified"},
        "CLM_D": {"status": "disputed"},
        "CLM_S": {"status": "superseded", "supersedes_back": ["CLM_T", "CLM_R"]},
        "CLM_S2": {"status": "superseded", "supersedes_back": []},
    }

    def link(claim: str) -> nodes.reference:
        return nodes.reference(claim, claim, refuri=f"#{claim}")

    labels = {k: status.status_mark(needs, k, link) for k in [*needs, "CLM_MISSING"]}
    assert labels["CLM_V"] is None and labels["CLM_MISSING"] is None
    assert {k: v.astext() for k, v in labels.items() if v is not None} == {
        "CLM_U": "unverified",
        "CLM_D": "disputed",
        "CLM_S": "superseded by CLM_R, CLM_T",
        "CLM_S2": "superseded",
    }
    assert labels["CLM_U"]["classes"] == ["claim-status", "claim-status-unverified"]
    assert [r["refuri"] for r in labels["CLM_S"].findall(nodes.reference)] == ["#CLM_R", "#CLM_T"]


def test_legend_covers_every_status_of_the_model() -> None:
    legend = VOCABULARIES["status-labels"]
    assert list(legend) == list(STATUSES)
    assert legend["verified"] == f"No label. {STATUSES['verified']}"
    assert legend["unverified"].startswith("Labelled “unverified” after the claim's identifier.")
    assert legend["superseded"].startswith("Labelled “superseded by CLM_…” after the claim's")


# -- a tiny book: HTML (escaped, linked, labelled) and EPUB (labelled, no disclosure) -----


#: The tiny book's one evidence page: SRC_ALPHA's (through the contract, whatever it is).
ALPHA_PAGE = passages.docname("SRC_ALPHA")
#: What follows SRC_GAMMA's facts: a passage link only if its evidence page is that one.
GAMMA_LINK = " Passage in context" if passages.docname("SRC_GAMMA") == ALPHA_PAGE else ""


def _tiny_book(tmp_path: Path) -> Path:
    """fact-corroborated with an unverified claim, a superseded one and its successor, a
    hostile publisher and title, and an evidence page for SRC_ALPHA."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "fact-corroborated", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    text = text.replace(
        ":cites: SRC_GAMMA\n:kind: fact\n:status: verified",
        ":cites: SRC_GAMMA\n:kind: fact\n:status: unverified",
    )
    text = text.replace(
        "## Sources",
        ":::{claim}\n:id: CLM_OLD\n:cites: SRC_BETA\n:kind: fact\n:status: superseded\n"
        ":quote: between the two ministers\n\nThe ministers met {cite:p}`beta`.\n:::\n\n"
        ":::{claim}\n:id: CLM_NEW\n:cites: SRC_BETA\n:kind: fact\n:status: verified\n"
        ":supersedes: CLM_OLD\n:quote: Talks were held on Friday between\n\n"
        "The ministers met again {cite:p}`beta`.\n:::\n\n"
        f"```{{toctree}}\n:hidden:\n\n{ALPHA_PAGE}\n```\n\n## Sources",
    )
    index.write_text(text, encoding="utf-8")
    page = root / "docs" / f"{ALPHA_PAGE}.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# Passages\n\n:::{editorial}\nThe passages.\n:::\n", encoding="utf-8")
    bib = root / "refs.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        .replace(
            "organization = {Ministry of Foreign Affairs}",
            "organization = {Ministry <b>of</b> Affairs}",
        )
        .replace("title = {Talks held}", "title = {Talks <script>x()</script> held}"),
        encoding="utf-8",
    )
    return root


def _build(root: Path, out: Path, builder: str) -> Path:
    """A strict build, its doctrees outside ``out`` (the EPUB builder would pack them); the
    verdict off, as the tiny book's point is what a claim shows, not the checker's rules."""
    args = sphinxbuild.command(
        root / "docs", out, builder, conf_dir=REPO, color=False,
        options=["-d", str(out.parent / f"doctrees-{builder}"), *sphinxbuild.VERDICT_OFF],
    )[3:]  # fmt: skip
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = build_main(args)
    assert (code, err.getvalue()) == (0, ""), builder
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("disclosure")
    root = _tiny_book(base)
    outs = {}
    for builder in ("html", "epub"):
        outs[builder] = _build(root, base / builder, builder)
    return outs


def _claim(page: BeautifulSoup, claim_id: str):
    return page.find(id=claim_id)


def test_tiny_book_html_disclosure(tiny) -> None:
    raw = (tiny["html"] / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "html.parser")
    visit = _claim(page, "CLM_VISIT").find("details", class_="claim-evidence")
    assert visit is not None and not visit.has_attr("open")
    assert visit.summary.get_text() == "Evidence"
    assert visit.find("p", class_="claim-evidence-quote").get_text() == (
        "“three-day visit - from 20 to 22 June”"
    )
    source = visit.find("p", class_="claim-evidence-source")
    assert source.get_text() == (
        "Found in Alpha News, “Minister visits the capital”, 2024-06-20, "
        "https://example.org/alpha, read 2026-11-24. Passage in context"
    )
    href = f"{ALPHA_PAGE}.html#{passages.anchor('CLM_VISIT', 1)}"
    assert source.find_all("a")[-1]["href"] == href
    talks = _claim(page, "CLM_TALKS").find("details", class_="claim-evidence")
    # its hostile facts are text (and a passage link only to an evidence page that exists)
    assert talks.find("p", class_="claim-evidence-source").get_text() == (
        "Found in Ministry <b>of</b> Affairs, “Talks <script>x()</script> held”, 2024-06-21, "
        "https://example.org/gamma, read 2026-11-24." + GAMMA_LINK
    )
    assert "Ministry &lt;b&gt;of&lt;/b&gt; Affairs" in raw and "<script>x()" not in raw
    # no script runs it: the one script that holds it is JSON-LD data, its "<" escaped
    holders = page.find_all("script", string=re.compile("x\\(\\)"))
    assert [h["type"] for h in holders] == ["application/ld+json"]
    assert '"Talks \\u003cscript\\u003ex()\\u003c/script\\u003e held"' in holders[0].string


def test_tiny_book_html_status_labels(tiny) -> None:
    page = BeautifulSoup((tiny["html"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    labels = {
        claim: [s.get_text() for s in _claim(page, claim).find_all("span", class_="claim-status")]
        for claim in ("CLM_VISIT", "CLM_TALKS", "CLM_OLD", "CLM_NEW")
    }
    assert labels == {
        "CLM_VISIT": [],
        "CLM_TALKS": ["unverified"],
        "CLM_OLD": ["superseded by CLM_NEW"],
        "CLM_NEW": [],
    }
    link = _claim(page, "CLM_OLD").find("span", class_="claim-status").a
    assert link["href"] == "#CLM_NEW"


def test_tiny_book_epub_has_labels_and_no_disclosure(tiny) -> None:
    (epub,) = tiny["epub"].glob("*.epub")
    with zipfile.ZipFile(epub) as book:
        name = next(n for n in book.namelist() if n.split("/")[-1] == "index.xhtml")
        page = BeautifulSoup(book.read(name).decode("utf-8"), "html.parser")
    assert [s.get_text() for s in page.find_all("span", class_="claim-status")] == [
        "unverified",
        "superseded by CLM_NEW",
    ]
    assert page.find("details") is None


@pytest.mark.slow
def test_tiny_book_pdf_prints_the_labels_and_no_disclosure(tmp_path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found: install the Debian package poppler-utils")
    out = _build(_tiny_book(tmp_path), tmp_path / "pdf", "simplepdf")
    (pdf,) = out.glob("*.pdf")
    run = subprocess.run(  # -layout: the marks in their line's order
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    text = " ".join(run.stdout.split())
    assert "CLM_TALKS actor's record unverified" in text
    assert "CLM_OLD one report superseded by CLM_NEW" in text
    assert "CLM_VISIT two independent Talks" in text and "Evidence grade" not in text


@pytest.mark.slow
def test_incremental_build_redraws_a_disclosure_when_another_page_changes(tmp_path) -> None:
    """A chapter not read again is written again when what its claims show changed on
    other pages: here a record's text, which decides where a quote is found."""
    root = _tiny_book(tmp_path)
    docs = root / "docs"
    text = (docs / "index.md").read_text(encoding="utf-8")
    text = text.replace(":cites: SRC_GAMMA\n", ":cites: SRC_BETA, SRC_GAMMA\n")
    # the claims in a chapter, the records on a page of their own (siblings: a page read
    # again does not make Sphinx write the other again)
    text = text.replace("```{source-records}\n```\n", "")
    text = text[: text.index("```{toctree}")] + text[text.index("## Sources") :]
    (docs / "chapter.md").write_text(text, encoding="utf-8")
    (docs / "sources.md").write_text("# Sources\n\n```{source-records}\n```\n", "utf-8")
    (docs / "index.md").write_text(
        f"# Book\n\n```{{toctree}}\nchapter\nsources\n{ALPHA_PAGE}\n```\n", "utf-8"
    )
    out = tmp_path / "html"

    def build(fresh: bool) -> str:
        result = sphinx_build(
            root / "docs", out, builder="html", strict=True, fresh=fresh,
            options=sphinxbuild.VERDICT_OFF,
        )  # fmt: skip
        assert (result.returncode, result.stderr) == (0, "")
        page = BeautifulSoup((out / "chapter.html").read_text(encoding="utf-8"), "html.parser")
        details = page.find(id="CLM_TALKS").find("details", class_="claim-evidence")
        return " | ".join(
            p.get_text() for p in details.find_all("p", class_="claim-evidence-source")
        )

    assert build(fresh=True).startswith("Found in Beta Daily, “Talks held in the capital”")
    record = root / "sources" / "beta.txt"
    raw = record.read_text(encoding="utf-8").replace("held on Friday", "held on Saturday")
    record.write_text(stamp_hash(raw), encoding="utf-8")
    assert build(fresh=False) == (
        "Found in Ministry <b>of</b> Affairs, “Talks <script>x()</script> held”, 2024-06-21, "
        "https://example.org/gamma, read 2026-11-24." + GAMMA_LINK
    )


# -- the real book ----------------------------------------------------------------------


def _real_claims(folder: Path) -> dict[str, dict]:
    data = json.loads((folder / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    return {k: n for k, n in needs.items() if n["type"] == "claim"}


def test_every_claim_shows_its_quotes_and_sources_on_its_chapter_page(html_book) -> None:
    claims = _real_claims(html_book)
    pages: dict[str, BeautifulSoup] = {}
    problems = []
    for claim_id, need in sorted(claims.items()):
        doc = need["docname"]
        if doc not in pages:
            pages[doc] = BeautifulSoup(
                (html_book / f"{doc}.html").read_text("utf-8"), "html.parser"
            )
        box = pages[doc].find(id=claim_id)
        details = box.find("details", class_="claim-evidence") if box else None
        if details is None:
            problems.append(f"{claim_id}: no evidence disclosure on {doc}.html")
            continue
        shown = [
            li.find("p", class_="claim-evidence-quote").get_text()
            for li in details.ol.find_all("li", recursive=False)
        ]
        if shown != [f"“{q}”" for q in split_quotes(need["quote"])]:
            problems.append(f"{claim_id}: quotes shown {shown}")
        for index, li in enumerate(details.ol.find_all("li", recursive=False), start=1):
            if not li.find("p", class_="claim-evidence-source"):
                problems.append(f"{claim_id}: quote {index} names no source")
        grade = details.find("p", class_="claim-evidence-grade").get_text()
        if not grade.startswith("Evidence grade: "):
            problems.append(f"{claim_id}: grade {grade!r}")
    assert len(claims) >= 450
    assert problems == []


def _labelled(need: dict) -> str:
    return status.label_text(need["status"], status.superseded_by(need))


def test_every_claim_not_verified_is_labelled_in_html(html_book) -> None:
    claims = _real_claims(html_book)
    wanted = {k: _labelled(n) for k, n in claims.items() if n["status"] != "verified"}
    found = {}
    for doc in {n["docname"] for n in claims.values()}:
        page = BeautifulSoup((html_book / f"{doc}.html").read_text("utf-8"), "html.parser")
        for label in page.find_all("span", class_="claim-status"):
            found[label.find_parent("div", class_="claim")["id"]] = label.get_text()
    assert wanted and found == wanted


@pytest.mark.client
def test_every_claim_not_verified_is_labelled_in_epub(epub_book, html_book) -> None:
    claims = _real_claims(html_book)
    wanted = {k: _labelled(n) for k, n in claims.items() if n["status"] != "verified"}
    found = {}
    with zipfile.ZipFile(epub_book / EPUB_NAME) as book:
        for name in (n for n in book.namelist() if n.endswith(".xhtml")):
            page = BeautifulSoup(book.read(name).decode("utf-8"), "html.parser")
            for label in page.find_all("span", class_="claim-status"):
                found[label.find_parent("div", class_="claim")["id"]] = label.get_text()
    assert found == wanted


@pytest.mark.client
def _chapter_starts(pdf_book: Path) -> dict[str, int]:
    """Each chapter's title -> the index of its first page, from the PDF's outline."""
    reader = PdfReader(pdf_book / PDF_NAME)
    starts: dict[str, int] = {}

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif level == 1:
                starts[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline, 0)
    return starts


def _title(docname: str) -> str:
    text = (REPO / "docs" / f"{docname}.md").read_text(encoding="utf-8")
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def test_every_claim_not_verified_is_labelled_in_pdf_text(pdf_pages, pdf_book, html_book) -> None:
    """In the PDF's text, each such claim's label is on the page where its ID first
    appears in its chapter or the next (a claim may end over a page break); an earlier
    page may name the claim (the timeline, the glossary). The order of the marks is held
    by the tiny book's PDF test above."""
    pages = ["".join(page.split()) for page in pdf_pages]
    starts = _chapter_starts(pdf_book)
    problems = []
    for claim_id, need in sorted(_real_claims(html_book).items()):
        if need["status"] == "verified":
            continue
        label = _labelled(need).replace(" ", "")
        start = starts[_title(need["docname"])]
        at = next((i for i, page in enumerate(pages) if i >= start and claim_id in page), None)
        if at is None or label not in "".join(pages[at : at + 2]):
            problems.append(f"{claim_id}: {label!r} not near its ID (page {at})")
    assert problems == []
