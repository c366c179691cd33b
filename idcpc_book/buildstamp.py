"""The stamp of a successful HTML build: which inputs it read, so that the checker can
trust its data without a second build.

The HTML build writes ``needs.json`` and ``claim-texts.json``, all the checker reads.
``nox -s html`` records the digest of every input file and the Python environment
*before* it builds (``begin``: an edit during the build then makes the stamp stale, never
wrongly current) and, only when the build succeeded, adds the digests of those two
outputs and moves the stamp into place (``finish``), after the new build/html took the
old one's place; until then the last good build keeps its own stamp (a build killed
between the two leaves the old stamp beside the new outputs: stale, never wrongly
current). Links are hashed as the path they hold, never followed. ``nox -s check``
reuses the data when ``verify`` finds every input, the environment and both outputs
unchanged; anything else (no stamp, a failed or interrupted build, an edit) means a build.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

#: What the build reads, relative to the book root: files, and folders read whole.
INPUTS = (
    "conf.py",
    "noxfile.py",  # the build's command line
    "pyproject.toml",
    "refs.bib",
    "corrections.toml",
    "glossary.toml",
    "docs",
    "sources",
    "editions",
    "idcpc_book",
)
#: The HTML build's outputs the checker reads.
OUTPUTS = ("needs.json", "claim-texts.json")
OUTDIR = "build/html"
STAMP = "build/html-stamp.json"
PENDING = "build/html-stamp.pending.json"
_SKIPPED_DIRS = frozenset({"__pycache__"})


def _sha256(path: Path) -> str:
    """The digest of a file's bytes; of a symbolic link, of where it points (the build
    refuses a link in docs/ and sources/; what it points to is no input of this book)."""
    if path.is_symlink():
        return hashlib.sha256(b"symlink:" + os.fsencode(os.readlink(path))).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path) -> Iterator[Path]:
    for name in INPUTS:
        path = root / name
        if path.is_symlink() or path.is_file():
            yield path
        elif path.is_dir():
            for found in path.rglob("*"):  # does not descend into linked folders
                skipped = _SKIPPED_DIRS.intersection(found.relative_to(root).parts)
                linked_or_file = found.is_symlink() or found.is_file()
                if linked_or_file and not skipped and found.suffix != ".pyc":
                    yield found


@functools.cache
def package_digest() -> str:
    """A digest of the book's code (the package's ``.py`` files), once per process: what a
    build keeps for the next (the figures drawn, the exports' inputs) is not reused by
    other code."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_digests(root: Path) -> dict[str, str]:
    """Each input file (path relative to ``root``) and the SHA-256 of its bytes."""
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(_files(root))}


def environment() -> dict[str, str]:
    """The interpreter and every installed distribution with its version."""
    found = {"python": platform.python_version()}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[name.lower()] = dist.version
    return dict(sorted(found.items()))


def begin(root: Path) -> dict[str, Any]:
    """The stamp of the inputs as they are now, before the build reads them."""
    return {"environment": environment(), "inputs": input_digests(root)}


def finish(pending: dict[str, Any], outdir: Path) -> dict[str, Any]:
    """The pending stamp with the digests of the outputs the build wrote."""
    return {**pending, "outputs": {name: _sha256(outdir / name) for name in OUTPUTS}}


def _changed(what: str, old: dict[str, str], new: dict[str, str]) -> str | None:
    """The first difference between two digest maps, said for a reader, or None."""
    keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    if not keys:
        return None
    first = keys[0]
    if first not in new:
        said = f"{first} is gone"
    elif first not in old:
        said = f"{first} is new"
    else:
        said = f"{first} changed"
    more = f" (and {len(keys) - 1} more {what})" if len(keys) > 1 else ""
    return f"{said} since the HTML build{more}"


def stale_reason(root: Path, stamp_path: Path, outdir: Path) -> str | None:
    """Why the HTML build's data in ``outdir`` is not the book's now; None when it is."""
    rel = stamp_path.relative_to(root).as_posix() if stamp_path.is_relative_to(root) else stamp_path
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        inputs, env, outputs = stamp["inputs"], stamp["environment"], stamp["outputs"]
    except FileNotFoundError:
        return f"no stamp of a successful HTML build ({rel})"
    except (OSError, ValueError, KeyError, TypeError) as err:
        return f"its stamp {rel} is unreadable ({type(err).__name__})"
    for name in OUTPUTS:
        path = outdir / name
        if not path.is_file() or _sha256(path) != outputs.get(name):
            return f"{path.relative_to(root).as_posix()} is not the file the HTML build wrote"
    now = environment()
    if env != now:
        names = sorted(k for k in env.keys() | now.keys() if env.get(k) != now.get(k))
        return f"the Python environment differs from the HTML build's ({', '.join(names)})"
    return _changed("inputs", inputs, input_digests(root))


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``begin``: record the inputs; ``finish``: stamp the outputs of the build that
    succeeded; ``verify``: print ``current`` or ``stale: <why>`` (exit 0 or 1). A file
    that cannot be read or written: its path and the reason, exit 2."""
    parser = argparse.ArgumentParser(prog="buildstamp", description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("begin", "finish", "verify"))
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument(
        "--pending", type=Path, help=f"the pending stamp (default: <root>/{PENDING})"
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    stamp, outdir = root / STAMP, root / OUTDIR
    pending: Path = root / (args.pending or PENDING)
    try:
        if args.step == "begin":
            # The last good build's stamp stays until this build replaced build/html.
            _write(pending, begin(root))
            return 0
        if args.step == "finish":
            _write(pending, finish(json.loads(pending.read_text(encoding="utf-8")), outdir))
            pending.replace(stamp)
            return 0
    except OSError as err:
        print(f"buildstamp: {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    reason = stale_reason(root, stamp, outdir)
    print("current" if reason is None else f"stale: {reason}")
    return 0 if reason is None else 1


if __name__ == "__main__":
    sys.exit(main())
