"""Look up pybtex plugins' entry points once per process, not once per citation.

pybtex 0.26.1's ``find_plugin`` (called by sphinxcontrib-bibtex for every citation) asks
``importlib.metadata.entry_points``, which reads every installed package's metadata. The
wrapped lookup is memoised by its arguments and ``sys.path``; plugins registered at run time
still win, since pybtex consults them first. Saving, fault and canary: README.md here.
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
