"""Take the build apart: what do sphinx-needs' data, its configuration and its drawing cost?

Builds, in one run and one child process each, the same N-claim book (ten chapters, the
claims dealt round them, a sources page) in layers, from plain text to the book:

1. ``plain``: the sentences as plain MyST paragraphs (the benchmark's floor);
1a. ``directives``: each sentence inside a docutils ``container`` directive, the same
   ``:::`` fence the needs use, so MyST's directive parsing is counted apart;
2. ``needs hidden``: each a sphinx-needs need with ``:hide:``, ID only: sphinx-needs
   stores the need and never parses its content;
3. ``needs undrawn, ID only``: each need's content parsed, then the node replaced by
   that content (no layout);
3a. ``hidden, parsed by the book``: as 3, but each need recorded hidden by the book's
   ``claim``/``source`` directive, which parses the content itself, once
   (``idcpc_book.ext.book.prose.DrawnNeedDirective``), then unwrapped as in 3;
4. ``+ fields and links``: the book's need model (fields, ``cites`` links, schema) and
   every claim's options, still undrawn, no ``needs.json``;
5. ``+ needs.json``: the same with ``needs_build_json`` (the benchmark's needs floor);
5a. ``+ needs.json, hidden, book``: as 5, through the book's directive as in 3a;
6. ``drawn: default layout``: as 5, but sphinx-needs draws each need (its table);
7. ``drawn: former book layout``: as 6 with the layout the book used until December
   2026 (``content_side_right``, the ID in the side cell);
8. ``+ citations``: as 5 plus sphinxcontrib-bibtex: a citation per claim and a
   bibliography (the benchmark's libraries floor);
9. ``book``: the synthetic book with the book's conf.py (drawn as prose, apparatus pages).

Each line gives the time, CPU time and peak memory, and the ratios to ``plain``; the
difference between two lines is what one layer costs. Usage:

    python3 -m nox -s perf -- layers --claims 5000
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from idcpc_book.bench import generate
from idcpc_book.bench.measure import Run, sphinx, write_report

REPO = Path(__file__).resolve().parents[1]

_OPTION = re.compile(r"^:(cites|kind|status|quote): .*\n", re.MULTILINE)  # a need's fields
_NEED_FENCE = re.compile(r"^:::\{(claim|source)\}\n", re.MULTILINE)
_UNDRAW = 'app.connect("doctree-read", _undraw, priority=600)'
_FORMER_LAYOUT = (
    "needs_default_layout = 'claim'\n"
    "needs_layouts = {'claim': {'grid': 'content_side_right', "
    "'layout': {'side': ['<<meta_id()>>']}}}\n"
)


def _edit(docs: Path, pattern: re.Pattern[str] | None = None, repl: str = "",
          conf: Callable[[str], str] = str) -> None:  # fmt: skip
    """Rewrite the chapters and sources page (``pattern`` -> ``repl``) and the conf.py."""
    if pattern is not None:
        for page in [*docs.glob("chapter*.md"), docs / "sources.md"]:
            page.write_text(pattern.sub(repl, page.read_text(encoding="utf-8")), "utf-8")
    path = docs / "conf.py"
    path.write_text(conf(path.read_text(encoding="utf-8")), encoding="utf-8")


#: The needs floor's configuration of the claim model (``generate.NEEDS_FLOOR_CONF``).
_SETTINGS = "globals().update(model.needs_settings())"


def _settings(conf: str, lines: str) -> str:
    """``conf`` with ``lines`` set after the claim model's settings."""
    assert _SETTINGS in conf, "the needs floor's conf.py no longer reads model.needs_settings()"
    return conf.replace(_SETTINGS, f"{_SETTINGS}\n{lines}")


def _no_json(conf: str) -> str:
    return _settings(conf, "needs_build_json = False")


def _no_model(conf: str) -> str:
    """No fields, links or schema: the need types alone."""
    types = "[{k: v for k, v in t.items() if k != 'fields'} for t in model.needs_types()]"
    no_model = "needs_fields = {}\nneeds_links = {}\nneeds_schema_definitions = {}"
    return _no_json(_settings(conf, f"{no_model}\nneeds_types = {types}"))


def _drawn(conf: str) -> str:
    return conf.replace(_UNDRAW, "pass")


#: The book's own directive for claims and sources (3a, 5a), its content node unwrapped.
_OWN_PARSE = """
from idcpc_book.ext.book.prose import CLASSES, DrawnNeedDirective, need_content


def _own_directives(app):
    for name in CLASSES:
        app.add_directive(name, DrawnNeedDirective, override=True)


def _unwrap(app, doctree):
    for node in list(doctree.findall(need_content)):
        node.parent.replace(node, node.children)
"""


def _own_parse(conf: str) -> str:
    """Claims and sources recorded hidden, their content parsed by the book's directive."""
    setup = (
        f'{_UNDRAW}\n    app.connect("builder-inited", _own_directives)'
        '\n    app.connect("doctree-read", _unwrap, priority=600)'
    )
    return conf.replace(_UNDRAW, setup).replace("\n\ndef _undraw", _OWN_PARSE + "\n\ndef _undraw")


def layers(work: Path, n: int) -> list[tuple[str, Path, Path | None]]:
    """Write every layer's project; (label, source folder, conf folder or None)."""
    out: list[tuple[str, Path, Path | None]] = []

    def needs(name: str) -> Path:
        return generate.write_needs_floor(work / name, n)

    out.append(("plain", generate.write_floor(work / "plain", n), None))
    fenced = needs("directives")
    _edit(fenced, _NEED_FENCE, ":::{container}\n")
    _edit(fenced, _OPTION, "", _no_model)
    _edit(fenced, re.compile(r"^:id: .*\n", re.MULTILINE), "")
    out.append(("directives, no sphinx-needs", fenced, None))
    hidden = needs("hidden")
    _edit(hidden, _OPTION, "", _no_model)
    _edit(hidden, re.compile(r"^(:id: .*\n)", re.MULTILINE), r"\1:hide:\n")
    out.append(("needs hidden", hidden, None))
    bare = needs("bare")
    _edit(bare, _OPTION, "", _no_model)
    out.append(("needs undrawn, ID only", bare, None))
    own = needs("own")
    _edit(own, _OPTION, "", lambda c: _own_parse(_no_model(c)))
    out.append(("hidden, parsed by the book", own, None))
    fields = needs("fields")
    _edit(fields, conf=_no_json)
    out.append(("+ fields and links", fields, None))
    out.append(("+ needs.json", needs("json"), None))
    own_json = needs("own-json")
    _edit(own_json, conf=_own_parse)
    out.append(("+ needs.json, hidden, book", own_json, None))
    drawn = needs("drawn")
    _edit(drawn, conf=_drawn)
    out.append(("drawn: default layout", drawn, None))
    former = needs("former")
    _edit(former, conf=lambda c: _drawn(c) + _FORMER_LAYOUT)
    out.append(("drawn: former book layout", former, None))
    out.append(("+ citations", generate.write_libraries_floor(work / "libraries", n), None))
    out.append(("book", generate.write_book(work / "book", n), REPO))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--json", type=Path, default=REPO / "build" / "layers.json")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="idcpc-layers-"))
    results: dict[str, dict[str, float]] = {}
    try:
        warm = generate.write_book(work / "warm", 20)
        sphinx(warm, work / "warm" / "out", "html", REPO)  # bytecode caches
        plain: Run | None = None
        for label, docs, conf in layers(work, args.claims):
            run = sphinx(docs, docs.parent / "out", "html", conf)
            plain = plain or run
            results[label] = {
                "seconds": round(run.seconds, 2),
                "cpu_seconds": round(run.cpu_seconds, 2),
                "peak_mb": round(run.peak_mb),
                "ratio": round(run.seconds / plain.seconds, 2),
                "memory_ratio": round(run.peak_mb / plain.peak_mb, 2),
            }
            r = results[label]
            print(
                f"{label:28} {r['seconds']:6.2f} s (CPU {r['cpu_seconds']:6.2f} s) "
                f"{r['peak_mb']:5d} MB  {r['ratio']:5.2f}x  {r['memory_ratio']:5.2f}x mem",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_report(args.json, {"claims": args.claims, "layers": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
