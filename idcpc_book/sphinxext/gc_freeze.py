"""Keep the loaded environment out of Python's garbage collector for the build.

On a rebuild Sphinx unpickles the environment: every need of the book, its data and
sphinx-needs' copy of its node, hundreds of thousands of objects that live until the
build ends. Python's cyclic garbage collector scans all of them in every full
collection, and a build triggers a dozen of those: at 5000 claims a rebuild with
nothing changed spent 1.5 of its 4.1 s in them (measured with ``gc.callbacks``).

When the builder is set up (the environment is loaded, no page read yet) this
extension moves every object that exists into the collector's permanent generation
(``gc.freeze()``, made for long-lived objects), and hands them back at the end of the
build (``gc.unfreeze()``). Nothing else changes: objects are still freed by reference
counting, and the collector still collects everything created during the build. Only
garbage *cycles* among the frozen objects (e.g. the old needs of a page read again) wait
for the end of the build: at 5000 claims, rebuilding after one chapter was edited took
7.8 s instead of 8.8 s with a peak of 351 MB instead of 343 MB. A full build (``-E``)
starts with an empty environment, so it gains and loses nothing.

Parallel builds: the workers are forked from the main process and inherit the frozen
state, which only spares them the same scans.
"""

from __future__ import annotations

import gc
from typing import Any

from sphinx.application import Sphinx


def freeze(app: Sphinx) -> None:
    gc.freeze()


def unfreeze(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", freeze)
    app.connect("build-finished", unfreeze, priority=900)  # after the other handlers
    return {"parallel_read_safe": True, "parallel_write_safe": True}
