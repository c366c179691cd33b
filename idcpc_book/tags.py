"""Release tags: ``v<version>`` marks the commit that archived each edition.

The release commits the edition it archived and tags that commit (an annotated tag whose
message carries the manifest's SHA-256); the history rule compares each archived edition
with the one its tag holds, so an edition rewritten in a later commit, with consistent
checksums and links, still differs from its tag. A missing tag is no fault (a shallow CI
clone has none); a book that is not the top of a git checkout has no tags at all. Git is
run with ``git -C <root>``, without a terminal, and with a timeout: never on the network.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from idcpc_book import archive
from idcpc_book.archive import Archive

#: Seconds any one git command may take.
TIMEOUT = 60


class GitError(Exception):
    """A git command that failed, with its message."""


def _git(root: Path, args: Sequence[str]) -> subprocess.CompletedProcess[bytes] | None:
    """``git -C root <args>``; None when git is not installed or did not answer in time."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT, env=env,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None


def _run(root: Path, args: Sequence[str]) -> str:
    done = _git(root, args)
    if done is None or done.returncode:
        why = "git did not run" if done is None else done.stderr.decode(errors="replace").strip()
        raise GitError(f"git {' '.join(args)}: {why}")
    return done.stdout.decode(errors="replace")


def is_checkout(root: Path) -> bool:
    """Whether ``root`` is the top folder of a git checkout (where its tags can be read)."""
    done = _git(root, ["rev-parse", "--show-toplevel"])
    if done is None or done.returncode:
        return False
    top = done.stdout.decode(errors="replace").strip()
    return bool(top) and Path(top).resolve() == root.resolve()


def tag_name(version: str) -> str:
    return f"v{version}"


def commit_and_tag(root: Path, version: str, paths: Iterable[Path]) -> str:
    """Commit ``paths`` (the release's files, nothing else staged) and tag the commit
    ``v<version>``, its message naming the manifest's SHA-256; that digest is returned.

    Raises :class:`GitError` when git refuses (e.g. no user name is configured)."""
    target = archive.folder(root) / version
    digest = archive.sha256(target / archive.SUMS)
    names = [str(p.resolve().relative_to(root.resolve())) for p in paths if p.exists()]
    message = f"Edition {version}, archived in {archive.FOLDER}/{version}/"
    _run(root, ["add", "--", *names])
    # the check ran before the release; the hook would only run it again
    _run(root, ["commit", "--no-verify", "--quiet", "-m", message, "--only", "--", *names])
    note = f"{message}\n\n{archive.FOLDER}/{version}/{archive.SUMS} SHA-256 {digest}"
    _run(root, ["tag", "-a", tag_name(version), "-m", note])
    return digest


def mismatches(root: Path, archives: Iterable[Archive]) -> list[tuple[Path, str, str]]:
    """``(file, version, message)`` for each archived file that differs from its release
    tag (an edition without a tag, or a book outside git, is not compared)."""
    archives = list(archives)
    if not archives or not is_checkout(root):
        return []
    found = []
    for edition in archives:
        tag = tag_name(edition.version)
        done = _git(root, ["rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}"])
        if done is None or done.returncode:
            continue  # no tag: nothing to compare with
        prefix = f"{archive.FOLDER}/{edition.version}/"
        listing = _git(root, ["ls-tree", "--name-only", f"{tag}:{prefix}"])
        tagged = set() if listing is None or listing.returncode else set(
            listing.stdout.decode(errors="replace").split()
        )  # fmt: skip
        here = {p.name for p in edition.path.iterdir() if p.is_file()}
        for name in sorted(tagged | here):
            path = edition.path / name
            if name not in here:
                found.append((path, edition.version, f"missing, but tag {tag} has it: the "
                              "archived edition was changed after it was released"))  # fmt: skip
                continue
            if name not in tagged:
                found.append((path, edition.version, f"not in tag {tag}: the archived edition "
                              "was changed after it was released"))  # fmt: skip
                continue
            shown = _git(root, ["show", f"{tag}:{prefix}{name}"])
            if shown is None or shown.returncode or shown.stdout != path.read_bytes():
                found.append((path, edition.version, (
                    f"differs from the file tag {tag} holds ({tag}:{prefix}{name}): the "
                    "archived edition was changed after it was released (restore it with "
                    f"git checkout {tag} -- {prefix})"
                )))  # fmt: skip
    return found
