"""Workarounds for faults of the libraries the book uses: the one place that touches their
internals. README.md tables what each patches, the upstream version and fault, what it saves
and the canary test that fails once upstream fixes it."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from idcpc_book.ext import setup_modules

MODULES = (
    "idcpc_book.ext.upstream.pybtex_plugins",
    "idcpc_book.ext.upstream.bibtex_index",
    "idcpc_book.ext.upstream.bibtex_memo",
    "idcpc_book.ext.upstream.need_dependents",
    "idcpc_book.ext.upstream.simplepdf_print",
    "idcpc_book.ext.upstream.simplepdf_ua",
    "idcpc_book.ext.upstream.pydyf_pages",
    "idcpc_book.ext.upstream.gc_freeze",
    "idcpc_book.ext.upstream.config_stable",
)


def setup(app: Sphinx) -> dict[str, Any]:
    return setup_modules(app, MODULES)
