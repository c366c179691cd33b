"""What the book draws from its data: claims and sources as prose, grades, figures, the
who's who, the claims index, cite boxes, exports, the corrections log, the changes
between editions and the glossary."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from idcpc_book.ext import setup_modules

MODULES = (
    "idcpc_book.ext.book.bibstyle",
    "idcpc_book.ext.book.citerefs",
    "idcpc_book.ext.book.sources",
    "idcpc_book.ext.book.editorial",
    "idcpc_book.ext.book.prose",
    "idcpc_book.ext.book.evidence",
    "idcpc_book.ext.book.figures",
    "idcpc_book.ext.book.whoswho",
    "idcpc_book.ext.book.needtext",
    "idcpc_book.ext.book.claims_index",
    "idcpc_book.ext.book.vocabulary",
    "idcpc_book.ext.book.registries",
    "idcpc_book.ext.book.claims",
    "idcpc_book.ext.book.claimreview",
    "idcpc_book.ext.book.links",
    "idcpc_book.ext.book.editions",
    "idcpc_book.ext.book.disclosure",
    "idcpc_book.ext.book.marks",
    "idcpc_book.ext.book.evidence_pages",
    "idcpc_book.ext.book.questions",
    "idcpc_book.ext.book.glossary",
)


def setup(app: Sphinx) -> dict[str, Any]:
    return setup_modules(app, MODULES)
