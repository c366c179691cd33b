"""The book's files, read strictly before anything is built: refs.bib, the records, the
chapters' claims (:mod:`idcpc_book.inputs.book`), raw HTML shown as text, the directives
that read files or run code refused, and the checker's rules run before writing (the verdict)."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from idcpc_book.ext import setup_modules

MODULES = (
    "idcpc_book.ext.inputs.paths",
    "idcpc_book.ext.inputs.bibcheck",
    "idcpc_book.ext.inputs.preflight",
    "idcpc_book.ext.inputs.rawhtml",
    "idcpc_book.ext.inputs.refused",
    "idcpc_book.ext.inputs.verdict",
)


def setup(app: Sphinx) -> dict[str, Any]:
    return setup_modules(app, MODULES)
