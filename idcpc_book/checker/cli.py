"""``check_citations``: run every rule over a built book.

Exit status: 0 when the book passes, 1 when a rule is broken, 2 when the input
cannot be used at all (missing needs.json, malformed refs.bib, bad UTF-8, ...).
``--format`` chooses how the problems are printed (:mod:`idcpc_book.checker.formats`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from idcpc_book.checker import formats, report, rules
from idcpc_book.checker.book import load
from idcpc_book.checker.problems import Problem
from idcpc_book.errors import InputError, InputErrors


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="check_citations", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="book root (default: .)")
    parser.add_argument(
        "--needs", type=Path, help="needs.json of a build (default: <root>/build/needs/needs.json)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report as JSON")
    parser.add_argument(
        "--format",
        choices=formats.FORMATS,
        default="text",
        help="how to print the problems: text (default), json, github (workflow "
        "annotations) or junit (JUnit XML)",
    )
    return parser.parse_args(argv)


def _print_lines(lines: list[str]) -> None:
    """Print the report; a reader that stops early (``| head``) is not an error.

    As the Python docs advise for SIGPIPE: the rest of the output goes to devnull, so
    the interpreter's final flush does not raise again.
    """
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    root: Path = args.root
    needs = args.needs or root / "build" / "needs" / "needs.json"
    try:
        book = load(root, needs)
    except (InputError, InputErrors) as err:
        errors = err.errors if isinstance(err, InputErrors) else [err]
        lines = formats.render(args.format, formats.input_problems(errors, root), None)
        if args.format == "text":
            print("\n".join(lines), file=sys.stderr)
        else:
            _print_lines(lines)
        if args.json and args.json.exists():  # a report of an earlier run would look current
            args.json.unlink()
            print(f"check_citations: removed the earlier report {args.json}", file=sys.stderr)
        return 2
    problems: list[Problem] = rules.check(book)
    info = report.summary(book, problems)
    _print_lines(formats.render(args.format, problems, info))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(report.as_json(problems, info), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
