"""The shared detection of :mod:`idcpc_book.asof`: the "as of" dates a claim's prose states
and its claims of absence, with the wording the book uses and the near misses it must not
take (the checker's ``dated`` rule and the "Open questions" page both read it)."""

from __future__ import annotations

import pytest

from idcpc_book import asof


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("As of 7 December 2026 the book has found no report", [("day", "2026-12-07")]),
        ("his standing as of 7 December\n2026 is not established", [("day", "2026-12-07")]),
        ("as of December 7, 2026, and as of 2026-12-03", [("day", "2026-12-07"), ("day", "2026-12-03")]),
        ("As of December 2026 none", [("month", "2026-12")]),
        ("as of 2025 it was", [("year", "2025")]),
        ("As of the edition date", [("edition", "")]),
        ("current as of {{ edition_date }}", [("edition", "")]),
        ("the visit was of another kind", []),
        ("as of Thursday", []),
        ('the dues "as of July 31, 2025" {cite:p}`a`', []),
    ],
)  # fmt: skip
def test_stated_dates(text: str, stated: list[tuple[str, str]]) -> None:
    assert [(s.precision, s.value) for s in asof.stated_dates(text)] == stated


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("As of 7 December 2026 the book has found no report", "found no"),
        ("The official text itself was not found.", "not found"),
        ("no official announcement on his case was found", "no official announcement on his case was found"),
        ("No source found by the editors reports it", "No source found"),
        ("the latest source found; no successor was found.", "no successor was found"),
        ("The department was founded in 1951.", None),
        ("the authorities had not confirmed the claim", None),
        ("no source says so", None),
        ("no report, published in 2024 by a paper in Karachi, which was found", None),
        ("he called it “not found anywhere”", None),
    ],
)  # fmt: skip
def test_absence(text: str, found: str | None) -> None:
    assert asof.absence(text) == found


def test_a_stated_month_or_year_contains_the_as_of() -> None:
    month, year, edition = asof.stated_dates("as of June 2024, as of 2024, as of the edition date")
    assert asof.agrees(month, "2024-06-20") and not asof.agrees(month, "2024-07-01")
    assert asof.agrees(year, "2024-01-01") and not asof.agrees(year, "2025-01-01")
    assert not asof.agrees(edition, "2024-06-20")
