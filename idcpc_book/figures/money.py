"""CPEC's money figures: each figure a claim states, with its measure, package and date.

A claim that states a money figure gives it as structured fields beside its text:
``:amount:`` (US$ billion, or a range where its sources differ), ``:measure:`` (what kind
of figure it is, from :data:`idcpc_book.model.MONEY_MEASURES`), ``:package:`` (what it
refers to) and ``:as_of:``; the figure is dated by the claim's event date (when it was
signed or said), else by its ``as_of``. Pledged totals and investment made are drawn in
different marks and never on one line, because they measure different things.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from idcpc_book import evidence
from idcpc_book.figures import TEXT_PT, WIDTH, Drawing, Needs, figure, svg
from idcpc_book.figures.meetings import long_date
from idcpc_book.figures.timeline import year_fraction
from idcpc_book.model import MONEY_MEASURES, amount_range, claims_by_id

Link = Callable[[Mapping[str, Any]], str | None]
#: A mark and a colour per measure, in the order of MONEY_MEASURES.
MARKS = dict(zip(MONEY_MEASURES, ("^", "s", "v", "o", "D"), strict=True))
COLOURS = dict(
    zip(MONEY_MEASURES, ("#8c8c8c", "#1d3557", "#6d8fb5", "#1f5c2c", "#c9a227"), strict=True)
)


def date_of(claim: Mapping[str, Any]) -> str:
    """When the figure was signed or stated: the event date, else the ``as_of`` date."""
    return claim.get("event_date") or claim.get("as_of") or ""


def figures(needs: Needs) -> list[Mapping[str, Any]]:
    """The claims that state a money figure, in order of date."""
    found = [c for c in claims_by_id(needs) if c.get("amount")]
    return sorted(found, key=lambda c: (date_of(c), c["id"]))


def usd(amount: str) -> str:
    """``46`` -> ``$46bn``; ``60-65`` -> ``$60\N{EN DASH}65bn``."""
    low, high = amount_range(amount)
    text = f"{low:g}" if low == high else f"{low:g}\N{EN DASH}{high:g}"
    return f"${text}bn"


def draw(needs: Needs, link: Link) -> Drawing:
    found = figures(needs)
    with figure(WIDTH, 4.2) as fig:
        ax = fig.subplots()
        for measure in MONEY_MEASURES:
            marks = [c for c in found if c["measure"] == measure]
            if not marks:
                continue
            xs = [year_fraction(date_of(c)) for c in marks]
            ranges = [amount_range(c["amount"]) for c in marks]
            for x, (low, high) in zip(xs, ranges, strict=True):
                if high > low:
                    ax.vlines(x, low, high, colors=COLOURS[measure], linewidth=3, alpha=0.5)
            dots = ax.scatter(
                xs,
                [(low + high) / 2 for low, high in ranges],
                s=46,
                marker=MARKS[measure],
                color=COLOURS[measure],
                label=measure,
                zorder=3,
            )
            dots.set_urls([link(c) for c in marks])
            for x, c, (low, high) in zip(xs, marks, ranges, strict=True):
                ax.annotate(
                    usd(c["amount"]), (x, (low + high) / 2), xytext=(7, -3),
                    textcoords="offset points", fontsize=TEXT_PT,
                )  # fmt: skip
        if found:
            years = [year_fraction(date_of(c)) for c in found]
            ax.set_xlim(int(min(years)) - 0.5, int(max(years)) + 1.5)
            ax.set_ylim(0, max(amount_range(c["amount"])[1] for c in found) * 1.3)
        ax.set_ylabel("US$ billion")
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        ax.legend(title="what the figure measures", loc="upper left", fontsize=TEXT_PT, ncols=3)
        image = svg(fig)
    table: list[list[Any]] = [
        ["Date", "Figure", "What it measures", "Package or period", "As of", "Evidence"]
    ]
    for c in found:
        table.append(
            [
                (long_date(date_of(c)), c["id"]),
                usd(c["amount"]),
                c["measure"],
                c["package"],
                long_date(c["as_of"]),
                evidence.of_claim(c, needs).label,
            ]
        )
    alt = (
        "CPEC money figures by the date they were signed or stated: "
        + "; ".join(
            f"{long_date(date_of(c))}, {usd(c['amount'])} ({c['measure']}, {c['package']})"
            for c in found
        )
        + "."
    )
    caption = (
        "Money figures for the corridor as the claims of this chapter state them, by the date "
        "each was signed or stated, marked by what each measures. Pledged or planned totals "
        "and investment made are different measures and cannot be compared. The table gives "
        "the same, each date linked to its claim."
    )
    return Drawing(image, alt, caption, table)
