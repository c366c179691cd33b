"""Figures drawn from the claims with matplotlib, as byte-reproducible SVG.

Each figure module turns the needs (sphinx-needs' data: claims and sources) into a
:class:`Drawing`: the SVG, its alt text, a caption and, where a picture alone would hide
data, the same data as table rows (the text alternative). Nothing is drawn by hand, so a
figure cannot disagree with the claims.

Reproducible: matplotlib's object API (no pyplot, no GUI backend: ``savefig`` picks the SVG
canvas for the format), a fixed font
(DejaVu Sans, shipped with matplotlib), text drawn as paths (``svg.fonttype = "path"``: the
SVG needs no font, so WeasyPrint, EPUB readers and browsers draw the same glyphs), a fixed
``svg.hashsalt`` for the ids matplotlib generates, and no date in the metadata. Text as
paths is not text to a screen reader or a search: hence the alt text and the tables.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Needs = Mapping[str, Mapping[str, Any]]

#: The smallest text a figure may have, in points at its drawn size. Figures are drawn
#: :data:`WIDTH` inches wide and printed as wide as the PDF's text block (6.7 in), so this
#: prints at 7 pt; on a phone the HTML shows a figure at its drawn size (13 px), scrolled
#: sideways (book.css). tests/test_figures.py measures every figure's text in its SVG.
TEXT_PT = 10.0
#: The width every figure is drawn at, in inches.
WIDTH = 9.5

#: The settings every figure is drawn and written with.
STYLE: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "idcpc-cpec-reference",
    "font.family": "DejaVu Sans",
    "font.size": TEXT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
    # Text is drawn as written: a claim's ``$`` (in :holder:, :office:...) is not mathtext,
    # which would draw a pair as maths and stop on an odd one with a traceback.
    "text.parse_math": False,
}
#: The colour of each evidence grade (as in the markers' stylesheet, book.css).
GRADE_COLOURS = {
    "actor-record": "#1f5c2c",
    "two-independent": "#4c9a5a",
    "one-report": "#d08a1c",
    "reference": "#8c8c8c",
    "commentary": "#b5b5b5",
    "none": "#dddddd",
}


@dataclass(frozen=True)
class Drawing:
    """A figure and its text alternatives."""

    svg: bytes
    alt: str
    caption: str
    #: The same data as a table: a header row, then one row per item; each cell a text,
    #: or ``(text, claim ID)`` to link the text to that claim.
    table: list[list[Any]] = field(default_factory=list)


@contextmanager
def figure(width: float, height: float) -> Iterator[Figure]:
    """A new figure of ``width`` x ``height`` inches, drawn in the book's style.

    matplotlib is imported here, not with the module: a build that draws no figure (a
    rebuild whose figures' data did not change) does not pay its import (about 0.5 s)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(STYLE):
        yield Figure(figsize=(width, height), layout="constrained")


def svg(fig: Figure) -> bytes:
    """The figure as SVG, the same bytes for the same figure."""
    from matplotlib import rc_context

    out = io.BytesIO()
    with rc_context(STYLE):
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
