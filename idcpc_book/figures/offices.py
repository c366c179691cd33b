"""Terms of office: who held which office, from when, until when, and when last confirmed.

A claim that describes a term of office names it (``:office:``, ``:holder:``) and gives
the dates its text states (``:term_start:``, ``:term_end:``); a claim that only confirms
that the term was still running names the office and holder and has an ``as_of``. The
claims of one office and holder make one term: its start and end from the claims that
give them, and its last confirmation the latest ``as_of`` of a claim whose term had not
ended. So the table says no more than the claims, and a running term is shown up to the
last date a source confirms it, not to the present.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from idcpc_book.figures import TEXT_PT, WIDTH, Drawing, Needs, figure, svg
from idcpc_book.figures.meetings import long_date
from idcpc_book.figures.timeline import year_fraction
from idcpc_book.model import claims_by_id

Link = Callable[[Mapping[str, Any]], str | None]
Claim = Mapping[str, Any]


@dataclass
class Term:
    office: str
    holder: str
    start: tuple[str, Claim] | None = None
    end: tuple[str, Claim] | None = None
    confirmed: tuple[str, Claim] | None = None
    claims: list[Claim] = field(default_factory=list)

    @property
    def first(self) -> Claim:
        """The claim a mark of the term links to: the one giving its start, else its first."""
        return self.start[1] if self.start else self.claims[0]


def _more_precise(current: tuple[str, Claim] | None, date: str) -> bool:
    return current is None or len(date) > len(current[0])


def terms(needs: Needs) -> list[Term]:
    """The terms the claims describe, by office, then by start."""
    found: dict[tuple[str, str], Term] = {}
    for claim in claims_by_id(needs):
        if not claim.get("office"):
            continue
        term = found.setdefault(
            (claim["office"], claim["holder"]), Term(claim["office"], claim["holder"])
        )
        term.claims.append(claim)
        for key, attr in (("term_start", "start"), ("term_end", "end")):
            date = claim.get(key)
            if date and _more_precise(getattr(term, attr), date):
                setattr(term, attr, (date, claim))
        as_of = claim.get("as_of")
        running = as_of and not claim.get("term_end")
        if running and (term.confirmed is None or as_of > term.confirmed[0]):
            term.confirmed = (as_of, claim)
    return sorted(
        found.values(), key=lambda t: (t.office, t.start[0] if t.start else "9999", t.holder)
    )


@dataclass(frozen=True)
class Person:
    """One holder of offices, as the claims name them: the ``:holder:`` value, exactly as
    written, identifies the person across claims (and is the name the book prints)."""

    name: str
    terms: tuple[Term, ...]


def name_key(name: str) -> str:
    """A name's place in an A-Z list: case and accents ignored, in its own word order."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def people(needs: Needs) -> list[Person]:
    """Every holder of a term the claims describe, A to Z by name, each with their terms
    from the earliest start (a term whose start no claim gives comes last)."""
    by_holder: dict[str, list[Term]] = {}
    for term in terms(needs):
        by_holder.setdefault(term.holder, []).append(term)
    names = sorted(by_holder, key=lambda name: (name_key(name), name))
    return [
        Person(name, tuple(sorted(by_holder[name], key=lambda t: (t.start or ("9999",))[0])))
        for name in names
    ]


#: Terms are drawn from this year on; an earlier start is clipped, its label says when.
FIRST_YEAR = 2012.0


def draw(needs: Needs, link: Link) -> Drawing:
    found = terms(needs)
    offices = sorted({t.office for t in found})
    rows = {office: i for i, office in enumerate(reversed(offices))}
    with figure(WIDTH, 0.8 + 0.62 * max(len(offices), 1)) as fig:
        ax = fig.subplots()
        for t in found:
            row = rows[t.office]
            until = t.end or t.confirmed
            label = t.holder
            if t.start and until:
                x0, x1 = year_fraction(t.start[0]), year_fraction(until[0])
                if x0 < FIRST_YEAR:
                    label += f"\n(from {t.start[0][:4]})"
                colour = "#9db4cf" if t.end else "#1d3557"  # ended, running
                bar = ax.barh(row, max(x1 - x0, 0.08), left=x0, height=0.36, color=colour,
                              edgecolor="white")  # fmt: skip
                bar.patches[0].set_url(link(t.first))
                at = max(x0, FIRST_YEAR)
            else:  # a start or a confirmation alone: a mark
                at = year_fraction((t.start or until)[0])  # type: ignore[index]
                dots = ax.scatter([at], [row], s=22, color="#1d3557", zorder=3)
                dots.set_urls([link(t.first)])
            ax.annotate(label, (at, row + 0.2), xytext=(1, 1), textcoords="offset points",
                        va="bottom", fontsize=TEXT_PT)  # fmt: skip
        ax.set_yticks(list(rows.values()), list(rows))
        ax.set_ylim(-0.6, len(rows) - 0.1)
        ax.set_xlim(FIRST_YEAR, 2027.5)
        ax.tick_params(axis="y", labelsize=TEXT_PT)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        image = svg(fig)
    table: list[list[Any]] = [["Office", "Holder", "From", "Ended", "Last confirmed"]]
    for t in found:
        table.append(
            [
                t.office,
                (t.holder, t.first["id"]),
                (long_date(t.start[0]), t.start[1]["id"]) if t.start else "not given",
                (long_date(t.end[0]), t.end[1]["id"]) if t.end else "",
                (long_date(t.confirmed[0]), t.confirmed[1]["id"])
                if t.confirmed and not t.end
                else "",
            ]
        )
    alt = "Terms of office: " + "; ".join(
        f"{t.office}, {t.holder}, from {long_date(t.start[0]) if t.start else 'a date not given'}"
        + (f" until {long_date(t.end[0])}" if t.end else "")
        + (f", last confirmed {long_date(t.confirmed[0])}" if t.confirmed and not t.end else "")
        for t in found
    ) + "."  # fmt: skip
    caption = (
        "Terms of office as the claims of the book give them: each bar runs from the start of "
        "a term to its end (light) or, while it runs, to the last date a source confirms the "
        "holder in office (dark), not to the present. The table gives the same, each date "
        "linked to the claim it comes from."
    )
    return Drawing(image, alt, caption, table)
