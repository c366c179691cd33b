"""Rule 6: IDs are present, well-formed and unique; kind, status, dates and money fields valid.

The vocabularies come from :mod:`idcpc_book.model`, the same definitions that
``conf.py`` gives sphinx-needs. Duplicate and malformed IDs are found in the
census, because sphinx-needs does not export a need it refused to create.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from idcpc_book.checker.book import Book
from idcpc_book.checker.census import ClaimSite
from idcpc_book.checker.problems import Problem
from idcpc_book.model import (
    AMOUNT_PATTERN,
    CLAIM_KINDS,
    CLAIM_PREFIX,
    EVENT_DATE_PATTERN,
    ID_PATTERN,
    MONEY_MEASURES,
    MONEY_OPTIONS,
    STATUSES,
    amount_range,
)

RULE = "identity"
_ID = re.compile(ID_PATTERN)


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


def check(book: Book) -> Iterator[Problem]:
    first_site: dict[str, str] = {}
    for doc in book.docs:
        for site in doc.claims:

            def problem(obj: str, message: str, site: ClaimSite = site) -> Problem:
                return Problem(site.path, site.line, obj, message, RULE)

            for warning in site.warnings:
                yield problem(
                    site.options.get("id") or "?", f"malformed claim directive: {warning}"
                )
            cid = site.options.get("id", "")
            if not cid:
                yield problem("?", "claim has no :id:")
                continue
            if not _ID.match(cid) or not cid.startswith(CLAIM_PREFIX):
                yield problem(
                    cid, f"malformed ID: must start with {CLAIM_PREFIX} and match {ID_PATTERN}"
                )
                continue
            if cid in first_site:
                yield problem(cid, f"duplicate ID: first defined at {first_site[cid]}")
                continue
            first_site[cid] = f"{site.path}:{site.line}"
            if cid not in book.claims:
                yield problem(cid, "claim is missing from needs.json (see the Sphinx build log)")
            kind = site.options.get("kind", "")
            if kind not in CLAIM_KINDS:
                yield problem(
                    cid, f"unknown kind '{kind}' (expected one of {', '.join(CLAIM_KINDS)})"
                )
            status = site.options.get("status", "")
            if status not in STATUSES:
                yield problem(
                    cid, f"unknown status '{status}' (expected one of {', '.join(STATUSES)})"
                )
            as_of = site.options.get("as_of")
            if as_of is not None and not _iso(as_of):
                yield problem(cid, f"as_of '{as_of}' is not an ISO date (YYYY-MM-DD)")
            event_date = site.options.get("event_date")
            if event_date is not None and not _event_date(event_date):
                yield problem(
                    cid,
                    f"event_date '{event_date}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                )
            yield from (problem(cid, message) for message in money_faults(site.options))


def money_faults(options: dict[str, str]) -> Iterator[str]:
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
