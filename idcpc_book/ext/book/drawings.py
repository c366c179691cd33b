"""The figures drawn by the last build, kept so that a rebuild draws only what changed.

A figure is drawn when its page is written (``doctree-resolved``), after Sphinx pickled
the environment, so what was drawn is kept in a file of its own beside the pickle
(:data:`FILE` in the doctree folder, JSON: a tampered file can hold wrong text, never
code): each figure's SVG, alt text, caption and table, the chapters' order it was drawn
with, and what it read of the needs (:mod:`idcpc_book.figures.reads`); and what drew them
(the book's code, matplotlib's version), without which none is reused.

The next build, once it has read the changed pages, compares those reads with the needs
as read (:func:`stale_pages`): a figure whose reads still give the same values is up to
date, and its page is not written again for it; the others' pages are. The needs are
compared before sphinx-needs post-processes them, so a read of a field computed then (back
links, the claims' ``evidence``) or holding a dynamic function (``[[...]]``) never counts
as unchanged. When a page is written, its figure is drawn again unless the kept one is up
to date against the final needs (:func:`drawn`). A build that fails removes the file:
the next one draws every figure again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from sphinx.application import Sphinx

from idcpc_book import buildstamp
from idcpc_book.ext import kept
from idcpc_book.ext.state import build_state
from idcpc_book.figures import Drawing
from idcpc_book.figures.reads import Reading, Reads, fresh

#: The file in the doctree folder (beside ``environment.pickle``).
FILE = "idcpc-figures.json"
#: The file's format; another one is not read (every figure is drawn again).
VERSION = 2

Key = tuple[str, str, str]  # (builder, docname, figure name)
Chapters = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Drawn:
    """A figure as drawn for a page, and what it read to draw it."""

    drawing: Drawing
    reads: Reads
    chapters: Chapters


def last_drawn(app: Sphinx) -> dict[Key, Drawn]:
    """The figures the last build drew (none if it left no readable file)."""
    state = build_state(app)
    if state.drawings is None:
        state.drawings = _load(kept.read(app, FILE))
    return state.drawings


def made_by() -> dict[str, str]:
    """What drew the kept figures besides the needs: the book's code and matplotlib's
    version. Figures kept by other code are drawn again."""
    return {"code": buildstamp.package_digest(), "matplotlib": version("matplotlib")}


def _load(data: Any) -> dict[Key, Drawn]:
    if not isinstance(data, dict):
        return {}
    if data.get("version") != VERSION or data.get("made_by") != made_by():
        return {}  # another format, or drawn by other code: every figure is drawn again
    try:
        return {tuple(entry["key"]): _drawn(entry) for entry in data["drawings"]}  # type: ignore[misc]
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}


def _drawn(entry: dict[str, Any]) -> Drawn:
    table = [[tuple(c) if isinstance(c, list) else c for c in row] for row in entry["table"]]
    drawing = Drawing(entry["svg"].encode("utf-8"), entry["alt"], entry["caption"], table)
    values = {(need_id, key): value for need_id, key, value in entry["reads"]}
    ids = None if entry["ids"] is None else tuple(entry["ids"])
    chapters = tuple((doc, title) for doc, title in entry["chapters"])
    return Drawn(drawing, Reads(values, ids), chapters)


def save(app: Sphinx, exception: Exception | None) -> None:
    """Keep what this build drew (``build-finished``); after a failure, keep nothing."""
    drawings = build_state(app).drawings
    if exception is not None:
        kept.forget(app, FILE)
        return
    if drawings is None:
        return
    entries = [
        {
            "key": list(key),
            "svg": d.drawing.svg.decode("utf-8"),
            "alt": d.drawing.alt,
            "caption": d.drawing.caption,
            "table": d.drawing.table,
            "reads": [[need_id, k, v] for (need_id, k), v in d.reads.values.items()],
            "ids": d.reads.ids,
            "chapters": d.chapters,
        }
        for key, d in sorted(drawings.items())
    ]
    kept.write(app, FILE, {"version": VERSION, "made_by": made_by(), "drawings": entries})


def drawn(
    app: Sphinx,
    key: Key,
    needs: Mapping[str, Any],
    chapters: Chapters,
    draw: Callable[[Reading], Drawing],
) -> Drawing:
    """The figure ``key``: the kept one if its reads are unchanged in ``needs`` (the final
    needs), else drawn by ``draw`` now (and kept)."""
    drawings = last_drawn(app)
    known = drawings.get(key)
    if known is not None and known.chapters == chapters and fresh(known.reads, needs):
        return known.drawing
    reading = Reading(needs)
    drawing = draw(reading)
    drawings[key] = Drawn(drawing, reading.reads, chapters)
    return drawing


def stale_pages(
    app: Sphinx,
    figures: Mapping[str, list[str]],
    needs: Mapping[str, Any],
    chapters: Chapters,
    volatile: frozenset[str],
    links: frozenset[str],
) -> list[str]:
    """The pages of ``figures`` (docname -> figure names) with a figure not kept or whose
    reads changed in ``needs`` (as read, before post-processing; see the module
    docstring). Kept figures no page shows any more are dropped."""
    drawings = last_drawn(app)
    builder = app.builder.name
    placed = {(builder, doc, name) for doc, names in figures.items() for name in names}
    for key in [k for k in drawings if k[0] == builder and k not in placed]:
        del drawings[key]
    pages = []
    for doc, names in sorted(figures.items()):
        for name in names:
            known = drawings.get((builder, doc, name))
            if (
                known is None
                or known.chapters != chapters
                or not fresh(known.reads, needs, volatile, links)
            ):
                drawings.pop((builder, doc, name), None)
                pages.append(doc)
                break
    return pages
