"""The census parses blocks only: its tokens are MyST's, less the inline children.

The checker reads a token's type, line, fence info and content; the core rules it
leaves out (:data:`idcpc_book.checker.census.INLINE_RULES`) only fill
``Token.children`` and count words. Compared here on every Markdown file of the book
and of the test books, on a synthetic chapter, and on generated Markdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import REPO, ROOTS
from hypothesis import given, settings
from hypothesis import strategies as st

from idcpc_book.bench.generate import _by_chapter, _chapter
from idcpc_book.checker.census import _parser


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
    _same(_chapter(1, _by_chapter(60)[1], floor=False))


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
