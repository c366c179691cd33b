"""The book on paper and in an e-reader: the PDF's length, layout and tagging, the EPUB's
claims index at phone width, and the figures' text sizes.

Each check is a function returning problem lines, run on a small broken case (the exact
problems) and on the real book (none), as in ``test_clients.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from realbook import EPUB_NAME, PDF_NAME
from test_clients import browser, claims, serve  # noqa: F401 (browser: a fixture)

from idcpc_book.ext.upstream.simplepdf_ua import PDF_VARIANT

pytestmark = pytest.mark.client

#: The most pages the PDF may have for today's content (issue 24).
MAX_PAGES = 250
#: The text block of a PDF page, left and right edges in points: A4 (595.28 pt) less
#: the 15 mm (42.52 pt) side margins of idcpc_book/data/print.css.
TEXT_BLOCK = (42.52, 595.28 - 42.52)
#: What a word may cross the text block's edge by (rounding, italic overhang), in points.
SLACK = 1.0

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
)


def words_outside(bbox_html: str, block: tuple[float, float], first_page: int = 2) -> list[str]:
    """The words of ``pdftotext -bbox`` output that run past the text block's left or right
    edge, from page ``first_page`` (the cover is printed to the edge): ``p. N: word``."""
    left, right = block
    problems = []
    for number, page in enumerate(_PAGE.findall(bbox_html), start=1):
        if number < first_page:
            continue
        for x_min, x_max, word in _WORD.findall(page):
            if float(x_min) < left - SLACK or float(x_max) > right + SLACK:
                problems.append(f"p. {number}: {word} ({float(x_min):.0f}-{float(x_max):.0f} pt)")
    return problems


def test_words_outside_finds_a_word_past_the_margin() -> None:
    bbox = (
        '<page width="595" height="842"><word xMin="1" yMin="1" xMax="9" yMax="9">cover</word>'
        '</page><page width="595" height="842">'
        '<word xMin="62.25" yMin="68" xMax="94.72" yMax="82">Hello</word>'
        '<word xMin="62.25" yMin="82" xMax="600.27" yMax="96">CLM_A_VERY_LONG_ID</word>'
        '<word xMin="40.00" yMin="96" xMax="80.00" yMax="110">hanging</word></page>'
    )
    assert words_outside(bbox, TEXT_BLOCK) == [
        "p. 2: CLM_A_VERY_LONG_ID (62-600 pt)",
        "p. 2: hanging (40-80 pt)",
    ]


def accessibility_problems(path: Path, claim_ids: list[str]) -> list[str]:
    """What keeps the PDF at ``path`` from being a tagged PDF/UA-1 book: its catalogue's
    marking, language, structure and PDF/UA identification, a figure without alternative
    text, a claim without a named destination (``file.pdf#CLM_X``), a missing outline."""
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    problems = []
    mark_info = root["/MarkInfo"].get_object() if "/MarkInfo" in root else {}
    if getattr(mark_info.get("/Marked"), "value", None) is not True:  # a pypdf BooleanObject
        problems.append("not marked (/MarkInfo /Marked true)")
    if not root.get("/Lang"):
        problems.append("no language (/Lang)")
    if "/StructTreeRoot" not in root:
        problems.append("no structure tree (untagged)")
    metadata = reader.xmp_metadata
    xmp = metadata.stream.get_data().decode("utf-8") if metadata else ""
    if 'pdfuaid:part="1"' not in xmp:
        problems.append("not identified as PDF/UA-1 in its XMP metadata")
    if "/StructTreeRoot" in root:
        figures = without_alt = 0
        stack = [root["/StructTreeRoot"]]
        while stack:
            element = stack.pop().get_object()
            if not hasattr(element, "get"):
                continue
            if element.get("/S") == "/Figure":
                figures += 1
                without_alt += not element.get("/Alt")
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
        if without_alt:
            problems.append(f"{without_alt} of {figures} figures without alternative text")
    named = set(reader.named_destinations)
    missing = [i for i in claim_ids if i not in named]
    if missing:
        problems.append(f"{len(missing)} claims without a named destination, e.g. {missing[0]}")
    if claim_ids and not reader.outline:
        problems.append("no outline")
    return problems


def test_accessibility_problems_of_an_untagged_pdf(tmp_path) -> None:
    import weasyprint

    (tmp_path / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<rect width="20" height="20"/></svg>',
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_text('<p id="CLM_A">A claim.</p><img src="x.svg">', encoding="utf-8")
    weasyprint.HTML(str(page)).write_pdf(tmp_path / "plain.pdf")
    assert accessibility_problems(tmp_path / "plain.pdf", ["CLM_A", "CLM_B"]) == [
        "not marked (/MarkInfo /Marked true)",
        "no language (/Lang)",
        "no structure tree (untagged)",
        "not identified as PDF/UA-1 in its XMP metadata",
        "1 claims without a named destination, e.g. CLM_B",
        "no outline",
    ]
    page.write_text(
        '<html lang="en"><h1>T</h1><p id="CLM_A">A claim.</p><img src="x.svg"></html>',
        encoding="utf-8",
    )
    weasyprint.HTML(str(page)).write_pdf(tmp_path / "ua.pdf", pdf_variant=PDF_VARIANT)
    assert accessibility_problems(tmp_path / "ua.pdf", ["CLM_A"]) == [
        "1 of 1 figures without alternative text"
    ]


# -- the real book's PDF ----------------------------------------------------------------


def test_pdf_has_at_most_250_pages(pdf_pages) -> None:
    assert 0 < len(pdf_pages) <= MAX_PAGES, f"{len(pdf_pages)} pages"


@pytest.fixture(scope="module")
def pdf_bbox(pdf_book) -> str:
    """``pdftotext -bbox`` of the real book's PDF: every word with its box."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found: install the Debian package poppler-utils (.ci/run does)")
    run = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_book / PDF_NAME), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return run.stdout


def test_pdf_words_stay_inside_the_text_block(pdf_bbox) -> None:
    assert words_outside(pdf_bbox, TEXT_BLOCK) == []


def test_pdf_is_tagged_pdf_ua(pdf_book) -> None:
    ids = sorted(claims(pdf_book / "needs.json"))
    assert accessibility_problems(pdf_book / PDF_NAME, ids) == []


def printed_index(bbox_html: str) -> dict[str, int]:
    """Claim ID -> page number, as the printed claims index gives them: the lines, on the
    pages whose table head reads "ID Page Status Grade", that start with an ID and a number."""
    listed: dict[str, int] = {}
    for page in _PAGE.findall(bbox_html):
        lines: dict[float, list[tuple[float, str]]] = {}
        for x_min, y_min, word in _WORD_AT.findall(page):
            lines.setdefault(round(float(y_min)), []).append((float(x_min), word))
        words = [[w for _, w in sorted(line)] for _, line in sorted(lines.items())]
        if ["ID", "Page", "Status", "Grade"] not in words:
            continue
        for line in words:
            if len(line) > 1 and line[0].startswith("CLM_") and line[1].isdigit():
                listed[line[0]] = int(line[1])
    return listed


_WORD_AT = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>'
)


def test_pdf_claims_index_is_a_compact_list(pdf_book, pdf_bbox, pdf_pages) -> None:
    """The printed index: a line per claim with the page it starts on; a few pages, not a
    hundred."""
    ids = claims(pdf_book / "needs.json")
    listed = printed_index(pdf_bbox)
    assert sorted(listed) == sorted(ids)
    # the page a claim starts on; its ID marker ends it, on that page or the next
    assert [i for i, p in listed.items() if i not in pdf_pages[p - 1] + pdf_pages[p]] == []
    index_pages = [t for t in pdf_pages if re.search(r"^ID\n\nPage\n\nStatus\n\nGrade$", t, re.M)]
    assert len(index_pages) <= 15


def test_pdf_cover_has_title_edition_date_and_authors_on_one_line(pdf_pages) -> None:
    from idcpc_book import edition

    book = edition.load(Path(__file__).resolve().parent.parent / "pyproject.toml")
    cover = pdf_pages[0].splitlines()
    assert book.authors in cover
    assert f"Version {book.version}" in cover
    assert f"Current as of {book.as_of_long}" in cover


# -- the EPUB ------------------------------------------------------------------------

#: What a reader sees of the EPUB's claims index at phone width: text size, items that
#: run past the screen's edge.
_PHONE_FACTS = """() => {
  const problems = [];
  const list = document.querySelector("ul.claims-list");
  if (!list) return ["no compact claims list"];
  const width = document.documentElement.clientWidth;
  for (const el of list.querySelectorAll("li, a, span")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 || box.left < -0.5) {
      problems.push(`${el.textContent.trim().slice(0, 40)}: ${Math.round(box.left)}-`
        + `${Math.round(box.right)} px on a ${width}-px screen`);
    }
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 11) problems.push(`${el.textContent.trim().slice(0, 40)}: text of ${size} px`);
  }
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
  }
  return problems.slice(0, 10);
}"""


def phone_problems(browser, folder: Path, page: str) -> list[str]:  # noqa: F811
    """Open ``page`` of an unpacked EPUB at 390 px; the problems of its claims list."""
    with serve(folder) as base:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        tab.goto(base + page, wait_until="networkidle")
        problems = tab.evaluate(_PHONE_FACTS)
        tab.close()
    return problems


def test_phone_problems_of_a_wide_table(browser, tmp_path) -> None:  # noqa: F811
    (tmp_path / "wide.xhtml").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><ul class="claims-list"><li>'
        '<a href="#x" style="white-space: nowrap">CLM_A_VERY_LONG_IDENTIFIER_THAT_RUNS_'
        "OFF_THE_SCREEN_OF_A_PHONE</a></li></ul></body></html>",
        encoding="utf-8",
    )
    assert phone_problems(browser, tmp_path, "wide.xhtml") == [
        "CLM_A_VERY_LONG_IDENTIFIER_THAT_RUNS_OFF: 48-667 px on a 390-px screen",
        "the page scrolls sideways (667 px)",
    ]


def test_epub_claims_index_reads_at_phone_width(browser, epub_book, tmp_path) -> None:  # noqa: F811
    with zipfile.ZipFile(epub_book / EPUB_NAME) as book:
        book.extractall(tmp_path)
    assert phone_problems(browser, tmp_path, "claims.xhtml") == []


# -- the figures on a phone (the HTML edition) --------------------------------------------

#: A figure's smallest text as rendered, in px, and where its frame ends.
_FIGURE_FACTS = """([id, drawnPt, textPt]) => {
  const svg = document.querySelector(`#${id} svg`);
  const box = svg.getBoundingClientRect();
  const frame = svg.closest("figure").getBoundingClientRect();
  return {
    textPx: textPt * (box.width / drawnPt),  // px per pt of the drawing, as shown
    frameRight: frame.right,
  };
}"""


def test_figure_text_is_at_least_11_px_on_a_390_px_phone(browser, html_book) -> None:  # noqa: F811
    from test_clients import FIGURES

    from idcpc_book.figures import TEXT_PT, WIDTH

    with serve(html_book) as base:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        for name, (page, _) in FIGURES.items():
            tab.goto(base + page, wait_until="networkidle")
            facts = tab.evaluate(_FIGURE_FACTS, [f"figure-{name}", WIDTH * 72, TEXT_PT])
            assert facts["textPx"] >= 11, (name, facts)
            assert facts["frameRight"] <= 390, (name, facts)  # it scrolls inside its frame
        tab.close()


def test_timeline_table_ids_keep_the_width_of_a_390_px_phone(browser, html_book) -> None:  # noqa: F811
    """On a phone each dated claim of the timeline's table is a block: its ID and sources
    get the whole width (figures.css), not a column a few letters wide."""
    with serve(html_book) as base:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        tab.goto(base + "timeline.html", wait_until="networkidle")
        widths = tab.evaluate(
            "() => [...document.querySelectorAll('table.timeline td.needs_id')]"
            ".map((td) => td.getBoundingClientRect().width)"
        )
        tab.close()
    assert len(widths) > 10
    assert min(widths) >= 300, min(widths)
