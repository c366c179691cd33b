"""Keep need-aggregating pages fresh on incremental builds.

Works around sphinx-needs 9.1.0 (issue 354, below): incremental builds leave the pages that
aggregate needs (the claims index) stale. Needed for correctness, not speed: it *costs* a
one-chapter rebuild 2.1 s (11.2 s without it, 13.4 s with it) and 38 MB (``perf/trial.py``,
3 December 2026, 5000 claims, one run), the price of rewriting the 5000-row claims index.
Remove it when
``test_canaries.py::test_sphinx_needs_leaves_aggregating_pages_stale`` fails.

sphinx-needs fills a ``needtable`` (the claims index), ``needlist``, ``needflow``, a
``need`` reference and the like when the page holding it is *written*, from the needs
of the whole book. Sphinx writes only the pages it re-read, so after a claim changes in
one chapter the claims index kept the old claim until the next clean build.

This extension remembers which pages hold such nodes (any node type sphinx-needs fills
from other needs: its own registry, so new types are covered), and a fingerprint of
the needs of every page. After reading, if the needs of any re-read or removed page
changed, those pages are handed back to Sphinx to be written again
(``env-get-updated``). An edit that changes no need (prose, an editorial block) writes
nothing more.

A need itself is drawn from its own data only with the book's layout (``claim``: text
and ID); a layout that shows other needs' links (e.g. incoming links) would make
every page with needs depend on the others, and they would belong here too.

Upstream: sphinx-needs issue 354, "Incremental build support"
(https://github.com/useblocks/sphinx-needs/issues/354, closed; still reproduces with
9.1.0). A draft comment with a three-page reproduction:
``perf/upstream/sphinx-needs-stale-aggregates-incremental.md``.

Parallel builds: pages read in worker processes report their aggregating nodes through
``env-merge-info``; fingerprints are taken in the main process after the merge.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.needs import NODE_TYPES, NODE_TYPES_PRIO

from idcpc_book.ext.book.editions import corrections_log, edition_changes

#: Nodes resolved from other needs' data when their page is written: sphinx-needs' own,
#: and the book's history lists (:mod:`idcpc_book.ext.book.editions`).
AGGREGATING = (*{*NODE_TYPES, *NODE_TYPES_PRIO}, corrections_log, edition_changes)

_PAGES = "idcpc_aggregating_pages"  # set of docnames, kept in the pickled environment
_PRINTS = "idcpc_need_prints"  # docname -> fingerprint of its needs
_READ = "idcpc_read_this_build"  # docnames read in the current build


def _pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, _PAGES):
        setattr(env, _PAGES, set())
    return getattr(env, _PAGES)


def _prints(env: BuildEnvironment) -> dict[str, str]:
    if not hasattr(env, _PRINTS):
        setattr(env, _PRINTS, {})
    return getattr(env, _PRINTS)


def _note_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    setattr(env, _READ, set(docnames))


def _note_aggregating(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if next(iter(doctree.findall(lambda n: isinstance(n, AGGREGATING))), None) is not None:
        _pages(app.env).add(docname)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _pages(env).discard(docname)


def _merge(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment
) -> None:
    _pages(env).update(_pages(other) & set(docnames))


def _fingerprints(env: BuildEnvironment, docnames: set[str]) -> dict[str, str]:
    """A digest of all the needs defined in each of ``docnames`` (their full data)."""
    if not docnames:
        return {}
    data = SphinxNeedsData(env)
    try:
        needs: Any = data.get_needs_mutable()
    except RuntimeError:  # already resolved: the view holds the same data
        needs = data.get_needs_view()
    ids: dict[str, list[str]] = {doc: [] for doc in docnames}
    for need_id, need in needs.items():
        if need["docname"] in ids:
            ids[need["docname"]].append(need_id)
    prints = {}
    for doc, need_ids in ids.items():
        digest = hashlib.blake2b(digest_size=16)
        for need_id in sorted(need_ids):  # one need's text at a time: little memory
            digest.update(json.dumps(dict(needs[need_id]), sort_keys=True, default=str).encode())
        prints[doc] = digest.hexdigest()
    return prints


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The aggregating pages, if the needs of any page read (or removed) changed."""
    prints = _prints(env)
    read = getattr(env, _READ, set())
    removed = {doc for doc in prints if doc not in env.found_docs}
    changed = bool(removed)
    for doc in removed:
        del prints[doc]
    for doc, digest in _fingerprints(env, read & env.found_docs).items():
        if prints.get(doc) != digest:
            prints[doc] = digest
            changed = True
    setattr(env, _READ, set())
    return sorted(_pages(env) & env.found_docs) if changed else []


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-before-read-docs", _note_reading)
    app.connect("doctree-read", _note_aggregating)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-updated", pages_to_rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
