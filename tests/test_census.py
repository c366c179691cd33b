"""The census: what it reads of a chapter, and that it reads it as MyST does.

It parses blocks only: the checker reads a token's type, line, fence info and
content; the core rules it leaves out (:data:`idcpc_book.inputs.census.INLINE_RULES`)
only fill ``Token.children`` and count words. Compared here on every Markdown file of
the book and of the test books, on a synthetic chapter, and on generated Markdown.
Front matter marks an editorial page; the book's own spelling is read without YAML.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, ROOTS
from hypothesis import given, settings
from hypothesis import strategies as st

from idcpc_book.bench.generate import _by_chapter, _chapter
from idcpc_book.errors import InputError
from idcpc_book.inputs import census
from idcpc_book.inputs.census import EDITORIAL_FRONT_MATTER, _parser, read_doc


def _blocks(text: str, parser: Any) -> list[dict[str, Any]]:
    """Every token of ``text`` as a dict, without its children (nested texts too)."""
    tokens = []
    for token in parser.parse(text):
        data = token.as_dict()
        data.pop("children", None)
        tokens.append(data)
    return tokens


def _same(text: str) -> None:
    assert _blocks(text, _parser()) == _blocks(text, _parser(blocks_only=False))


def test_book_and_test_books_parse_to_the_same_blocks() -> None:
    files = [*(REPO / "docs").rglob("*.md"), *ROOTS.rglob("*.md")]
    assert len(files) > 40
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        _same(text)
        # Claim and editorial bodies are parsed on their own: do the same with each
        # fence's content.
        for token in _parser().parse(text):
            if token.type in ("fence", "colon_fence"):
                _same(token.content)


def test_synthetic_chapter_parses_to_the_same_blocks() -> None:
    _same(_chapter(1, _by_chapter(60)[1]))


FRAGMENTS = [
    "# Heading *em*\n", "Para with {cite:p}`key` and **strong** and `code`.\n",
    "[link](https://example.org) <https://a.b> [ref]\n", "[ref]: https://example.org\n",
    "- item\n- item\n", "1. one\n", "> quote\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
    ":::{claim}\n:id: CLM_X\n\ntext\n:::\n", "```{note}\nbody\n```\n", "Term\n: Definition\n",
    "---\nprose: editorial\n---\n", "Footnote[^1].\n", "[^1]: Note.\n", "<div>html</div>\n",
    "% comment\n", "+++\n", "(target)=\n", "\n", "text\n", "    indented code\n", "***\n",
    "\\*escaped\\* &amp; &#x27;\n", "{role}`x` $math$\n",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
@settings(max_examples=300, deadline=None)
def test_generated_markdown_parses_to_the_same_blocks(text: str) -> None:
    _same(text)


def _page(tmp_path: Path, front_matter: str) -> Path:
    path = tmp_path / "page.md"
    path.write_text(f"---\n{front_matter}\n---\n\n# Page\n\nProse.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("front_matter", "editorial"),
    [
        (EDITORIAL_FRONT_MATTER, True),  # as the book writes it: read without YAML
        ('prose: "editorial"', True),  # other spellings: read as YAML
        ("prose: editorial  # an editorial page", True),
        ("{prose: editorial, title: X}", True),
        ("prose: claims", False),
        ("- prose: editorial", False),
        ("title: Page", False),
    ],
)
def test_editorial_front_matter(tmp_path, front_matter: str, editorial: bool) -> None:
    doc = read_doc(_page(tmp_path, front_matter), "docs/page.md")
    assert (doc.editorial_page, len(doc.prose)) == (editorial, 1)


def test_the_editorial_line_is_what_yaml_reads() -> None:
    assert yaml.safe_load(EDITORIAL_FRONT_MATTER) == {"prose": "editorial"}


def test_front_matter_that_is_not_yaml_is_unusable_input(tmp_path) -> None:
    path = _page(tmp_path, "prose: [editorial")
    with pytest.raises(InputError) as caught:
        read_doc(path, "docs/page.md")
    assert caught.value.located().startswith(f"{path}:1: front matter is not valid YAML: ")


def test_front_matter_with_an_impossible_date_is_unusable_input(tmp_path) -> None:
    """YAML reads the date as a date and fails with ValueError, not a YAML error."""
    path = _page(tmp_path, "updated: 2026-13-45")
    with pytest.raises(InputError) as caught:
        read_doc(path, "docs/page.md")
    assert caught.value.located() == (
        f"{path}:1: front matter is not valid YAML: month must be in 1..12"
    )


def test_a_plain_book_is_checked_without_yaml_or_mysts_directive_parser(built, tmp_path) -> None:
    """The parsers only unusual input needs are imported only then (start-up time)."""
    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    (root / "docs" / "about.md").write_text(
        f"---\n{EDITORIAL_FRONT_MATTER}\n---\n\n# About\n\nAn editorial page.\n",
        encoding="utf-8",
    )
    probe = (
        "import sys; from idcpc_book.checker.cli import main; "
        f"code = main(['--root', {str(root)!r}, '--needs', {str(built('clean'))!r}]); "
        "print(code, sorted(m for m in ('yaml', 'myst_parser.parsers.directives', "
        "'docutils.parsers.rst') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert run.stdout.splitlines() == [
        "coverage docs/index.md: 100.0 % (3/3 paragraphs)",  # about.md is editorial
        "claims: 2, sources: 2, citations: 3, prose coverage: 100.0 %, problems: 0",
        "0 []",
    ]


def test_parses_are_kept_for_the_next_book_and_dropped_after_one_without_them() -> None:
    """A chapter the next book shares is not parsed again; a text no book has used for a
    whole reading is forgotten (the memo holds two books at most)."""
    census.clear_caches()
    first = census.parse("A paragraph.\n")
    census.clear_caches()  # the next book: it reads the same text
    assert census.parse("A paragraph.\n") is first
    census.clear_caches()  # a book without it
    census.parse("Another.\n")
    census.clear_caches()  # and the one after: it is gone, so it is parsed anew
    assert census.parse("A paragraph.\n") is not first
