"""`updatedFrom` on the paged worklog lists: exactly the worklogs whose updatedAt is on or
after the date, in (startDate, id) order, with every other filter, before and after
worklogs are created, updated and deleted through the API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest

from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.worklog_store import WorklogStore, account_of

from .helpers import NOW, TODAY, Api

Worklog = dict[str, Any]


class Clock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emu(clock: Clock) -> AsyncIterator[Emulator]:
    async with Emulator(worklogs=400, seed=7, today=TODAY, clock=clock) as emulator:
        yield emulator


@pytest.fixture
def api(emu: Emulator, session: aiohttp.ClientSession) -> Api:
    return Api(session, emu.base_url)


def lists(emu: Emulator) -> list[tuple[str, dict[str, Any], Callable[[Worklog], bool]]]:
    """(path, query, which worklogs it lists) of every kind of paged list."""
    state = emu.state
    store = state.worklogs
    user = max(store.indexes["author"], key=lambda k: len(store.indexes["author"][k]))
    account = max(store.indexes["account"], key=lambda k: len(store.indexes["account"][k]))
    issue = max(store.indexes["issue"], key=lambda k: len(store.indexes["issue"][k]))
    web_issue = next(k for k in store.indexes["issue"] if k.startswith("WEB-"))
    team_id = next(m["teamId"] for m in state.memberships.values() if m.get("to"))
    windows = [
        (m["accountId"], m.get("from") or "0000", m.get("to") or "9999")
        for m in state.memberships_of_team(team_id)
    ]
    hot = state.jira_filters["10002"]["issues"]
    first_two = state.jira_filters["10001"]["projects"]

    def project(w: Worklog) -> str | None:
        return state.project_of(w["issue"]["key"])

    return [
        ("/worklogs", {}, lambda w: True),
        (
            "/worklogs",
            {"from": "2025-03-01", "to": "2025-05-31"},
            lambda w: "2025-03-01" <= w["startDate"] <= "2025-05-31",
        ),
        ("/worklogs/project/PLAT", {}, lambda w: project(w) == "PLAT"),
        (
            "/worklogs/project/WEB",
            {"from": "2025-01-01"},
            lambda w: project(w) == "WEB" and w["startDate"] >= "2025-01-01",
        ),
        (f"/worklogs/user/{user}", {}, lambda w: w["author"]["accountId"] == user),
        (f"/worklogs/account/{account}", {}, lambda w: account_of(w) == account),
        (f"/worklogs/issue/{issue}", {}, lambda w: w["issue"]["key"] == issue),
        (
            f"/worklogs/team/{team_id}",
            {},
            lambda w: any(
                a == w["author"]["accountId"] and f <= w["startDate"] <= t for a, f, t in windows
            ),
        ),
        ("/worklogs/jira/filter/10001", {}, lambda w: project(w) in first_two),
        ("/worklogs/jira/filter/10002", {}, lambda w: w["issue"]["key"] in hot),
        (
            "/worklogs",
            {"issue": [issue, web_issue], "project": "WEB"},
            lambda w: w["issue"]["key"] in (issue, web_issue) and project(w) == "WEB",
        ),
        ("/worklogs", {"project": ["PLAT", "WEB"]}, lambda w: project(w) in ("PLAT", "WEB")),
    ]


async def check_lists(api: Api, emu: Emulator, updated_froms: list[str]) -> None:
    """Every list with every `updatedFrom` lists what checking each worklog lists."""
    worklogs = list(emu.state.worklogs.by_id.values())
    for path, query, listed in lists(emu):
        for updated_from in updated_froms:
            expected = sorted(
                (w for w in worklogs if w["updatedAt"] >= updated_from and listed(w)),
                key=lambda w: (w["startDate"], w["tempoWorklogId"]),
            )
            page = (await api.get(path, **query, updatedFrom=updated_from, limit=1000)).body
            assert "next" not in page["metadata"]
            assert page["results"] == expected, (path, query, updated_from)


async def test_updated_from_lists_match_every_worklog_checked(api: Api, emu: Emulator) -> None:
    stamps = sorted(w["updatedAt"] for w in emu.state.worklogs)
    dates = [stamps[len(stamps) * n // 10][:10] for n in (1, 5, 9)]
    await check_lists(api, emu, ["2000-01-01", *dates, stamps[-1][:10], TODAY.isoformat()])


async def test_paging_through_an_updated_from_list(api: Api, emu: Emulator) -> None:
    cutoff = (TODAY - timedelta(days=100)).isoformat()
    query = {"updatedFrom": cutoff, "limit": 7}
    page = (await api.get("/worklogs/project/PLAT", **query)).body
    results = list(page["results"])
    while "next" in page["metadata"]:
        page = (await api.get(page["metadata"]["next"])).body
        results += page["results"]
    whole = (await api.get("/worklogs/project/PLAT", updatedFrom=cutoff, limit=1000)).body
    assert results == whole["results"]
    assert len(results) > 7


async def test_writes_keep_updated_from_lists_right(api: Api, emu: Emulator, clock: Clock) -> None:
    state = emu.state
    account = next(k for k, a in state.accounts.items() if a["status"] == "OPEN")
    users = list(state.users)
    days = [(TODAY + timedelta(days=n)).isoformat() for n in range(4)]
    cutoffs = ["2000-01-01", (TODAY - timedelta(days=60)).isoformat(), *days]
    await check_lists(api, emu, cutoffs)  # caches every list before the writes

    def body(issue: str, start_date: str, author: str) -> dict[str, Any]:
        return {
            "issueKey": issue,
            "timeSpentSeconds": 1800,
            "startDate": start_date,
            "startTime": "10:00:00",
            "authorAccountId": author,
            "attributes": [{"key": "_Account_", "value": account}],
        }

    clock.now = NOW + timedelta(days=1)
    created = [
        (await api.post("/worklogs", body(issue, start, users[n]))).body
        for n, (issue, start) in enumerate(
            [("PLAT-1", "2025-01-15"), ("WEB-2", "2024-11-03"), ("PLAT-3", "2025-06-18")]
        )
    ]
    assert all(w["updatedAt"].startswith(days[1]) for w in created)
    await check_lists(api, emu, cutoffs)

    clock.now = NOW + timedelta(days=2, hours=3)
    oldest = sorted(state.worklogs.by_id.values(), key=lambda w: w["updatedAt"])[:6]
    for n, old in enumerate(oldest):
        issue = "WEB-1" if n % 2 else old["issue"]["key"]  # some move to another project
        author = users[-1] if n % 3 == 0 else old["author"]["accountId"]
        reply = await api.put(
            f"/worklogs/{old['tempoWorklogId']}", body(issue, old["startDate"], author)
        )
        assert reply.body["updatedAt"].startswith(days[2])
    await api.put(
        f"/worklogs/{created[0]['tempoWorklogId']}", body("WEB-3", "2025-02-01", users[0])
    )
    await check_lists(api, emu, cutoffs)

    clock.now = NOW + timedelta(days=3)
    written = {w["tempoWorklogId"] for w in [*created, *oldest]}
    untouched = sorted(
        (w for w in state.worklogs.by_id.values() if w["tempoWorklogId"] not in written),
        key=lambda w: w["updatedAt"],
    )[-3:]
    for worklog in [*untouched, oldest[0], oldest[1], created[1]]:
        assert (await api.delete(f"/worklogs/{worklog['tempoWorklogId']}")).status == 204
    await check_lists(api, emu, cutoffs)


async def test_updated_from_lists_are_served_from_the_updated_at_index(
    api: Api, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lists must hand `updatedFrom` to the store as such, or every first request
    # filters every selected worklog again.
    planned: list[str] = []
    plan = WorklogStore._plan

    def spy(store: WorklogStore, *args: Any, **kwargs: Any) -> Any:
        planned.append(plan(store, *args, **kwargs))
        return planned[-1]

    monkeypatch.setattr(WorklogStore, "_plan", spy)
    cutoff = (TODAY - timedelta(days=20)).isoformat()
    assert (await api.get("/worklogs", updatedFrom=cutoff)).status == 200
    assert (await api.get("/worklogs/project/PLAT", updatedFrom=cutoff)).status == 200
    assert len(planned) == 2  # one plan each: neither fell back to filtering blindly
