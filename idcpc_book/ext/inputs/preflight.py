"""Stop a build before it starts when the book's files are unusable, naming every fault.

Runs :func:`idcpc_book.inputs.book.check_book` when the configuration is read (after
:mod:`~idcpc_book.ext.inputs.bibcheck` has read ``refs.bib``, whose faults it adds), with
the ``pyproject.toml`` beside ``conf.py`` (whose edition ``conf.py`` replaced by a
placeholder if it could not read it). Each is logged as an error at its file and line
(``path:line: ERROR: ID: what is wrong``), followed by a count, and the build exits with
status 2 before reading a page: nothing is written, so nothing half-built looks finished.
A fault that stopped a build this way is never echoed by the warnings it would have caused
(one per claim citing a missing source, say).

Each chapter's own check, and what each record's header said, is kept for the next build
into the same output (:data:`FILE` in the doctree folder, sealed: :mod:`~idcpc_book.ext.kept`):
a file whose text and checking code are unchanged is not parsed again
(:mod:`idcpc_book.inputs.reuse`), every other is checked in full, and the checks across
files run on all of them every build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from idcpc_book.errors import InputError
from idcpc_book.ext import kept, order
from idcpc_book.ext.inputs.paths import book_root
from idcpc_book.ext.state import build_state
from idcpc_book.inputs import census
from idcpc_book.inputs.book import check_book
from idcpc_book.inputs.reuse import Kept

logger = logging.getLogger(__name__)


def earlier_errors(app: Sphinx) -> list[InputError]:
    """The faults found before this extension runs (``bibcheck``), reported with the others."""
    return build_state(app).input_errors


#: The kept chapters' checks and records, in the doctree folder (beside the pickle).
FILE = "idcpc-inputs.json"


def stop_on_faults(app: Sphinx, config: Config) -> None:
    pyproject = Path(app.confdir) / "pyproject.toml"
    errors = [*earlier_errors(app)]
    root = book_root(app)
    chapters = Kept.load(kept.read_sealed(app, FILE), root)
    inputs = check_book(root, Path(app.srcdir), pyproject, chapters)
    census.release()  # nothing after the preflight parses a chapter: the memory serves reading
    kept.write_sealed(app, FILE, chapters.data())
    logger.debug(f"[preflight] chapters reused: {chapters.reused}, checked: {chapters.checked}")
    errors += inputs.errors
    if not errors:
        build_state(app).inputs = inputs  # the verdict's rules read them (ext.inputs.verdict)
        return
    for error in errors:
        if error.line:
            logger.error(error.message, location=f"{error.path}:{error.line}")
        else:  # Sphinx takes a location without a line for a document name
            logger.error(f"{error.path}: {error.message}")
    count = f"{len(errors)} problem" + ("" if len(errors) == 1 else "s")
    logger.error(f"{count} in the book's files: build stopped before reading, nothing written")
    raise SystemExit(2)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", stop_on_faults, priority=order.PREFLIGHT)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
