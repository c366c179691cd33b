"""Run one step in a child process: its wall time, CPU time and peak memory.

CPU time and peak are the child's own, from ``os.wait4`` (the rusage of that one
process; ``RUSAGE_CHILDREN`` would give the largest of all children so far). The peak
is the maximum resident set size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idcpc_book import sphinxbuild


@dataclass(frozen=True)
class Run:
    """Wall time, CPU time (user + system: less disturbed by other loads) and peak memory."""

    seconds: float
    cpu_seconds: float
    peak_mb: float


class StepFailed(RuntimeError):
    """A build or check of the benchmark failed; the message holds its output."""


def _env() -> dict[str, str]:
    """The environment of a step: bytecode caches allowed.

    With ``PYTHONDONTWRITEBYTECODE`` set (as on some CI and sandbox machines) every
    build would compile Sphinx and its extensions from source again, about a second
    that says nothing about the book; the benchmark measures warm builds.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(args: list[str], cwd: Path | None = None) -> Run:
    """Run ``args``; raise :class:`StepFailed` with the output if it exits non-zero."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=_env())
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            out.seek(0)
            tail = out.read().decode("utf-8", "replace")[-4000:]
            raise StepFailed(f"{' '.join(args)} exited {child.returncode}:\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def sphinx(
    srcdir: Path, outdir: Path, builder: str, conf_dir: Path | None, fresh: bool = True
) -> Run:
    """A strict Sphinx build (``-E`` when ``fresh``, else incremental)."""
    return run(sphinxbuild.command(srcdir, outdir, builder, conf_dir=conf_dir, fresh=fresh))


def warm_sphinx(
    srcdir: Path, outdir: Path, builder: str, conf_dir: Path | None, edit: Callable[[], object]
) -> Run:
    """An incremental strict build as ``nox -s live`` makes it (``idcpc_book.warm``): a
    process imports what a build needs, then ``edit`` changes the book and the build is
    forked. Timed from the edit to the child's exit (the server's file watch left out);
    CPU time and peak are the child's."""
    args = sphinxbuild.command(srcdir, outdir, builder, conf_dir=conf_dir, fresh=False)[3:]
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as out:
        result = Path(tmp) / "run.json"
        helper = subprocess.Popen(
            [sys.executable, "-m", "idcpc_book.warm", str(result), *args], env=_env(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out, text=True,
        )  # fmt: skip
        assert helper.stdin is not None and helper.stdout is not None
        ready = helper.stdout.readline()
        start = time.perf_counter()
        if ready == "ready\n":
            edit()
            helper.stdin.write("go\n")
            helper.stdin.flush()
        edited = time.perf_counter() - start
        helper.stdin.close()
        if helper.wait() != 0 or not result.is_file():
            out.seek(0)
            tail = out.read().decode("utf-8", "replace")[-4000:]
            raise StepFailed(f"warm {' '.join(args)} exited {helper.returncode}:\n{tail}")
        run = json.loads(result.read_text(encoding="utf-8"))
    return Run(edited + run["seconds"], run["cpu_seconds"], run["peak_mb"])


def checker(root: Path, needs_json: Path) -> Run:
    """The citation checker, as a user runs it (interpreter start and imports included)."""
    return run(
        [sys.executable, "-m", "idcpc_book.checker.cli", "--root", str(root), "--needs",
         str(needs_json)]
    )  # fmt: skip


def write_report(path: Path, report: dict[str, Any]) -> None:
    """Write a measurement's report as JSON (the folder made if needed) and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written: {path}")
