"""A figure is drawn again only when what it read of the needs changed
(idcpc_book.figures.reads, idcpc_book.ext.book.drawings)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from idcpc_book.ext.book import drawings
from idcpc_book.figures import Drawing
from idcpc_book.figures.reads import Reading, fresh

NEEDS: dict[str, dict[str, Any]] = {
    "CLM_B": {"id": "CLM_B", "type": "claim", "event_date": "2013-05-22", "cites": ["S1", "S2"]},
    "CLM_A": {"id": "CLM_A", "type": "claim", "event_date": "", "cites": ["S1"]},
    "S1": {"id": "S1", "type": "source", "kind": "state-media"},
    "S2": {"id": "S2", "type": "source", "kind": "independent-media"},
}


def _copy() -> dict[str, dict[str, Any]]:
    return json.loads(json.dumps(NEEDS))


def _dated(needs: Any) -> list[tuple[str, str]]:
    """A figure's reading: the dated claims, as the timeline reads them."""
    return sorted(
        (n["id"], n["event_date"])
        for n in needs.values()
        if n["type"] == "claim" and n["event_date"]
    )


def test_a_drawing_reads_through_and_is_fresh_on_the_same_needs() -> None:
    reading = Reading(NEEDS)
    assert _dated(reading) == [("CLM_B", "2013-05-22")]
    assert fresh(reading.reads, _copy())
    assert ("CLM_B", "event_date") in reading.reads.values
    assert ("CLM_B", "cites") not in reading.reads.values  # not read: cannot matter


def test_a_field_it_did_not_read_changes_nothing() -> None:
    reading = Reading(NEEDS)
    _dated(reading)
    needs = _copy()
    needs["S1"]["kind"] = "commentary"
    needs["CLM_B"]["cites"] = ["S2"]
    assert fresh(reading.reads, needs)


@pytest.mark.parametrize(
    "edit",
    [
        lambda n: n["CLM_B"].update(event_date="2013-05-23"),  # a value read
        lambda n: n["CLM_A"].update(event_date="2014-01-01"),  # a value read as empty
        lambda n: n.pop("CLM_A"),  # a need gone
        lambda n: n.update(CLM_C={"id": "CLM_C", "type": "claim", "event_date": "2020-01-01"}),
        lambda n: n["CLM_B"].pop("event_date"),  # a field gone
    ],
    ids=["value", "empty-value", "need-removed", "need-added", "field-removed"],
)
def test_a_change_to_what_it_read_makes_it_stale(edit) -> None:
    reading = Reading(NEEDS)
    _dated(reading)
    needs = _copy()
    edit(needs)
    assert not fresh(reading.reads, needs)


def test_the_order_of_the_needs_does_not_count() -> None:
    """A rebuild puts the needs of the pages it read last."""
    reading = Reading(NEEDS)
    _dated(reading)
    assert fresh(reading.reads, dict(reversed(list(_copy().items()))))


def test_links_are_sets_before_sphinx_needs_sorts_them() -> None:
    reading = Reading(NEEDS)
    assert reading["CLM_B"]["cites"] == ["S1", "S2"]
    needs = _copy()
    needs["CLM_B"]["cites"] = ["S2", "S1", "S2"]
    assert not fresh(reading.reads, needs)  # compared as written
    assert fresh(reading.reads, needs, links=frozenset({"cites"}))
    needs["CLM_B"]["cites"] = ["S2"]
    assert not fresh(reading.reads, needs, links=frozenset({"cites"}))


def test_computed_fields_and_dynamic_functions_are_never_fresh() -> None:
    needs = _copy()
    needs["CLM_B"]["cites_back"] = []
    reading = Reading(needs)
    assert reading["CLM_B"]["cites_back"] == []
    assert fresh(reading.reads, needs)
    assert not fresh(reading.reads, needs, volatile=frozenset({"cites_back"}))
    needs["CLM_B"]["event_date"] = '[[copy("event_date", "CLM_A")]]'
    reading = Reading(needs)
    assert reading["CLM_B"]["event_date"].startswith("[[")
    assert not fresh(reading.reads, needs)


def test_a_need_is_true_and_a_missing_field_is_a_key_error() -> None:
    reading = Reading(NEEDS)
    need = reading["CLM_A"]
    assert need  # sphinx-needs' NeedItem has no length: always true
    with pytest.raises(KeyError):
        need["holder"]
    assert need.get("holder") is None
    needs = _copy()
    needs["CLM_A"]["holder"] = "Liu Jianchao"
    assert not fresh(reading.reads, needs)  # read as missing, now there


class _App:
    """What :mod:`drawings` reads of the application."""

    def __init__(self, doctreedir) -> None:
        self.doctreedir = doctreedir


def test_kept_drawings_survive_a_new_process_and_a_broken_file_draws_again(tmp_path) -> None:
    key = ("html", "timeline", "timeline")
    chapters = (("index", "Home"),)
    drawn = Drawing(b"<svg/>", "alt", "caption", [["Claim", "Date"], [("x", "CLM_B"), "2013"]])
    calls: list[int] = []

    def draw(reading: Any) -> Drawing:
        calls.append(1)
        _dated(reading)
        return drawn

    app = _App(tmp_path)
    assert drawings.drawn(app, key, NEEDS, chapters, draw) == drawn  # type: ignore[arg-type]
    drawings.save(app, None)  # type: ignore[arg-type]
    again = _App(tmp_path)  # a new build: read from the file
    assert drawings.drawn(again, key, _copy(), chapters, draw) == drawn  # type: ignore[arg-type]
    assert len(calls) == 1
    (tmp_path / drawings.FILE).write_text("{not json", encoding="utf-8")
    broken = _App(tmp_path)
    assert drawings.drawn(broken, key, NEEDS, chapters, draw) == drawn  # type: ignore[arg-type]
    assert len(calls) == 2
    drawings.save(broken, RuntimeError("the build failed"))  # type: ignore[arg-type]
    assert not (tmp_path / drawings.FILE).exists()


def test_drawings_kept_by_other_code_are_drawn_again(tmp_path) -> None:
    """A figure module changed since (or another matplotlib): what was kept is not reused."""
    key, chapters = ("html", "timeline", "timeline"), (("index", "Home"),)
    calls: list[int] = []

    def draw(reading: Any) -> Drawing:
        calls.append(1)
        _dated(reading)
        return Drawing(b"<svg/>", "alt", "caption")

    app = _App(tmp_path)
    drawings.drawn(app, key, NEEDS, chapters, draw)  # type: ignore[arg-type]
    drawings.save(app, None)  # type: ignore[arg-type]
    path = tmp_path / drawings.FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["made_by"] == drawings.made_by()
    drawings.drawn(_App(tmp_path), key, NEEDS, chapters, draw)  # type: ignore[arg-type]
    assert len(calls) == 1  # kept
    data["made_by"]["code"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    drawings.drawn(_App(tmp_path), key, NEEDS, chapters, draw)  # type: ignore[arg-type]
    assert len(calls) == 2  # drawn again
