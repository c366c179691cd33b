"""What each output format needs of its own: the PDF (single page, WeasyPrint), the EPUB
(EPUBCheck-clean), web fonts for Chinese and Urdu names, byte-identical rebuilds."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from idcpc_book.ext import setup_modules

MODULES = (
    "idcpc_book.ext.formats.pdf",
    "idcpc_book.ext.formats.compact_index",
    "idcpc_book.ext.formats.webfonts",
    "idcpc_book.ext.formats.reproducible",
    "idcpc_book.ext.formats.epub",
)


def setup(app: Sphinx) -> dict[str, Any]:
    return setup_modules(app, MODULES)
