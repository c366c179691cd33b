"""Time pybtex.plugin.find_plugin with and without a cache of the entry-point lookup.

Run: python pybtex_find_plugin.py
"""

import functools
import time
from importlib.metadata import distributions

import pybtex.plugin

CALLS = 200


def per_call() -> float:
    """Seconds per find_plugin call, as sphinxcontrib-bibtex makes once per citation."""
    start = time.perf_counter()
    for _ in range(CALLS):
        pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    return (time.perf_counter() - start) / CALLS


print(f"{sum(1 for _ in distributions())} distributions installed")
print(f"uncached: {per_call() * 1e3:.2f} ms per call")
pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)
print(f"cached:   {per_call() * 1e3:.3f} ms per call")
