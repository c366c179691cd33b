"""What one build keeps for the next, beside the pickled environment (the doctree folder).

The bib file's strict read (:mod:`~idcpc_book.ext.inputs.bibcheck`), the figures drawn
(:mod:`~idcpc_book.ext.book.drawings`) and the digest of the exports' inputs
(:mod:`~idcpc_book.ext.book.claims`) are each one JSON file there. JSON, not pickle: a
tampered file can hold wrong values, never code. Written whole or not at all (a file
beside it, then renamed), read as nothing when missing or unreadable: the build then does
the work again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def path(app: Sphinx, name: str) -> Path:
    """The kept file ``name`` of this build's output."""
    return Path(app.doctreedir) / name


def read(app: Sphinx, name: str) -> Any:
    """The value kept as ``name``; None if there is none or it cannot be read."""
    try:
        return json.loads(path(app, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write(app: Sphinx, name: str, value: Any) -> None:
    """Keep ``value`` as ``name`` for the next build (replacing the file whole)."""
    target = path(app, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{name}.partial")
    partial.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    os.replace(partial, target)


def forget(app: Sphinx, name: str) -> None:
    """Drop what was kept as ``name`` (the next build does the work again)."""
    path(app, name).unlink(missing_ok=True)
