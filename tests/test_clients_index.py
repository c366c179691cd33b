"""The claims index and the site search in Chromium: a search by a claim's words, the source
box, chapters by title, no word broken across lines (wide and 390 px), no overflow on a phone;
search results without the cite boxes' BibTeX and JSON; the cite box dated when opened."""

from __future__ import annotations

import datetime as dt

import pytest
import test_clients
from test_clients import serve

pytestmark = pytest.mark.client
#: test_clients' Chromium (a module-scoped fixture), here as "chromium".
chromium = test_clients.browser

#: Words of a cell broken across lines: a word (a run of Latin letters, digits and
#: apostrophes: a line may end after a hyphen, and between two Chinese characters) whose
#: range has more than one box; IDs (not words) may break.
BROKEN_WORDS = """(cells) => {
  const broken = [];
  for (const cell of cells) {
    if (cell.offsetParent === null || cell.classList.contains("needs_id")) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("button")) continue;
      for (const match of node.textContent.matchAll(/[\\p{Script=Latin}\\p{N}'\u2019]+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def _index(chromium, base: str, width: int):
    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "claims.html", wait_until="networkidle")
    return page


def test_the_claims_index_finds_a_claim_by_its_words_and_sources(chromium, html_book) -> None:
    with serve(html_book) as base:
        page = _index(chromium, base, 1280)
        count = page.locator(".claims-filter-count")
        total = int(count.inner_text().split(" of ")[1].split()[0])
        page.get_by_placeholder("Search claims and quotations").fill("Liu arrived on Thursday")
        visible = page.locator("table.claims-filter tbody tr:not([hidden])")
        ids = visible.locator("td.needs_id").all_inner_texts()
        assert "CLM_VISIT_ARRIVAL" in ids
        assert count.inner_text() == f"{len(ids)} of {total} claims"
        page.get_by_placeholder("Search claims and quotations").fill("")
        page.get_by_placeholder("publisher, title or ID").fill("Daily Pakistan")
        matched = visible.locator("td.needs_cites").evaluate_all(
            "cells => cells.map(c => Array.from(c.querySelectorAll('a')).some(a => "
            "(a.textContent + ' ' + a.title).toLowerCase().includes('daily pakistan')))"
        )
        assert matched and all(matched)
        assert "Daily Pakistan" in visible.locator("td.needs_cites").first.inner_text()
        page.get_by_placeholder("publisher, title or ID").fill("SRC_DAILYPAKISTAN2024ARRIVES")
        assert "CLM_VISIT_ARRIVAL" in visible.locator("td.needs_id").all_inner_texts()
        chapters = (
            page.locator(".claims-filter-controls label", has_text="Chapter")
            .locator("option")
            .all_inner_texts()
        )
        assert "The June 2024 visit" in chapters and "visit-2024" not in chapters
        page.close()


@pytest.mark.parametrize("width", [1600, 1280, 390])  # wide table, cards, phone
def test_the_claims_index_breaks_no_word_and_fits_a_phone(chromium, html_book, width) -> None:
    with serve(html_book) as base:
        page = _index(chromium, base, width)
        cells = "table.claims-filter thead th, table.claims-filter tbody tr:nth-child(-n+40) td"
        assert page.eval_on_selector_all(cells, BROKEN_WORDS) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1600:  # the check finds words broken as the fixed layout broke them
            page.add_style_tag(
                content="body table.claims-filter { table-layout: fixed !important; }"
                " table.claims-filter th, table.claims-filter td"
                " { word-break: break-all !important; }"
            )
            assert page.eval_on_selector_all(cells, BROKEN_WORDS) != []
        if width == 390:  # each claim a card: its cells one under the other
            display = page.eval_on_selector(
                "table.claims-filter td.claim-text", "c => getComputedStyle(c).display"
            )
            assert display == "block"
        page.close()


def test_search_results_leave_out_the_cite_boxes(chromium, html_book) -> None:
    with serve(html_book) as base:
        page = chromium.new_page()
        page.goto(base + "search.html?q=Siddiqui", wait_until="networkidle")
        page.wait_for_selector("#search-results li p.context", timeout=15_000)
        html = page.evaluate("fetch('visit-2024.html').then((r) => r.text())")
        whole = page.evaluate(
            "(h) => new DOMParser().parseFromString(h, 'text/html')"
            ".querySelector('[role=main]').textContent",
            html,
        )
        assert "howpublished" in whole  # the page holds the cite boxes ...
        summary = page.evaluate("(h) => Search.htmlToText(h)", html)
        assert (
            "howpublished" not in summary and "container-title" not in summary
        )  # ... not the summary
        assert "Siddiqui" in summary
        contexts = page.locator("#search-results p.context").all_inner_texts()
        assert contexts and not any("@misc" in c or "urldate" in c for c in contexts)
        page.close()


def test_the_cite_box_dates_access_when_opened(chromium, html_book) -> None:
    with serve(html_book) as base:
        page = chromium.new_page()
        page.goto(base + "visit-2024.html#CLM_VISIT_ARRIVAL", wait_until="networkidle")
        box = page.locator("#CLM_VISIT_ARRIVAL details.claim-cite")
        box.locator("summary").click()
        today = page.evaluate(
            "(() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1)"
            ".padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); })()"
        )
        assert dt.date.fromisoformat(today)
        dates = box.locator(".claim-cite-accessed").all_inner_texts()
        assert dates == [today] * 4
        assert f"(accessed {today})." in box.locator("pre").first.inner_text()
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_open_questions_break_no_word_and_fit_a_phone(chromium, html_book, width) -> None:
    """The open questions' fixed columns (an automatic layout gave one long ID a third of
    the width, and broke "unverified" in two); on a phone each claim a block."""
    with serve(html_book) as base:
        page = chromium.new_page(viewport={"width": width, "height": 900})
        page.goto(base + "questions.html", wait_until="networkidle")
        cells = "table.open-questions td:not(:last-child)"  # the last is the ID, which may break
        assert page.locator(cells).count() > 0
        assert page.eval_on_selector_all(cells, BROKEN_WORDS) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 390:
            display = page.eval_on_selector(
                "table.open-questions td", "c => getComputedStyle(c).display"
            )
            assert display == "block"
        else:  # the control: a narrow status column whose words may break, as before
            page.add_style_tag(
                content="table.open-questions col:nth-child(2) { width: 6% !important; }"
                " table.open-questions td { overflow-wrap: anywhere !important; }"
            )
            assert page.eval_on_selector_all(cells, BROKEN_WORDS) != []
        page.close()
