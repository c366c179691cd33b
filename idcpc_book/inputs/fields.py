"""A claim's field values against the claim model: kind, status, dates, money, term of office,
place among the key facts.

sphinx-needs checks the same fields against the schemas ``conf.py`` gives it from
:mod:`idcpc_book.model`, but reports a fault without the claim's file and line, and only
after reading the whole book. The census has the claim as written, with both, so
:func:`idcpc_book.inputs.book.check_book` reports each fault here at the claim, and the build
and the checker stop before anything is read (status 2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from idcpc_book.model import (
    AMOUNT_PATTERN,
    CLAIM_KINDS,
    EVENT_DATE_PATTERN,
    MONEY_MEASURES,
    MONEY_OPTIONS,
    STATUSES,
    TERM_OPTIONS,
    amount_range,
)


def _iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _event_date(value: str) -> bool:
    """A year, a month or a day: as precise as the sources allow, and a real date."""
    if not re.fullmatch(EVENT_DATE_PATTERN, value):
        return False
    padded = value + "-01" * (2 - value.count("-"))
    return _iso(padded)


def faults(options: Mapping[str, Any]) -> Iterator[str]:
    """What is wrong with the values of a claim's options, one message per fault."""
    for name, vocabulary in (("kind", CLAIM_KINDS), ("status", STATUSES)):
        value = options.get(name)
        expected = f"(expected one of {', '.join(vocabulary)})"
        if not value:
            yield f"claim has no :{name}: {expected}"
        elif value not in vocabulary:
            yield f"unknown {name} '{value}' {expected}"
    as_of = options.get("as_of")
    if as_of is not None and not _iso(as_of):
        yield f"as_of '{as_of}' is not an ISO date (YYYY-MM-DD)"
    event_date = options.get("event_date")
    if event_date is not None and not _event_date(event_date):
        yield f"event_date '{event_date}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    yield from money_faults(options)
    yield from term_faults(options)
    key_fact = options.get("key_fact")
    if key_fact is not None and not re.fullmatch(r"[1-9]\d*", key_fact.strip()):
        yield f"key_fact '{key_fact}' is not a place on the 'At a glance' page (1, 2, 3 ...)"


def term_faults(options: Mapping[str, Any]) -> Iterator[str]:
    """What is wrong with the term of office a claim describes: an office needs a holder,
    a holder an office, and the term's dates are dates, the start not after the end."""
    office, holder = options.get("office"), options.get("holder")
    given = [f":{name}:" for name in TERM_OPTIONS[2:] if name in options]
    if not office and (holder or given):
        yield f"{' and '.join([':holder:'] * bool(holder) + given)} without an :office:"
        return
    if office and not holder:
        yield f"office '{office}' has no :holder:"
    dates = {name: options.get(name) for name in TERM_OPTIONS[2:]}
    for name, value in dates.items():
        if value is not None and not _event_date(value):
            yield f"{name} '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            return
    start, end = dates["term_start"], dates["term_end"]
    if start and end and end < start[: len(end)]:
        yield f"term_end '{end}' is before term_start '{start}'"


def money_faults(options: Mapping[str, Any]) -> Iterator[str]:
    """What is wrong with a claim's money figure: a figure is only comparable with its
    measure, package and date, so an ``:amount:`` needs them all."""
    amount = options.get("amount")
    if amount is None:
        given = [f":{name}:" for name in ("measure", "package") if name in options]
        if given:
            yield f"{' and '.join(given)} without an :amount: (they describe a money figure)"
        return
    if not re.fullmatch(AMOUNT_PATTERN, amount):
        yield f"amount '{amount}' is not US$ billion (N or LOW-HIGH, e.g. 25.4 or 60-65)"
    elif "-" in amount and amount_range(amount)[0] >= amount_range(amount)[1]:
        yield f"amount '{amount}': a range's first number must be the lower"
    measure = options.get("measure")
    if measure is not None and measure not in MONEY_MEASURES:
        yield f"unknown measure '{measure}' (expected one of {', '.join(MONEY_MEASURES)})"
    missing = [f":{name}:" for name in MONEY_OPTIONS if not options.get(name)]
    if missing:
        yield f"money figure (:amount: {amount}) has no {', '.join(missing)}"
