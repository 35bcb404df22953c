"""Incremental export state: high-water mark, one day of overlap, exact duplicates dropped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli._state import ExportState, IncrementalRun, StateError, load_state, save_state

SELECTION = {"resource": "worklogs", "path": "/worklogs", "params": {}}


def worklog(id_: int, updated_at: str) -> dict[str, Any]:
    return {"tempoWorklogId": id_, "updatedAt": updated_at, "description": "x"}


def test_a_first_run_keeps_everything_and_remembers_the_last_two_days() -> None:
    run = IncrementalRun(None, SELECTION)
    assert run.updated_from is None
    records = [
        worklog(1, "2026-03-01T10:00:00Z"),
        worklog(2, "2026-03-08T00:00:00Z"),  # 00:00 UTC two days before H's day: kept
        worklog(3, "2026-03-07T23:59:59Z"),  # before that: forgotten
        worklog(4, "2026-03-10T08:30:00Z"),  # H
        worklog(5, "2026-03-09T12:00:00Z"),
    ]
    assert run.keep(records) == records
    state = run.state()
    assert state.high_water == "2026-03-10T08:30:00Z"
    assert state.updated_from == dt.date(2026, 3, 9)
    assert state.seen == {
        (2, "2026-03-08T00:00:00Z"),
        (4, "2026-03-10T08:30:00Z"),
        (5, "2026-03-09T12:00:00Z"),
    }


def test_the_next_run_drops_exact_duplicates_and_keeps_changes() -> None:
    previous = ExportState(
        SELECTION,
        "2026-03-10T08:30:00Z",
        frozenset({(4, "2026-03-10T08:30:00Z"), (5, "2026-03-09T12:00:00Z")}),
    )
    run = IncrementalRun(previous, SELECTION)
    assert run.updated_from == dt.date(2026, 3, 9)
    changed = worklog(5, "2026-03-11T07:00:00Z")
    new = worklog(6, "2026-03-10T08:00:00Z")  # committed late, before H: still new
    page = [worklog(4, "2026-03-10T08:30:00Z"), changed, new, worklog(5, "2026-03-09T12:00:00Z")]
    assert run.keep(page) == [changed, new]
    assert run.keep([changed]) == []  # the same record twice in one run
    state = run.state()
    assert state.high_water == "2026-03-11T07:00:00Z"
    assert state.seen == {
        (4, "2026-03-10T08:30:00Z"),
        (5, "2026-03-09T12:00:00Z"),
        (5, "2026-03-11T07:00:00Z"),
        (6, "2026-03-10T08:00:00Z"),
    }


def test_an_empty_run_keeps_the_previous_state() -> None:
    previous = ExportState(
        SELECTION, "2026-03-10T08:30:00Z", frozenset({(4, "2026-03-10T08:30:00Z")})
    )
    state = IncrementalRun(previous, SELECTION).state()
    assert state == previous


def test_records_without_id_or_updated_at_are_written_but_not_tracked() -> None:
    run = IncrementalRun(None, SELECTION)
    odd = [{"tempoWorklogId": 1}, {"updatedAt": "2026-01-01T00:00:00Z"}, "not an object"]
    assert run.keep(odd) == odd
    assert run.state().high_water is None


def test_the_state_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_state(path, SELECTION) is None
    state = ExportState(
        SELECTION, "2026-03-10T08:30:00Z", frozenset({(4, "2026-03-10T08:30:00Z"), ("x", "t")})
    )
    save_state(path, state, records=7)
    document = json.loads(path.read_text())
    assert document["nextUpdatedFrom"] == "2026-03-09"
    assert document["lastRun"]["records"] == 7
    assert load_state(path, SELECTION) == state


def test_a_state_file_of_another_selection_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    save_state(path, ExportState(SELECTION, None), records=0)
    other = {**SELECTION, "params": {"project": ["PLAT"]}}
    with pytest.raises(StateError, match="another export"):
        load_state(path, other)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"format": "something else"}',
        '{"format": "tempo-async export state", "version": 9}',
    ],
)
def test_a_file_that_is_not_a_state_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content)
    with pytest.raises(StateError):
        load_state(path, SELECTION)
