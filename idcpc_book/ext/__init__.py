"""The book's Sphinx extensions, in four packages, each one extension for ``conf.py``.

* :mod:`.inputs` - the book's files read strictly and checked before anything is built;
* :mod:`.book` - what the book draws: claims, sources, figures, the index, the history;
* :mod:`.formats` - what each output needs of its own: PDF, EPUB, web fonts, reproducibility;
* :mod:`.upstream` - every workaround for a library's fault, each with its removal canary.

Each package's ``setup()`` sets up its modules in the order of its ``MODULES``; the order
of the packages in ``conf.py`` is the order of work for handlers of equal priority.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Any

from sphinx.application import Sphinx

#: The four packages, in the order ``conf.py`` lists them.
PACKAGES = (
    "idcpc_book.ext.inputs",
    "idcpc_book.ext.book",
    "idcpc_book.ext.formats",
    "idcpc_book.ext.upstream",
)
SAFE = {"parallel_read_safe": True, "parallel_write_safe": True}


def setup_modules(app: Sphinx, modules: Iterable[str]) -> dict[str, Any]:
    """Set up each module of a package (its ``setup()``), in order."""
    for module in modules:
        app.setup_extension(module)
    return SAFE


def without(extensions: Sequence[str], drop: Iterable[str]) -> list[str]:
    """``extensions`` with each package replaced by its modules, less those in ``drop``
    (full names or last parts): the book with some workarounds taken out, for trials."""
    gone = set(drop)
    out: list[str] = []
    for name in extensions:
        modules = import_module(name).MODULES if name in PACKAGES else (name,)
        out += [m for m in modules if m not in gone and m.rsplit(".", 1)[-1] not in gone]
    return out
