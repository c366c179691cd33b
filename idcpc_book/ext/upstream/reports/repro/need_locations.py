"""sphinx-needs' location analysis of n needs in one section: time per need as n grows.

Offline, no Sphinx project: a docutils section holding n ``Need`` nodes (each after a
paragraph, as a chapter's claims sit), on which the per-need work of
``sphinx_needs.directives.need.analyse_need_locations`` (sphinx-needs 9.1.0) is run:
``previous_sibling`` and ``get_sections_and_signature_and_needs`` for each need, then the
removal of each hidden need from its parent. A linear analysis would take the same time
per need at every n.
"""

from __future__ import annotations

import time

from docutils import nodes
from sphinx_needs.directives.need import get_sections_and_signature_and_needs, previous_sibling
from sphinx_needs.nodes import Need


def section(n: int) -> nodes.section:
    sec = nodes.section()
    sec += nodes.title("", "Chapter")
    for i in range(n):
        sec += nodes.paragraph("", f"Claim {i}.")
        sec += Need("", refid=f"CLM_{i:05d}", hidden=True)
    return sec


def analyse(sec: nodes.section) -> tuple[float, float]:
    """The two parts' times: locating every need, then removing the hidden ones."""
    found = [node for node in sec.children if isinstance(node, Need)]
    start = time.perf_counter()
    for node in found:
        get_sections_and_signature_and_needs(previous_sibling(node))
    located = time.perf_counter() - start
    start = time.perf_counter()
    for node in found:
        node.parent.remove(node)
    return located, time.perf_counter() - start


if __name__ == "__main__":
    for n in (500, 2000, 8000):
        located, removed = analyse(section(n))
        print(
            f"n={n:5d}: locate {located:6.3f} s ({located / n * 1e6:6.1f} us/need), "
            f"remove {removed:6.3f} s ({removed / n * 1e6:6.1f} us/need)"
        )
