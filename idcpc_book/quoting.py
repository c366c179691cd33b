"""What makes a quote evidence: long enough to say something, and a passage of its source.

Both sides are compared after :func:`idcpc_book.normalise.normalise`. A quote must

* be long enough: at least :data:`MIN_WORDS` words and :data:`MIN_CHARS` characters
  (``a``, ``.`` or ``Liu`` are found in almost any text and prove nothing). Chinese and
  Japanese are written without spaces: there each character counts as a word and as
  :data:`UNSPACED_WEIGHT` characters. The figures come from the book's own quotes
  (docs/methodology.md, "Quotes");
* match at word boundaries: not inside a longer word (``Liu`` in ``Liuzhou``). Between
  two characters of a script written without spaces there is no boundary to ask for.

A quote need not be unique in its source: a headline repeated in the body, or a
sentence a page carries twice, is the same evidence wherever it is found.
"""

from __future__ import annotations

import re
from enum import Enum

#: The fewest words a quote may have (the book's shortest quotes have three).
MIN_WORDS = 3
#: The fewest characters, after normalisation (the book's shortest have twenty).
MIN_CHARS = 15
#: How many characters one Chinese or Japanese character counts as: each stands for a
#: syllable, and usually a unit of meaning, where a Latin script spends several letters.
UNSPACED_WEIGHT = 3

#: Characters of scripts written without spaces between words: CJK ideographs (with
#: extension A, the compatibility block and the supplementary planes) and kana.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f]"
)
_WORD = re.compile(r"\w")


def _spaced_word_char(char: str) -> bool:
    """A letter or digit of a script that separates its words (a boundary matters)."""
    return bool(_WORD.match(char)) and not _UNSPACED.match(char)


def size(quote: str) -> tuple[int, int]:
    """A normalised quote's length as (words, characters), by the rule above."""
    unspaced = len(_UNSPACED.findall(quote))
    spaced = _UNSPACED.sub(" ", quote).split()
    words = unspaced + sum(1 for token in spaced if _WORD.search(token))
    return words, len(quote) + (UNSPACED_WEIGHT - 1) * unspaced


def too_short(quote: str) -> str | None:
    """Why the normalised ``quote`` is too short to be evidence (``None``: it is not)."""
    words, chars = size(quote)
    if words >= MIN_WORDS and chars >= MIN_CHARS:
        return None
    note = (
        f"; a Chinese or Japanese character counts as a word and {UNSPACED_WEIGHT} characters"
        if _UNSPACED.search(quote)
        else ""
    )
    return (
        f"{words} word{'s' * (words != 1)}, {chars} character{'s' * (chars != 1)}; "
        f"at least {MIN_WORDS} words and {MIN_CHARS} characters{note}"
    )


class Found(Enum):
    """Where a quote is in a text."""

    PASSAGE = "passage"  # at word boundaries: evidence
    INSIDE_WORD = "inside a longer word"  # only as part of longer words
    ABSENT = "absent"


def passage_start(quote: str, text: str) -> int | None:
    """Where the normalised ``quote`` first stands as a passage of the normalised ``text``
    (at word boundaries), or ``None``. The evidence pages show the passage found here, so
    what a reader sees highlighted is what the check accepted."""
    start = text.find(quote) if quote else -1
    if start < 0:
        return None
    first, last = quote[0], quote[-1]
    while start >= 0:
        end = start + len(quote)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if not (
            (before and _spaced_word_char(before) and _spaced_word_char(first))
            or (after and _spaced_word_char(after) and _spaced_word_char(last))
        ):
            return start
        start = text.find(quote, start + 1)
    return None


def find(quote: str, text: str) -> Found:
    """Whether the normalised ``quote`` is a passage of the normalised ``text``."""
    if passage_start(quote, text) is not None:
        return Found.PASSAGE
    return Found.INSIDE_WORD if quote and quote in text else Found.ABSENT
