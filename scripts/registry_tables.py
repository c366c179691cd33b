#!/usr/bin/env python3
"""Rewrite the README's tables of the checker's rules, the figures and the exports from
their registries (``--check``: exit 1, naming the stale tables, without writing).

Usage: ``python scripts/registry_tables.py [--check] [--readme FILE]``; see
``idcpc_book/registry_tables.py``.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from idcpc_book.registry_tables import COMMAND, stale, sync

README = Path(__file__).resolve().parent.parent / "README.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables")
    parser.add_argument("--readme", type=Path, default=README, help="default: the book's")
    args = parser.parse_args(argv)
    readme: Path = args.readme
    text = readme.read_text(encoding="utf-8")
    if args.check:
        names = stale(text)
        if names:
            print(f"{readme.name}: stale tables: {', '.join(names)} (run {COMMAND})")
        return 1 if names else 0
    readme.write_text(sync(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
