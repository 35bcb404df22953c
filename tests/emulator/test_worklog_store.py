"""The sorted worklog indexes behind the paged lists."""

from __future__ import annotations

from typing import Any

import pytest

from tempo_async.emulator.v3.worklog_store import SortedIndex, Source, WorklogStore


def worklog(
    worklog_id: int,
    day: str,
    issue: str = "A-1",
    author: str = "u1",
    account: str | None = "ACC",
    updated: str = "2025-01-01T00:00:00Z",
) -> dict[str, Any]:
    values = [{"key": "_Account_", "value": account}] if account else []
    return {
        "tempoWorklogId": worklog_id,
        "jiraWorklogId": 1000 + worklog_id,
        "startDate": day,
        "issue": {"key": issue},
        "author": {"accountId": author},
        "updatedAt": updated,
        "attributes": {"self": "", "values": values},
    }


def make_store() -> WorklogStore:
    return WorklogStore(lambda issue: issue.split("-")[0])


def test_sorted_index_keeps_date_then_id_order() -> None:
    index = SortedIndex()
    for day, worklog_id in [
        ("2025-01-02", 5),
        ("2025-01-01", 9),
        ("2025-01-02", 1),
        ("2025-01-03", 2),
    ]:
        index.insert(day, worklog_id)
    assert index.ids == [9, 1, 5, 2]
    assert index.span("2025-01-02", "2025-01-02") == (1, 3)
    assert index.span(None, "2025-01-01") == (0, 1)
    assert index.span("2025-01-04", None) == (4, 4)
    index.remove("2025-01-02", 1)
    assert index.ids == [9, 5, 2]
    with pytest.raises(KeyError):
        index.remove("2025-01-02", 1)


def test_select_by_index_key_and_window() -> None:
    store = make_store()
    store.add(worklog(1, "2025-01-01", issue="A-1", author="u1"))
    store.add(worklog(2, "2025-01-02", issue="B-1", author="u2"))
    store.add(worklog(3, "2025-01-03", issue="A-2", author="u1"))
    assert store.select(None).window(0, 10) == [1, 2, 3]
    assert store.select([Source("project", "A")]).window(0, 10) == [1, 3]
    assert store.select([Source("author", "u1", "2025-01-02", None)]).window(0, 10) == [3]
    union = store.select([Source("issue", "A-1"), Source("project", "A")])
    assert union.window(0, 10) == [1, 3]
    assert len(union) == 2
    assert store.select([Source("issue", "Z-9")]).window(0, 10) == []
    assert store.select(None, from_="2025-01-02", to="2025-01-02").window(0, 10) == [2]


def test_cached_selections_follow_writes() -> None:
    store = make_store()
    store.add(worklog(1, "2025-01-01", updated="2025-02-01T00:00:00Z"))
    store.add(worklog(2, "2025-01-02", updated="2025-01-01T00:00:00Z"))

    def recent(w: dict[str, Any]) -> bool:
        return bool(w["updatedAt"] >= "2025-01-15")

    assert store.select(None, predicate=recent, predicate_key="recent").window(0, 10) == [1]
    store.replace(worklog(2, "2025-01-02", updated="2025-03-01T00:00:00Z"))
    assert store.select(None, predicate=recent, predicate_key="recent").window(0, 10) == [1, 2]
    store.remove(1)
    assert store.select(None, predicate=recent, predicate_key="recent").window(0, 10) == [2]
    assert store.get_by_jira_id(1001) is None
    assert store.get_by_jira_id(1002) == store.get(2)


def test_time_spent_sums_an_authors_worklogs() -> None:
    store = make_store()
    for worklog_id, day in [(1, "2025-01-01"), (2, "2025-01-15"), (3, "2025-02-01")]:
        store.add({**worklog(worklog_id, day), "timeSpentSeconds": 100 * worklog_id})
    assert store.time_spent("u1", "2025-01-01", "2025-01-31") == 300
    assert store.time_spent("nobody", "2025-01-01", "2025-01-31") == 0
