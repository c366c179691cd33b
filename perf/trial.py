"""Put each workaround module on trial: what does the book save with it, at N claims?

Builds the N-claim synthetic book (``idcpc_book.bench.generate``) with the book's own
configuration, then again with each workaround module left out, one child process per
build, all in one run: a full strict HTML build and a rebuild after one chapter is edited.
Prints, for each module, the time and peak memory without it and what it saves (a
negative saving: the build is faster without it). Timings are noisy: compare within one
run. Usage (the HTML environment of nox has what it needs):

    python3 -m nox -s perf -- trial --claims 5000

``bibtex_memo`` builds on ``bibtex_index`` (its domain subclasses the index's), so the
index is tried together with the memo and its own share is the difference.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from idcpc_book.bench import generate
from idcpc_book.bench.measure import Run, sphinx, write_report

REPO = Path(__file__).resolve().parents[1]

#: What is tried: a label -> the extension modules left out together.
TRIALS: dict[str, tuple[str, ...]] = {
    "pybtex_plugins": ("pybtex_plugins",),
    "bibtex_memo": ("bibtex_memo",),
    "bibtex_index + bibtex_memo": ("bibtex_index", "bibtex_memo"),
    "gc_freeze": ("gc_freeze",),
    "need_dependents": ("need_dependents",),
}

_WRAPPER = '''"""The book's conf.py without some of its extensions (perf/trial.py)."""
import runpy

_conf = runpy.run_path({conf!r})
globals().update({{k: v for k, v in _conf.items() if not k.startswith("__")}})
from idcpc_book import ext
extensions = ext.without(extensions, {drop!r})
# paths that conf.py gives relative to its own folder
html_static_path = [{static!r}]
templates_path = [{templates!r}]
'''


def conf_dir(work: Path, label: str, drop: tuple[str, ...]) -> Path:
    """A folder with a ``conf.py`` that is the book's without ``drop`` (and the edition)."""
    folder = work / "conf" / label.replace(" ", "").replace("+", "-")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(
        _WRAPPER.format(
            conf=str(REPO / "conf.py"),
            drop=set(drop),
            static=str(REPO / "docs" / "_static"),
            templates=str(REPO / "docs" / "_templates"),
        ),
        encoding="utf-8",
    )
    shutil.copy(REPO / "pyproject.toml", folder / "pyproject.toml")  # the edition
    return folder


def measure(work: Path, n: int, label: str, conf: Path) -> dict[str, Run]:
    """Full build and one-chapter rebuild of a fresh copy of the N-claim book."""
    root = work / "book" / label.replace(" ", "").replace("+", "-")
    docs = generate.write_book(root, n)
    out = root / "build" / "html"
    full = sphinx(docs, out, "html", conf)
    generate.edit_chapter(docs)
    rebuild = sphinx(docs, out, "html", conf, fresh=False)
    print(
        f"{label:28} full {full.seconds:6.1f} s {full.peak_mb:5.0f} MB | "
        f"rebuild {rebuild.seconds:5.1f} s {rebuild.peak_mb:5.0f} MB",
        flush=True,
    )
    return {"full": full, "rebuild": rebuild}


def saving(base: Run, without: Run) -> dict[str, float]:
    """What the module saves: seconds and MB, and as a share of the build without it."""
    return {
        "seconds": round(without.seconds - base.seconds, 2),
        "seconds_pct": round(100 * (without.seconds - base.seconds) / without.seconds, 1),
        "peak_mb": round(without.peak_mb - base.peak_mb),
        "peak_pct": round(100 * (without.peak_mb - base.peak_mb) / without.peak_mb, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--only", nargs="+", choices=TRIALS, metavar="MODULE",
                        help=f"try only these (of: {', '.join(TRIALS)})")  # fmt: skip
    parser.add_argument("--json", type=Path, default=REPO / "build" / "trial.json")
    args = parser.parse_args(argv)
    trials = {label: TRIALS[label] for label in args.only or TRIALS}
    work = Path(tempfile.mkdtemp(prefix="idcpc-trial-"))
    try:
        warm = generate.write_book(work / "warm", 20)
        sphinx(warm, work / "warm" / "out", "html", REPO)  # bytecode caches
        base = measure(work, args.claims, "all modules", REPO)
        results: dict[str, Any] = {}
        for label, drop in trials.items():
            runs = measure(work, args.claims, f"without {label}", conf_dir(work, label, drop))
            results[label] = {step: saving(base[step], runs[step]) for step in base}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nSaved by each module at {args.claims} claims (share of the build without it):")
    for label, steps in results.items():
        full, rebuild = steps["full"], steps["rebuild"]
        print(
            f"  {label:28} full {full['seconds']:+6.2f} s ({full['seconds_pct']:+5.1f} %), "
            f"{full['peak_mb']:+4d} MB ({full['peak_pct']:+5.1f} %) | rebuild "
            f"{rebuild['seconds']:+6.2f} s ({rebuild['seconds_pct']:+5.1f} %), "
            f"{rebuild['peak_mb']:+4d} MB ({rebuild['peak_pct']:+5.1f} %)"
        )
    report = {
        "claims": args.claims,
        "base": {step: vars(run) for step, run in base.items()},
        "savings": results,
    }
    write_report(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
