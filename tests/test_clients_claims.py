"""A claim in a real client (headless Chromium): its evidence opens with a tap and with
the keyboard, its markers are readable, a permalink lands on it and highlights it.

At a phone's width (390 px, touch) and a desktop's (1280 px), on the real book's HTML
(the session's build); the browser and the server are tests/test_clients.py's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_clients import browser, serve  # noqa: F401  (the module's Chromium fixture)

from idcpc_book.model import split_quotes

pytestmark = pytest.mark.client

#: A phone (touch) and a desktop.
VIEWPORTS = {"phone": (390, 844, True), "desktop": (1280, 900, False)}
CHAPTER = "visit-2024"
#: The markers after a claim that must be at least 12 px on screen.
MARKERS = (
    "a.need-id",
    "span.claim-history",
    "abbr.evidence-grade",
    "span.claim-status",
    "details.claim-cite > summary",
    "details.claim-evidence > summary",
)


def _claims(html: Path) -> dict[str, dict]:
    data = json.loads((html / "needs.json").read_text(encoding="utf-8"))
    needs = data["versions"][data["current_version"]]["needs"]
    return {k: n for k, n in needs.items() if n["type"] == "claim"}


def _context(browser, viewport: str):  # noqa: F811
    width, height, touch = VIEWPORTS[viewport]
    return browser.new_context(
        viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_evidence_opens_with_a_tap_or_a_click_and_with_the_keyboard(
    browser,  # noqa: F811
    html_book,
    viewport,
) -> None:
    claims = _claims(html_book)
    on_page = sorted(k for k, n in claims.items() if n["docname"] == CHAPTER)
    first, second = on_page[0], on_page[1]
    context = _context(browser, viewport)
    with serve(html_book) as base:
        page = context.new_page()
        page.goto(f"{base}{CHAPTER}.html", wait_until="networkidle")
        # a tap (phone) or a click (desktop) on "Evidence" opens it; the quotes are seen
        details = page.locator(f'[id="{first}"] details.claim-evidence')
        body = details.locator(".claim-evidence-body")
        assert not body.is_visible()
        summary = details.locator("summary")
        assert summary.inner_text() == "Evidence"
        summary.tap() if VIEWPORTS[viewport][2] else summary.click()
        assert details.evaluate("d => d.open") is True
        assert body.is_visible()
        shown = body.locator("p.claim-evidence-quote").all_inner_texts()
        assert shown == [f"“{q}”" for q in split_quotes(claims[first]["quote"])]
        # the grade's reason is text a reader sees, not only the marker's hover title
        reason = page.locator(f'[id="{first}"] abbr.evidence-grade').get_attribute("title")
        grade = body.locator("p.claim-evidence-grade")
        assert grade.is_visible() and reason in grade.inner_text()
        # nothing wider than the screen once it is open
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport][0]
        # the keyboard: Tab from the claim's "cite" reaches its "Evidence"; Enter opens it
        other = page.locator(f'[id="{second}"] details.claim-evidence')
        page.locator(f'[id="{second}"] details.claim-cite > summary').focus()
        page.keyboard.press("Tab")
        assert other.evaluate("d => document.activeElement === d.querySelector('summary')")
        page.keyboard.press("Enter")
        assert other.evaluate("d => d.open") is True
        assert other.locator(".claim-evidence-body").is_visible()
        page.keyboard.press("Enter")  # and closes it again
        assert other.evaluate("d => d.open") is False
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_claim_markers_are_at_least_12_px(browser, html_book, viewport) -> None:  # noqa: F811
    context = _context(browser, viewport)
    sizes: dict[str, float] = {}
    with serve(html_book) as base:
        page = context.new_page()
        for chapter in (CHAPTER, "people"):  # people.html has a superseded claim's label
            page.goto(f"{base}{chapter}.html", wait_until="networkidle")
            for selector in MARKERS:
                found = page.evaluate(
                    "(s) => [...document.querySelectorAll('div.claim ' + s)]"
                    ".map(e => parseFloat(getComputedStyle(e).fontSize))",
                    selector,
                )
                if found:
                    sizes[selector] = min([*found, sizes.get(selector, 99.0)])
        context.close()
    assert sorted(sizes) == sorted(MARKERS)
    assert {s: size for s, size in sizes.items() if size < 12} == {}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_permalink_scrolls_to_its_claim_and_highlights_it(
    browser,  # noqa: F811
    html_book,
    viewport,
) -> None:
    claims = _claims(html_book)
    on_page = sorted(k for k, n in claims.items() if n["docname"] == CHAPTER)
    target, plain = on_page[-1], on_page[0]
    context = _context(browser, viewport)
    with serve(html_book) as base:
        page = context.new_page()
        page.goto(f"{base}{CHAPTER}.html#{target}", wait_until="networkidle")
        facts = page.evaluate(
            """async ([target, plain]) => {
              // the theme scrolls smoothly: wait until the page has stood still a while
              for (let last = -1, still = 0, i = 0; still < 3 && i < 100; i++) {
                await new Promise((done) => setTimeout(done, 100));
                still = scrollY === last ? still + 1 : 0;
                last = scrollY;
              }
              const style = (id) => getComputedStyle(document.getElementById(id));
              const box = document.getElementById(target).getBoundingClientRect();
              return {top: box.top, height: innerHeight, scrolled: scrollY,
                      target: [style(target).backgroundColor, style(target).outlineStyle],
                      plain: [style(plain).backgroundColor, style(plain).outlineStyle]};
            }""",
            [target, plain],
        )
        context.close()
    assert facts["scrolled"] > 0
    assert 0 <= facts["top"] < facts["height"] / 2, facts
    assert facts["target"] != facts["plain"], facts
    assert facts["plain"] == ["rgba(0, 0, 0, 0)", "none"]
