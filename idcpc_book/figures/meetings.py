"""The JCM's meetings: when and where each met, who co-chaired it, which parties were there.

Drawn from the claims that say so: a claim describing a meeting names it (``:meeting: 2``)
and gives, as structured fields, what its text states (``:place:``, ``:co_chairs:``,
``:parties:``); the meeting's date is the event date of its claims. Nothing here is
written anywhere but in the claims, so the figure says no more than the chapter.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from idcpc_book.edition import MONTHS
from idcpc_book.figures import TEXT_PT, WIDTH, Drawing, Needs, figure, svg
from idcpc_book.figures.timeline import year_fraction
from idcpc_book.model import claims_by_id

Link = Callable[[Mapping[str, Any]], str | None]
FIELDS = ("place", "co_chairs", "parties")


@dataclass
class Meeting:
    name: str
    date: str = ""
    date_claim: Mapping[str, Any] | None = None
    #: field -> [(value, claim)] as the claims give them
    facts: dict[str, list[tuple[str, Mapping[str, Any]]]] = field(default_factory=dict)


def long_date(date: str) -> str:
    parts = date.split("-")
    month = MONTHS[int(parts[1]) - 1] if len(parts) > 1 else ""
    return " ".join(
        p for p in (parts[2].lstrip("0") if len(parts) > 2 else "", month, parts[0]) if p
    )


def meetings(needs: Needs) -> list[Meeting]:
    """The meetings the claims describe, in order of date."""
    found: dict[str, Meeting] = {}
    for claim in claims_by_id(needs):
        name = claim.get("meeting")
        if not name:
            continue
        meeting = found.setdefault(name, Meeting(name))
        date = claim.get("event_date") or ""
        if len(date) > len(meeting.date):  # the most precise date the claims give
            meeting.date, meeting.date_claim = date, claim
        for key in FIELDS:
            if claim.get(key):
                meeting.facts.setdefault(key, []).append((claim[key], claim))
    return sorted(found.values(), key=lambda m: (m.date or "9999", m.name))


def _value(meeting: Meeting, key: str) -> str:
    return "; ".join(value for value, _ in meeting.facts.get(key, [])) or "not given"


def draw(needs: Needs, link: Link) -> Drawing:
    found = meetings(needs)
    labels = {"place": "Place", "co_chairs": "Co-chairs", "parties": "Parties"}
    with figure(WIDTH, 3.4) as fig:
        axis, cards = fig.subplots(2, 1, height_ratios=(1, 3.2))
        dated = [m for m in found if m.date]
        if dated:
            xs = [year_fraction(m.date) for m in dated]
            dots = axis.scatter(xs, [0] * len(dated), s=60, color="#1d3557", zorder=3)
            dots.set_urls([link(m.date_claim) for m in dated if m.date_claim])
            for x, m in zip(xs, dated, strict=True):
                axis.annotate(
                    f"JCM {m.name}", (x, 0), xytext=(0, 8), textcoords="offset points", ha="center"
                )
            axis.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
        axis.set_yticks([])
        axis.spines["left"].set_visible(False)
        axis.set_ylim(-0.5, 1.5)
        cards.set_axis_off()
        width = 1 / max(len(found), 1)
        for i, m in enumerate(found):
            lines = [f"JCM meeting {m.name}: {long_date(m.date) if m.date else 'date not given'}"]
            for key in FIELDS:
                lines += textwrap.wrap(f"{labels[key]}: {_value(m, key)}", 38)
            text = cards.text(
                i * width + 0.01, 0.98, "\n".join(lines), va="top", ha="left", fontsize=TEXT_PT,
                transform=cards.transAxes, linespacing=1.35,
            )  # fmt: skip
            if m.date_claim is not None:
                text.set_url(link(m.date_claim))
        image = svg(fig)
    table: list[list[Any]] = [["Meeting", "Date", "Place", "Co-chairs", "Parties"]]
    for m in found:
        row: list[Any] = [f"JCM {m.name}"]
        row.append((long_date(m.date), m.date_claim["id"]) if m.date_claim else "not given")
        for key in FIELDS:
            facts = m.facts.get(key, [])
            row.append((_value(m, key), facts[0][1]["id"]) if facts else "not given")
        table.append(row)
    alt = "The JCM's meetings: " + "; ".join(
        f"meeting {m.name}, {long_date(m.date) if m.date else 'date not given'}, "
        f"{_value(m, 'place')}" for m in found
    ) + "."  # fmt: skip
    caption = (
        "The meetings of the JCM as the claims of this chapter give them: date, place, "
        "co-chairs and the parties present. The table gives the same, each entry linked to "
        "the claim it comes from."
    )
    return Drawing(image, alt, caption, table)
