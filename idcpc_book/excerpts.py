"""A quote's passage in its archived text: the paragraph that holds it, cut at the quote.

The evidence pages show each quote where the checker found it. So the quote is looked
for exactly as :mod:`idcpc_book.checker.rules.quotes` does (both sides normalised by
:func:`idcpc_book.normalise.normalise`, matched at word boundaries by
:func:`idcpc_book.quoting.passage_start`), and the place found in the normalised text is
mapped back to the archived text as written, so the highlighted words are the archive's
own (its line breaks, typographic quotation marks and dashes) while their normalised form
is the quote's.

Only the paragraph (text between blank lines; several when the quote crosses one) is
shown, never the whole archive: the outlets' text is not the book's to publish.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from idcpc_book import quoting
from idcpc_book.normalise import normalise

_WORD = re.compile(r"\S+")  # \S is the complement of str.isspace, as str.split() uses
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True)
class Excerpt:
    """A paragraph of an archive split at the quote: ``before + quoted + after``."""

    before: str
    quoted: str
    after: str
    #: Where ``quoted`` starts in the archived text (to order a source's passages).
    start: int


class Archive:
    """One archived text, normalised once, in which quotes are found and cut out."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._spans: list[tuple[int, int]] = []  # each word's span in ``text``
        self._words: list[str] = []  # each word, normalised
        self._starts: list[int] = []  # where each word starts in ``normalised``
        at = 0
        for match in _WORD.finditer(text):
            word = normalise(match.group())
            self._spans.append(match.span())
            self._words.append(word)
            self._starts.append(at)
            at += len(word) + 1
        #: The text as the checker compares it: the words joined by single spaces.
        self.normalised = " ".join(self._words)

    def _original(self, position: int, *, end: bool) -> int:
        """The offset in ``text`` of offset ``position`` of ``normalised``."""
        # An end is just after its last character: look that character up.
        i = bisect.bisect_right(self._starts, position - 1 if end else position) - 1
        start, stop = self._spans[i]
        inside = position - self._starts[i]
        if len(self._words[i]) == stop - start:  # normalising kept the word's length
            return start + inside
        # Composition changed the length: the shortest prefix that covers ``inside``.
        word = self.text[start:stop]
        return start + next(k for k in range(len(word) + 1) if _length(word[:k]) >= inside)

    def excerpt(self, quote: str) -> Excerpt | None:
        """The paragraph holding ``quote`` as the check finds it, or ``None`` if absent."""
        wanted = normalise(quote)
        found = quoting.passage_start(wanted, self.normalised)
        if found is None:
            return None
        start = self._original(found, end=False)
        end = self._original(found + len(wanted), end=True)
        first = max((m.end() for m in _PARAGRAPH_BREAK.finditer(self.text, 0, start)), default=0)
        following = _PARAGRAPH_BREAK.search(self.text, end)
        last = following.start() if following else len(self.text.rstrip())
        return Excerpt(self.text[first:start], self.text[start:end], self.text[end:last], start)


def _length(text: str) -> int:
    """The length of ``text`` once normalised, without folding its ends' whitespace."""
    return len(unicodedata.normalize("NFC", text))
