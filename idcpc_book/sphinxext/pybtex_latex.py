"""Decode each LaTeX string once per process, not at every use.

pybtex turns a BibTeX field or name part into rich text with ``Text.from_latex``: it
decodes the LaTeX (``codecs.decode(latex, "ulatex")``, latexcodec's pure-Python
tokenizer) and parses the result for braces. It does so every time a field is
formatted: for each bibliography entry, and again for the author of every citation
(``{cite:p}``: ``Person.rich_last_names``). The same strings come back again and again
(an outlet's name is the author of every one of its reports): at 5000 claims, 25,000
decodings took 2.6 of 63 profiled seconds, most of them of a few hundred strings.

Decoding is a pure function of the string (latexcodec keeps no state between calls), so
this extension gives ``Text.from_latex`` a memo of the decoded text: the same parse of
the same string as pybtex's, and so the same rich text, built anew at each call (the
rich text itself is not shared: callers may append to it). The memo is bounded
(:data:`MAX_STRINGS`), so a huge bibliography cannot make it grow without end.

Upstream: worth a report to pybtex (``from_latex`` could memoise its decoding); none
found (November 2026).
"""

from __future__ import annotations

import codecs
import functools
from typing import Any

import latexcodec  # noqa: F401  (registers the "ulatex" codec, as pybtex does)
from pybtex.markup import LaTeXParser
from pybtex.richtext import Text
from sphinx.application import Sphinx

#: Distinct strings remembered (least recently used are dropped first).
MAX_STRINGS = 65536


@functools.lru_cache(maxsize=MAX_STRINGS)
def decode(latex: str) -> str:
    """``codecs.decode(latex, "ulatex")``, once per distinct string."""
    return codecs.decode(latex, "ulatex")


def from_latex(cls: type[Text], latex: str) -> Any:
    """``Text.from_latex`` (pybtex 0.24 to 0.26), with the decoding memoised."""
    text = decode(latex) if isinstance(latex, str) else codecs.decode(latex, "ulatex")
    return LaTeXParser(text).parse()


#: pybtex's own ``Text.from_latex``, kept for tests and :func:`uninstall`.
ORIGINAL = Text.__dict__["from_latex"]


def install() -> None:
    """Give ``pybtex.richtext.Text`` the memoised ``from_latex`` (idempotent)."""
    Text.from_latex = classmethod(from_latex)  # type: ignore[assignment,method-assign]


def uninstall() -> None:
    """Restore pybtex's own ``from_latex`` (tests)."""
    Text.from_latex = ORIGINAL  # type: ignore[method-assign]


def setup(app: Sphinx) -> dict[str, Any]:
    install()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
