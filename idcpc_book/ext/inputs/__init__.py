"""The book's files, read strictly before anything is built: refs.bib, the records, the
chapters' claims (:mod:`idcpc_book.inputs.book`), raw HTML shown as text."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from idcpc_book.ext import setup_modules

MODULES = (
    "idcpc_book.ext.inputs.paths",
    "idcpc_book.ext.inputs.bibcheck",
    "idcpc_book.ext.inputs.preflight",
    "idcpc_book.ext.inputs.rawhtml",
)


def setup(app: Sphinx) -> dict[str, Any]:
    return setup_modules(app, MODULES)
