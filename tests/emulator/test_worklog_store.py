"""The sorted worklog indexes behind the paged lists."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from tempo_async.emulator.v3.worklog_columns import WorklogFields
from tempo_async.emulator.v3.worklog_index import SortedIndex
from tempo_async.emulator.v3.worklog_store import (
    Source,
    WorklogStore,
    account_of,
)


def render(fields: WorklogFields) -> dict[str, Any]:
    """A (reduced) v3 body of a worklog's fields."""
    return {
        "tempoWorklogId": fields.id,
        "jiraWorklogId": fields.jira_id,
        "issue": {"key": fields.issue_key},
        "author": {"accountId": fields.author},
        "startDate": fields.start_date,
        "startTime": fields.start_time,
        "timeSpentSeconds": fields.spent,
        "billableSeconds": fields.billable,
        "description": fields.description,
        "createdAt": fields.created_at,
        "updatedAt": fields.updated_at,
        "attributes": {"self": "", "values": fields.attribute_values},
    }


def worklog(
    worklog_id: int,
    day: str,
    issue: str = "A-1",
    author: str = "u1",
    account: str | None = "ACC",
    updated: str = "2025-01-01T00:00:00Z",
) -> dict[str, Any]:
    values = [{"key": "_Account_", "value": account}] if account else []
    return render(
        WorklogFields(
            worklog_id,
            1000 + worklog_id,
            issue,
            author,
            day,
            "09:00:00",
            3600,
            3600,
            "",
            values,
            updated,
            updated,
        )
    )


def make_store() -> WorklogStore:
    def render_rows(rows: Sequence[int]) -> list[dict[str, Any]]:
        return list(map(render, store.columns.fields_many(rows)))

    store = WorklogStore(lambda issue: issue.split("-")[0], render, render_rows)
    return store


def test_sorted_index_keeps_key_then_row_order() -> None:
    dates = {5: "2025-01-02", 9: "2025-01-01", 1: "2025-01-02", 2: "2025-01-03"}
    index = SortedIndex(dates.__getitem__)
    for row in dates:
        index.insert(row)
    assert list(index.rows) == [9, 1, 5, 2]
    assert index.span("2025-01-02", "2025-01-02") == (1, 3)
    assert index.span(None, "2025-01-01") == (0, 1)
    assert index.span("2025-01-04", None) == (4, 4)
    index.remove(1)
    assert list(index.rows) == [9, 5, 2]
    with pytest.raises(KeyError):
        index.remove(1)


def test_bodies_come_back_as_stored() -> None:
    store = make_store()
    odd = {
        **worklog(1, "2025-01-01"),
        "timeSpentSeconds": 1800.0,  # a float stays a float, 1 and True stay apart
        "billableSeconds": 1800,
        "attributes": {"self": "", "values": [{"key": "B", "value": True}]},
    }
    plain = {
        **worklog(2, "2025-01-01"),
        "attributes": {"self": "", "values": [{"key": "B", "value": 1}]},
    }
    store.add(odd)
    store.add(plain)
    assert store.get(1) == odd
    assert type(store.get(1)["timeSpentSeconds"]) is float  # type: ignore[index]
    assert store.get(2) == plain
    assert store.get(2)["attributes"]["values"][0]["value"] is not True  # type: ignore[index]
    assert store.get_by_jira_id(1002) == plain
    assert store.fields_of(1) == WorklogFields.of_body(odd)
    assert store.uses_attribute("B") and not store.uses_attribute("_Account_")
    store.remove(1)
    store.remove(2)
    assert not store.uses_attribute("B")


def test_ids_out_of_order_and_ids_used_again() -> None:
    store = make_store()
    store.add(worklog(10, "2025-01-02"))
    store.add(worklog(3, "2025-01-02"))  # below the last id: looked up by dict from now on
    assert store.get(3) == worklog(3, "2025-01-02")
    assert store.get(10) == worklog(10, "2025-01-02")
    removed = store.remove(10)
    assert store.get(10) is None and 10 not in store.by_id
    store.add({**removed, "startDate": "2025-01-01"})  # the same id again, a new row
    assert store.get(10)["startDate"] == "2025-01-01"  # type: ignore[index]
    assert store.get_by_jira_id(1010) == store.get(10)
    assert sorted(store.by_id) == [3, 10]
    assert store.select(None).window(0, 10) == [10, 3]
    assert [w["tempoWorklogId"] for w in store.worklogs_of("author", "u1")] == [10, 3]
    with pytest.raises(KeyError):
        store.add(worklog(3, "2025-01-05"))


def test_a_changed_jira_id_is_found() -> None:
    store = make_store()
    store.add(worklog(1, "2025-01-01"))
    store.add(worklog(2, "2025-01-01"))
    store.replace({**worklog(2, "2025-01-01"), "jiraWorklogId": 5})
    assert store.get_by_jira_id(1002) is None
    assert store.get_by_jira_id(5) == store.get(2)
    assert store.get_by_jira_id(1001) == store.get(1)


def test_pooled_load_equals_adding_one_by_one() -> None:
    pooled_store, added_store = make_store(), make_store()
    days = ["2025-01-01", "2025-01-02", "2025-01-03"]
    values = [[{"key": "_Account_", "value": "ACC"}], []]
    picks = [0, 0, 1, 2, 2, 2]
    pooled = {
        "issue_key": (["A-1", "B-1"], [0, 1, 0, 1, 0, 1]),
        "author": (["u1", "u2"], [1, 0, 0, 1, 1, 0]),
        "start_date": (days, picks),
        "start_time": (["09:00:00"], [0] * 6),
        "spent": ([60, 90.5], [0, 1, 0, 1, 0, 1]),
        "billable": ([0], [0] * 6),
        "description": (["x", "y"], [0, 1, 1, 0, 0, 1]),
        "attribute_values": (values, [0, 1, 0, 1, 0, 1]),
        "created_at": (days, picks),
        "updated_at": (days, [2, 1, 0, 2, 1, 0]),
    }
    with pytest.raises(ValueError, match="spent: 5 values for 6 worklogs"):
        make_store().load_pooled(range(1, 7), range(101, 107), {**pooled, "spent": ([60], [0] * 5)})
    pooled_store.load_pooled(range(1, 7), range(101, 107), pooled)
    for fields in pooled_store.columns.fields_many(pooled_store.all.rows):
        added_store.add(render(fields))
    assert list(pooled_store) == list(added_store)
    assert [w["tempoWorklogId"] for w in pooled_store] == [1, 2, 3, 4, 5, 6]
    for kind in ("issue", "project", "author", "account"):
        for key, index in added_store.indexes[kind].items():  # type: ignore[attr-defined]
            assert list(pooled_store.indexes[kind][key].rows) == list(index.rows)  # type: ignore[index]
    assert list(pooled_store.updated.rows) == list(added_store.updated.rows)
    assert pooled_store.select(None, updated_from="2025-01-03").window(0, 9) == [1, 4]


def test_cached_selections_follow_writes() -> None:
    store = make_store()
    store.add(worklog(1, "2025-01-01", updated="2025-02-01T00:00:00Z"))
    store.add(worklog(2, "2025-01-02", updated="2025-01-01T00:00:00Z"))

    def recent(w: WorklogFields) -> bool:
        return w.updated_at >= "2025-01-15"

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
    inner: Callable[[WorklogFields], bool] | None = None
    inner_key = None
    if projects is not None:
        wanted = projects

        def inner(w: WorklogFields) -> bool:
            return w.issue_key.split("-")[0] in wanted

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
    ids, stamp_of = store.columns.ids.ids, store.columns.key_of("updated_at")
    rows = [(stamp_of(row), ids[row]) for row in store.updated.rows]
    assert rows == sorted((store.by_id[i]["updatedAt"], i) for i in store.by_id)
    for flt in FILTERS:
        for updated_from in UPDATED_FROM:
            expected = brute_force(store, flt, updated_from)
            assert select_updated(store, flt, updated_from) == expected
            # again, from the cache
            assert select_updated(store, flt, updated_from) == expected


@pytest.mark.parametrize("plan", ["cheapest", "flag", "sort"])
def test_updated_from_selects_as_checking_every_worklog(
    plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if plan != "cheapest":
        # every way of materializing must agree; "sort" only serves all worklogs
        monkeypatch.setattr(
            WorklogStore,
            "_plan",
            lambda self, selected, start, *, whole: plan if whole else "flag",
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
