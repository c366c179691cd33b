"""One build at a time per checkout: ``build/.lock``.

Two builds writing ``build/`` at once would replace each other's folders half-way (and
used to crash on each other's files). Every nox session that writes ``build/`` holds
this lock. It is an advisory ``flock`` on ``build/.lock``: the kernel releases it when
the holder exits, however it exits (``kill -9`` included), so a lock is never stale
while its file says who holds it. The file keeps the holder's pid and start time for
the message the next build prints. A session that calls another (``build`` runs
``html`` and ``pdf``) takes it once: the lock is re-entrant within a process.

Standard library only: ``noxfile.py`` imports it outside the book's environment.
POSIX only (``fcntl``), as the rest of the build.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"

_held: dict[Path, int] = {}  # lock path -> how deep this process holds it


class BuildLocked(Exception):
    """Another process holds the checkout's build lock."""


def _holder(path: Path) -> str:
    """``pid N, started HH:MM:SS`` from the lock file, as far as it says."""
    try:
        pid, started = path.read_text(encoding="ascii").split()[:2]
    except (OSError, ValueError):
        return "pid unknown"
    return f"pid {pid}, started {started}"


@contextmanager
def build_lock(build_dir: Path) -> Iterator[Path]:
    """Hold ``build_dir/.lock`` for the block; :class:`BuildLocked` when another process
    holds it. ``OSError`` when ``build_dir`` cannot be created or the file not written."""
    path = (build_dir / LOCK_NAME).resolve()
    if _held.get(path):
        _held[path] += 1
        try:
            yield path
        finally:
            _held[path] -= 1
        return
    build_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
            raise BuildLocked(
                f"another build is running in this checkout ({_holder(path)}); "
                f"wait for it or remove {shown} if it is not running"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {time.strftime('%H:%M:%S')}\n".encode("ascii"))
        _held[path] = 1
        try:
            yield path
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the flock
