"""``nox -s release -- <version> <as-of date>``: release and archive an edition.

In order, stopping at the first failure with a message and status 1:

1. refuse a version that is not newer than every archived one (or is archived already),
   an "as of" date that is not a date or is earlier than the last edition's, and a base
   URL that is still a placeholder (citations would point nowhere);
2. run the check (strict ``needs`` build and every checker rule): a failing book is not
   released;
3. set the version and "as of" date in ``pyproject.toml`` and regenerate ``CITATION.cff``;
4. build the HTML book and archive its exports as ``editions/<version>/``; build it
   again, now that the archive knows the edition, and archive that build's exports (whose
   claims then say "added in <version>"), with their checksum list.

Nothing is changed before step 3, so a refusal leaves the working tree as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from packaging.version import InvalidVersion, Version

from idcpc_book import archive, citation_cff, edition, sphinxbuild
from idcpc_book.checker import cli as checker
from idcpc_book.errors import InputError, InputErrors

#: Hosts reserved for examples and tests (RFC 2606, RFC 6761): not a real address.
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost")
PLACEHOLDER_TLDS = (".example", ".invalid", ".test", ".localhost")


def is_placeholder(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return (
        not host
        or any(host == h or host.endswith(f".{h}") for h in PLACEHOLDER_HOSTS)
        or host.endswith(PLACEHOLDER_TLDS)
    )


def refusals(root: Path, version: str, as_of: str) -> list[str]:
    """Why ``version`` as of ``as_of`` cannot be released from ``root`` (empty: it can)."""
    out = []
    try:
        wanted = Version(version)
    except InvalidVersion:
        return [f"{version!r} is not a version (e.g. 0.3.0)"]
    try:
        dt.date.fromisoformat(as_of)
    except ValueError:
        out.append(f"the 'as of' date must be YYYY-MM-DD; got {as_of!r}")
    try:
        archives = archive.load_all(root)
    except InputError as err:
        return [err.located(root)]
    for past in archives:
        if past.version == version:
            out.append(
                f"edition {version} is already archived in {archive.FOLDER}/{version}/; "
                "choose a new version"
            )
    if (
        archives
        and Version(archives[-1].version) >= wanted
        and version not in {a.version for a in archives}
    ):
        out.append(f"version {version} is not newer than the last edition, {archives[-1].version}")
    if archives and not out and as_of < archives[-1].as_of:
        out.append(f"as of {as_of} is earlier than the last edition's ({archives[-1].as_of})")
    try:
        current = edition.load(root / "pyproject.toml")
    except InputError as err:
        return [*out, err.located(root)]
    if is_placeholder(current.base_url):
        out.append(
            f"the base URL is a placeholder ({current.base_url}): set [tool.idcpc-book] "
            "base_url in pyproject.toml to where the book is published (README: Releasing "
            "an edition)"
        )
    return out


def set_edition(pyproject: Path, version: str, as_of: str) -> None:
    """Write ``version`` and ``as_of`` into ``pyproject.toml``, keeping everything else."""
    text = pyproject.read_text(encoding="utf-8")
    text, n = re.subn(r'(?m)^version = "[^"]*"', f'version = "{version}"', text, count=1)
    text, m = re.subn(r'(?m)^as_of = "[^"]*"', f'as_of = "{as_of}"', text, count=1)
    if (n, m) != (1, 1):
        raise InputError(pyproject, None, "no version or as_of line to set")
    pyproject.write_text(text, encoding="utf-8")


#: The book's configuration, used for a book without a ``conf.py`` of its own (a test book).
CONF_DIR = Path(__file__).resolve().parent.parent


def _sphinx(root: Path, builder: str, out: Path) -> bool:
    shutil.rmtree(out, ignore_errors=True)
    conf = root if (root / "conf.py").is_file() else CONF_DIR
    command = sphinxbuild.command(root / "docs", out, builder, conf_dir=conf)
    return subprocess.run(command, check=False).returncode == 0


def check(root: Path) -> bool:
    """The check of ``nox -s check``: a strict needs build, then every rule."""
    needs = root / "build" / "needs"
    if not _sphinx(root, "needs", needs):
        return False
    return checker.main(["--root", str(root), "--needs", str(needs / "needs.json")]) == 0


def archive_build(root: Path, version: str) -> Path:
    """Build the HTML book twice and archive the exports as edition ``version`` (see the
    module docstring, step 4)."""
    html = root / "build" / "html"
    target = archive.folder(root) / version
    for attempt in (1, 2):
        if not _sphinx(root, "html", html):
            shutil.rmtree(target, ignore_errors=True)
            raise InputError(html, None, f"the HTML build failed (pass {attempt})")
        shutil.rmtree(target, ignore_errors=True)
        archive.write(root, version, html / "exports")
    return target


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="release", description=__doc__.split("\n")[0])
    parser.add_argument("version", help="the new edition's version, e.g. 0.3.0")
    parser.add_argument("as_of", help="the date the book is current as of, YYYY-MM-DD")
    parser.add_argument("--root", type=Path, default=Path("."), help="book root (default: .)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    root: Path = args.root.resolve()
    reasons = refusals(root, args.version, args.as_of)
    for reason in reasons:
        print(f"release: refused: {reason}", file=sys.stderr)
    if reasons:
        return 1
    if not check(root):
        print("release: refused: the book fails its check (messages above)", file=sys.stderr)
        return 1
    try:
        set_edition(root / "pyproject.toml", args.version, args.as_of)
        if root == citation_cff.CFF_PATH.parent:
            citation_cff.main([])
        target = archive_build(root, args.version)
    except (InputError, InputErrors) as err:
        print(f"release: {err}", file=sys.stderr)
        return 1
    print(f"release: edition {args.version} (as of {args.as_of}) archived in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
