"""Builds forked from a warm process: one that has imported Sphinx, the libraries and the
book's extensions once, and forks a child for each build.

Why: a new interpreter per build (``python -m sphinx build``, as sphinx-autobuild runs it)
pays its start and about 0.45 s of imports on every edit. A forked child starts from the
parent's imported, unused modules, and whatever a build caches (the census's parses, the
build's state) dies with the child, so nothing of one build reaches the next. The parent
never builds and never creates a ``Sphinx``. Used by ``nox -s live``
(:mod:`idcpc_book.live`) and the benchmark's warm rebuild step
(``python -m idcpc_book.warm``).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from idcpc_book import forked

if TYPE_CHECKING:  # resource is Unix's only: where it is missing, nothing is forked
    import resource

#: The libraries a build of the book imports, besides Sphinx's own extensions.
LIBRARIES = (
    "sphinx.cmd.build",
    "sphinx.application",
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_needs",
    "sphinx_simplepdf",
    "furo",
)
#: The book's own code: a change to a module of it loaded here makes the warm parent stale.
PACKAGE = Path(__file__).resolve().parent
#: How long an interrupted build may take to stop before it is killed (as ``subprocess.run``).
INTERRUPT_GRACE = 0.25

Stamps = dict[str, tuple[int, int]]


class Finished(NamedTuple):
    """A forked build's exit status (negative: the signal that ended it) and resources."""

    status: int
    usage: resource.struct_rusage


def warm_up() -> None:
    """Import what every build imports: the libraries, Sphinx's built-in extensions and the
    book's extension packages with their modules. Importing runs no build, reads none of the
    book's files and creates no ``Sphinx`` (``tests/test_live.py`` checks the files)."""
    import sphinx.application

    from idcpc_book.ext import PACKAGES

    for name in (*LIBRARIES, *sphinx.application.builtin_extensions, *PACKAGES):
        importlib.import_module(name)
    for package in PACKAGES:
        for name in importlib.import_module(package).MODULES:
            importlib.import_module(name)


def code_stamps(package: Path = PACKAGE) -> Stamps:
    """Each loaded module file under ``package``: its modification time and size."""
    stamps: Stamps = {}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        path = Path(name).resolve() if name else None
        if path is not None and path.is_relative_to(package):
            with contextlib.suppress(OSError):
                stat = path.stat()
                stamps[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def changed_code(stamps: Stamps) -> list[str]:
    """The files of ``stamps`` changed or gone since they were stamped."""
    changed = []
    for name, stamp in stamps.items():
        try:
            stat = os.stat(name)
        except OSError:
            changed.append(name)
            continue
        if (stat.st_mtime_ns, stat.st_size) != stamp:
            changed.append(name)
    return changed


def fork_build(args: Sequence[str]) -> Finished:
    """Run ``sphinx-build args`` in a child forked from this process and wait for it. The
    child prints to this process's standard output and error."""

    def child() -> int:
        # as in a new interpreter: Ctrl+C interrupts the build, whatever handler the
        # parent had installed (a server's may only ask itself to stop)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            from sphinx.cmd.build import build_main

            return build_main(list(args))
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            traceback.print_exc()
            return 1

    pid = forked.start(child)
    return _wait(pid)


def _wait(pid: int) -> Finished:
    """Child ``pid``'s end. On Ctrl+C here the child (which had the signal too) is given
    a moment to stop, then killed, and the interruption goes on."""
    try:
        _, status, usage = os.wait4(pid, 0)
    except KeyboardInterrupt:
        deadline = time.monotonic() + INTERRUPT_GRACE
        while time.monotonic() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    return Finished(os.waitstatus_to_exitcode(status), usage)


def _measure(result: str, args: Sequence[str]) -> None:
    """The benchmark's warm rebuild (``python -m idcpc_book.warm RESULT ARGS...``): warm up,
    say ``ready`` on standard output, wait for a line on standard input (sent once the
    benchmark has edited the book), fork the build (its output to standard error) and
    write its time, CPU time and peak memory (the child's own) to ``RESULT`` as JSON."""
    warm_up()
    print("ready", flush=True)
    sys.stdin.readline()
    os.dup2(2, 1)  # the build's own output is not the benchmark's protocol
    start = time.perf_counter()
    status, usage = fork_build(args)
    seconds = time.perf_counter() - start
    Path(result).write_text(
        json.dumps({"status": status, "seconds": seconds,
                    "cpu_seconds": usage.ru_utime + usage.ru_stime,
                    "peak_mb": usage.ru_maxrss / 1024}),
        encoding="utf-8",
    )  # fmt: skip
    sys.exit(status)


if __name__ == "__main__":
    _measure(sys.argv[1], sys.argv[2:])
