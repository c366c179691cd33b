"""``nox -s bench``: build synthetic books of N claims and their floors; print and save.

For each size N: full strict HTML build of the book, of its floor and of its
sphinx-needs floor (the libraries alone: see :mod:`idcpc_book.bench.generate`), an
incremental rebuild of each after editing one chapter, the checker on the book, and
(N <= --pdf-max) the PDF of the book and its floor. Then the real book: HTML, PDF
and the checker. Every build runs in its own child process (wall time, peak memory).
Timings are noisy on a shared machine: compare ratios from one run, not figures from
different runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from idcpc_book.bench import generate
from idcpc_book.bench.measure import Run, StepFailed, checker, sphinx

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


def _pair(book: Run, floor: Run | None, needs: Run | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "seconds": round(book.seconds, 2),
        "cpu_seconds": round(book.cpu_seconds, 2),
        "peak_mb": round(book.peak_mb),
    }
    if floor is not None:
        row["floor_seconds"] = round(floor.seconds, 2)
        row["floor_cpu_seconds"] = round(floor.cpu_seconds, 2)
        row["floor_peak_mb"] = round(floor.peak_mb)
        row["ratio"] = round(book.seconds / floor.seconds, 2)
        row["cpu_ratio"] = round(book.cpu_seconds / floor.cpu_seconds, 2)
        row["memory_ratio"] = round(book.peak_mb / floor.peak_mb, 2)
    if floor is not None and needs is not None:
        # The least any book on these libraries can take, as a ratio to the floor.
        row["needs_seconds"] = round(needs.seconds, 2)
        row["needs_cpu_seconds"] = round(needs.cpu_seconds, 2)
        row["needs_peak_mb"] = round(needs.peak_mb)
        row["needs_ratio"] = round(needs.seconds / floor.seconds, 2)
        row["needs_memory_ratio"] = round(needs.peak_mb / floor.peak_mb, 2)
    return row


def bench_size(n: int, work: Path, pdf: bool) -> dict[str, Any]:
    """Every measurement for the N-claim book, its floor and its sphinx-needs floor."""
    book_root, floor_root, needs_root = (work / f"{k}-{n}" for k in ("book", "floor", "needs"))
    _progress(f"N={n}: generating book, floor and sphinx-needs floor in {work}")
    docs = generate.write_book(book_root, n)
    floor_docs = generate.write_floor(floor_root, n)
    needs_docs = generate.write_needs_floor(needs_root, n)
    html = book_root / "build" / "html"
    floor_html, needs_html = floor_root / "build" / "html", needs_root / "build" / "html"
    result: dict[str, Any] = {"claims": n}
    book = _step(f"N={n} book: full HTML", sphinx, docs, html, "html", REPO)
    floor = _step(f"N={n} floor: full HTML", sphinx, floor_docs, floor_html, "html", None)
    needs = _step(f"N={n} sphinx-needs floor: full HTML", sphinx, needs_docs, needs_html, "html",
                  None)  # fmt: skip
    result["html"] = _pair(book, floor, needs)
    for folder in (docs, floor_docs, needs_docs):
        generate.edit_chapter(folder)
    book = _step(f"N={n} book: incremental HTML", sphinx, docs, html, "html", REPO, fresh=False)
    floor = _step(
        f"N={n} floor: incremental HTML", sphinx, floor_docs, floor_html, "html", None, fresh=False
    )
    needs = _step(
        f"N={n} sphinx-needs floor: incremental HTML", sphinx, needs_docs, needs_html, "html",
        None, fresh=False,
    )  # fmt: skip
    result["incremental"] = _pair(book, floor, needs)
    result["check"] = _pair(_step(f"N={n} checker", checker, book_root, html / "needs.json"), None)
    if pdf:
        book = _step(
            f"N={n} book: PDF", sphinx, docs, book_root / "build" / "pdf", "simplepdf", REPO
        )
        floor = _step(
            f"N={n} floor: PDF", sphinx, floor_docs, floor_root / "build" / "pdf", "simplepdf",
            floor_root / "pdf-conf",
        )  # fmt: skip
        result["pdf"] = _pair(book, floor)
    return result


def bench_real(work: Path, pdf: bool) -> dict[str, Any]:
    """The real book: strict HTML, PDF and the checker."""
    out = work / "real"
    result: dict[str, Any] = {}
    result["html"] = _pair(
        _step("real book: full HTML", sphinx, REPO / "docs", out / "html", "html", REPO), None
    )
    result["check"] = _pair(
        _step("real book: checker", checker, REPO, out / "html" / "needs.json"), None
    )
    if pdf:
        result["pdf"] = _pair(
            _step("real book: PDF", sphinx, REPO / "docs", out / "pdf", "simplepdf", REPO), None
        )
    return result


def targets(sizes: dict[int, dict[str, Any]], real: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The issue's targets that this run can judge: value, limit, met, and for the ratios
    to the floor the ``bound``: the sphinx-needs floor's own ratio, which no book on
    these libraries can go below."""
    found: list[dict[str, Any]] = []

    def target(name: str, value: float, limit: float, bound: float | None = None) -> None:
        entry = {"target": name, "value": value, "limit": limit, "met": value <= limit}
        if bound is not None:
            entry["bound"] = bound
        found.append(entry)

    if 5000 in sizes:
        big = sizes[5000]
        html, incremental = big["html"], big["incremental"]
        target("5000 claims: full HTML / floor", html["ratio"], 2.0, html.get("needs_ratio"))
        target(
            "5000 claims: incremental / floor's", incremental["ratio"], 1.5,
            incremental.get("needs_ratio"),
        )  # fmt: skip
        target("5000 claims: checker (s)", big["check"]["seconds"], 2.0)
        target(
            "5000 claims: peak memory / floor's", html["memory_ratio"], 2.0,
            html.get("needs_memory_ratio"),
        )  # fmt: skip
        if 1000 in sizes:
            growth = big["check"]["seconds"] / sizes[1000]["check"]["seconds"]
            target("checker 5000 / 1000 claims", round(growth, 2), 5.5)
    if real:
        target("real book: checker (s)", real["check"]["seconds"], 0.5)
        if "pdf" in real:
            target("real book: PDF (s)", real["pdf"]["seconds"], 30.0)
    return found


def table(sizes: dict[int, dict[str, Any]], real: dict[str, Any] | None) -> list[str]:
    """The results as a Markdown table (pasted into the README).

    "needs floor" is the sphinx-needs floor: the same claims and sources as needs, with
    the libraries alone; its ratio to the floor is the least the book's could be."""
    lines = [
        "| claims | step | book | floor | ratio | CPU ratio | needs floor | its ratio "
        "| book peak | floor peak | ratio | needs floor peak | its ratio |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    steps = (("html", "full HTML"), ("incremental", "edit one chapter"), ("check", "checker"),
             ("pdf", "PDF"))  # fmt: skip

    def row(label: str, step: str, r: dict[str, Any]) -> str:
        if "ratio" in r:
            needs = ("| | |", "| | |")
            if "needs_ratio" in r:
                needs = (
                    f"| {r['needs_seconds']:.1f} s | {r['needs_ratio']:.2f}x |",
                    f"| {r['needs_peak_mb']} MB | {r['needs_memory_ratio']:.2f}x |",
                )
            return (
                f"| {label} | {step} | {r['seconds']:.1f} s | {r['floor_seconds']:.1f} s | "
                f"{r['ratio']:.2f}x | {r['cpu_ratio']:.2f}x {needs[0]} {r['peak_mb']} MB | "
                f"{r['floor_peak_mb']} MB | {r['memory_ratio']:.2f}x {needs[1]}"
            )
        return (
            f"| {label} | {step} | {r['seconds']:.2f} s (CPU {r['cpu_seconds']:.2f} s) | | | | "
            f"| | {r['peak_mb']} MB | | | | |"
        )

    for n, result in sizes.items():
        lines += [row(str(n), name, result[key]) for key, name in steps if key in result]
    if real:
        lines += [row("real book", name, real[key]) for key, name in steps if key in real]
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
    print()
    print("\n".join(table(sizes, real)))
    print()
    for t in found:
        bound = f"; sphinx-needs floor alone: {t['bound']}" if "bound" in t else ""
        print(
            f"{'met    ' if t['met'] else 'MISSED '} {t['target']}: {t['value']} "
            f"(<= {t['limit']}{bound})"
        )
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": {str(n): r for n, r in sizes.items()},
        "real_book": real,
        "targets": found,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
