"""A child process forked to run one function and leave: one home for the steps that make
that safe (the streams flushed before and after, so nothing buffered is written twice or
lost; ``os._exit``, so the child never returns into its parent's code or runs its exit
handlers and collections). Used to write the PDF apart from the build
(:mod:`idcpc_book.ext.formats.pdf_process`) and for the warm rebuilds (:mod:`idcpc_book.warm`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable


def start(run: Callable[[], int]) -> int:
    """Fork; the child calls ``run`` and leaves with the status it returns (1 if it raised:
    ``run`` reports its own errors); the parent gets the child's pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    status = 1  # if run raises: run reports its own errors
    try:
        with contextlib.suppress(BaseException):
            status = run()
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)
