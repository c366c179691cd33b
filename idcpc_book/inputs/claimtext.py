"""A claim directive's options and body, exactly as MyST reads them; fast in the plain case.

MyST reads a directive's option block with its own YAML-subset tokenizer, which is
pure Python and steps through the text a character at a time: it took a quarter of
the checker's time on the book, and nearly half on a 5000-claim book. Nearly every
claim writes its options in one plain form, one line per option::

    :id: CLM_VISIT
    :cites: SRC_ALPHA, SRC_BETA
    :quote: Three-day visit

For a line ``:name: value`` with a known option name and a plain one-line value (one
that does not start with a quote mark, ``|``, ``>`` or ``#``, and holds no tab, no NUL
and no `` #`` comment), MyST's tokenizer gives the value with its surrounding spaces
removed; an empty value is validated as ``None``, which the converter below reads as
the empty string (``str`` would make it the word "None", and a message about it).
:func:`parse_claim` reads that form itself and hands anything else (quoted or block
values, comments, continuation lines, unknown option names, a ``---`` block, no
option block) to MyST's ``parse_directive_text``, so the result is always MyST's.
``tests/test_claimtext.py`` compares both on generated option blocks and on every
claim of the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from idcpc_book.model import CLAIM_OPTIONS

#: The option names of the claim directive the census reads.
OPTION_NAMES = (*CLAIM_OPTIONS, "layout", "title")
_KNOWN = frozenset(OPTION_NAMES)

#: ``name: value`` after MyST has taken the leading ``:`` off an option line.
_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):((?: [^\t\0]*)?)")
#: A value starting with one of these is not a plain scalar (quoted, block, comment).
_NOT_PLAIN_START = frozenset("'\"|>#")


@dataclass(frozen=True)
class ClaimText:
    """What the census and the neutrality rule need of a parsed claim directive.

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
    """MyST's own reading (imported only when a claim needs it)."""
    from myst_parser.parsers.directives import parse_directive_text

    result = parse_directive_text(_claim_directive(), first_line, content)
    return ClaimText(
        dict(result.options), result.body, result.body_offset, [w.msg for w in result.warnings]
    )


@cache
def _claim_directive() -> Any:
    """A stand-in with the claim's option names, for MyST's option parser."""
    from docutils.parsers.rst import Directive

    class ClaimOptions(Directive):
        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = dict.fromkeys(OPTION_NAMES, _text)

    return ClaimOptions


def _text(value: str | None) -> str:
    """An option's value as text; an empty option (``None``) is the empty string."""
    return "" if value is None else str(value)
