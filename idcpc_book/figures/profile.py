"""The evidence profile: for each chapter, its claims by evidence grade and its citations by
source kind, as small multiples (one row per chapter, two panels)."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence

from idcpc_book import evidence
from idcpc_book.figures import GRADE_COLOURS, TEXT_PT, WIDTH, Drawing, Needs, figure, svg
from idcpc_book.model import EVIDENCE_GRADES, SOURCE_KINDS, claims_by_id

#: A colour per source kind, from most to least authoritative.
KIND_COLOURS = dict(
    zip(
        SOURCE_KINDS,
        ("#1d3557", "#2f5d8a", "#6d8fb5", "#9db4cf", "#c9a227", "#8c8c8c", "#cfcfcf"),
        strict=True,
    )
)


def _stack(
    ax: object, rows: list[Counter[str]], keys: Sequence[str], colours: dict, labels: dict
) -> None:
    """One horizontal bar per row, its parts stacked in the order of ``keys``."""
    starts = [0] * len(rows)
    for key in keys:
        widths = [row.get(key, 0) for row in rows]
        if not any(widths):
            continue
        ax.barh(  # type: ignore[attr-defined]
            range(len(rows)), widths, left=starts, color=colours[key], label=labels[key], height=0.7
        )
        starts = [s + w for s, w in zip(starts, widths, strict=True)]


def draw(needs: Needs, chapters: Sequence[tuple[str, str]]) -> Drawing:
    """``chapters``: (docname, title) in the book's order; those without claims are left out."""
    by_doc: dict[str, list] = {}
    for claim in claims_by_id(needs):
        by_doc.setdefault(claim["docname"], []).append(claim)
    shown = [(doc, title) for doc, title in chapters if doc in by_doc]
    grades = [Counter(evidence.of_claim(c, needs).grade for c in by_doc[doc]) for doc, _ in shown]
    kinds = [
        Counter(needs[s]["kind"] for c in by_doc[doc] for s in c.get("cites") or [] if s in needs)
        for doc, _ in shown
    ]
    grade_names = [g.name for g in EVIDENCE_GRADES]
    grade_labels = {g.name: g.label for g in EVIDENCE_GRADES}
    with figure(WIDTH, 0.5 * len(shown) + 1.9) as fig:
        left, right = fig.subplots(1, 2, sharey=True)
        _stack(left, grades, grade_names, GRADE_COLOURS, grade_labels)
        _stack(right, kinds, list(SOURCE_KINDS), KIND_COLOURS, {k: k for k in SOURCE_KINDS})
        left.set_yticks(range(len(shown)), [textwrap.fill(title, 30) for _, title in shown])
        left.invert_yaxis()
        left.set_title("Claims by evidence grade", loc="left")
        right.set_title("Citations by source kind", loc="left")
        for ax in (left, right):
            ax.set_xlabel("number")
            ax.legend(
                loc="upper left",
                bbox_to_anchor=(0, -0.18),
                ncols=2,
                frameon=False,
                fontsize=TEXT_PT,
            )
        image = svg(fig)
    table: list[list] = [["Chapter", "Claims", "Claims by grade", "Citations by source kind"]]
    for (_, title), graded, kinded in zip(shown, grades, kinds, strict=True):
        table.append(
            [
                title,
                str(sum(graded.values())),
                "; ".join(f"{grade_labels[g]} {graded[g]}" for g in grade_names if graded[g]),
                "; ".join(f"{k} {kinded[k]}" for k in SOURCE_KINDS if kinded[k]),
            ]
        )
    total = sum(sum(g.values()) for g in grades)
    alt = (
        f"Evidence profile of {len(shown)} chapters ({total} claims): for each chapter, a bar "
        "of its claims by evidence grade and a bar of its citations by source kind."
    )
    caption = (
        "The evidence profile of each chapter: its claims by evidence grade (left) and the "
        "kinds of the sources its claims cite (right), counted from the claims. The table "
        "gives the same counts."
    )
    return Drawing(image, alt, caption, table)
