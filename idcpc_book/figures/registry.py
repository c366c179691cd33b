"""The book's figures, one registry: each figure's name (the ``claims-figure`` argument),
what it draws, the claim fields it reads, and how it is drawn. The directive, the
methodology page and the README read the list from here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from idcpc_book.figures import Drawing, Needs, meetings, money, offices, profile, timeline

#: A claim's address in the page being written, or None where marks carry no links.
Link = Callable[[Mapping[str, Any]], str | None]
#: (docname, title) of every page, in the order of the book's tables of contents.
Chapters = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Figure:
    """One figure drawn from the claims."""

    name: str
    #: What it draws, one line.
    draws: str
    #: The claim fields it reads (besides the chapter a claim is in).
    fields: tuple[str, ...]
    draw: Callable[[Needs, Link, Chapters], Drawing]


#: Every figure, in the order the directive's error message names them.
FIGURES: tuple[Figure, ...] = (
    Figure(
        "timeline",
        "every dated claim as a mark on its chapter's track, linked to the claim",
        ("event_date",),
        lambda needs, link, chapters: timeline.draw(needs, link),
    ),
    Figure(
        "evidence-profile",
        "each chapter's claims by evidence grade and its citations by source kind",
        ("cites",),
        lambda needs, link, chapters: profile.draw(needs, chapters),
    ),
    Figure(
        "jcm-meetings",
        "the JCM's meetings: when and where each met, its co-chairs and parties",
        ("meeting", "event_date", "place", "co_chairs", "parties"),
        lambda needs, link, chapters: meetings.draw(needs, link),
    ),
    Figure(
        "cpec-money",
        "CPEC's money figures with their measure, package, date and evidence",
        ("amount", "measure", "package", "event_date", "as_of", "cites"),
        lambda needs, link, chapters: money.draw(needs, link),
    ),
    Figure(
        "offices",
        "terms of office: holder, start, end and last confirmation",
        ("office", "holder", "term_start", "term_end", "as_of"),
        lambda needs, link, chapters: offices.draw(needs, link),
    ),
)

BY_NAME: dict[str, Figure] = {figure.name: figure for figure in FIGURES}
