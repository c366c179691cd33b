"""Each claim's evidence grade: in its data, beside its ID, and kept fresh.

The grade is computed from the claim's sources by :mod:`idcpc_book.evidence` (the rules
are data in :mod:`idcpc_book.model`), never written by hand:

* once every page is read (sphinx-needs' ``needs-before-sealing``, when the needs are
  complete and still mutable), each claim's ``evidence`` field is set to its grade, so
  ``needs.json`` and the claims index (a ``needtable`` column) carry it. A grade written
  in a chapter is a located warning.
* when a page is written, each claim's ID marker (:mod:`~idcpc_book.ext.book.prose`) is
  followed by the grade's label, with the reason as its title (an ``abbr``: a tooltip in
  HTML; the label itself prints in the PDF and EPUB), e.g. ``CLM_X two independent``
  (put there by :mod:`~idcpc_book.ext.book.marks`).
* a claim's grade depends on other pages' needs (its sources, on the sources page): when
  the grades on a page change although the page was not read again (a record's kind or
  an entry's ``carries`` edited), the page is written again (a source of
  :mod:`~idcpc_book.ext.rewrite`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import evidence
from idcpc_book.ext import rewrite
from idcpc_book.ext.store import book_data
from idcpc_book.model import claims_among

logger = logging.getLogger(__name__)

FIELD = "evidence"
#: The class of the grade marker; each marker also gets ``evidence-<grade>``.
MARKER = "evidence-grade"


def set_grades(app: Sphinx, needs: dict[str, Any]) -> None:
    """Set each claim's ``evidence`` field (sphinx-needs' ``needs-before-sealing``)."""
    for need in claims_among(needs).values():
        if need.get(FIELD):
            logger.warning(
                f"{need['id']}: :{FIELD}: is computed from the claim's sources; "
                "remove it from the chapter",
                location=(need["docname"], need.get("lineno")),
            )
        need[FIELD] = evidence.of_claim(need, needs).grade  # type: ignore[index]


def marker(found: evidence.Evidence) -> nodes.abbreviation:
    """The grade's label, with the reason as its explanation (HTML: its title)."""
    return nodes.abbreviation(
        found.label,
        found.label,
        explanation=found.reason,
        classes=[MARKER, f"{MARKER}-{found.grade}"],
    )


def grade_mark(needs: Mapping[str, Mapping[str, Any]], claim_id: str) -> nodes.abbreviation | None:
    """The claim's grade marker (see :mod:`~idcpc_book.ext.book.marks`), None if no such claim."""
    need = needs.get(claim_id)
    return None if need is None else marker(evidence.of_claim(need, needs))


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages whose claims' grades changed since the last build."""
    data = SphinxNeedsData(env)
    try:
        needs: Any = data.get_needs_mutable()
    except RuntimeError:  # already sealed: the view holds the same data
        needs = data.get_needs_view()
    grades: dict[str, list[str]] = {}
    for need in claims_among(needs).values():
        found = evidence.of_claim(need, needs)
        grades.setdefault(need["docname"], []).append(f"{need['id']} {found.reason}")
    prints = book_data(env).evidence_prints
    changed = []
    for doc in sorted(set(grades) | set(prints)):
        digest = hashlib.blake2b("\n".join(sorted(grades.get(doc, []))).encode(), digest_size=16)
        if prints.get(doc) != digest.hexdigest():
            prints[doc] = digest.hexdigest()
            changed.append(doc)
    for doc in [d for d in prints if d not in grades]:
        del prints[doc]
    return [doc for doc in changed if doc in env.found_docs]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_needs")
    app.setup_extension("idcpc_book.ext.store")
    app.connect("needs-before-sealing", set_grades)
    # the grade markers are put in by idcpc_book.ext.book.marks
    rewrite.register(app, pages_to_rewrite)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
