"""Cost per claim of each step, and how it grows from 5000 to 20 000 claims.

A build whose cost is linear in its claims costs as much per claim at any size; the issue
asks that the book's full build cost at most 1.2x as much per claim at 20 000 claims as at
5000. The ratio is given for wall time and for CPU time (user + system of the build's
process): on a shared machine only the CPU time is not lengthened by other jobs, so the
target is judged on it.
"""

from __future__ import annotations

from typing import Any

from idcpc_book.bench.measure import Run

#: The two sizes the target compares, and its limit on the ratio of their costs per claim.
SMALL, LARGE = 5000, 20000
LIMIT = 1.2
#: The steps measured at every size (the PDF only up to ``--pdf-max``).
STEPS = (("html", "full HTML"), ("incremental", "edit one chapter"), ("check", "checker"))


def per_claim(run: Run, claims: int) -> dict[str, float]:
    """Milliseconds of wall time and of CPU time per claim of the book."""
    return {
        "ms_per_claim": round(run.seconds * 1000 / claims, 3),
        "cpu_ms_per_claim": round(run.cpu_seconds * 1000 / claims, 3),
    }


def _growth(small: float, large: float, small_n: int, large_n: int) -> float:
    """Cost per claim at ``large_n`` claims over that at ``small_n`` (1.0: linear)."""
    return round((large / large_n) / (small / small_n), 2)


def scaling(
    sizes: dict[int, dict[str, Any]], small: int = SMALL, large: int = LARGE
) -> dict[str, Any]:
    """For each step and project measured at both sizes: the costs per claim at each and
    their ratio; empty unless both sizes were run."""
    if small not in sizes or large not in sizes:
        return {}
    steps: dict[str, Any] = {}
    for step, _ in STEPS:
        low, high = sizes[small].get(step, {}), sizes[large].get(step, {})
        rows = {}
        for name in (name for name in low if name in high):
            a, b = low[name], high[name]
            rows[name] = {
                "ms_per_claim": [a["ms_per_claim"], b["ms_per_claim"]],
                "cpu_ms_per_claim": [a["cpu_ms_per_claim"], b["cpu_ms_per_claim"]],
                "ratio": _growth(a["seconds"], b["seconds"], small, large),
                "cpu_ratio": _growth(a["cpu_seconds"], b["cpu_seconds"], small, large),
            }
        if rows:
            steps[step] = rows
    return {"from": small, "to": large, "steps": steps}


def scaling_table(growth: dict[str, Any], names: dict[str, str]) -> list[str]:
    """The growth as a Markdown table: one row per step and project."""
    if not growth:
        return []
    small, large = growth["from"], growth["to"]
    lines = [
        f"| step | project | ms / claim at {small} | at {large} | ratio "
        f"| CPU ms / claim at {small} | at {large} | CPU ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    labels = dict(STEPS)
    for step, rows in growth["steps"].items():
        for name, r in rows.items():
            (a, b), (ca, cb) = r["ms_per_claim"], r["cpu_ms_per_claim"]
            lines.append(
                f"| {labels[step]} | {names[name]} | {a:.2f} | {b:.2f} | {r['ratio']:.2f}x "
                f"| {ca:.2f} | {cb:.2f} | {r['cpu_ratio']:.2f}x |"
            )
    return lines
