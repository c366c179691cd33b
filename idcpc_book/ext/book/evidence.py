"""Each claim's evidence grade: in its data, beside its ID, and kept fresh.

The grade is computed from the claim's sources by :mod:`idcpc_book.evidence` (the rules
are data in :mod:`idcpc_book.model`), never written by hand:

* once every page is read (sphinx-needs' ``needs-before-sealing``, when the needs are
  complete and still mutable), each claim's ``evidence`` field is set to its grade, so
  ``needs.json`` and the claims index (a ``needtable`` column) carry it. A grade written
  in a chapter is a located warning.
* when a page is written, each claim's ID marker (:mod:`~idcpc_book.ext.book.prose`) is
  followed by the grade's label, with the reason as its title (an ``abbr``: a tooltip in
  HTML; the label itself prints in the PDF and EPUB), e.g. ``CLM_X two independent``.
* a claim's grade depends on other pages' needs (its sources, on the sources page): when
  the grades on a page change although the page was not read again (a record's kind or
  an entry's ``carries`` edited), the page is written again (``env-get-updated``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_needs.data import SphinxNeedsData

from idcpc_book import evidence
from idcpc_book.ext.book import prose
from idcpc_book.model import claims_among

logger = logging.getLogger(__name__)

FIELD = "evidence"
#: The class of the grade marker; each marker also gets ``evidence-<grade>``.
MARKER = "evidence-grade"
_PRINTS = "idcpc_evidence_prints"  # docname -> digest of its claims' grades


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


def add_markers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the grade after the ID marker of each claim on the page."""
    needs = SphinxNeedsData(app.env).get_needs_view()
    for box in doctree.findall(nodes.container):
        if prose.CLASSES["claim"] not in box["classes"] or not box["ids"]:
            continue
        need = needs.get(box["ids"][0])
        ref = next((r for r in box.findall(nodes.reference) if prose.MARKER in r["classes"]), None)
        if need is None or ref is None:
            continue
        found = evidence.of_claim(need, needs)
        ref.parent.insert(ref.parent.index(ref) + 1, [nodes.Text(" "), marker(found)])


def _prints(env: BuildEnvironment) -> dict[str, str]:
    if not hasattr(env, _PRINTS):
        setattr(env, _PRINTS, {})
    return getattr(env, _PRINTS)


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
    prints = _prints(env)
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
    app.connect("needs-before-sealing", set_grades)
    # before the cite boxes (claims, 800): the grade sits beside the ID
    app.connect("doctree-resolved", add_markers, priority=700)
    app.connect("env-get-updated", pages_to_rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
