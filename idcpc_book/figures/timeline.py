"""The timeline figure: every dated claim as a mark on its track, linked to the claim.

A claim joins the timeline when it has an ``event_date``; its track is its chapter's
(:data:`idcpc_book.model.TIMELINE_TRACKS`, defined once). A date given as a year is drawn
hollow at the year's start, a month or a day filled; each mark links to its claim
(``<page>.html#<ID>``) in the HTML edition's inline SVG.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from idcpc_book.figures import TEXT_PT, WIDTH, Drawing, Needs, figure, svg
from idcpc_book.model import OTHER_TRACK, TIMELINE_TRACKS, claims_by_id

#: ``link(claim)`` -> the address of the claim, from the page the figure is on.
Link = Callable[[Mapping[str, Any]], str | None]


def year_fraction(date: str) -> float:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a year with its fraction."""
    parts = [int(p) for p in date.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    return year + (month - 1) / 12 + (day - 1) / 366


#: Events from this year on get the wide panel; older ones share a narrow one.
RECENT = 2013


def _marks(ax: Any, marks: list, row: int, precise: bool, link: Link) -> None:
    """One mark per claim on the track's row, each linked to its claim."""
    dots = ax.scatter(
        [year_fraction(c["event_date"]) for c in marks],
        [row] * len(marks),
        s=28,
        marker="o",
        facecolors="#1d3557" if precise else "none",
        edgecolors="#1d3557",
        alpha=0.65,
        linewidths=0.8,
        clip_on=True,
    )
    dots.set_urls([link(c) for c in marks])


def track(claim: Mapping[str, Any]) -> str:
    return TIMELINE_TRACKS.get(claim["docname"], OTHER_TRACK)


def draw(needs: Needs, link: Link) -> Drawing:
    dated = [c for c in claims_by_id(needs) if c.get("event_date")]
    order = [*TIMELINE_TRACKS.values(), OTHER_TRACK]
    tracks = [t for t in order if any(track(c) == t for c in dated)]
    rows = {name: len(tracks) - 1 - i for i, name in enumerate(tracks)}  # first on top
    xs = [year_fraction(c["event_date"]) for c in dated] or [RECENT]
    early = min(xs) < RECENT  # older events on a narrow panel of their own
    with figure(WIDTH, 0.42 * len(tracks) + 1.1) as fig:
        if early:
            old, ax = fig.subplots(1, 2, sharey=True, width_ratios=(1, 4))
            old.set_xlim(int(min(xs)) - 1, RECENT)
            old.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.spines["left"].set_visible(False)
            ax.tick_params(axis="y", length=0)
            panels = [old, ax]
        else:
            ax = fig.add_subplot()
            panels = [ax]
        ax.set_xlim(RECENT, int(max(xs)) + 1)
        ax.set_xticks(range(RECENT, int(max(xs)) + 2))
        ax.tick_params(axis="x", labelsize=TEXT_PT)
        for panel in panels:
            recent = panel is ax  # each mark on one panel only: one link per claim
            for name in tracks:
                for precise in (True, False):
                    marks = [
                        c
                        for c in dated
                        if track(c) == name
                        and ("-" in c["event_date"]) == precise
                        and (year_fraction(c["event_date"]) >= RECENT) == recent
                    ]
                    if marks:
                        _marks(panel, marks, rows[name], precise, link)
            panel.set_axisbelow(True)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        panels[0].set_yticks(list(rows.values()), list(rows))
        panels[0].set_ylim(-0.6, len(tracks) - 0.4)
        fig.supxlabel(
            "Year of the event (hollow: the sources give only the year)", fontsize=TEXT_PT
        )
        image = svg(fig)
    years = sorted(int(c["event_date"][:4]) for c in dated)
    counts = ", ".join(f"{t} {sum(1 for c in dated if track(c) == t)}" for t in tracks)
    alt = (
        f"Timeline of the {len(dated)} dated claims, {years[0]} to {years[-1]}, "
        f"in {len(tracks)} tracks: {counts}."
        if dated
        else "Timeline: no claim has an event date."
    )
    caption = (
        "The dated claims, one mark per claim on the track of its chapter; in the HTML "
        "edition each mark links to its claim. The table below lists the same claims."
    )
    return Drawing(image, alt, caption)
