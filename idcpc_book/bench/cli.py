"""``nox -s bench``: build synthetic books of N claims and their references; print and save.

For each size N: full strict HTML build of the book and of its four references (the
floor, the needs floor, the libraries floor and the patched floor: see
:mod:`idcpc_book.bench.generate`), an
incremental rebuild of each after editing one chapter, the checker on the book, and
(N <= --pdf-max) the PDF of the book and its floor. Then the real book: HTML, its own
floor (its chapters' text as plain paragraphs), PDF and the checker. Every build runs in
its own child process (wall time, CPU time, peak memory). Timings are noisy on a shared
machine: compare ratios from one run, not figures from different runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from idcpc_book.bench import generate
from idcpc_book.bench.measure import Run, StepFailed, checker, sphinx, warm_sphinx, write_report
from idcpc_book.bench.scaling import LARGE, LIMIT, SMALL, per_claim, scaling, scaling_table

REPO = Path(__file__).resolve().parents[2]
PDF_NAME = "idcpc-cpec-reference.pdf"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100, 1000, 5000], metavar="N",
        help="numbers of claims (default: 100 1000 5000)",
    )  # fmt: skip
    parser.add_argument(
        "--pdf-max", type=int, default=1000, metavar="N",
        help="build PDFs only up to this many claims (default 1000; 0: no synthetic PDF)",
    )  # fmt: skip
    parser.add_argument("--no-real", action="store_true", help="skip the real book")
    parser.add_argument("--no-real-pdf", action="store_true", help="skip the real book's PDF")
    parser.add_argument(
        "--json", type=Path, default=REPO / "build" / "bench.json", help="where to write JSON"
    )
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    return parser.parse_args(argv)


def _progress(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def _step(label: str, fn: Any, *args: Any, **kwargs: Any) -> Run:
    _progress(f"{label} ...")
    result: Run = fn(*args, **kwargs)
    _progress(
        f"{label}: {result.seconds:.1f} s (CPU {result.cpu_seconds:.1f} s), "
        f"peak {result.peak_mb:.0f} MB"
    )
    return result


#: The issue's limits at 5000 claims (performance issue, 7 December 2026): the full build's
#: time, the one-chapter rebuild's time and the full build's peak memory, each against the
#: floor's in the same step. The long-run goal is 2.0x.
FULL, REBUILD, MEMORY = 8.0, 4.0, 3.0

#: The references a book is measured against, in the order they add layers.
REFERENCES = tuple(generate.REFERENCE_NAMES)
#: The references that are each a part of the book's build as it runs (the libraries floor
#: is not: the book runs its libraries with the workarounds the patched floor has). A target
#: below one of them cannot be met by the book's own code.
LOWER_BOUNDS = ("needs", "patched")
NAMES = {"book": "book", "warm": "book (warm)", **generate.REFERENCE_NAMES}


def _row(run: Run, floor: Run | None, claims: int | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "seconds": round(run.seconds, 2),
        "cpu_seconds": round(run.cpu_seconds, 2),
        "peak_mb": round(run.peak_mb),
    }
    if claims:
        row.update(per_claim(run, claims))
    if floor is not None:
        row["ratio"] = round(run.seconds / floor.seconds, 2)
        row["cpu_ratio"] = round(run.cpu_seconds / floor.cpu_seconds, 2)
        row["memory_ratio"] = round(run.peak_mb / floor.peak_mb, 2)
    return row


def _step_rows(runs: dict[str, Run], claims: int | None = None) -> dict[str, Any]:
    """One step (e.g. the full HTML build): each project's figures, ratios to the floor,
    and (for a synthetic book of ``claims`` claims) its cost per claim."""
    floor = runs.get("floor")
    return {name: _row(run, floor, claims) for name, run in runs.items()}


def bench_size(n: int, work: Path, pdf: bool) -> dict[str, Any]:
    """Every measurement for the N-claim book and its references."""
    writers = {"book": generate.write_book, "floor": generate.write_floor,
               "needs": generate.write_needs_floor,
               "libraries": generate.write_libraries_floor,
               "patched": generate.write_patched_floor}  # fmt: skip
    _progress(f"N={n}: generating the book and its references in {work}")
    docs = {name: write(work / f"{name}-{n}", n) for name, write in writers.items()}
    conf = {name: (REPO if name == "book" else None) for name in writers}
    html = {name: folder.parent / "build" / "html" for name, folder in docs.items()}
    result: dict[str, Any] = {"claims": n}

    def build(step: str, name: str, fresh: bool = True) -> Run:
        label = f"N={n} {NAMES[name]}: {step}"
        return _step(label, sphinx, docs[name], html[name], "html", conf[name], fresh=fresh)

    result["html"] = _step_rows({name: build("full HTML", name) for name in writers}, n)
    for folder in docs.values():
        generate.edit_chapter(folder)
    result["incremental"] = _step_rows(
        {name: build("incremental HTML", name, fresh=False) for name in writers}, n
    )
    needs_json = html["book"] / "needs.json"
    result["check"] = _step_rows(
        {"book": _step(f"N={n} checker", checker, docs["book"].parent, needs_json)}, n
    )
    if pdf:
        floor_root = docs["floor"].parent
        result["pdf"] = _step_rows({
            "book": _step(f"N={n} book: PDF", sphinx, docs["book"], docs["book"].parent /
                          "build" / "pdf", "simplepdf", REPO),
            "floor": _step(f"N={n} floor: PDF", sphinx, docs["floor"], floor_root / "build" /
                           "pdf", "simplepdf", floor_root / "pdf-conf"),
        }, n)  # fmt: skip
    return result


def bench_real(work: Path, pdf: bool) -> dict[str, Any]:
    """The real book: strict HTML against its own floor, the checker and the PDF."""
    out = work / "real"
    docs = generate.copy_real_book(REPO, out / "book")
    floor_docs = generate.write_real_floor(docs, out / "floor")
    result: dict[str, Any] = {}
    result["html"] = _step_rows({
        "book": _step("real book: full HTML", sphinx, docs, out / "html", "html", REPO),
        "floor": _step("real book floor: full HTML", sphinx, floor_docs, out / "floor-html",
                       "html", None),
    })  # fmt: skip
    result["check"] = _step_rows(
        {"book": _step("real book: checker", checker, docs.parent, out / "html" / "needs.json")}
    )
    # the writer's loop: a line of prose edited, the book built again as `nox -s live` does
    generate.edit_real_chapter(docs)
    cold = _step("real book: edit one chapter", sphinx, docs, out / "html", "html", REPO,
                 fresh=False)  # fmt: skip
    # the same, forked from a warm process as `nox -s live` builds (idcpc_book/warm.py):
    # timed from a second edit to the build's end
    warm = _step("real book: edit one chapter (warm, as nox -s live)", warm_sphinx, docs,
                 out / "html", "html", REPO,
                 edit=lambda: generate.edit_real_chapter(docs))  # fmt: skip
    result["incremental"] = _step_rows({"book": cold, "warm": warm})
    if pdf:
        pdf_conf = floor_docs.parent / "pdf-conf"
        result["pdf"] = _step_rows({
            "book": _step("real book: PDF", sphinx, docs, out / "pdf", "simplepdf", REPO),
            "floor": _step("real book floor: PDF", sphinx, floor_docs, out / "floor-pdf",
                           "simplepdf", pdf_conf),
        })  # fmt: skip
    return result


def targets(sizes: dict[int, dict[str, Any]], real: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The issue's targets that this run can judge: value, limit, met; for the ratios to
    the floor also the ``bounds``: the needs and libraries floors' own ratios (the same
    data with no drawing, without and with citations). The growth of the cost per claim
    from 5000 to 20 000 claims is judged on CPU time, its wall time given beside."""
    found: list[dict[str, Any]] = []

    def target(name: str, value: float, limit: float, step: dict[str, Any] | None = None,
               key: str = "ratio") -> None:  # fmt: skip
        entry: dict[str, Any] = {"target": name, "value": value, "limit": limit,
                                 "met": value <= limit}  # fmt: skip
        if step is not None:
            entry["bounds"] = {ref: step[ref][key] for ref in REFERENCES[1:] if ref in step}
            lower = [entry["bounds"][ref] for ref in LOWER_BOUNDS if ref in entry["bounds"]]
            if lower:  # each is a part of the book's own build: the book costs at least that
                entry["lower_bound"] = max(lower)
                entry["reachable"] = max(lower) <= limit
        found.append(entry)

    if 5000 in sizes:
        big = sizes[5000]
        html, incremental = big["html"], big["incremental"]
        target("5000 claims: full HTML / floor", html["book"]["ratio"], FULL, html)
        target("5000 claims: incremental / floor's", incremental["book"]["ratio"], REBUILD,
               incremental)  # fmt: skip
        target("5000 claims: peak memory / floor's", html["book"]["memory_ratio"], MEMORY, html,
               "memory_ratio")  # fmt: skip
        target("5000 claims: checker (s)", big["check"]["book"]["seconds"], 2.0)
        if 1000 in sizes:
            growth = big["check"]["book"]["seconds"] / sizes[1000]["check"]["book"]["seconds"]
            target("checker 5000 / 1000 claims", round(growth, 2), 5.5)
    growth = scaling(sizes).get("steps", {}).get("html", {}).get("book")
    if growth:
        name = f"full HTML cost per claim, {LARGE} / {SMALL} claims"
        target(f"{name} (CPU)", growth["cpu_ratio"], LIMIT)
        target(f"{name} (time)", growth["ratio"], LIMIT)
    if real:
        target("real book: full HTML / its floor", real["html"]["book"]["ratio"], 1.5)
        target("real book: checker (s)", real["check"]["book"]["seconds"], 0.5)
        if "incremental" in real:
            target("real book: edit to preview (s)", real["incremental"]["book"]["seconds"], 2.0)
            if "warm" in real["incremental"]:
                target("real book: edit to preview, warm (s)",
                       real["incremental"]["warm"]["seconds"], 2.0)  # fmt: skip
        if "pdf" in real:
            target("real book: PDF (s)", real["pdf"]["book"]["seconds"], 20.0)
    return found


def table(sizes: dict[int, dict[str, Any]], real: dict[str, Any] | None) -> list[str]:
    """The results as a Markdown table (pasted into the README): one row per build, with
    its cost per claim (synthetic books) and its time and peak memory as ratios to the
    floor's in the same step."""
    lines = [
        "| claims | step | project | time | CPU | peak | ms / claim | CPU ms / claim "
        "| time / floor | CPU / floor | peak / floor |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    steps = (("html", "full HTML"), ("incremental", "edit one chapter"), ("check", "checker"),
             ("pdf", "PDF"))  # fmt: skip
    runs = [(str(n), result) for n, result in sizes.items()]
    if real:
        runs.append(("real book", real))
    for label, result in runs:
        for key, step in steps:
            for name, r in result.get(key, {}).items():
                ratios = (
                    f"{r['ratio']:.2f}x | {r['cpu_ratio']:.2f}x | {r['memory_ratio']:.2f}x"
                    if "ratio" in r else " | | "
                )  # fmt: skip
                claim = (
                    f"{r['ms_per_claim']:.2f} | {r['cpu_ms_per_claim']:.2f}"
                    if "ms_per_claim" in r else " | "
                )  # fmt: skip
                lines.append(
                    f"| {label} | {step} | {NAMES[name]} | {r['seconds']:.2f} s | "
                    f"{r['cpu_seconds']:.2f} s | {r['peak_mb']} MB | {claim} | {ratios} |"
                )
    return lines


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **{pkg: version(pkg) for pkg in ("sphinx", "sphinx-needs", "sphinxcontrib-bibtex",
                                         "myst-parser", "sphinx-simplepdf")},
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="idcpc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes: dict[int, dict[str, Any]] = {}
    real = None
    try:
        _progress("warming up (bytecode caches): a 20-claim book, HTML and PDF")
        warm = generate.write_book(work / "warm-up", 20)
        for builder in ("html", "simplepdf"):
            sphinx(warm, work / "warm-up" / builder, builder, REPO)
        checker(work / "warm-up", work / "warm-up" / "html" / "needs.json")
        for n in sorted(set(args.sizes)):
            sizes[n] = bench_size(n, work, pdf=n <= args.pdf_max)
        if not args.no_real:
            real = bench_real(work, pdf=not args.no_real_pdf)
    except StepFailed as err:
        print(f"bench: {err}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    found = targets(sizes, real)
    growth = scaling(sizes)
    print()
    print("\n".join(table(sizes, real)))
    print()
    if growth:
        print("\n".join(scaling_table(growth, NAMES)))
        print()
    for t in found:
        bounds = t.get("bounds", {})
        bound = "".join(f"; {NAMES[ref]}: {value}" for ref, value in bounds.items())
        below = "; below a floor the book runs on" if t.get("reachable") is False else ""
        print(
            f"{'met    ' if t['met'] else 'MISSED '} {t['target']}: {t['value']} "
            f"(<= {t['limit']}{bound}{below})"
        )
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": {str(n): r for n, r in sizes.items()},
        "real_book": real,
        "scaling": growth,
        "targets": found,
    }
    print()
    write_report(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
