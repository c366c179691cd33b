"""Evidence grades: the rules of the claim model applied to sources of each kind, the
independence of outlets (``carries``, one publisher), and the grade in a built book."""

from __future__ import annotations

import json

import pytest
from conftest import ROOTS, sphinx_build

from idcpc_book.evidence import Evidence, grade, of_claim, outlet, states_fact
from idcpc_book.model import EVIDENCE_GRADES


def src(sid: str, kind: str, publisher: str, carries: str | None = None) -> dict:
    return {"id": sid, "kind": kind, "publisher": publisher, "carries": carries}


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (
            [
                src("SRC_A", "official-cn", "IDCPC (idcpc.gov.cn)"),
                src("SRC_B", "commentary", "Blog"),
            ],
            Evidence("actor-record", "actor's record", "the actor's own record (IDCPC)"),
        ),
        (
            [src("SRC_A", "official-pk", "Ministry of Foreign Affairs")],
            Evidence(
                "actor-record",
                "actor's record",
                "the actor's own record (Ministry of Foreign Affairs)",
            ),
        ),
        (
            [
                src("SRC_A", "independent-media", "Dawn"),
                src("SRC_B", "state-media-pk", "Associated Press of Pakistan"),
            ],
            Evidence(
                "two-independent",
                "two independent",
                "two independent outlets (Dawn; Associated Press of Pakistan)",
            ),
        ),
        (
            [
                src("SRC_A", "independent-media", "Dawn"),
                src("SRC_B", "reference", "Wikipedia"),
                src("SRC_C", "state-media-cn", "Xinhua"),
            ],
            Evidence(
                "two-independent",
                "two independent",
                "three independent outlets (Dawn; Wikipedia; Xinhua)",
            ),
        ),
        (
            [src("SRC_A", "state-media-pk", "Associated Press of Pakistan")],
            Evidence(
                "one-report", "one report", "one state-media report (Associated Press of Pakistan)"
            ),
        ),
        (
            [src("SRC_A", "independent-media", "Dawn")],
            Evidence("one-report", "one report", "one independent-media report (Dawn)"),
        ),
        # a newspaper printing an APP story is APP's report: one outlet, two copies
        (
            [
                src("SRC_A", "state-media-pk", "Associated Press of Pakistan"),
                src(
                    "SRC_B",
                    "independent-media",
                    "UrduPoint (APP report)",
                    "Associated Press of Pakistan",
                ),
            ],
            Evidence(
                "one-report",
                "one report",
                "one state-media report (Associated Press of Pakistan), in 2 copies",
            ),
        ),
        # two reports of one publisher are one outlet; a qualifier in brackets is no other
        (
            [
                src("SRC_A", "independent-media", "UrduPoint"),
                src("SRC_B", "independent-media", "UrduPoint (APP report)"),
            ],
            Evidence(
                "one-report", "one report", "one independent-media report (UrduPoint), in 2 copies"
            ),
        ),
        # commentary is no second source
        (
            [src("SRC_A", "independent-media", "Dawn"), src("SRC_B", "commentary", "Some Blog")],
            Evidence("one-report", "one report", "one independent-media report (Dawn)"),
        ),
        (
            [
                src("SRC_A", "reference", "Wikipedia"),
                src("SRC_B", "reference", "Wikipedia (mirror)", "Wikipedia"),
            ],
            Evidence("reference", "reference", "reference work only (Wikipedia), in 2 copies"),
        ),
        (
            [src("SRC_A", "reference", "Wikipedia"), src("SRC_B", "commentary", "Some Blog")],
            Evidence("reference", "reference", "reference work only (Wikipedia)"),
        ),
        (
            [src("SRC_A", "commentary", "Some Blog"), src("SRC_B", "commentary", "Other Blog")],
            Evidence("commentary", "commentary", "commentary only (Some Blog; Other Blog)"),
        ),
        ([], Evidence("none", "no source", "no source")),
    ],
)
def test_grade_of_sources_of_each_kind(sources, expected) -> None:
    assert grade(sources) == expected
    assert grade(reversed(sources)) == expected  # the order of :cites: does not matter


def test_every_grade_is_reachable_and_only_strong_grades_state_a_fact() -> None:
    assert [g.name for g in EVIDENCE_GRADES] == [
        "actor-record",
        "two-independent",
        "one-report",
        "reference",
        "commentary",
        "none",
    ]
    strong = {g.name for g in EVIDENCE_GRADES if g.states_fact}
    assert strong == {"actor-record", "two-independent"}
    assert states_fact(grade([src("SRC_A", "official-pk", "MoFA")]))
    assert not states_fact(grade([src("SRC_A", "independent-media", "Dawn")]))


def test_outlet_is_what_the_source_carries_else_its_publisher() -> None:
    assert (
        outlet(src("SRC_A", "state-media-cn", "People's Daily Online (Xinhua)", "Xinhua"))
        == "xinhua"
    )
    assert (
        outlet(src("SRC_A", "independent-media", "GSRRA (Global Silk Route), gsrra.com")) == "gsrra"
    )
    assert outlet(src("SRC_A", "independent-media", "The  Nation")) == "the nation"
    # one outlet, however its name's apostrophe is typed
    assert outlet(src("SRC_A", "state-media-cn", "People\u2019s Daily Online")) == outlet(
        src("SRC_B", "state-media-cn", "People's Daily Online")
    )


def test_of_claim_reads_the_cited_source_needs() -> None:
    needs = {
        "SRC_A": src("SRC_A", "independent-media", "Dawn"),
        "SRC_B": src("SRC_B", "independent-media", "The Nation"),
    }
    claim = {"id": "CLM_X", "cites": ["SRC_B", "SRC_A", "SRC_MISSING"]}
    assert of_claim(claim, needs).grade == "two-independent"


def test_grade_in_a_built_book(tmp_path) -> None:
    """The fixture book with two copies of one report: the grade is in needs.json (computed,
    not written), beside each claim's ID in HTML, and in the exports."""
    root = ROOTS / "fact-two-copies"
    needs_out = tmp_path / "needs"
    assert sphinx_build(root / "docs", needs_out).returncode == 0
    needs = json.loads((needs_out / "needs.json").read_text())["versions"][""]["needs"]
    assert needs["CLM_VISIT"]["evidence"] == "one-report"
    assert needs["CLM_TALKS"]["evidence"] == "one-report"
    assert needs["SRC_BETA"]["carries"] == "Alpha News"
    html = tmp_path / "html"
    result = sphinx_build(root / "docs", html, builder="html", strict=True)
    # the book breaks the corroboration rule on purpose: the build says so, writing on
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{root}/docs/index.md:7: ERROR: CLM_VISIT: verified fact rests on one independent-media "
        "report (Alpha News), in 2 copies; cite a second independent source or the actor's "
        "official record, or make it unverified or attributed"
    )
    page = (html / "index.html").read_text(encoding="utf-8")
    assert (
        '<a class="need-id reference internal" href="#CLM_VISIT">CLM_VISIT</a> '
        '<abbr class="evidence-grade evidence-grade-one-report" '
        'title="one independent-media report (Alpha News), in 2 copies">one report</abbr></p>'
    ) in page
    claims = json.loads((html / "exports" / "claims.json").read_text())["claims"]
    assert {c["id"]: c["evidence"] for c in claims}["CLM_VISIT"] == {
        "grade": "one-report",
        "label": "one report",
        "reason": "one independent-media report (Alpha News), in 2 copies",
    }


def test_a_grade_written_by_hand_is_a_located_warning(tmp_path) -> None:
    import shutil

    root = tmp_path / "book"
    shutil.copytree(ROOTS / "clean", root)
    index = root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace(":kind: fact\n", ":kind: fact\n:evidence: actor-record\n", 1))
    result = sphinx_build(root / "docs", tmp_path / "out", builder="html", strict=True)
    assert result.returncode == 1
    assert (
        f"{index}:7: WARNING: CLM_VISIT: :evidence: is computed from the claim's sources; "
        "remove it from the chapter" in result.stderr
    )
