"""Keep long-lived objects out of Python's garbage collector for the build.

Works around Sphinx 9.0.4 (and CPython's collector): nothing is frozen during a build, so
every full collection scans the loaded environment, every need and every doctree held. Saves
1.2 s of a 46.7 s full build (2.6 %) and 73 MB of its 457 MB peak (16.1 %), and 4.5 s of a
17.9 s one-chapter rebuild (25 %) (``perf/trial.py``, 3 December 2026, 5000 claims, one
run). Remove it when
``test_canaries.py::test_sphinx_leaves_the_loaded_environment_to_full_collections``
fails.

Python's cyclic garbage collector scans every live container object in each *full*
collection, and a build triggers dozens of those: at 5000 claims a full build spent
12.6 of its 34 CPU seconds in 22 full collections (measured with ``gc.callbacks``), each
scanning every need, its node copy and every doctree held, and a rebuild with nothing
changed 1.5 of its 4.1 s. Nearly all of those objects live until the build ends.

* When the builder is set up (on a rebuild, the environment is loaded; no page is read
  yet), every object that exists is moved into the collector's permanent generation
  (``gc.freeze()``, made for long-lived objects), and automatic *full* collections are
  turned off until the build ends; young generations are collected as usual. While
  pages are read, little cyclic garbage outlives them (at 5000 claims, the full
  collections of reading found about 45,000 objects in all): it waits for writing.
* When writing starts (``write-started``, after sphinx-needs has post-processed the
  needs), the same is done with what reading left: the needs and their node copies.
  Sphinx also keeps each doctree read in this build in memory to write it
  (``env._write_doc_doctree_cache``); those doctrees are on disk already, so the cache is
  emptied and the doctrees collected first, and Sphinx loads each page's doctree from its
  pickle when it writes it. Freezing them instead would keep every written page's doctree
  (cycles of parent and child nodes) until the end: +28 % peak memory, measured.
* While pages are written, a doctree becomes garbage when its page is written, and only a
  full collection frees it (its cycles). One is run as each page's doctree is resolved
  (``doctree-resolved``): it frees the previous page's, and scans only what is not frozen.
* When the build ends (``build-finished``), the thresholds are restored first, then, after
  the other handlers, the objects are handed back (``gc.unfreeze()``).

Nothing else changes: objects are still freed by reference counting, and the collector
still collects everything created after a freeze. Only garbage *cycles* among frozen
objects (e.g. the old needs of a page read again) wait for the end of the build.

At 5000 claims (full build, in one process): 22 full collections took 12.6 of 34.3 CPU
seconds before; now 22 take 4.2 of 27.2 s (one when writing starts, one per page), and the
peak memory is unchanged (the written pages' doctrees are freed one by one instead of all
being held until they are written). Outputs are the same (tests).

Parallel builds: the workers are forked from the main process and inherit the frozen
state, which only spares them the same scans.
"""

from __future__ import annotations

import gc
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: A gen-2 threshold no build reaches: automatic full collections off while writing.
NO_FULL_COLLECTIONS = 2**30

_THRESHOLDS = "idcpc_gc_thresholds"  # app attribute: the thresholds to restore


def freeze(app: Sphinx) -> None:
    """Freeze what exists (on a rebuild, the loaded environment); no automatic full collection."""
    gc.freeze()
    if not hasattr(app, _THRESHOLDS):
        setattr(app, _THRESHOLDS, gc.get_threshold())
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NO_FULL_COLLECTIONS)


def freeze_for_writing(app: Sphinx, builder: Any) -> None:
    """Freeze what reading left, once Sphinx keeps the pages' doctrees on disk only."""
    cache = getattr(app.env, "_write_doc_doctree_cache", None)
    if isinstance(cache, dict):
        cache.clear()  # pickled already: Sphinx loads each doctree again to write it
    gc.collect()  # the dropped doctrees and the garbage of reading
    gc.freeze()


def collect_written_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Free the doctree of the page written before this one (a full collection)."""
    if hasattr(app, _THRESHOLDS):
        gc.collect()


def restore_thresholds(app: Sphinx, exception: Exception | None) -> None:
    """Full collections as usual again (for what the build-finished handlers create)."""
    thresholds = getattr(app, _THRESHOLDS, None)
    if thresholds is not None:
        gc.set_threshold(*thresholds)
        delattr(app, _THRESHOLDS)


def unfreeze(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", freeze)
    # after sphinx-needs has post-processed the needs (write-started, default priority)
    app.connect("write-started", freeze_for_writing, priority=900)
    app.connect("doctree-resolved", collect_written_page, priority=100)
    app.connect("build-finished", restore_thresholds, priority=0)  # before the others
    app.connect("build-finished", unfreeze, priority=900)  # after the other handlers
    return {"parallel_read_safe": True, "parallel_write_safe": True}
