"""Look up pybtex plugins' entry points once per process, not once per citation.

Works around pybtex 0.26.1: ``pybtex.plugin._load_entry_point`` asks
``importlib.metadata.entry_points`` at every call, which reads every installed package's
metadata. Saves 7.7 s of a 53.2 s full build (14.5 %) (``perf/trial.py``, 3 December 2026,
5000 claims, one run). Remove it when
``test_canaries.py::test_pybtex_scans_the_installed_packages_at_every_plugin_lookup``
fails.

sphinxcontrib-bibtex asks pybtex for a plugin (``pybtex.plugin.find_plugin``: the
``docutils`` backend, the name and label styles, ...) for every citation it formats.
Each call ends in ``importlib.metadata.entry_points(group=..., name=...)``, which reads
the metadata of every installed distribution: about 8 ms a call, and in a book of
thousands of citations the largest single cost of the build (cProfile: see the README's
Performance section). ``importlib.metadata`` does not cache, unlike ``pkg_resources``,
which pybtex used before.

This extension wraps the ``entry_points`` function that ``pybtex.plugin`` calls with a
memo keyed by every argument and by ``sys.path``, so

* each distinct query scans the installed packages once, then returns the same
  ``EntryPoints`` object (on Python 3.11 a list that warns when changed; pybtex only
  reads it);
* plugins registered at run time (``pybtex.plugin.register_plugin``, as our own
  ``bibstyle`` does) still win: pybtex consults them before it asks for entry points;
* a change of ``sys.path`` is a new key, so nothing stale is returned if a ``conf.py``
  adds a folder. Only installing a package *during* a build would go unseen, as with
  ``pkg_resources``' cache.

It is safe under parallel builds: Sphinx's workers are forked processes, each with its
own copy of the memo; within a process, dictionary reads and writes are atomic, and a
race only computes the same value twice.

Upstream: this belongs in pybtex (``pybtex.plugin._load_entry_point``), as Pygments did
for the same regression after moving from ``pkg_resources`` to ``importlib.metadata``
(pygments/pygments#2979, "speedup: cache entry points"). No report of it was found for
pybtex or sphinxcontrib-bibtex (searched November 2026); one is worth filing. A draft,
with a reproduction: ``perf/upstream/pybtex-find-plugin-entry-points.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pybtex.plugin
from sphinx.application import Sphinx

_MEMO: dict[tuple[Any, ...], Any] = {}


def memoised(lookup: Callable[..., Any]) -> Callable[..., Any]:
    """``lookup`` (``importlib.metadata.entry_points``), answering each query once."""

    def entry_points(**params: Any) -> Any:
        key = (lookup, tuple(sys.path), *sorted(params.items()))
        try:
            return _MEMO[key]
        except KeyError:
            found = _MEMO[key] = lookup(**params)
            return found

    entry_points.idcpc_memo_of = lookup  # type: ignore[attr-defined]
    entry_points.__doc__ = lookup.__doc__
    return entry_points


def install() -> None:
    """Memoise ``pybtex.plugin``'s entry-point lookup (idempotent)."""
    if not hasattr(pybtex.plugin.entry_points, "idcpc_memo_of"):
        pybtex.plugin.entry_points = memoised(pybtex.plugin.entry_points)


def clear() -> None:
    """Forget every answer (tests; or after installing a package in a live process)."""
    _MEMO.clear()


def setup(app: Sphinx) -> dict[str, Any]:
    install()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
