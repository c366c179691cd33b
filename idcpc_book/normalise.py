"""Quote normalisation: the only differences tolerated between a quote and its source.

Whitespace runs, the kind of quotation mark (straight or typographic), the kind of
dash and the Unicode encoding of a letter (NFC: a decomposed ``e`` + combining acute
is the ``é`` it displays as) are ignored. Nothing else: letter case, punctuation and
spelling must match exactly. Compatibility forms (NFKC) and case folding are not used:
they would merge letters a reader can tell apart, and a look-alike letter of another
script (a Cyrillic ``\u0430`` for a Latin ``a``) is a different letter, never a match.
"""

from __future__ import annotations

import unicodedata

#: Each typographic quotation mark or dash, and the plain character it stands for.
_FOLDS = tuple(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }.items()
)


def normalise(text: str) -> str:
    """Compose (NFC), then fold whitespace, quotation marks and dashes; keep everything else.

    NFC comes first: composing can give a folded mark (U+1FEF is U+0060), and the
    folds give ASCII, which composes with nothing, so the result is NFC and the
    function idempotent.

    Written for speed (archives are long): one ``replace`` per mark the text holds,
    which gives what ``str.translate`` would (no mark folds into another), at a tenth of
    its time on non-ASCII text; ``split()`` cuts at the characters ``\\s`` matches
    (``str.isspace``) and drops the ends, as ``re.sub(r"\\s+", " ", ...).strip()`` would.
    """
    text = unicodedata.normalize("NFC", text)
    for mark, plain in _FOLDS:
        if mark in text:
            text = text.replace(mark, plain)
    return " ".join(text.split())
