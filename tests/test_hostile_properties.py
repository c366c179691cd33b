"""Property-based tests (hypothesis): the quote normaliser and the input readers.

The readers must either succeed or raise :class:`InputError` (which every caller
prints as ``path:line: message``), whatever bytes they are given.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pybtex.database import Entry

from idcpc_book.errors import InputError
from idcpc_book.inputs.bib import facts, read_bib
from idcpc_book.inputs.records import SourceRecord, read_record, stamp_hash, text_digest
from idcpc_book.normalise import normalise

QUOTES = {"'": "\u2018\u2019\u201b\u2032`\u00b4", '"': "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"}
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
WORDS = st.lists(
    st.text(st.characters(exclude_categories=("Zs", "Cc", "Zl", "Zp")), min_size=1), min_size=1
)
SPACE = st.text(" \t\n\r\u00a0\u2003", min_size=1, max_size=4)
settings.register_profile("book", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("book")


@given(st.text())
@example("\u1fef")  # composes to U+0060, a mark the normaliser folds
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(st.text())
def test_normalised_text_is_composed(text: str) -> None:
    """NFC on both sides: a decomposed letter matches the composed one it displays as."""
    result = normalise(text)
    assert unicodedata.is_normalized("NFC", result)
    assert normalise(unicodedata.normalize("NFD", text)) == result


@given(st.text())
def test_normalised_text_has_single_spaces_and_no_ends(text: str) -> None:
    result = normalise(text)
    assert result == result.strip()
    assert not re.search(r"\s\s", result)


@given(WORDS, st.data())
def test_whitespace_runs_do_not_matter(words: list[str], data: st.DataObject) -> None:
    spaced = "".join(w + data.draw(SPACE) for w in words)
    assert normalise(spaced) == normalise(" ".join(words))


@given(st.text(alphabet=st.sampled_from("ab '\"-")), st.data())
def test_quote_and_dash_style_do_not_matter(text: str, data: st.DataObject) -> None:
    styled = "".join(
        data.draw(st.sampled_from(QUOTES[c]))
        if c in QUOTES
        else data.draw(st.sampled_from(DASHES))
        if c == "-"
        else c
        for c in text
    )
    assert normalise(styled) == normalise(text)


@given(st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=1))
def test_letter_case_matters(text: str) -> None:
    if text.swapcase() != text and text.swapcase().swapcase() == text:
        assert normalise(text.swapcase()) != normalise(text)


_OLD_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
#: Every character the fold and the whitespace rule touch, and some they do not.
_FOLDED = (
    "".join(QUOTES.values())
    + DASHES
    + "\u201a'\"-` \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200bab"
)


@given(st.text() | st.text(st.sampled_from(_FOLDED)))
@example("\x1c a\u2003\u2014\u00b4 ")
def test_normalise_as_before_the_speed_up(text: str) -> None:
    """The replace/split normaliser gives what str.translate and re.sub gave (on the
    composed text: NFC comes first)."""
    composed = unicodedata.normalize("NFC", text)
    assert normalise(text) == re.sub(r"\s+", " ", composed.translate(_OLD_TRANSLATE)).strip()


def _file(data: bytes, name: str) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / name
    path.write_bytes(data)
    return path


def _text_of(tokens: list[str], max_size: int) -> st.SearchStrategy[str]:
    """Text made of the format's own tokens and random scraps: near-valid input."""
    return st.lists(st.sampled_from(tokens) | st.text(max_size=8), max_size=max_size).map("".join)


BIBLIKE = _text_of(
    [
        "@online{",
        "@misc(",
        "key,",
        "title = {",
        "}",
        "{",
        '"',
        "=",
        ",",
        "\n",
        "@",
        "#",
        "year = 2024",
        "%",
    ],
    30,
)


@given(st.one_of(st.binary(max_size=200), BIBLIKE.map(lambda s: s.encode("utf-8"))))
def test_bib_reader_succeeds_or_raises_input_error(data: bytes) -> None:
    path = _file(data, "refs.bib")
    try:
        read_bib(path)
    except InputError as err:
        assert err.path == path and err.message


FIELDS = st.dictionaries(
    st.sampled_from(["title", "year", "month", "day", "url", "urldate", "organization"]),
    st.text(max_size=12),
)


VALID = {"title": "T", "year": "2024", "url": "https://example.org", "urldate": "2026-11-24"}


@given(st.one_of(FIELDS, FIELDS.map(lambda f: {**VALID, **f})))
@example({**VALID, "month": "June"})  # found by hypothesis: int() raised ValueError
def test_bib_facts_succeed_or_raise_input_error(fields: dict[str, str]) -> None:
    try:
        facts(Entry("online", fields=fields), "key", Path("refs.bib"), 3)
    except InputError as err:
        assert (str(err.path), err.line) == ("refs.bib", 3)


def test_bad_month_is_a_located_error() -> None:
    with pytest.raises(InputError) as caught:
        facts(Entry("online", fields={**VALID, "month": "June"}), "key", Path("refs.bib"), 3)
    assert caught.value.located() == (
        "refs.bib:3: key: month must be a number from 1 to 12; got 'June'"
    )


@pytest.mark.parametrize("carries", ["", "  ", "APP\nX"])
def test_carries_must_name_one_outlet_on_one_line(carries: str) -> None:
    with pytest.raises(InputError) as caught:
        facts(Entry("online", fields={**VALID, "carries": carries}), "key", Path("refs.bib"), 3)
    assert caught.value.located() == (
        f"refs.bib:3: key: carries must name one outlet on one line; got {carries!r}"
    )


def test_carries_is_read_from_the_entry() -> None:
    entry = Entry("online", fields={**VALID, "organization": "UrduPoint", "carries": "{APP}"})
    got = facts(entry, "key", Path("refs.bib"), 3)
    assert (got.publisher, got.carries) == ("UrduPoint", "APP")
    assert facts(Entry("online", fields=VALID), "key", Path("refs.bib"), 3).carries is None


RECORDLIKE = _text_of(
    [
        "+++",
        "\n",
        'kind = "reference"',
        "kind = ",
        "notes = ",
        "sha256 = ",
        '"',
        "3",
        "[x]",
        " ",
    ],
    20,
)


@given(st.one_of(st.binary(max_size=200), RECORDLIKE.map(lambda s: s.encode("utf-8"))))
def test_record_reader_succeeds_or_raises_input_error(data: bytes) -> None:
    path = _file(data, "key.txt")
    try:
        record = read_record(path)
    except InputError as err:
        assert err.path == path and err.message
    else:
        assert isinstance(record, SourceRecord)


@given(RECORDLIKE)
def test_stamping_is_idempotent_and_right(raw: str) -> None:
    try:
        stamped = stamp_hash(raw)
    except ValueError:
        return  # not a fenced record; hash_sources reports it through read_record
    assert stamp_hash(stamped) == stamped
    path = _file(stamped.encode("utf-8"), "key.txt")
    try:
        record = read_record(path)
    except InputError:
        return  # e.g. invalid TOML elsewhere in the header
    assert record.sha256 == text_digest(record.text)
