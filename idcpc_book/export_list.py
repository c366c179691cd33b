"""The exports, one registry: each file's name, format and what it holds. The HTML build
writes them in this order (:mod:`idcpc_book.exports`), the downloads paragraph links them
(:mod:`idcpc_book.ext.book.claims`), an archived edition keeps the ones marked
``archived`` (:mod:`idcpc_book.archive`), and the methodology page and the README list
them from here. It imports nothing of the book, so each of those can read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Export:
    """One export file of the HTML build (``build/html/exports/``)."""

    name: str
    format: str
    #: What it holds, one line.
    holds: str
    #: What the downloads paragraph says before its link ("": nothing).
    note: str = ""
    #: Kept, with a checksum, by each archived edition (``editions/``).
    archived: bool = False


#: The SQLite database of the claims and sources (:mod:`idcpc_book.sqlite_export`).
DATABASE = "claims.sqlite"

#: Every export, in the order it is written and linked.
EXPORTS: tuple[Export, ...] = (
    Export(
        "claims.json",
        "JSON",
        "every claim: chapter, kind, status, dates, money figure, term of office, text "
        "without markup, sources, evidence grade and quotes, links, citation, the editions "
        "it was added and changed in; the corrections log and the withdrawn claims",
        archived=True,
    ),
    Export(
        "claims.csv",
        "CSV",
        "the claims of `claims.json`, one row each; a cell a spreadsheet would read as a "
        "formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) starts "
        "with `'`",
    ),
    Export(
        "sources.json",
        "JSON",
        "every source: bibliographic facts, kind, archive path, the claims citing it",
        archived=True,
    ),
    Export(
        "claimreview.jsonld",
        "JSON-LD",
        "every claim as a schema.org `ClaimReview` rated by its status (the JSON-LD each "
        "chapter page embeds for its own claims); `<`, `>` and `&` are written `\\u003c`, "
        "`\\u003e`, `\\u0026`, so it can be embedded in an HTML `<script>`",
        note="for fact-checking tools, every claim as a schema.org ClaimReview",
    ),
    Export(
        DATABASE,
        "SQLite",
        "the claims and sources as tables, with full-text search",
        note="for SQL queries and full-text search, an SQLite database",
    ),
)

#: The export files' names, in order.
FILES: tuple[str, ...] = tuple(export.name for export in EXPORTS)
