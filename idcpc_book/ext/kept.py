"""What one build keeps for the next, beside the pickled environment (the doctree folder).

The bib file's strict read (:mod:`~idcpc_book.ext.inputs.bibcheck`), the figures drawn
(:mod:`~idcpc_book.ext.book.drawings`) and the digest of the exports' inputs
(:mod:`~idcpc_book.ext.book.claims`) are each one JSON file there. JSON, not pickle: a
tampered file can hold wrong values, never code. Written whole or not at all (a file
beside it, then renamed), read as nothing when missing or unreadable: the build then does
the work again.

The chapters' checks (:mod:`~idcpc_book.ext.inputs.preflight`) stand in for parsing the
chapters, so their file is sealed (:func:`write_sealed`): its first line is the digest of
the rest, and a file whose rest no longer matches it (damaged, or edited by hand) is read as
nothing. The seal is no secret: it makes a change deliberate, not impossible.
"""

from __future__ import annotations

import hashlib
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
    _replace(app, name, json.dumps(value, sort_keys=True))


def forget(app: Sphinx, name: str) -> None:
    """Drop what was kept as ``name`` (the next build does the work again)."""
    path(app, name).unlink(missing_ok=True)


def write_sealed(app: Sphinx, name: str, value: Any) -> None:
    """:func:`write`, the JSON preceded by a line holding its SHA-256."""
    text = json.dumps(value, sort_keys=True)
    _replace(app, name, f"{_seal(text)}\n{text}")


def read_sealed(app: Sphinx, name: str) -> Any:
    """The value kept by :func:`write_sealed`; None if there is none, it cannot be read, or
    it does not match its seal."""
    try:
        seal, _, text = path(app, name).read_text(encoding="utf-8").partition("\n")
        return json.loads(text) if seal == _seal(text) else None
    except (OSError, ValueError):
        return None


def _seal(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replace(app: Sphinx, name: str, text: str) -> None:
    """Write ``text`` as the kept file ``name`` whole (beside it, then renamed)."""
    target = path(app, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
