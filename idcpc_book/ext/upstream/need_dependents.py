"""Keep need-aggregating pages fresh on incremental builds.

sphinx-needs 9.1.0 (issue 354) fills a ``needtable`` and the like when its page is written,
from the needs of the whole book, but Sphinx writes only the pages it read again: after a
claim changes, the claims index keeps the old one. The pages holding such nodes are
remembered (in :mod:`idcpc_book.ext.store`), with a fingerprint of each page's needs; when
the needs of a page read (or removed) changed, those pages are written again (a source of
:mod:`idcpc_book.ext.rewrite`). Fault, cost and canary: README.md here.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_needs.data import SphinxNeedsData
from sphinx_needs.needs import NODE_TYPES, NODE_TYPES_PRIO

from idcpc_book.ext import rewrite
from idcpc_book.ext.book.editions import corrections_log, edition_changes
from idcpc_book.ext.state import build_state
from idcpc_book.ext.store import book_data

#: Nodes resolved from other needs' data when their page is written: sphinx-needs' own,
#: and the book's history lists (:mod:`idcpc_book.ext.book.editions`).
AGGREGATING = (*{*NODE_TYPES, *NODE_TYPES_PRIO}, corrections_log, edition_changes)


def _note_aggregating(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if next(iter(doctree.findall(lambda n: isinstance(n, AGGREGATING))), None) is not None:
        book_data(app.env).aggregating_pages.add(docname)


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
    store = book_data(env)
    prints = store.need_prints
    read = build_state(app).read_docs
    removed = {doc for doc in prints if doc not in env.found_docs}
    changed = bool(removed)
    for doc in removed:
        del prints[doc]
    for doc, digest in _fingerprints(env, read & env.found_docs).items():
        if prints.get(doc) != digest:
            prints[doc] = digest
            changed = True
    return sorted(store.aggregating_pages & env.found_docs) if changed else []


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("idcpc_book.ext.store")
    app.connect("doctree-read", _note_aggregating)
    rewrite.register(app, pages_to_rewrite)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
