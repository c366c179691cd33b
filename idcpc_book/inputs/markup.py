"""How the book's Markdown is read: the MyST extensions and the citation role, defined once.

``conf.py`` gives the extensions to MyST, the census (:mod:`idcpc_book.inputs.census`)
parses the chapters with them, and the benchmark's floors (:mod:`idcpc_book.bench.generate`)
build with them, so that all three read a chapter alike. The citation role is read by the
checker (the keys a claim cites), and dropped from a claim's text where its sources are
shown apart (the timeline's table, the benchmark's plain pages).
"""

from __future__ import annotations

import re

#: ``myst_enable_extensions``: ``:::`` fences (claims, editorial blocks), definition
#: lists, and ``{{ edition }}``-style substitutions.
MYST_EXTENSIONS = ("colon_fence", "deflist", "substitution")

#: ``{cite}`a,b``` and its variants (``cite:p``, ``cite:t``, ``cite:ps`` ...); group 1: the keys.
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
#: A citation role with the space before it: ``... Siddiqui {cite:p}`a,b`.``
_SPACED_CITE_ROLE = re.compile(rf"\s*{CITE_ROLE.pattern}")


def cited_keys(content: str) -> list[str]:
    """The citation keys of every cite role in ``content``, in order."""
    return [
        k.strip() for m in CITE_ROLE.finditer(content) for k in m.group(1).split(",") if k.strip()
    ]


def without_citations(text: str) -> str:
    """``text`` without its citation roles (and the space before each)."""
    return _SPACED_CITE_ROLE.sub("", text)
