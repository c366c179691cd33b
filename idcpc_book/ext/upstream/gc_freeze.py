"""Keep long-lived objects out of Python's garbage collector for the build.

Sphinx 9.0.4 freezes nothing, so every full collection rescans the loaded environment,
every need and every doctree held. When the builder starts and again when writing starts,
what exists is frozen (``gc.freeze()``) and automatic full collections are off. As each
page is resolved, the page written before it is unlinked (its nodes' parent pointers and
the document's tables dropped), so reference counting frees its doctree, and one full
collection frees what is left (nodes replaced while resolving, which still point into the
page): at 5000 claims the collections find a quarter of the objects they found when the
collection alone freed the doctree, and freeing (unlinking and every full collection of the
build) takes 4.2 to 4.8 s of CPU instead of 5.9 to 6.0 s, at the same peak memory.
Everything is handed back when the build ends. Saving, fault and canary: README.md here.
"""

from __future__ import annotations

import gc
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from idcpc_book.ext import order
from idcpc_book.ext.state import build_state

#: A gen-2 threshold no build reaches: automatic full collections off while writing.
NO_FULL_COLLECTIONS = 2**30


def freeze(app: Sphinx) -> None:
    """Freeze what exists (on a rebuild, the loaded environment); no automatic full collection."""
    gc.freeze()
    state = build_state(app)
    if state.gc_thresholds is None:
        state.gc_thresholds = gc.get_threshold()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NO_FULL_COLLECTIONS)


def freeze_for_writing(app: Sphinx, builder: Any) -> None:
    """Freeze what reading left, once Sphinx keeps the pages' doctrees on disk only."""
    cache = getattr(app.env, "_write_doc_doctree_cache", None)
    if isinstance(cache, dict):
        cache.clear()  # pickled already: Sphinx loads each doctree again to write it
    gc.collect()  # the dropped doctrees and the garbage of reading
    gc.freeze()


def note_written_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep the page's doctree, written by now in this process (a parallel build writes in
    child processes: the doctrees it resolves here are never noted, so never unlinked)."""
    if isinstance(doctree, nodes.document) and build_state(app).gc_thresholds is not None:
        build_state(app).written_doctree = doctree


def unlink(doctree: nodes.document) -> None:
    """Break a written doctree's reference cycles so that reference counting frees it.

    Each node's pointer to its parent goes (unless the node is now in a later page: a node
    shared between pages keeps its parent there), and the document's own tables (ids, the
    reporter, the transformer) with it. Nothing is taken out of a node that something else
    may still hold: its children and attributes stay.
    """
    stack: list[nodes.Node] = [doctree]
    while stack:
        node = stack.pop()
        children = node.children
        for child in children:
            if child.parent is node:
                child.parent = None
        stack.extend(children)
    doctree.__dict__.clear()


def collect_written_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Free the doctree of the page written before this one: its cycles broken, a full
    collection frees what writing left (the nodes replaced while resolving it)."""
    state = build_state(app)
    if state.gc_thresholds is not None:
        written, state.written_doctree = state.written_doctree, None
        if written is not None:
            unlink(written)
        gc.collect()


def restore_thresholds(app: Sphinx, exception: Exception | None) -> None:
    """Full collections as usual again (for what the build-finished handlers create)."""
    state = build_state(app)
    written, state.written_doctree = state.written_doctree, None
    if written is not None:
        unlink(written)  # the last page's
    if state.gc_thresholds is not None:
        gc.set_threshold(*state.gc_thresholds)
        state.gc_thresholds = None


def unfreeze(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", freeze)
    app.connect("write-started", freeze_for_writing, priority=order.FREEZE_FOR_WRITING)
    app.connect("html-page-context", note_written_page)
    app.connect("doctree-resolved", collect_written_page, priority=order.COLLECT_WRITTEN_PAGE)
    app.connect("build-finished", restore_thresholds, priority=order.RESTORE_GC)
    app.connect("build-finished", unfreeze, priority=order.UNFREEZE_GC)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
