"""The claim model: one definition, read by ``conf.py`` (sphinx-needs schemas) and the checker.

Changing a vocabulary here changes both what the build accepts and what the
checker reports, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

#: Source kinds, from most to least authoritative for facts about the event.
SOURCE_KINDS: dict[str, str] = {
    "official-pk": "Official Pakistani (government body)",
    "official-cn": "Official Chinese (party or state body)",
    "state-media-pk": "Pakistani state media",
    "state-media-cn": "Chinese state media",
    "independent-media": "Independent media",
    "reference": "Reference work",
    "commentary": "Commentary / blog",
}


CLAIM_KINDS: dict[str, str] = {
    "fact": "A fact, stated in the book's voice, resting on the cited sources.",
    "attributed": "What someone said or claims; the book reports it without endorsing it.",
    "assessment": "The book's own finding, e.g. a verdict on another publication's statement.",
}

STATUSES: dict[str, str] = {
    "verified": "The quoted evidence supports the claim as written.",
    "disputed": "Sources disagree; the claim says how.",
    "unverified": "Reported, but not confirmed by an independent source.",
    "superseded": "True as of its date, since overtaken; see the claim that supersedes it.",
}

#: Each status as a rating (schema.org ``Rating``, in each claim's ``ClaimReview``): how far
#: a reader can rely on the claim as the book's statement on its "as of" date, from 3
#: (verified) down to 0 (superseded: overtaken since). The methodology page prints it.
STATUS_RATINGS: dict[str, int] = {"verified": 3, "unverified": 2, "disputed": 1, "superseded": 0}

CLAIM_PREFIX = "CLM_"
SOURCE_PREFIX = "SRC_"
ID_PATTERN = r"^(CLM|SRC)_[A-Z0-9]+(_[A-Z0-9]+)*$"
ISO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
#: An event date may be as precise as the sources allow: a year, a month or a day.
EVENT_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

#: Separator between several evidence quotes in one ``:quote:`` option. sphinx-needs
#: splits list options on ``,;|``, which occur in quoted prose, so quotes are one
#: string field split on this marker.
QUOTE_SEPARATOR = " || "


def split_quotes(value: str) -> list[str]:
    """The quotes of a ``:quote:`` option (several are separated by ``||``)."""
    return [q.strip() for q in value.split(QUOTE_SEPARATOR.strip()) if q.strip()]


#: The options that describe a term of office (the people page's table of offices); a
#: claim that names an ``:office:`` names its ``:holder:`` too.
TERM_OPTIONS = ("office", "holder", "term_start", "term_end")

#: The claim directive's options (other tools read these names).
CLAIM_OPTIONS = (
    "id",
    "cites",
    "kind",
    "quote",
    "as_of",
    "event_date",
    "status",
    "contradicts",
    "supersedes",
    "reviews",
    "meeting",
    "place",
    "co_chairs",
    "parties",
    "amount",
    "measure",
    "package",
    *TERM_OPTIONS,
    "key_fact",
)

#: The "At a glance" page (``docs/glance.md``) lists the claims whose ``:key_fact:`` gives
#: their place on it (1, 2, 3 ...): at least this many and at most that many, so that it
#: stays the short list a reader new to the subject reads first (the checker's rule).
KEY_FACTS_MIN = 10
KEY_FACTS_MAX = 15

#: What a money figure for the corridor measures: the ``:measure:`` of a claim that
#: states an ``:amount:``. Figures of different measures are not comparable, so each is
#: shown with its measure, its package and its date (``idcpc_book/figures/money.py``).
MONEY_MEASURES: dict[str, str] = {
    "estimate": "What officials expected to be signed, before the agreements were signed.",
    "signed": "The value of the agreements and memorandums signed on an occasion.",
    "share": "The part of a signed package said to go to one sector.",
    "invested": "Investment said to have been made, up to the date it was stated.",
    "headline": "The programme's overall size as the press quotes it: planned or pledged.",
}
#: An ``:amount:`` in US$ billion: one number, or a range ``LOW-HIGH`` where sources differ.
AMOUNT_PATTERN = r"^\d+(\.\d+)?(-\d+(\.\d+)?)?$"


#: A need as sphinx-needs gives it (a dict in the build, in needs.json and the exports).
Need = TypeVar("Need", bound=Mapping[str, Any])


def claims_among(needs: Mapping[str, Need]) -> dict[str, Need]:
    """The claims among sphinx-needs' needs (claims and sources), by ID, in the order given."""
    return {key: need for key, need in needs.items() if need.get("type") == "claim"}


def claims_by_id(needs: Mapping[str, Need]) -> list[Need]:
    """The claims among the needs, sorted by ID."""
    claims = claims_among(needs)
    return [claims[key] for key in sorted(claims)]


def amount_range(amount: str) -> tuple[float, float]:
    """An ``:amount:`` that matches :data:`AMOUNT_PATTERN` as (low, high) US$ billion."""
    low, _, high = amount.partition("-")
    return float(low), float(high or low)


#: The options a claim with an ``:amount:`` must also give (``as_of``: when it was stated).
MONEY_OPTIONS = ("measure", "package", "as_of")

#: The source kinds that are the actor's own record (a government's or a party's).
OFFICIAL_KINDS = frozenset({"official-pk", "official-cn"})


@dataclass(frozen=True)
class EvidenceGrade:
    """One evidence grade. A claim gets the first grade of :data:`EVIDENCE_GRADES` for
    which at least ``min_outlets`` *outlets* among its sources of ``kinds`` are found.

    An outlet is a source's independence key (:func:`idcpc_book.evidence.outlet`): the
    outlet whose report the source carries (``carries`` in refs.bib) or else its
    publisher, so copies of one wire report, or two reports of one publisher, count once.
    ``reason`` is the reader's short reason; ``{n}`` is the number of outlets, ``{outlets}``
    their names and ``{kinds}`` their kinds. ``states_fact`` says whether the grade is
    enough for a ``verified`` ``fact`` (the checker's two-source rule).
    """

    name: str
    label: str
    description: str
    kinds: frozenset[str]
    min_outlets: int
    reason: str
    states_fact: bool


_NEWS_AND_REFERENCE = frozenset(SOURCE_KINDS) - {"commentary"}

#: The evidence grades, strongest first; a claim's grade is the first that fits.
EVIDENCE_GRADES: tuple[EvidenceGrade, ...] = (
    EvidenceGrade(
        "actor-record",
        "actor's record",
        "Cites the official record of the actor (official-pk or official-cn): the authority "
        "on what that body said, decided or did.",
        OFFICIAL_KINDS,
        1,
        "the actor's own record ({outlets})",
        True,
    ),
    EvidenceGrade(
        "two-independent",
        "two independent",
        "Two or more independent outlets (different publishers, not copies of one wire or "
        "outlet report) among the news and reference sources; commentary does not count.",
        _NEWS_AND_REFERENCE,
        2,
        "{n} independent outlets ({outlets})",
        True,
    ),
    EvidenceGrade(
        "one-report",
        "one report",
        "One news report (state or independent media), however many outlets carry it.",
        frozenset({"state-media-pk", "state-media-cn", "independent-media"}),
        1,
        "one {kinds} report ({outlets})",
        False,
    ),
    EvidenceGrade(
        "reference",
        "reference",
        "Only a reference work (an encyclopaedia, a library paper, academic work).",
        frozenset({"reference"}),
        1,
        "reference work only ({outlets})",
        False,
    ),
    EvidenceGrade(
        "commentary",
        "commentary",
        "Only commentary: opinion, editorials, blogs, think-tank pieces.",
        frozenset({"commentary"}),
        1,
        "commentary only ({outlets})",
        False,
    ),
    EvidenceGrade(
        "none",
        "no source",
        "No source the book knows of (the checker reports such a claim).",
        frozenset(SOURCE_KINDS),
        0,
        "no source",
        False,
    ),
)

#: The timeline figure's tracks: the chapter a dated claim is in decides its track.
TIMELINE_TRACKS: dict[str, str] = {
    "idcpc": "IDCPC",
    "people": "People",
    "cpec": "CPEC",
    "jcm": "JCM",
    "visit-2024": "2024 visit",
    "security": "Security",
    "seeds": "Starting documents",
}
#: The track of a dated claim in any other chapter.
OTHER_TRACK = "Other"


def _enum(values: dict[str, str]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def needs_types() -> list[dict[str, Any]]:
    """``needs_types``: claims and sources, each narrowing ``kind`` to its vocabulary."""
    return [
        {
            "directive": "claim",
            "title": "Claim",
            "prefix": CLAIM_PREFIX,
            "color": "#DDEEFF",
            "fields": {"kind": {"schema": _enum(CLAIM_KINDS)}},
        },
        {
            "directive": "source",
            "title": "Source",
            "prefix": SOURCE_PREFIX,
            "color": "#FFF4DD",
            "fields": {"kind": {"schema": _enum(SOURCE_KINDS)}},
        },
    ]


def _text(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "schema": {"type": "string"},
        "nullable": True,
        "parse_dynamic_functions": False,
        "parse_variants": False,
    }


def _matching(pattern: str, description: str) -> dict[str, Any]:
    """A text field whose values must match ``pattern``."""
    return {**_text(description), "schema": {"type": "string", "pattern": pattern}}


def needs_fields() -> dict[str, dict[str, Any]]:
    """``needs_fields``: typed fields with schemas (sphinx-needs validates them)."""
    return {
        "status": {"schema": _enum(STATUSES), "nullable": True},
        "kind": _text("Claim kind, or source kind"),
        "quote": _text(
            f"Verbatim evidence; several quotes separated by '{QUOTE_SEPARATOR.strip()}'"
        ),
        "as_of": _matching(
            ISO_DATE_PATTERN, "The date on which a time-sensitive claim was true (ISO 8601)"
        ),
        "event_date": _matching(
            EVENT_DATE_PATTERN,
            "When the event a claim reports took place (YYYY, YYYY-MM or YYYY-MM-DD); "
            "claims with an event date make up the timeline",
        ),
        "evidence": {
            **_text(
                "Claim: its evidence grade, computed by the build from its sources "
                "(idcpc_book.evidence); never written by hand"
            ),
            "schema": _enum({g.name: g.description for g in EVIDENCE_GRADES}),
        },
        "meeting": _text(
            "Claim: the JCM meeting it describes (1, 2, 3 ...), for the figure of the meetings"
        ),
        "place": _text("Claim: where the meeting it describes took place, as the claim says"),
        "co_chairs": _text("Claim: the meeting's co-chairs, as the claim says"),
        "parties": _text("Claim: the parties present at the meeting, as the claim says"),
        "amount": _matching(
            AMOUNT_PATTERN,
            "Claim: the money figure it states, in US$ billion (N, or LOW-HIGH where "
            "sources differ)",
        ),
        "measure": {
            **_text("Claim: what its :amount: measures"),
            "schema": _enum(MONEY_MEASURES),
        },
        "package": _text(
            "Claim: the package, phase or period its :amount: refers to, as the claim says"
        ),
        "office": _text("Claim: the office whose term it describes, for the table of offices"),
        "holder": _text("Claim: who held that office, as the claim names them"),
        "term_start": _matching(
            EVENT_DATE_PATTERN,
            "Claim: when that term began, as the claim says (YYYY, YYYY-MM or YYYY-MM-DD)",
        ),
        "term_end": _matching(
            EVENT_DATE_PATTERN,
            "Claim: when that term had ended, as the claim says (YYYY, YYYY-MM or YYYY-MM-DD); "
            "none while it runs",
        ),
        "key_fact": {
            "description": "Claim: its place on the 'At a glance' page (1, 2, 3 ...); "
            f"{KEY_FACTS_MIN} to {KEY_FACTS_MAX} claims of the book have one",
            "schema": {"type": "integer", "minimum": 1},
            "nullable": True,
            "parse_dynamic_functions": False,
            "parse_variants": False,
        },
        "publisher": _text("Source: publisher, from refs.bib"),
        "carries": _text(
            "Source: the wire agency or outlet whose report the copy reproduces, from refs.bib"
        ),
        "published": _text("Source: publication date, from refs.bib"),
        "url": _text("Source: URL, from refs.bib"),
        "accessed": _text("Source: date the source was read, from refs.bib"),
        "bibkey": _text("Source: its refs.bib key"),
        "cited_as": _text(
            "Source: its label in the text and the bibliography, e.g. 'Dawn 2024b' "
            "(idcpc_book.citelabels)"
        ),
        "archive": _text("Source: path of the archived record"),
    }


def needs_links() -> dict[str, dict[str, Any]]:
    """``needs_links``: claims cite sources; claims contradict, supersede or review claims."""
    return {
        "cites": {"outgoing": "cites", "incoming": "cited by", "target_types": ["source"]},
        "contradicts": {
            "outgoing": "contradicts",
            "incoming": "contradicted by",
            "target_types": ["claim"],
        },
        "supersedes": {
            "outgoing": "supersedes",
            "incoming": "superseded by",
            "target_types": ["claim"],
        },
        # A verdict (assessment) on a statement another publication made (attributed).
        "reviews": {
            "outgoing": "reviews",
            "incoming": "reviewed by",
            "target_types": ["claim"],
        },
    }


def needs_schema_definitions() -> dict[str, Any]:
    """Claims must carry cites, kind, quote and status (a rule per type, not per field)."""
    return {
        "schemas": [
            {
                "id": "claim-required",
                "severity": "violation",
                "message": "a claim needs :cites:, :kind:, :quote: and :status:",
                "select": {"properties": {"type": {"const": "claim"}}},
                "validate": {
                    "local": {
                        "properties": {
                            "cites": {"type": "array", "minItems": 1},
                            "quote": {"type": "string", "minLength": 1},
                            "kind": {"type": "string"},
                            "status": {"type": "string"},
                        },
                        "required": ["cites", "kind", "quote", "status"],
                    }
                },
            }
        ]
    }


def needs_settings() -> dict[str, Any]:
    """The ``needs_*`` settings of the claim model, for ``conf.py`` and the benchmark's
    needs floor (:mod:`idcpc_book.bench.generate`): the same model in both."""
    return {
        "needs_types": needs_types(),
        "needs_fields": needs_fields(),
        "needs_links": needs_links(),
        "needs_schema_definitions": needs_schema_definitions(),
        "needs_id_required": True,
        "needs_id_regex": ID_PATTERN,
        "needs_title_optional": True,  # a claim is its sentence; it has no title
        "needs_build_json": True,  # needs.json: what the checker reads
        # {need}`CLM_…` prints the ID: a claim has no title, so sphinx-needs' default
        # "{{ title }} ({{ id }})" printed " (CLM_…)"
        "needs_role_need_template": "{{ id }}",
    }
