"""Time what a workaround module replaces, inside one build, instead of the whole build.

Whole-build timings (``perf/trial.py``) vary by a second or two between identical runs at
5000 claims, which is about the saving of the smaller modules. This script builds the
N-claim book in this process, once with each module and once without, and adds up the
time spent in the one function each module changes, measured around every call:

* ``pybtex_latex``: ``pybtex.richtext.Text.from_latex`` (LaTeX decoding of names and fields);
* ``needs_json``: ``sphinx_needs.needsfile.NeedsList.write_json`` (writing ``needs.json``).

Usage: ``python3 -m nox -s perf -- components --claims 5000``.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sphinx_needs.needsfile
from pybtex.richtext import Text
from sphinx.application import Sphinx

from idcpc_book.bench import generate
from idcpc_book.sphinxext import needs_json, pybtex_latex

REPO = Path(__file__).resolve().parents[1]


def _extensions(without: str) -> list[str]:
    conf: dict[str, Any] = {}
    path = REPO / "conf.py"
    exec(path.read_text(encoding="utf-8"), {"__file__": str(path)}, conf)
    return [e for e in conf["extensions"] if not e.endswith("." + without)]


class Timer:
    """Adds up the time spent in the wrapped callable."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1

        return timed


def build(docs: Path, out: Path, without: str) -> float:
    """A full strict HTML build in this process; its wall time."""
    start = time.perf_counter()
    app = Sphinx(str(docs), str(REPO), str(out), str(out / ".doctrees"), "html",
                 confoverrides={"extensions": _extensions(without)}, status=None,
                 warning=None, freshenv=True)  # fmt: skip
    app.build()
    return time.perf_counter() - start


def measure_latex(docs: Path, work: Path) -> None:
    original = pybtex_latex.from_latex
    for label, without in (("without", "pybtex_latex"), ("with pybtex_latex", "")):
        timer = Timer()
        if without:  # pybtex's own from_latex, timed
            Text.from_latex = classmethod(timer.wrap(pybtex_latex.ORIGINAL.__func__))  # type: ignore[method-assign]
        else:  # the extension's install() takes the module's (timed) function
            pybtex_latex.from_latex = timer.wrap(original)  # type: ignore[assignment]
        total = build(docs, work / label.replace(" ", "-"), without)
        print(f"Text.from_latex {label:20} {timer.seconds:6.2f} s in {timer.calls} calls "
              f"(build {total:5.1f} s)", flush=True)  # fmt: skip
    pybtex_latex.from_latex = original  # type: ignore[assignment]
    pybtex_latex.uninstall()


def measure_needs_json(docs: Path, work: Path) -> None:
    original = sphinx_needs.needsfile.NeedsList.write_json
    for label, without in (("with needs_json", ""), ("without", "needs_json")):
        if without:
            sphinx_needs.needsfile.json = __import__("json")  # type: ignore[attr-defined]
        timer = Timer()
        sphinx_needs.needsfile.NeedsList.write_json = timer.wrap(original)  # type: ignore[method-assign]
        total = build(docs, work / label.replace(" ", "-"), without)
        print(f"write_json      {label:20} {timer.seconds:6.2f} s in {timer.calls} calls "
              f"(build {total:5.1f} s)", flush=True)  # fmt: skip
        needs_json.install()
    sphinx_needs.needsfile.NeedsList.write_json = original  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=5000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="idcpc-components-"))
    try:
        docs = generate.write_book(work / "book", args.claims)
        measure_latex(docs, work / "latex")
        measure_needs_json(docs, work / "json")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
