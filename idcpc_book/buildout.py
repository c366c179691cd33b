"""Atomic output folders: a build writes into ``build/.staging/`` and its result replaces
``build/<target>`` only when it succeeded.

So a failed or killed build leaves the last good output as it was, never a half-built
folder that looks finished. The swap is two renames on one file system (the old folder
moves into the staging area, the new one into its place, then the old one is removed);
a build killed between the two leaves the old folder in the staging area, and the next
build puts it back (:func:`clean_stale`). Only a build that holds the checkout's lock
(:mod:`idcpc_book.buildlock`) calls these, so whatever is in the staging area then was
left by a build that is no longer running.

Standard library only: ``noxfile.py`` imports it outside the book's environment.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STAGING = ".staging"
_OLD = ".old"


def _remove(path: Path) -> None:
    """Remove a folder or file; ``OSError`` (naming what could not be removed) if it stays."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def clean_stale(build_dir: Path) -> None:
    """Put back an output a killed build had moved aside, and remove every other thing
    a killed build left in the staging area."""
    staging = build_dir / STAGING
    if not staging.is_dir():
        return
    for entry in sorted(staging.iterdir()):
        if entry.name.endswith(_OLD):
            target = build_dir / entry.name.removesuffix(_OLD).rsplit("-", 1)[0]
            if not target.exists():
                entry.rename(target)
                continue
        _remove(entry)


def stage(build_dir: Path, target: str) -> Path:
    """A new, empty staging folder for ``build/<target>`` (of this process)."""
    staged = build_dir / STAGING / f"{target}-{os.getpid()}"
    _remove(staged)
    staged.mkdir(parents=True)
    return staged


def publish(staged: Path, target: Path) -> None:
    """Move ``staged`` into ``target``'s place; the old ``target`` is removed after."""
    old = staged.with_name(f"{target.name}-{os.getpid()}{_OLD}")
    _remove(old)
    if target.exists() or target.is_symlink():
        target.rename(old)
    staged.rename(target)
    _remove(old)


def discard(staged: Path) -> None:
    """Remove a staging folder of a build that failed (what it wrote is not kept)."""
    shutil.rmtree(staged, ignore_errors=True)
