"""Write the PDF with WeasyPrint in a child process, whose memory is dropped whole.

WeasyPrint 70 leaves the book's laid-out document (about 1.7 million objects, 900 MB, in
reference cycles) to Python's garbage collector. Written in the build's own process, the
first full collection after it (in the build-finished handlers, or at the interpreter's
exit) walked all of it: 2.6 to 2.9 s of a 34 s PDF build (7 December 2026). A forked
child writes the PDF and leaves with ``os._exit``: the system takes its memory back at
once, nothing is collected, and the build's own peak memory stays that of the HTML build.

WeasyPrint's warnings and errors, logged in the child, are sent back and logged again in
the build's process on the ``weasyprint`` logger, so that
:mod:`idcpc_book.ext.formats.pdf` forwards them to Sphinx (``-W`` fails on them) as when
WeasyPrint ran in the build. An exception in the child is raised again in the build, with
the child's traceback. On Linux only: elsewhere ``fork`` is missing (Windows) or unsafe once
system frameworks are loaded (macOS), and the PDF is written in-process as before.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any

from idcpc_book import forked

#: The logger whose records are carried back from the child.
LOGGER = "weasyprint"


class ChildFailed(RuntimeError):
    """The child process failed; the message holds its traceback."""


class _Collect(logging.Handler):
    """Keep every record, as (logger name, level, message)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _run_child(write: Callable[[], None], level: int) -> dict[str, Any]:
    """Run ``write`` with the ``weasyprint`` logger's records collected, not handled."""
    logger = logging.getLogger(LOGGER)
    collect = _Collect()
    logger.handlers = [collect]
    logger.setLevel(level)
    try:
        write()
    except BaseException:  # everything goes back to the build
        return {"records": collect.records, "error": traceback.format_exc()}
    return {"records": collect.records, "error": None}


def _replay(records: list[tuple[str, int, str]]) -> None:
    """Log the child's records again here, through the ``weasyprint`` logger's handlers."""
    for name, level, message in records:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.handle(logger.makeRecord(name, level, __file__, 0, message, None, None))


#: Where the PDF is written in a forked child.
FORK = sys.platform.startswith("linux")


def run_apart(write: Callable[[], None]) -> None:
    """Call ``write`` (which writes the PDF) in a forked child (Linux), else in-process."""
    if not FORK:
        write()
        return
    level = logging.getLogger(LOGGER).getEffectiveLevel()
    read_fd, write_fd = os.pipe()

    def child() -> int:
        os.close(read_fd)
        payload = pickle.dumps(_run_child(write, level))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        return 0

    pid = forked.start(child)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb", closefd=True) as pipe:
        data = pipe.read()  # until the child closes its end
    _, status = os.waitpid(pid, 0)
    if not data:
        raise ChildFailed(f"the PDF writer process ended with status {status} and no result")
    result = pickle.loads(data)
    _replay(result["records"])
    if result["error"] is not None:
        raise ChildFailed(f"writing the PDF failed:\n{result['error']}")
