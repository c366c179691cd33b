"""Quote normalisation: the only differences tolerated between a quote and its source.

Whitespace runs, the kind of quotation mark (straight or typographic) and the
kind of dash are ignored. Nothing else: letter case, punctuation and spelling
must match exactly.
"""

from __future__ import annotations

import re

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold whitespace, quotation marks and dashes; keep everything else."""
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()
