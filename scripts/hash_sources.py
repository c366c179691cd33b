#!/usr/bin/env python3
"""Write (or check) the SHA-256 of each archived record's text into its header.

Usage::

    python scripts/hash_sources.py [--root .] [--check] [KEY ...]

Without keys, every ``sources/*.txt`` is processed. Writing is idempotent: a record
whose hash is already right is left byte for byte as it is. ``--check`` writes
nothing and exits 1 if any record's hash is missing or wrong. Exit 2: a key given is
not a bib key (a path is refused, so nothing is written outside ``sources/``; nothing
is processed), or a record is unusable (not UTF-8, a symbolic link, no ``+++`` header,
unknown key): it is reported as ``path:line: message`` and the others are processed.

Run it only after checking that the changed text is what the source says: the hash
is what makes the archive tamper-evident (see ``idcpc_book/inputs/records.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from idcpc_book.errors import InputError
from idcpc_book.inputs.records import BIBKEY_RE, read_record, record_paths, stamp_hash


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hash_sources", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="book root (default: .)")
    parser.add_argument("--check", action="store_true", help="report stale hashes, write nothing")
    parser.add_argument("keys", nargs="*", help="bib keys of the records (default: all)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    # A key is a file name in sources/, never a path: nothing is written outside it.
    bad = [key for key in args.keys if not BIBKEY_RE.match(key)]
    if bad:
        print(
            f"hash_sources: {bad[0]!r} is not a bib key (lower-case letters and digits, "
            "starting with a letter): give the key of a record in sources/, not a path",
            file=sys.stderr,
        )
        return 2
    sources = args.root / "sources"
    paths = [sources / f"{key}.txt" for key in args.keys] or record_paths(sources)
    stale: list[str] = []
    broken = False
    for path in paths:
        shown = path.relative_to(args.root) if path.is_relative_to(args.root) else path
        try:
            read_record(path)  # the same validation as the build and the checker
            raw = path.read_bytes().decode("utf-8")
        except InputError as err:
            print(f"hash_sources: {err.located(args.root)}", file=sys.stderr)
            broken = True
            continue
        stamped = stamp_hash(raw)
        if stamped == raw:
            continue
        stale.append(str(shown))
        if not args.check:
            path.write_bytes(stamped.encode("utf-8"))
    verb = "stale" if args.check else "hashed"
    for name in stale:
        print(f"{verb}: {name}")
    print(f"{len(paths)} record(s), {len(stale)} {verb}")
    if broken:
        return 2
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
