"""The sorted worklog indexes behind the paged lists."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from tempo_async.emulator.v3.worklog_store import (
    SortedIndex,
    Source,
    UpdatedIndex,
    WorklogStore,
    account_of,
)


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


def test_updated_index_keeps_updated_at_then_id_order() -> None:
    index = UpdatedIndex()
    for stamp, worklog_id, day in [
        ("2025-02-01T10:00:00Z", 5, "2025-01-05"),
        ("2025-01-20T08:00:00Z", 9, "2025-01-09"),
        ("2025-02-01T10:00:00Z", 1, "2025-01-01"),
    ]:
        index.insert(stamp, worklog_id, day)
    index.extend(["2025-02-01T00:00:00Z", "2025-01-01T00:00:00Z"], [10, 11], ["d10", "d11"])
    assert index.ids == [11, 9, 10, 1, 5]
    assert index.dates == ["d11", "2025-01-09", "d10", "2025-01-01", "2025-01-05"]
    assert index.since("2025-02-01") == 2  # the date's own day counts
    assert index.since("2025-02-02") == 5
    index.remove("2025-02-01T10:00:00Z", 1)
    assert index.ids == [11, 9, 10, 5]
    with pytest.raises(KeyError):
        index.remove("2025-02-01T10:00:00Z", 1)


Filter = tuple[list[Source] | None, str | None, str | None, frozenset[str] | None]


def brute_force(store: WorklogStore, flt: Filter, updated_from: str | None) -> list[int]:
    """The ids `select` must give, by checking every worklog."""
    sources, from_, to, projects = flt

    def key(kind: str, w: dict[str, Any]) -> str | None:
        issue = w["issue"]["key"]
        keys: dict[str, str | None] = {
            "issue": issue,
            "project": issue.split("-")[0],
            "author": w["author"]["accountId"],
            "account": account_of(w),
        }
        return keys[kind]

    def in_source(w: dict[str, Any], s: Source) -> bool:
        day = w["startDate"]
        return (
            key(s.kind, w) == s.key
            and (s.from_ is None or s.from_ <= day)
            and (s.to is None or day <= s.to)
        )

    chosen = [
        w
        for w in store.by_id.values()
        if (updated_from is None or w["updatedAt"] >= updated_from)
        and (from_ is None or from_ <= w["startDate"])
        and (to is None or w["startDate"] <= to)
        and (sources is None or any(in_source(w, s) for s in sources))
        and (projects is None or w["issue"]["key"].split("-")[0] in projects)
    ]
    chosen.sort(key=lambda w: (w["startDate"], w["tempoWorklogId"]))
    return [w["tempoWorklogId"] for w in chosen]


def select_updated(store: WorklogStore, flt: Filter, updated_from: str) -> list[int]:
    """`select` with `updated_from`, as the worklog lists call it."""
    sources, from_, to, projects = flt
    inner: Callable[[dict[str, Any]], bool] | None = None
    inner_key = None
    if projects is not None:
        wanted = projects

        def inner(w: dict[str, Any]) -> bool:
            return w["issue"]["key"].split("-")[0] in wanted

        inner_key = ("project", projects)
    selection = store.select(
        sources,
        from_=from_,
        to=to,
        updated_from=updated_from,
        predicate=inner,
        predicate_key=inner_key,
    )
    return selection.window(0, len(selection) + 1)


def random_worklog(rng: random.Random, worklog_id: int) -> dict[str, Any]:
    day = f"2025-01-{rng.randint(1, 28):02d}"
    # updatedAt: many shared, some at midnight, none before the start date
    hour = rng.choice(["00", "09", "23"])
    stamp = f"2025-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}T{hour}:00:00Z"
    return worklog(
        worklog_id,
        day,
        issue=f"{rng.choice('ABC')}-{rng.randint(1, 4)}",
        author=rng.choice(["u1", "u2", "u3"]),
        account=rng.choice([None, "ACC", "OPS"]),
        updated=max(stamp, f"{day}T{hour}:00:00Z"),
    )


FILTERS: list[Filter] = [
    (None, None, None, None),
    (None, "2025-01-10", "2025-01-20", None),
    ([Source("project", "A")], None, None, None),
    ([Source("project", "B")], "2025-01-05", None, None),
    ([Source("author", "u2")], None, "2025-01-15", None),
    ([Source("account", "OPS")], None, None, None),
    ([Source("issue", "C-2")], None, None, None),
    # a team: members while they were members
    (
        [Source("author", "u1", None, "2025-01-10"), Source("author", "u3", "2025-01-08", None)],
        None,
        None,
        None,
    ),
    # a Jira filter: projects and issues, overlapping
    ([Source("project", "A"), Source("issue", "A-1"), Source("issue", "B-3")], None, None, None),
    # issues limited to projects
    ([Source("issue", "A-2"), Source("issue", "B-2")], None, None, frozenset({"B"})),
    ([Source("project", "Z")], None, None, None),
]
UPDATED_FROM = [
    "2024-12-01",  # before every update
    "2025-01-15",
    "2025-02-01",
    "2025-02-14",
    "2025-03-28",
    "2025-03-29",  # after every update
]


def check_updated_from(store: WorklogStore) -> None:
    """Every filter and updatedFrom selects what checking each worklog selects."""
    updated = store.updated
    assert sorted(updated.ids) == sorted(store.by_id)
    rows = list(zip(updated.stamps, updated.ids, strict=True))
    assert rows == sorted(rows)
    assert rows == sorted((store.by_id[i]["updatedAt"], i) for i in store.by_id)
    assert updated.dates == [store.by_id[i]["startDate"] for i in updated.ids]
    for flt in FILTERS:
        for updated_from in UPDATED_FROM:
            expected = brute_force(store, flt, updated_from)
            assert select_updated(store, flt, updated_from) == expected
            # again, from the cache
            assert select_updated(store, flt, updated_from) == expected


@pytest.mark.parametrize("plan", ["cheapest", "scan", "probe", "sort"])
def test_updated_from_selects_as_checking_every_worklog(
    plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if plan != "cheapest":
        # every way of materializing must agree; "sort" only serves all worklogs
        monkeypatch.setattr(
            WorklogStore,
            "_plan",
            lambda self, slices, start, *, whole: plan if whole or plan != "sort" else "probe",
        )
    rng = random.Random(plan)
    store = make_store()
    seeded = sorted(
        (random_worklog(rng, n) for n in range(1, 301)),
        key=lambda w: (w["startDate"], w["tempoWorklogId"]),
    )
    for n, w in enumerate(seeded, 1):  # ids in (startDate, id) order, as seeding needs
        w["tempoWorklogId"], w["jiraWorklogId"] = n, 1000 + n
    store.load_sorted(seeded[:200])
    store.load_sorted(seeded[200:])  # onto stored worklogs
    for n in range(301, 401):
        store.add(random_worklog(rng, n))
    check_updated_from(store)
    # writes: updates (new updatedAt, maybe a new date, issue, author), deletes, creates
    for worklog_id in rng.sample(sorted(store.by_id), 60):
        fresh = random_worklog(rng, worklog_id)
        store.replace(fresh)
    for worklog_id in rng.sample(sorted(store.by_id), 40):
        store.remove(worklog_id)
    for n in range(401, 431):
        store.add(random_worklog(rng, n))
    check_updated_from(store)
    while len(store):
        store.remove(next(iter(store.by_id)))
    check_updated_from(store)


def test_an_updated_from_before_or_after_every_update_needs_no_filtering() -> None:
    store = make_store()
    store.add(worklog(1, "2025-01-01", updated="2025-01-05T00:00:00Z"))
    store.add(worklog(2, "2025-01-02", updated="2025-01-03T00:00:00Z"))
    every = store.select(None, updated_from="2025-01-03")
    assert every.window(0, 10) == [1, 2]
    assert store.select(None, updated_from="2025-01-06").window(0, 10) == []
    assert store.select(None, updated_from="2025-01-04").window(0, 10) == [1]
