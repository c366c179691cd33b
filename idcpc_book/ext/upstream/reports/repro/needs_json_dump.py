"""json.dump (as in sphinx-needs' NeedsList.write_json) against f.write(json.dumps(...)).

Run: python needs_json_dump.py   (stdlib only; asserts both give the same text)
"""

import io
import json
import time
from collections.abc import Callable
from typing import Any


def need(i: int) -> dict[str, Any]:
    """A need shaped roughly like sphinx-needs 9.1 writes it (about 55 fields)."""
    fields: dict[str, Any] = {f"extra_{j}": None for j in range(30)}
    fields.update(
        id=f"REQ_{i:05d}", title=f"Requirement {i}", type="req", type_name="Requirement",
        content=f"The system shall do thing {i}. " * 3, docname=f"chapter{i % 10}",
        lineno=i, links=[f"REQ_{i - 1:05d}"] if i else [], links_back=[], tags=["a", "b"],
        status=None, is_external=False, sections=["Chapter"], constraints=[],
        constraints_passed=True, constraints_results={}, arch={}, layout="", style=None,
        hide=False, collapse=False, signature=None, external_url=None, parent_need=None,
    )  # fmt: skip
    return fields


DATA = {
    "current_version": "",
    "project": "p",
    "versions": {"": {"needs": {f"REQ_{i:05d}": need(i) for i in range(7500)}}},
}


def best_of(run: Callable[[], object], times: int = 5) -> float:
    """The shortest of ``times`` runs, in seconds."""
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return min(spent)


def with_dump() -> str:
    out = io.StringIO()
    json.dump(DATA, out, sort_keys=True)
    return out.getvalue()


def with_dumps() -> str:
    out = io.StringIO()
    out.write(json.dumps(DATA, sort_keys=True))
    return out.getvalue()


assert with_dump() == with_dumps()
print(
    f"{len(with_dumps()) / 1e6:.1f} MB: json.dump {best_of(with_dump):.3f} s, "
    f"f.write(json.dumps(...)) {best_of(with_dumps):.3f} s, same text"
)
