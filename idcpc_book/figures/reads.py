"""What a figure read of the needs, so that a build draws it again only when that changed.

A figure is a function of the needs it reads (and of the chapters' order and the page it
is on). :class:`Reading` hands a drawing the needs through read-only views that note every
field read, every need looked up and whether the list of needs was walked; :func:`fresh`
tells whether the same reads give the same values in other needs. No list of the fields
a figure uses is kept by hand, so none can be forgotten: a field the drawing did not read
cannot change the drawing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Needs = Mapping[str, Mapping[str, Any]]

#: A field that was looked up and not found.
MISSING = "\0missing"
#: The key under which a need looked up as a whole (``need in needs``, ``needs[id]``)
#: notes whether it exists; :data:`EVERY` notes a need walked through (its every field).
WHOLE, EVERY = "\0need", "\0every"
#: A value holding this may be a sphinx-needs dynamic function, resolved later.
FUNCTION = "[["


def plain(value: Any) -> Any:
    """``value`` as JSON holds it (tuples as lists, mappings as dicts): a copy to compare."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


@dataclass
class Reads:
    """Everything a drawing read: ``(need ID, field) -> value`` and the IDs, if listed."""

    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: The needs' IDs, sorted, when the drawing walked the needs (``None`` if it did not).
    #: Sorted: a rebuild reorders the needs of the pages it read, and no figure depends on
    #: their order (each sorts what it draws; tests/test_incremental.py compares rebuilt
    #: figures with a clean build's).
    ids: tuple[str, ...] | None = None


class _NeedView(Mapping[str, Any]):
    """One need, read-only, noting each field read."""

    def __init__(self, reads: Reads, need_id: str, need: Mapping[str, Any]) -> None:
        self._reads, self._id, self._need = reads, need_id, need

    def __getitem__(self, key: str) -> Any:
        value = self._need.get(key, MISSING)
        self._reads.values[(self._id, key)] = plain(value)
        if value is MISSING:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        self._reads.values[(self._id, EVERY)] = plain(dict(self._need))
        return iter(self._need)

    def __len__(self) -> int:
        self._reads.values[(self._id, EVERY)] = plain(dict(self._need))
        return len(list(self._need))

    def __bool__(self) -> bool:
        return True  # a need is true whatever it holds (sphinx-needs' NeedItem has no length)


class Reading(Mapping[str, Mapping[str, Any]]):
    """The needs as a drawing sees them; :attr:`reads` is what it looked at."""

    def __init__(self, needs: Needs) -> None:
        self._needs = needs
        self.reads = Reads()

    def __getitem__(self, need_id: str) -> Mapping[str, Any]:
        need = self._needs.get(need_id)
        self.reads.values[(need_id, WHOLE)] = need is not None
        if need is None:
            raise KeyError(need_id)
        return _NeedView(self.reads, need_id, need)

    def __contains__(self, need_id: object) -> bool:
        found = need_id in self._needs
        if isinstance(need_id, str):
            self.reads.values[(need_id, WHOLE)] = found
        return found

    def __iter__(self) -> Iterator[str]:
        self.reads.ids = tuple(sorted(self._needs))
        return iter(self._needs)

    def __len__(self) -> int:
        self.reads.ids = tuple(sorted(self._needs))
        return len(self.reads.ids)


def _has_function(value: Any) -> bool:
    if isinstance(value, str):
        return FUNCTION in value
    if isinstance(value, list):
        return any(_has_function(v) for v in value)
    if isinstance(value, dict):
        return any(_has_function(v) for v in value.values())
    return False


def fresh(
    reads: Reads,
    needs: Needs,
    volatile: frozenset[str] = frozenset(),
    links: frozenset[str] = frozenset(),
) -> bool:
    """Whether every read of ``reads`` gives the same value in ``needs``.

    For needs not yet post-processed by sphinx-needs: a read of a ``volatile`` field, or of
    a value that may hold a dynamic function, is never the same (``needs`` may not have
    computed it yet), and the ``links`` fields are compared as sets (sphinx-needs sorts
    them and drops repeats)."""
    if reads.ids is not None and reads.ids != tuple(sorted(needs)):
        return False

    def same(key: str, was: Any, now: Any) -> bool:
        if key in links and isinstance(was, list) and isinstance(now, list):
            return sorted(set(map(str, was))) == sorted(set(map(str, now)))
        return bool(was == now)

    for (need_id, key), value in reads.values.items():
        need = needs.get(need_id)
        if key == WHOLE:
            if value != (need is not None):
                return False
            continue
        if need is None or key in volatile:
            return False
        if key == EVERY:
            now = plain(dict(need))
            if volatile & (set(value) | set(now)) or set(value) != set(now):
                return False
            if not all(same(k, value[k], now[k]) for k in now) or _has_function(now):
                return False
            continue
        now = plain(need.get(key, MISSING))
        if not same(key, value, now) or _has_function(now):
            return False
    return True
