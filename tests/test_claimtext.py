"""The checker's fast reading of claim options gives exactly what MyST's parser gives.

:func:`idcpc_book.inputs.claimtext.parse_claim` reads the plain ``:name: value`` form
itself and hands anything else to MyST's ``parse_directive_text``. Compared here with
MyST's own reading: on generated option blocks (hypothesis), with the plain form
generated on its own so that the fast path is seen to take it, and on every claim of
the book.
"""

from __future__ import annotations

from pathlib import Path

from conftest import REPO
from hypothesis import example, given, settings
from hypothesis import strategies as st

from idcpc_book.inputs import census
from idcpc_book.inputs.claimtext import OPTION_NAMES, ClaimText, _myst, _plain, parse_claim

#: Characters the option tokenizer treats specially, and some it does not. The lines
#: are mostly well-formed, so that many blocks are near the plain form and the fast
#: path must tell exactly which ones it may read.
TRICKY = " \t#:'\"|>-\\\u00a0\u2028\u2029\u0085\ufeff\0\r\x0b\u201c\u2019中"
VALUE = st.text(st.sampled_from(list("aZ9_. ,;") * 4 + list(TRICKY)), max_size=12)
KEY = st.sampled_from([*OPTION_NAMES] * 2 + ["bogus", "Id", "quote-x", "", " id", "#id", "'id'"])
SEPARATOR = st.sampled_from([": "] * 8 + [":", ":  ", ":\t", "::", " : ", ": \t", ":\u00a0"])
INDENT = st.sampled_from([""] * 8 + [" ", "  ", "\t"])
OPTION_LINE = st.builds(lambda i, k, s, v: f"{i}:{k}{s}{v}", INDENT, KEY, SEPARATOR, VALUE)
OTHER_LINE = st.sampled_from(["", " ", ":", ":::", "::::{note}", "---", "text", "  more"])
BODY = st.lists(st.one_of(VALUE, OTHER_LINE), max_size=4)

#: Values the fast path must take: plain one-line scalars (no quote, block or comment).
PLAIN_VALUE = st.text(st.sampled_from("aZ9_.,;:-\\\u00a0\u201c\u2019中 "), max_size=15)
#: Body lines (none of them an option line, which would belong to the block).
PLAIN_BODY = st.lists(st.sampled_from(["", " ", "text", "  more", "::: x", "- a: b"]), max_size=4)


def _content(options: list[str], body: list[str], blank: bool, ending: str) -> str:
    return "\n".join([*options, *([""] if blank else []), *body]) + ending


@given(
    st.lists(st.one_of(OPTION_LINE, OPTION_LINE, OTHER_LINE), max_size=6),
    BODY,
    st.booleans(),
    st.sampled_from(["", "\n", "\n\n"]),
    st.sampled_from(["", "A title", "  spaced  title "]),
)
@settings(max_examples=1500, deadline=None)
@example([":id: CLM_X", ":as_of:", ":kind:   "], ["body"], True, "\n", "")
@example([':quote: "quoted"', ":id: CLM_X"], [], False, "", "")
@example([":quote: a # comment"], ["x"], True, "", "")
@example([":id: CLM_X", ":bogus: 1"], ["x"], False, "", "")
@example([":id:\tCLM_X"], [], False, "", "")
def test_any_option_block_reads_as_myst_reads_it(
    options: list[str], body: list[str], blank: bool, ending: str, first: str
) -> None:
    content = _content(options, body, blank, ending)
    myst = _myst(first, content)
    assert parse_claim(first, content) == myst
    fast = _plain(content)
    assert fast is None or fast == myst


@given(
    st.lists(st.tuples(st.sampled_from(OPTION_NAMES), PLAIN_VALUE), min_size=1, max_size=8),
    PLAIN_BODY,
    st.booleans(),
    st.sampled_from(["", "\n"]),
)
@settings(max_examples=1000, deadline=None)
def test_plain_option_blocks_take_the_fast_path(
    options: list[tuple[str, str]], body: list[str], blank: bool, ending: str
) -> None:
    lines = [f":{name}: {value}" if value else f":{name}:" for name, value in options]
    content = _content(lines, body, blank, ending)
    fast = _plain(content)
    assert fast is not None
    assert fast == _myst("", content)


def _claims(tokens, found: list[tuple[str, str]]) -> None:
    """Every claim directive (first line, content) below ``tokens``, nested ones too."""
    for token in tokens:
        if token.type in census.FENCES and token.info.startswith("{"):
            name, _, first = token.info[1:].partition("}")
            if name.strip() == "claim":
                found.append((first.strip(), token.content))
                body = "\n".join(_myst(first.strip(), token.content).body)
                _claims(census.parse(body), found)
            else:
                _claims(census.parse(token.content), found)


def test_every_claim_of_the_book_reads_as_myst_reads_it() -> None:
    found: list[tuple[str, str]] = []
    for path in sorted((REPO / "docs").rglob("*.md")):
        _claims(census.parse(Path(path).read_text(encoding="utf-8")), found)
    assert len(found) > 300
    fast = 0
    for first, content in found:
        myst = _myst(first, content)
        assert isinstance(myst, ClaimText)
        assert parse_claim(first, content) == myst, content
        fast += _plain(content) is not None
    # The book writes its options in the plain form: the fast path reads every claim.
    assert fast == len(found)


def test_an_empty_option_reads_as_empty_text_both_ways() -> None:
    """Not as the word "None" (which a message would then quote)."""
    content = ":id: CLM_X\n:as_of:\n:kind: fact\n\nText."
    fast, myst = parse_claim("", content), _myst("", content)
    assert fast.options == myst.options == {"id": "CLM_X", "as_of": "", "kind": "fact"}
