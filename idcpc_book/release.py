"""``nox -s release -- <version> <as-of date>``: release and archive an edition.

In order, stopping at the first failure with a message and status 1:

1. refuse a version that is not newer than every archived one (or is archived already),
   an "as of" date that is not a date or is earlier than the last edition's, and a base
   URL that is still a placeholder (citations would point nowhere);
2. run the check (strict ``needs`` build and every checker rule): a failing book is not
   released;
3. copy the book to a staging area (``build/release/book``), set the version and "as of"
   date in the copy's ``pyproject.toml``, build its HTML book and archive the exports as
   its ``editions/<version>/``; build it again, now that the archive knows the edition,
   and archive that build's exports (whose claims then say "added in <version>"), with
   their checksum list and the link to the edition before (``PREVIOUS``); build it a
   third time for the HTML to publish (its changes page prints the final manifest's
   digest), whose exports must equal the archived ones;
4. only then, with a journal (``build/release/JOURNAL``) saying so: move the edition
   into ``editions/``, set the version and date in ``pyproject.toml``, regenerate
   ``CITATION.cff``, put the staged HTML build in ``build/html``; remove the journal;
5. in a git checkout, commit those files and tag the commit ``v<version>`` (its message
   carries the manifest's SHA-256); outside one, say that nothing was tagged.

The book itself is not changed before step 4, so a refusal or a failed build leaves it
as it was. A release interrupted in step 4 (killed) leaves its journal: the next run of
the release finishes it first, and the check reports the version older than the last
edition meanwhile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

from idcpc_book import archive, buildout, citation_cff, edition, history, sphinxbuild, tags
from idcpc_book.checker import cli as checker
from idcpc_book.edition import is_placeholder
from idcpc_book.errors import InputError, InputErrors


def refusals(root: Path, version: str, as_of: str) -> list[str]:
    """Why ``version`` as of ``as_of`` cannot be released from ``root`` (empty: it can)."""
    out = []
    try:
        wanted = Version(version)
    except InvalidVersion:
        return [f"{version!r} is not a version (e.g. 0.3.0)"]
    if str(wanted) != version:  # the edition loader accepts only the canonical spelling
        return [f"{version!r} is not written canonically: write {str(wanted)!r}"]
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
        current = edition.load(root / "pyproject.toml", environ={})
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
    _replace(pyproject, text)


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` at once: a kill leaves the old file or the new one."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


#: The book's configuration, used for a book without a ``conf.py`` of its own (a test book).
CONF_DIR = Path(__file__).resolve().parent.parent


def _sphinx(root: Path, builder: str, out: Path, options: tuple[str, ...] = ()) -> bool:
    shutil.rmtree(out, ignore_errors=True)
    conf = root if (root / "conf.py").is_file() else CONF_DIR
    command = sphinxbuild.command(root / "docs", out, builder, conf_dir=conf, options=options)
    return subprocess.run(command, check=False).returncode == 0


def check(root: Path) -> bool:
    """The check of ``nox -s check``: a strict needs build (its own run of the rules off:
    the checker reports them), then every rule."""
    needs = root / "build" / "needs"
    if not _sphinx(root, "needs", needs, sphinxbuild.VERDICT_OFF):
        return False
    return checker.main(["--root", str(root), "--needs", str(needs / "needs.json")]) == 0


def archive_build(root: Path, version: str) -> Path:
    """Build the HTML book (twice) and archive the exports as edition ``version`` (see the
    module docstring, step 3); ``root`` is the staged copy. A third build gives the HTML
    to publish, whose changes page prints the archived manifest's digest: its exports must
    be the archived ones."""
    html = root / "build" / "html"
    target = archive.folder(root) / version
    for attempt in (1, 2, 3):
        if not _sphinx(root, "html", html):
            raise InputError(html, None, f"the HTML build failed (pass {attempt})")
        if attempt < 3:
            shutil.rmtree(target, ignore_errors=True)
            archive.write(root, version, html / "exports")
    for name in archive.FILES:
        if (html / "exports" / name).read_bytes() != (target / name).read_bytes():
            raise InputError(html / "exports" / name, None, (
                "differs from the archived edition's copy although nothing changed between "
                "the builds: the build is not reproducible"
            ))  # fmt: skip
    return target


#: Where a release is built before anything in the book changes, and its journal.
STAGING = Path("build") / "release"
JOURNAL = "JOURNAL"
#: What the staged copy leaves out: outputs, environments, caches, version control.
_NOT_STAGED = shutil.ignore_patterns(
    "build", ".nox", ".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache",
    ".ruff_cache", ".hypothesis",
)  # fmt: skip


def stage(root: Path) -> Path:
    """A fresh copy of the book in ``build/release/book``, to release from."""
    staging = root / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    if staging.exists():
        raise InputError(staging, None, "cannot remove the last release's staging area")
    copy = staging / "book"
    shutil.copytree(root, copy, ignore=_NOT_STAGED, symlinks=True)
    return copy


def commit(root: Path, version: str, as_of: str) -> Path:
    """Step 4: move the staged edition and build into the book, after writing the journal
    that lets a re-run finish it; each step may run again."""
    staging = root / STAGING
    journal = staging / JOURNAL
    staging.mkdir(parents=True, exist_ok=True)
    if not journal.is_file():
        _replace(journal, json.dumps({"version": version, "as_of": as_of}) + "\n")
    target = archive.folder(root) / version
    staged = staging / "book" / archive.FOLDER / version
    if not target.exists():
        _move_edition(staged, target)
    _set_version(root, version, as_of)
    html = staging / "book" / "build" / "html"
    if html.is_dir():  # swapped in whole: a kill here leaves the last good build/html
        (root / "build").mkdir(exist_ok=True)
        buildout.publish(html, root / "build" / "html")
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return target


def _move_edition(staged: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged, target)  # a rename within the book's file system: at once


def _set_version(root: Path, version: str, as_of: str) -> None:
    set_edition(root / "pyproject.toml", version, as_of)
    if root == citation_cff.CFF_PATH.parent:
        citation_cff.main([])


def interrupted(root: Path) -> tuple[str, str] | None:
    """``(version, as of)`` of a release whose step 4 was interrupted: from its journal, or
    (the journal removed with ``build/``) the last edition when the version is older."""
    journal = root / STAGING / JOURNAL
    if not journal.is_file():
        if not (root / "pyproject.toml").is_file():
            return None
        try:
            latest = (archive.load_all(root) or [None])[-1]
            current = edition.load(root / "pyproject.toml", environ={})
        except InputError:  # the refusals report it
            return None
        older = latest is not None and history.version_fault_of(current.version, latest.version)
        return (latest.version, latest.as_of) if latest is not None and older else None
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        return str(data["version"]), str(data["as_of"])
    except (ValueError, KeyError, TypeError):
        raise InputError(journal, None, "not a release's journal: remove build/release") from None


def _tag(root: Path, version: str) -> int:
    """Step 5: commit and tag the release in a git checkout."""
    if not tags.is_checkout(root):
        print(f"release: {root} is not the top of a git checkout: edition {version} was "
              "neither committed nor tagged")  # fmt: skip
        return 0
    files = [archive.folder(root) / version, root / "pyproject.toml"]
    if root == citation_cff.CFF_PATH.parent:
        files.append(citation_cff.CFF_PATH)
    try:
        digest = tags.commit_and_tag(root, version, files)
    except tags.GitError as err:
        print(
            f"release: edition {version} is archived, but not committed and tagged: {err}; "
            f"commit it, then: git tag -a {tags.tag_name(version)} -m 'Edition {version}'",
            file=sys.stderr,
        )
        return 1
    print(f"release: committed and tagged {tags.tag_name(version)} (SHA256SUMS {digest})")
    return 0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="release", description=__doc__.split("\n")[0])
    parser.add_argument("version", help="the new edition's version, e.g. 0.3.0")
    parser.add_argument("as_of", help="the date the book is current as of, YYYY-MM-DD")
    parser.add_argument("--root", type=Path, default=Path("."), help="book root (default: .)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    root: Path = args.root.resolve()
    try:
        pending = interrupted(root)
        if pending is not None:
            commit(root, *pending)
            print(f"release: finished the interrupted release of edition {pending[0]}")
    except (InputError, InputErrors, OSError) as err:
        print(f"release: {err}", file=sys.stderr)
        return 1
    if pending is not None and pending[0] == args.version:
        return _tag(root, args.version)
    reasons = refusals(root, args.version, args.as_of)
    for reason in reasons:
        print(f"release: refused: {reason}", file=sys.stderr)
    if reasons:
        return 1
    if not check(root):
        print("release: refused: the book fails its check (messages above)", file=sys.stderr)
        return 1
    try:
        copy = stage(root)
        set_edition(copy / "pyproject.toml", args.version, args.as_of)
        archive_build(copy, args.version)
    except (InputError, InputErrors, OSError) as err:
        shutil.rmtree(root / STAGING, ignore_errors=True)
        print(f"release: {err}; the book is unchanged", file=sys.stderr)
        return 1
    try:
        target = commit(root, args.version, args.as_of)
    except OSError as err:
        print(f"release: interrupted while moving edition {args.version} into the book: "
              f"{err}; run the release again to finish it", file=sys.stderr)  # fmt: skip
        return 1
    print(f"release: edition {args.version} (as of {args.as_of}) archived in {target}")
    return _tag(root, args.version)


if __name__ == "__main__":
    sys.exit(main())
