"""A problem found by a rule, located at a file and line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule: ``path:line: ID: message`` (``path: ID: message`` at line 0: a
    claim gone from its chapter has no line)."""

    path: str
    line: int
    obj: str
    message: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.obj}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
