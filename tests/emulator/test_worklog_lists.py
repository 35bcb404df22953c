"""The seven paged worklog lists (#61, #69-74): filters, paging metadata and links."""

from __future__ import annotations

from typing import Any

from tempo_async.emulator import Emulator

from .helpers import Api


def ids(page: dict[str, Any]) -> list[int]:
    return [w["tempoWorklogId"] for w in page["results"]]


def ordered(worklogs: list[dict[str, Any]]) -> list[int]:
    return [
        w["tempoWorklogId"]
        for w in sorted(worklogs, key=lambda w: (w["startDate"], w["tempoWorklogId"]))
    ]


async def collect(api: Api, path: str, **params: Any) -> list[dict[str, Any]]:
    """Follow `metadata.next` from the first page; every result of every page."""
    page = (await api.get(path, **params)).body
    results = list(page["results"])
    while "next" in page["metadata"]:
        page = (await api.get(page["metadata"]["next"])).body
        results += page["results"]
    return results


async def test_first_page_has_the_default_limit_and_absolute_links(api: Api, emu: Emulator) -> None:
    reply = await api.get("/worklogs")
    assert reply.status == 200
    page = reply.body
    assert page["self"] == f"{emu.base_url}/worklogs?offset=0&limit=50"
    assert page["metadata"] == {
        "count": 50,
        "offset": 0,
        "limit": 50,
        "next": f"{emu.base_url}/worklogs?offset=50&limit=50",
    }
    assert ids(page) == ordered(list(emu.state.worklogs))[:50]


async def test_links_keep_the_other_parameters_in_order(api: Api, emu: Emulator) -> None:
    query = {"from": "2024-08-01", "to": "2025-03-31", "offset": 100, "limit": 50}
    page = (await api.get("/worklogs", **query)).body
    base = f"{emu.base_url}/worklogs?from=2024-08-01&to=2025-03-31"
    assert page["self"] == f"{base}&offset=100&limit=50"
    assert page["metadata"]["next"] == f"{base}&offset=150&limit=50"
    assert page["metadata"]["previous"] == f"{base}&offset=50&limit=50"
    assert page["metadata"]["offset"] == 100
    first = (await api.get("/worklogs", **{**query, "offset": 20})).body
    assert first["metadata"]["previous"] == f"{base}&offset=0&limit=50"


async def test_following_next_visits_every_worklog_once_in_date_order(
    api: Api, emu: Emulator
) -> None:
    results = await collect(api, "/worklogs", limit=37)
    assert [w["tempoWorklogId"] for w in results] == ordered(list(emu.state.worklogs))
    assert len(results) == 400


async def test_count_based_paging_of_widely_used_clients_works(api: Api, emu: Emulator) -> None:
    """Clients that add `metadata.count` to the offset until `next` is gone."""
    seen: list[int] = []
    offset = 0
    while True:
        page = (await api.get("/worklogs", offset=offset, limit=64)).body
        seen += ids(page)
        offset += page["metadata"]["count"]
        if "next" not in page["metadata"] or page["metadata"]["count"] < page["metadata"]["limit"]:
            break
    assert seen == ordered(list(emu.state.worklogs))


async def test_last_page_has_no_next_and_past_the_end_is_empty(api: Api, emu: Emulator) -> None:
    last = (await api.get("/worklogs", offset=350, limit=50)).body
    assert last["metadata"]["count"] == 50
    assert "next" not in last["metadata"]
    beyond = (await api.get("/worklogs", offset=1000, limit=50)).body
    assert beyond["results"] == []
    assert beyond["metadata"]["count"] == 0
    assert "next" not in beyond["metadata"]
    assert beyond["metadata"]["previous"] == f"{emu.base_url}/worklogs?offset=950&limit=50"


async def test_limit_is_at_most_1000(api: Api) -> None:
    assert (await api.get("/worklogs", limit=1000)).body["metadata"]["count"] == 400
    too_many = await api.get("/worklogs", limit=1001)
    assert too_many.status == 400
    assert too_many.messages == ["Query parameter 'limit' must be at most 1000, got 1001"]
    for bad in ({"limit": 0}, {"offset": -1}, {"limit": "ten"}, {"offset": "x"}):
        assert (await api.get("/worklogs", **bad)).status == 400


async def test_from_and_to_select_the_dates_inclusively(api: Api, emu: Emulator) -> None:
    results = await collect(
        api, "/worklogs", **{"from": "2025-01-06", "to": "2025-01-31", "limit": 20}
    )
    expected = [w for w in emu.state.worklogs if "2025-01-06" <= w["startDate"] <= "2025-01-31"]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    assert expected
    bad = await api.get("/worklogs", **{"from": "2025-01-31", "to": "2025-01-01"})
    assert bad.status == 400
    assert (await api.get("/worklogs", **{"from": "01/02/2025"})).status == 400


async def test_updated_from_selects_recently_updated_worklogs(api: Api, emu: Emulator) -> None:
    cutoff = "2025-05-01"
    results = await collect(api, "/worklogs", updatedFrom=cutoff, limit=10)
    expected = [w for w in emu.state.worklogs if w["updatedAt"] >= cutoff]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    assert 0 < len(expected) < 400


async def test_issue_and_project_filters_take_keys_or_ids(api: Api, emu: Emulator) -> None:
    state = emu.state
    issue_keys = sorted(state.worklogs.indexes["issue"])[:2]
    by_key = await collect(api, "/worklogs", issue=issue_keys, limit=1000)
    assert {w["issue"]["key"] for w in by_key} == set(issue_keys)
    issue_ids = [str(state.issues[k]["id"]) for k in issue_keys]
    assert await collect(api, "/worklogs", issue=issue_ids, limit=1000) == by_key
    project = state.projects["WEB"]
    by_project = await collect(api, "/worklogs", project="WEB", limit=1000)
    assert by_project
    assert {state.project_of(w["issue"]["key"]) for w in by_project} == {"WEB"}
    assert await collect(api, "/worklogs", project=str(project["id"]), limit=1000) == by_project
    web_issue = next(k for k in state.worklogs.indexes["issue"] if k.startswith("WEB-"))
    both = await collect(
        api, "/worklogs", issue=[issue_keys[0], web_issue], project="WEB", limit=1000
    )
    assert {w["issue"]["key"] for w in both} == {web_issue}
    assert (await api.get("/worklogs", issue="NOPE-1")).body["results"] == []


async def test_account_list_has_only_that_accounts_worklogs(api: Api, emu: Emulator) -> None:
    key = max(
        emu.state.worklogs.indexes["account"],
        key=lambda k: len(emu.state.worklogs.indexes["account"][k]),
    )
    results = await collect(api, f"/worklogs/account/{key}", limit=25)
    expected = [
        w
        for w in emu.state.worklogs
        if {"key": "_Account_", "value": key} in w["attributes"]["values"]
    ]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    missing = await api.get("/worklogs/account/NOPE")
    assert (missing.status, missing.messages) == (404, ["Account not found"])


async def test_project_list(api: Api, emu: Emulator) -> None:
    results = await collect(api, "/worklogs/project/PLAT", limit=100)
    expected = [w for w in emu.state.worklogs if w["issue"]["key"].startswith("PLAT-")]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    assert (await api.get("/worklogs/project/NOPE")).status == 404


async def test_team_list_has_members_worklogs_while_they_were_members(
    api: Api, emu: Emulator
) -> None:
    state = emu.state
    switcher = next(m for m in state.memberships.values() if m.get("to"))
    team_id = switcher["teamId"]
    results = await collect(api, f"/worklogs/team/{team_id}", limit=100)
    windows = [
        (m["accountId"], m.get("from") or "0000", m.get("to") or "9999")
        for m in state.memberships_of_team(team_id)
    ]
    expected = [
        w
        for w in state.worklogs
        if any(a == w["author"]["accountId"] and f <= w["startDate"] <= t for a, f, t in windows)
    ]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    switched = [w for w in results if w["author"]["accountId"] == switcher["accountId"]]
    assert switched and all(w["startDate"] <= switcher["to"] for w in switched)
    assert (await api.get("/worklogs/team/999")).status == 404


async def test_user_list(api: Api, emu: Emulator) -> None:
    user = list(emu.state.users)[3]
    results = await collect(api, f"/worklogs/user/{user}", **{"from": "2024-10-01", "limit": 10})
    expected = [
        w
        for w in emu.state.worklogs
        if w["author"]["accountId"] == user and w["startDate"] >= "2024-10-01"
    ]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    assert (await api.get("/worklogs/user/john")).body["results"] == []


async def test_issue_list_and_unknown_issue(api: Api, emu: Emulator) -> None:
    key = next(iter(emu.state.worklogs.indexes["issue"]))
    page = (await api.get(f"/worklogs/issue/{key}")).body
    assert page["self"] == f"{emu.base_url}/worklogs/issue/{key}?offset=0&limit=50"
    assert {w["issue"]["key"] for w in page["results"]} == {key}
    missing = await api.get("/worklogs/issue/NOPE-1")
    assert missing.status == 404
    assert missing.body == {"errors": [{"message": "Issue not found"}]}


async def test_jira_filter_list_unites_its_projects_and_issues(api: Api, emu: Emulator) -> None:
    state = emu.state
    state.add_jira_filter(20000, projects=["WEB"], issues=["PLAT-1", "WEB-1"])
    results = await collect(api, "/worklogs/jira/filter/20000", limit=100)
    expected = [
        w
        for w in state.worklogs
        if w["issue"]["key"].startswith("WEB-") or w["issue"]["key"] == "PLAT-1"
    ]
    assert [w["tempoWorklogId"] for w in results] == ordered(expected)
    assert (await api.get("/worklogs/jira/filter/424242")).status == 404


async def test_writes_show_in_the_lists_at_once(api: Api, emu: Emulator) -> None:
    author = next(iter(emu.state.users))
    body = {
        "issueKey": "PLAT-1",
        "timeSpentSeconds": 60,
        "startDate": "2025-01-15",
        "startTime": "10:00:00",
        "authorAccountId": author,
    }
    first = (await api.get("/worklogs", **{"from": "2025-01-15", "to": "2025-01-15"})).body
    created = (await api.post("/worklogs", body)).body
    after = (await api.get("/worklogs", **{"from": "2025-01-15", "to": "2025-01-15"})).body
    assert ids(after) == [*ids(first), created["tempoWorklogId"]]
    await api.delete(f"/worklogs/{created['tempoWorklogId']}")
    again = (await api.get("/worklogs", **{"from": "2025-01-15", "to": "2025-01-15"})).body
    assert ids(again) == ids(first)
