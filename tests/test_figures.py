"""Figures drawn from the claims: their data, their SVG, and the directive in a small book.

The real book's figures in Chromium, the PDF and the EPUB: tests/test_clients.py; rebuilt
byte for byte: tests/test_trust_build.py."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOTS, sphinx_build

from idcpc_book.ext.book.figures import inline_svg, svg_file
from idcpc_book.figures import TEXT_PT, figure, meetings, money, offices, svg, timeline
from idcpc_book.figures.registry import BY_NAME, FIGURES


def claim(cid: str, doc: str = "jcm", **fields: str) -> dict:
    return {"id": cid, "type": "claim", "docname": doc, "cites": [], **fields}


NEEDS = {
    c["id"]: c
    for c in [
        claim("CLM_M1_DATE", meeting="1", event_date="2019-03-19", place="Beijing"),
        claim("CLM_M1_CHAIRS", meeting="1", event_date="2019-03", co_chairs="A and B"),
        claim("CLM_M2_DATE", meeting="2", event_date="2020-08-20", place="video conference"),
        claim("CLM_OTHER", doc="security", event_date="2024"),
        claim("CLM_UNDATED", doc="idcpc"),
    ]
}


def test_meetings_take_the_most_precise_date_and_each_field_from_its_claim() -> None:
    found = meetings.meetings(NEEDS)
    assert [(m.name, m.date, m.date_claim["id"]) for m in found] == [
        ("1", "2019-03-19", "CLM_M1_DATE"),
        ("2", "2020-08-20", "CLM_M2_DATE"),
    ]
    drawing = meetings.draw(NEEDS, lambda c: f"jcm.html#{c['id']}")
    assert drawing.table == [
        ["Meeting", "Date", "Place", "Co-chairs", "Parties"],
        [
            "JCM 1",
            ("19 March 2019", "CLM_M1_DATE"),
            ("Beijing", "CLM_M1_DATE"),
            ("A and B", "CLM_M1_CHAIRS"),
            "not given",
        ],
        [
            "JCM 2",
            ("20 August 2020", "CLM_M2_DATE"),
            ("video conference", "CLM_M2_DATE"),
            "not given",
            "not given",
        ],
    ]
    assert drawing.alt == (
        "The JCM's meetings: meeting 1, 19 March 2019, Beijing; "
        "meeting 2, 20 August 2020, video conference."
    )
    assert b'xlink:href="jcm.html#CLM_M1_DATE"' in drawing.svg


MONEY = {
    c["id"]: c
    for c in [
        claim("CLM_PLAIN", doc="cpec"),
        claim("CLM_SIZE", doc="cpec", as_of="2024-06-21", amount="60-65", measure="headline",
              package="the programme"),
        claim("CLM_SIGNED", doc="cpec", event_date="2015-04-20", as_of="2015-04-21",
              amount="46", measure="signed", package="the 2015 agreements"),
    ]
}  # fmt: skip


def test_money_figures_are_dated_by_event_else_as_of_and_keep_their_measure() -> None:
    assert [c["id"] for c in money.figures(MONEY)] == ["CLM_SIGNED", "CLM_SIZE"]
    assert (money.usd("25.4"), money.usd("60-65")) == ("$25.4bn", "$60–65bn")
    drawing = money.draw(MONEY, lambda c: f"cpec.html#{c['id']}")
    assert drawing.table == [
        ["Date", "Figure", "What it measures", "Package or period", "As of", "Evidence"],
        [("20 April 2015", "CLM_SIGNED"), "$46bn", "signed", "the 2015 agreements",
         "21 April 2015", "no source"],
        [("21 June 2024", "CLM_SIZE"), "$60–65bn", "headline", "the programme",
         "21 June 2024", "no source"],
    ]  # fmt: skip
    assert drawing.alt == (
        "CPEC money figures by the date they were signed or stated: 20 April 2015, $46bn "
        "(signed, the 2015 agreements); 21 June 2024, $60–65bn (headline, the programme)."
    )
    assert drawing.svg.count(b"<a xlink:href=") == 2
    assert b'xlink:href="cpec.html#CLM_SIZE"' in drawing.svg
    assert money.draw(MONEY, lambda c: None).svg == money.draw(MONEY, lambda c: None).svg


TERMS = {
    c["id"]: c
    for c in [
        claim("CLM_A_START", doc="people", office="Head", holder="A", term_start="2022-06",
              term_end="2025-09", as_of="2025-09-30"),
        claim("CLM_B_START", doc="people", office="Head", holder="B", term_start="2025-09",
              as_of="2025-10-01"),
        claim("CLM_B_LATER", doc="people", office="Head", holder="B", as_of="2026-01-31"),
        claim("CLM_C_SEEN", doc="people", office="Speaker", holder="C", as_of="2026-03-02"),
    ]
}  # fmt: skip


def test_terms_join_the_claims_of_one_holder_and_run_to_the_last_confirmation() -> None:
    found = offices.terms(TERMS)
    assert [(t.office, t.holder) for t in found] == [("Head", "A"), ("Head", "B"), ("Speaker", "C")]
    a, b, c = found
    assert (a.end[0], a.confirmed) == ("2025-09", None)  # an ended term is not "confirmed"
    assert (b.start[1]["id"], b.confirmed[0], b.confirmed[1]["id"]) == (
        "CLM_B_START",
        "2026-01-31",
        "CLM_B_LATER",
    )
    assert (c.start, c.first["id"]) == (None, "CLM_C_SEEN")
    drawing = offices.draw(TERMS, lambda c: f"people.html#{c['id']}")
    assert drawing.table == [
        ["Office", "Holder", "From", "Ended", "Last confirmed"],
        ["Head", ("A", "CLM_A_START"), ("June 2022", "CLM_A_START"),
         ("September 2025", "CLM_A_START"), ""],
        ["Head", ("B", "CLM_B_START"), ("September 2025", "CLM_B_START"), "",
         ("31 January 2026", "CLM_B_LATER")],
        ["Speaker", ("C", "CLM_C_SEEN"), "not given", "", ("2 March 2026", "CLM_C_SEEN")],
    ]  # fmt: skip
    assert drawing.alt == (
        "Terms of office: Head, A, from June 2022 until September 2025; Head, B, from "
        "September 2025, last confirmed 31 January 2026; Speaker, C, from a date not given, "
        "last confirmed 2 March 2026."
    )
    assert drawing.svg.count(b"<a xlink:href=") == 3
    assert drawing.svg == offices.draw(TERMS, lambda c: f"people.html#{c['id']}").svg


def test_timeline_marks_every_dated_claim_on_its_chapters_track() -> None:
    assert timeline.year_fraction("2024") == 2024
    assert timeline.year_fraction("2024-07") == 2024.5
    assert [timeline.track(NEEDS[c]) for c in ("CLM_M1_DATE", "CLM_OTHER")] == ["JCM", "Security"]
    drawing = timeline.draw(NEEDS, lambda c: f"{c['docname']}.html#{c['id']}")
    assert (
        drawing.alt
        == "Timeline of the 4 dated claims, 2019 to 2024, in 2 tracks: JCM 3, Security 1."
    )
    links = drawing.svg.count(b"<a xlink:href=")
    assert links == 4
    assert b"CLM_UNDATED" not in drawing.svg


def test_figures_are_the_same_bytes_when_drawn_again() -> None:
    link = lambda c: f"x.html#{c['id']}"  # noqa: E731
    assert timeline.draw(NEEDS, link).svg == timeline.draw(NEEDS, link).svg
    assert b"<dc:date>" not in timeline.draw(NEEDS, link).svg  # no date in the metadata


def test_inline_svg_prefixes_ids_and_uses_plain_links() -> None:
    drawing = timeline.draw(NEEDS, lambda c: f"jcm.html#{c['id']}").svg
    html = inline_svg(drawing, "fig-t", 'a "quoted" <alt>')
    assert html.startswith('<svg role="img" aria-label="a &quot;quoted&quot; &lt;alt>" ')
    assert 'id="fig-t-' in html and ' id="' not in html.replace(' id="fig-t-', "")
    assert "url(#fig-t-" in html and "url(#p" not in html
    assert '<a href="jcm.html#CLM_M1_DATE">' in html and 'target="_blank"' not in html
    assert b"<!DOCTYPE" not in svg_file(drawing) and svg_file(drawing).startswith(b"<?xml")


#: The width a figure prints at: the PDF's text block (A4 less two 15-mm margins, print.css), pt.
PRINTED_WIDTH = 595.28 - 2 * 42.52
_WIDTH = re.compile(rb'<svg [^>]*width="([\d.]+)pt"')
#: matplotlib draws text as paths: each run of text is a group scaled by its size / 100.
_TEXT_SCALE = re.compile(rb"scale\(([\d.]+) -\1\)")


def small_text(drawn: bytes, shown_width_pt: float, least_pt: float) -> list[str]:
    """The text sizes of an SVG figure that come out below ``least_pt`` when the figure is
    shown ``shown_width_pt`` wide: ``<size> pt drawn, <size> pt shown``."""
    width = float(_WIDTH.search(drawn).group(1))  # type: ignore[union-attr]
    sizes = sorted({round(float(s) * 100, 2) for s in _TEXT_SCALE.findall(drawn)})
    assert sizes, "no text found in the SVG"
    shown = shown_width_pt / width
    return [f"{s:g} pt drawn, {s * shown:.2f} pt shown" for s in sizes if s * shown < least_pt]


def test_small_text_finds_text_too_small_to_print() -> None:
    with figure(9.5, 1) as fig:
        fig.text(0.1, 0.5, "small print", fontsize=6)
        fig.text(0.5, 0.5, "body text", fontsize=TEXT_PT)
        drawn = svg(fig)
    assert small_text(drawn, PRINTED_WIDTH, 7) == ["6 pt drawn, 4.48 pt shown"]
    assert small_text(drawn, 684, 11 * 0.75) == ["6 pt drawn, 6.00 pt shown"]


@pytest.mark.parametrize("name", [f.name for f in FIGURES])
def test_figure_text_is_at_least_7_pt_printed_and_11_px_at_drawn_size(name) -> None:
    """Printed as wide as the text block, every text of every figure is 7 pt or more; at
    its drawn size (how a phone shows it, book.css) 11 px (8.25 pt) or more."""
    chapters = [("jcm", "JCM"), ("security", "Security")]
    drawn = BY_NAME[name].draw(NEEDS, lambda c: None, chapters).svg
    assert small_text(drawn, PRINTED_WIDTH, 7) == []
    width = float(_WIDTH.search(drawn).group(1))  # type: ignore[union-attr]
    assert small_text(drawn, width, 11 * 0.75) == []


def _book(tmp_path, figure: str):
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(
        text.replace("## Sources", f"```{{claims-figure}} {figure}\n```\n\n## Sources")
    )
    return root, index


def test_a_figure_in_a_small_book(tmp_path) -> None:
    root, _ = _book(tmp_path, "timeline")
    out = tmp_path / "html"
    result = sphinx_build(root / "docs", out, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert (
        '<figure class="claims-figure claims-figure-timeline align-default" id="figure-timeline">'
        in page
    )
    assert (
        '<svg role="img" aria-label="Timeline of the 1 dated claims, 2024 to 2024, in 1 tracks: Other 1." '
        in page
    )
    assert '<a href="#CLM_VISIT">' in page  # the mark links to the claim on this page
    assert (out / "_images" / "claims-timeline.svg").read_bytes().startswith(b"<?xml")


def test_an_unknown_figure_is_a_located_error(tmp_path) -> None:
    root, index = _book(tmp_path, "pie")
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 1
    line = index.read_text(encoding="utf-8").splitlines().index("```{claims-figure} pie") + 1
    assert (
        f"{index}:{line}: ERROR: unknown figure 'pie'; expected one of timeline, "
        "evidence-profile, jcm-meetings, cpec-money, offices" in result.stderr
    )


#: The test needs of every figure: meetings, dated claims, money figures, terms of office.
SOURCE = {
    "id": "SRC_A",
    "type": "source",
    "docname": "sources",
    "kind": "official-pk",
    "publisher": "A",
}
EVERY = {
    **NEEDS,
    **MONEY,
    **TERMS,
    "SRC_A": SOURCE,
    "CLM_CITED": claim("CLM_CITED", cites=["SRC_A"]),
}
CHAPTERS = [("jcm", "JCM"), ("security", "Security"), ("cpec", "CPEC"), ("people", "People")]


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.name)
def test_every_registered_figure_draws_reproducible_svg_with_text_alternatives(figure) -> None:
    link = lambda c: f"{c['docname']}.html#{c['id']}"  # noqa: E731
    drawing = figure.draw(EVERY, link, CHAPTERS)
    assert drawing.svg.startswith(b"<?xml") and b"<dc:date>" not in drawing.svg
    assert drawing.alt and drawing.caption
    assert drawing.svg == figure.draw(EVERY, link, CHAPTERS).svg


def test_every_figure_in_a_small_book(tmp_path) -> None:
    """All the registry's figures on one page of a small book: each drawn in its place,
    with its SVG file."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    blocks = "".join(f"```{{claims-figure}} {f.name}\n```\n\n" for f in FIGURES)
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("## Sources", f"{blocks}## Sources"), encoding="utf-8")
    out = tmp_path / "html"
    result = sphinx_build(root / "docs", out, builder="html", strict=True)
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    for f in FIGURES:
        assert (
            f'class="claims-figure claims-figure-{f.name} align-default" id="figure-{f.name}"'
            in page
        )
        assert (out / "_images" / f"claims-{f.name}.svg").read_bytes().startswith(b"<?xml")
