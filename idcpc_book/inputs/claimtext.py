"""A claim directive's options and body, exactly as the build reads them; fast when plain.

In the build, MyST reads a claim's option block for sphinx-needs' need directive
(``sphinx_needs.directives.need.NeedDirective``, which takes any option name and leaves
the values as text). The census reads it with the same parser and the same directive
class, so the two cannot disagree about what a claim says.

MyST reads a directive's option block with its own YAML-subset tokenizer, which is
pure Python and steps through the text a character at a time: it took a quarter of
the checker's time on the book, and nearly half on a 5000-claim book. Nearly every
claim writes its options in one plain form, one line per option::

    :id: CLM_VISIT
    :cites: SRC_ALPHA, SRC_BETA
    :quote: Three-day visit

For a line ``:name: value`` with an option name of the claim model and a plain one-line
value (one that does not start with a quote mark, ``|``, ``>`` or ``#``, and holds no
tab, no NUL and no `` #`` comment), MyST's tokenizer gives the value with its surrounding spaces
removed; an empty value is ``None``, which the census reads as the empty string.
:func:`parse_claim` reads that form itself and hands anything else (quoted or block
values, comments, continuation lines, other option names, a ``---`` block, no option
block) to MyST's ``parse_directive_text``, so the result is always the build's.
``tests/test_claimtext.py`` compares both on generated option blocks and on every
claim of the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from idcpc_book.model import CLAIM_OPTIONS

#: The option names the fast path reads: the claim model's.
OPTION_NAMES = CLAIM_OPTIONS
_KNOWN = frozenset(OPTION_NAMES)

#: ``name: value`` after MyST has taken the leading ``:`` off an option line.
_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):((?: [^\t\0]*)?)")
#: A value starting with one of these is not a plain scalar (quoted, block, comment).
_NOT_PLAIN_START = frozenset("'\"|>#")


@dataclass(frozen=True)
class ClaimText:
    """What the census and the content checks need of a parsed claim directive.

    Shared by a cache: callers must not change it.
    """

    options: dict[str, str]
    body: list[str]
    #: Lines from the directive's opening line to the first body line, less one.
    body_offset: int
    warnings: list[str]


def parse_claim(first_line: str, content: str) -> ClaimText:
    """A claim directive's options and body, as MyST's ``parse_directive_text`` reads them.

    ``first_line`` is the text after ``{claim}``, ``content`` the directive's content.
    """
    return _plain(content) or _myst(first_line, content)


def _is_option_line(line: str) -> bool:
    """MyST's test for a line of a ``:name: value`` option block."""
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith(":::")


def _plain(content: str) -> ClaimText | None:
    """The fast path; ``None`` when the block is not entirely in the plain form."""
    if not content.lstrip().startswith(":"):
        return None  # a ``---`` block, or no options
    lines = content.splitlines()
    options: dict[str, str] = {}
    count = 0
    for line in lines:
        if not _is_option_line(line):
            break
        match = _PLAIN_LINE.fullmatch(line.lstrip()[1:])
        if match is None or match[1] not in _KNOWN:
            return None
        value = match[2].strip(" ")
        if value and (value[0] in _NOT_PLAIN_START or " #" in value):
            return None
        options[match[1]] = value  # MyST: an empty value is None, converted to ""
        count += 1
    # As MyST does: the rest is joined and split again, then a first blank line dropped.
    body = "\n".join(lines[count:]).splitlines()
    offset = count
    if body and not body[0].strip():
        body = body[1:]
        offset += 1
    return ClaimText(options, body, offset, [])


def _myst(first_line: str, content: str) -> ClaimText:
    """MyST's reading for sphinx-needs' directive (imported only when a claim needs it)."""
    from myst_parser.parsers.directives import parse_directive_text
    from sphinx_needs.directives.need import NeedDirective

    result = parse_directive_text(NeedDirective, first_line, content)
    options = {name: _text(value) for name, value in result.options.items()}
    return ClaimText(options, result.body, result.body_offset, [w.msg for w in result.warnings])


def _text(value: Any) -> str:
    """An option's value as text; an empty option (``None``) is the empty string."""
    return "" if value is None else str(value)
