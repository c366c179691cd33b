"""The HTML edition's subset fonts: which characters, the stylesheet, the cache."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from idcpc_book.ext.formats import webfonts
from idcpc_book.fonts import ARABIC_FAMILY, CJK_FAMILY, script_fonts


def _fonts():
    cjk, arabic = script_fonts()
    assert (cjk.family, arabic.family) == (CJK_FAMILY, ARABIC_FAMILY)
    return cjk, arabic


def test_used_characters_are_those_of_the_script_in_html_pages(tmp_path) -> None:
    cjk, arabic = _fonts()
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text("<p>刘建超 (Liu Jianchao) 刘</p>", encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text("<p>中联部, اسحاق ڈار</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("不", encoding="utf-8")  # not a page
    assert webfonts.used_characters(tmp_path, cjk) == "".join(sorted("刘建超中联部"))
    assert webfonts.used_characters(tmp_path, arabic) == "".join(sorted(set("اسحاقڈر")))


def test_stylesheet_declares_each_face_for_its_script_only() -> None:
    cjk, arabic = _fonts()
    css = webfonts.stylesheet([cjk, arabic])
    assert (
        '@font-face { font-family: "IDCPC Book CJK"; font-display: swap; '
        'src: url("fonts/idcpc-book-cjk.woff2") format("woff2"); '
        "unicode-range: U+2E80-2FFF, U+3000-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, "
        "U+FF00-FFEF, U+1100-11FF, U+3130-318F, U+AC00-D7AF; }"
    ) in css
    assert "unicode-range: U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF;" in css
    assert css.endswith(
        "body { --font-stack: -apple-system, BlinkMacSystemFont, Segoe UI, Helvetica, Arial, "
        '"IDCPC Book CJK", "IDCPC Book Arabic", sans-serif, Apple Color Emoji, '
        "Segoe UI Emoji; }\n"
    )


def test_subset_holds_the_characters_and_is_made_once(tmp_path) -> None:
    _, arabic = _fonts()
    first = webfonts.cached_subset(arabic, "اسحاقڈر", tmp_path)
    cmap = TTFont(first).getBestCmap()
    assert {ord(c) for c in "اسحاقڈر"} <= set(cmap)
    assert ord("ب") not in cmap  # a letter the names do not use
    names = TTFont(first)["name"]
    assert names.getDebugName(0).startswith("Copyright 2022 The Noto Project Authors")
    assert "SIL Open Font License, Version 1.1" in names.getDebugName(13)  # the licence
    assert first.stat().st_size < 60_000  # the whole face is about 800 KB
    made = first.stat().st_mtime_ns
    again = webfonts.cached_subset(arabic, "اسحاقڈر", tmp_path)
    assert again == first and again.stat().st_mtime_ns == made  # reused, not made again
    other = webfonts.cached_subset(arabic, "اسحاقڈرب", tmp_path)
    assert other != first and ord("ب") in TTFont(other).getBestCmap()
    # Reproducible: the same characters give the same bytes.
    webfonts.subset(arabic, "اسحاقڈر", tmp_path / "again.woff2")
    assert (tmp_path / "again.woff2").read_bytes() == first.read_bytes()


def test_a_script_no_page_uses_gets_a_face_with_no_glyph(tmp_path) -> None:
    """Declared all the same (the stylesheet is written before the pages), never fetched."""
    _, arabic = _fonts()
    empty = webfonts.cached_subset(arabic, "", tmp_path)
    assert not TTFont(empty).getBestCmap()  # no character mapped
