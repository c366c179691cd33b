"""Citation labels: one per work, the same in the text and the bibliography.

A tiny book (the clean fixture book with a bibliography of awkward authors) is built once;
the real book's HTML is read to map every in-text label to exactly one bibliography entry.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build
from pybtex.database import parse_string
from test_clients import browser  # noqa: F401  (the Chromium fixture)

from idcpc_book import citelabels, sphinxbuild
from idcpc_book.ext.book.citerefs import split_label

STOPPED = "ERROR: 1 problem in the book's files: build stopped before reading, nothing written"

#: Awkward authors: one outlet with three works (two of one year), an organisation with
#: an escaped ampersand, a family-name-first name, a person, a lower-case and an accented
#: organisation (sorting), and a title with an escaped dollar.
EXTRA_BIB = r"""
@online{gsrra2024may,
  author = {{GSRRA}}, title = {May report}, organization = {GSRRA},
  year = {2024}, month = {5}, day = {2},
  url = {https://example.org/g3}, urldate = {2026-11-24},
}
@online{gsrra2024march,
  author = {{GSRRA}}, title = {March report}, organization = {GSRRA},
  year = {2024}, month = {3}, day = {1},
  url = {https://example.org/g2}, urldate = {2026-11-24},
}
@online{gsrra2023,
  author = {{GSRRA}}, title = {Old report}, organization = {GSRRA},
  year = {2023},
  url = {https://example.org/g1}, urldate = {2026-11-24},
}
@online{desk2024,
  author = {{Ag App \& News Desk}}, title = {Pact worth \$500m signed}, organization = {The News},
  year = {2024}, month = {6}, day = {20},
  url = {https://example.org/desk}, urldate = {2026-11-24},
}
@online{song2020,
  author = {Song, Tao}, nameorder = {family-given}, title = {Parties and the corridor},
  organization = {The Daily Mail}, year = {n.d.},
  url = {https://example.org/song}, urldate = {2026-11-24},
}
@online{ali2025,
  author = {Imtiaz Ali}, title = {Operation in Karachi}, organization = {Dawn},
  year = {2025}, month = {7}, day = {28},
  url = {https://example.org/ali}, urldate = {2026-11-24},
}
@online{lower2024,
  author = {{dawn.example}}, title = {Lower-case outlet}, organization = {dawn.example},
  year = {2024}, url = {https://example.org/lower}, urldate = {2026-11-24},
}
@online{echos2024,
  author = {{Échos}}, title = {Accented outlet}, organization = {Échos},
  year = {2024}, url = {https://example.org/echos}, urldate = {2026-11-24},
}
"""
CITING = (
    "An editorial introduction {cite:p}`gsrra2024may,song2020,gsrra2024march,gsrra2023`, "
    "{cite:p}`desk2024,ali2025` and {cite:p}`lower2024,echos2024`."
)
#: The bibliography's order: one A-Z run (persons and organisations together, case and
#: accents ignored), then year, then date: the letters follow the dates.
ORDER = [
    "Ag App & News Desk 2024",
    "Ali 2025",
    "Alpha News 2024",
    "Beta Daily 2024",
    "dawn.example 2024",
    "Échos 2024",
    "GSRRA 2023",
    "GSRRA 2024a",
    "GSRRA 2024b",
    "Song n.d.",
]
_ENTRY = re.compile(
    r'<div class="citation" id="([^"]+)" role="doc-biblioentry">\s*<span class="label">'
    r'<span class="fn-bracket">\[</span>(.*?)<span class="fn-bracket">\]</span></span>\s*'
    r'(?:<span class="backrefs">.*?</span>\s*)?<p>(.*?)</p>',
    re.S,
)
_CITATION = re.compile(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', re.S)
_LINK = re.compile(r'<a class="reference internal" href="([^"#]*)#([^"]+)"[^>]*>(.*?)</a>', re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def bibliography(page: str) -> dict[str, tuple[str, str]]:
    """Entry ID -> (label, text) of each entry of a bibliography page, in order."""
    return {m[1]: (_text(m[2]), _text(m[3])) for m in _ENTRY.finditer(page)}


def cited(page: str) -> list[list[tuple[str, str]]]:
    """Each in-text citation of ``page``: its links as (target entry ID, link text)."""
    return [[(m[2], _text(m[3])) for m in _LINK.finditer(c)] for c in _CITATION.findall(page)]


def resolve(links: list[tuple[str, str]], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(target, the full label the reader reads) of each link of one citation: a link
    reading only a year part ("2024b") belongs to the author of the link before it."""
    found: list[tuple[str, str]] = []
    author = None
    for target, text in links:
        if text in labels.values() or author is None:
            found.append((target, text))
            author = next((a for a in _authors(labels) if text.startswith(a + " ")), None)
        else:
            found.append((target, f"{author} {text}"))
    return found


def _authors(labels: dict[str, str]) -> list[str]:
    return sorted({label.rsplit(" ", 1)[0] for label in labels.values()}, key=len, reverse=True)


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("citations") / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "refs.bib").write_text(
        (root / "refs.bib").read_text(encoding="utf-8") + EXTRA_BIB, encoding="utf-8"
    )
    page = root / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("An editorial introduction.", CITING)
    text = text.replace("```{bibliography}\n```", "```{bibliography}\n:all:\n```")
    page.write_text(text, encoding="utf-8")
    out = root.parent / "html"
    # The extra entries are cited by text only, not by sources: the checker's rules (which
    # every build runs) would refuse them; citation labels are this book's point.
    result = sphinx_build(
        root / "docs", out, builder="html", strict=True, options=sphinxbuild.VERDICT_OFF
    )
    assert result.returncode == 0, result.stderr
    return out / "index.html"


def test_one_bibliography_in_one_order_with_letters_by_date(tiny_book) -> None:
    entries = bibliography(tiny_book.read_text(encoding="utf-8"))
    assert [label for label, _ in entries.values()] == ORDER


def test_same_author_works_merge_in_one_citation_and_each_link_reads_its_label(tiny_book) -> None:
    page = tiny_book.read_text(encoding="utf-8")
    texts = [_text(c) for c in _CITATION.findall(page)]
    assert "[GSRRA 2023, 2024a, 2024b; Song n.d.]" in texts
    assert "[Ag App & News Desk 2024; Ali 2025]" in texts
    labels = {key: label for key, (label, _) in bibliography(page).items()}
    for links in cited(page):
        for target, label in resolve(links, labels):
            assert labels[target] == label
    # the March report is 2024a: the letters follow the dates, not the keys' order
    march = next(t for t, (_, text) in bibliography(page).items() if "March report" in text)
    assert labels[march] == "GSRRA 2024a"


def test_names_in_their_own_order_organisations_whole_no_escapes(tiny_book) -> None:
    page = tiny_book.read_text(encoding="utf-8")
    texts = {label: text for label, text in bibliography(page).values()}
    assert texts["Song n.d."].startswith("Song Tao. Parties and the corridor.")  # not "Tao Song"
    assert texts["Ali 2025"] == (
        "Imtiaz Ali. Operation in Karachi. Dawn, 2025-07-28. https://example.org/ali "
        "(accessed 2026-11-24)."
    )
    assert texts["Ag App & News Desk 2024"].startswith(
        "Ag App & News Desk. Pact worth $500m signed."
    )
    shown = [*(label + text for label, text in texts.items()), *map(_text, _CITATION.findall(page))]
    assert not [text for text in shown if "\\" in text]


@pytest.mark.parametrize(
    ("author", "order", "message"),
    [
        (
            "Song, Tao",
            "given-family",
            "song2020: nameorder must be 'family-given' (names written 'Family, Given', "
            "printed family name first); got 'given-family'",
        ),
        (
            "Song Tao",
            "family-given",
            "song2020: with nameorder = {family-given} each author is written 'Family, Given' "
            "(e.g. 'Song, Tao'); got 'Song Tao'",
        ),
        ("Song, Tao", "family-given", None),
    ],
    ids=["unknown-order", "not-family-comma-given", "family-comma-given"],
)
def test_nameorder_is_checked(author, order, message, tmp_path) -> None:
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    entry = (
        f"@online{{song2020,\n  author = {{{author}}},\n  nameorder = {{{order}}},\n"
        "  title = {T}, year = {2020}, url = {https://example.org/s}, urldate = {2026-11-24},\n}\n"
    )
    bib = root / "refs.bib"
    before = bib.read_text(encoding="utf-8")
    bib.write_text(before + entry, encoding="utf-8")
    line = before.count("\n") + 1  # the new entry's first line
    # the entry is cited by no source (a rule every build runs): only nameorder is tested
    result = sphinx_build(
        root / "docs", tmp_path / "out", strict=True, options=sphinxbuild.VERDICT_OFF
    )
    if message is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 2
        assert result.stderr == f"{root}/refs.bib:{line}: ERROR: {message}\n{STOPPED}\n"


def _entries(bib: str):
    return parse_string(bib, "bibtex").entries


@pytest.mark.parametrize(
    ("bib", "labels"),
    [
        (
            "@online{a, author={{The Nation}}, year={2024}}",
            {"a": "The Nation 2024"},  # one work: no letter
        ),
        (
            "@online{a, author={{The Nation}}, year={2024}, month={9}}"
            "@online{b, author={{The Nation}}, year={2024}, month={2}}"
            "@online{c, author={{The Nation}}, year={n.d.}}"
            "@online{d, author={{The Nation}}, year={n.d.}, title={Another}}",
            {
                "a": "The Nation 2024b",
                "b": "The Nation 2024a",
                "c": "The Nation n.d.-a",
                "d": "The Nation n.d.-b",
            },
        ),
        (
            "@online{a, author={Web Desk}, year={2024}}",
            {"a": "Desk 2024"},  # an unbraced organisation is a person: why refs.bib braces
        ),
        (
            "@online{a, author={{Web Desk}}, year={2024}}"
            "@online{b, author={Ding, Qingfen and Li, Xiaokun}, nameorder={family-given},"
            " year={2013}}"
            "@online{c, author={A. One and B. Two and C. Three}, year={2013}}",
            {"a": "Web Desk 2024", "b": "Ding and Li 2013", "c": "One et al. 2013"},
        ),
    ],
    ids=["unique", "letters-by-date-undated-last", "unbraced-organisation", "names"],
)
def test_labels(bib, labels) -> None:
    assert citelabels.labels(_entries(bib).items()) == labels


def test_names_print_in_their_own_order() -> None:
    entries = _entries(
        "@online{a, author={Ding, Qingfen and Li, Xiaokun}, nameorder={family-given}}"
        "@online{b, author={Ding, Qingfen and Li, Xiaokun}}"
        "@online{c, author={{Ag App \\& News Desk}}}"
    )
    assert citelabels.names(entries["a"]) == "Ding Qingfen and Li Xiaokun"
    assert citelabels.names(entries["b"]) == "Qingfen Ding and Xiaokun Li"  # unmarked: inverted
    assert citelabels.names(entries["c"]) == "Ag App & News Desk"


@pytest.mark.parametrize(
    ("latex", "shown"),
    [(r"Ag App \& News", "Ag App & News"), (r"worth \$500m, 85\%", "worth $500m, 85%"),
     ("{IDCPC} minister", "IDCPC minister"), ("plain", "plain"),
     ("Diplomacy --Remarkable ~ ```{raw}", "Diplomacy --Remarkable ~ ```raw")],
)  # fmt: skip
def test_plain_decodes_escapes(latex, shown) -> None:
    assert citelabels.plain(latex) == shown


@pytest.mark.parametrize(
    ("label", "author", "split"),
    [("GSRRA 2024a", "GSRRA", ("GSRRA", "2024a")), ("Anon. 2020", "GSRRA", (None, "Anon. 2020"))],
)
def test_split_label(label, author, split) -> None:
    assert split_label(label, author) == split


def test_every_label_of_the_real_book_names_exactly_one_work(html_book) -> None:
    entries = bibliography((html_book / "bibliography.html").read_text(encoding="utf-8"))
    labels = {key: label for key, (label, _) in entries.items()}
    assert len(set(labels.values())) == len(labels)  # 0 ambiguous labels
    assert not [label for label in labels.values() if "\\" in label or "{" in label]
    seen = 0
    for page in sorted(html_book.glob("*.html")):
        for links in cited(page.read_text(encoding="utf-8")):
            for target, label in resolve(links, labels):
                assert labels[target] == label, (page.name, links)
                seen += 1
    assert seen > 900
    # the exports name each source by the same label
    sources = json.loads((html_book / "exports" / "sources.json").read_text(encoding="utf-8"))
    assert sorted(s["cited_as"] for s in sources["sources"]) == sorted(labels.values())


def test_formatted_entries_are_remembered_by_the_label_code_too(tmp_path, monkeypatch) -> None:
    """The bibliography memo's key names the code of the modules a style formats with, so
    an incremental build after a change to ``citelabels`` formats the entries again."""
    import importlib

    from idcpc_book.ext.book.bibstyle import BookStyle
    from idcpc_book.ext.upstream.bibtex_memo import style_print

    assert citelabels in BookStyle.formatting_modules
    (tmp_path / "labelcode.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "stylecode.py").write_text(
        "import labelcode\nclass Named:\n    formatting_modules = (labelcode,)\n"
        "class Unnamed:\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    style = importlib.import_module("stylecode")
    before = style_print(style.Named), style_print(style.Unnamed)
    (tmp_path / "labelcode.py").write_text("X = 2\n", encoding="utf-8")
    style_print.cache_clear()
    after = style_print(style.Named), style_print(style.Unnamed)
    assert after[0] != before[0]  # the named module's change changes the key
    assert after[1] == before[1]  # a module not named is not part of it
    assert before[0][2] and before[1][2]  # both were read


@pytest.mark.client
def test_a_tap_on_a_citation_shows_its_full_reference_in_chromium(browser, tiny_book) -> None:  # noqa: F811
    """Without hover (a phone) the first tap shows the reference, the second follows the
    link; with a mouse a click follows it at once and the title shows on hover."""
    first = ".bibtex-citation a >> nth=0"
    phone = browser.new_context(
        viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True
    )
    page = phone.new_page()
    page.goto(tiny_book.as_uri())
    assert page.evaluate("matchMedia('(hover: none)').matches")
    title = page.get_attribute(first, "title")
    page.tap(first)
    preview = page.locator(".citation-preview")
    assert preview.count() == 1 and preview.is_visible()
    assert preview.inner_text() == f"{title} Bibliography entry"
    assert "#" not in page.url  # not followed yet
    page.tap(first)
    assert page.url.endswith("#" + page.get_attribute(first, "href").split("#")[1])
    assert page.locator(".citation-preview").count() == 0
    phone.close()
    desk = browser.new_context(viewport={"width": 1200, "height": 800})
    page = desk.new_page()
    page.goto(tiny_book.as_uri())
    assert not page.evaluate("matchMedia('(hover: none)').matches")
    page.click(first)
    assert page.locator(".citation-preview").count() == 0 and "#" in page.url
    desk.close()
