"""Plans (#18-22)."""

from __future__ import annotations

from tempo_async.emulator import Emulator

from .helpers import Api


def plan_input(emu: Emulator, **extra: object) -> dict[str, object]:
    return {
        "startDate": "2025-07-07",
        "endDate": "2025-07-08",
        "plannedPerDaySeconds": 3600,
        "accountId": list(emu.state.users)[4],
        "issueKey": "PLAT-1",
        **extra,
    }


async def test_create_expands_a_biweekly_recurrence(api: Api, emu: Emulator) -> None:
    body = plan_input(emu, rule="BI_WEEKLY", recurrenceEndDate="2025-08-31", description="d")
    reply = await api.post("/plans", body)
    assert reply.status == 200
    plan = reply.body
    plan_id = plan["id"]
    assert plan["self"] == f"{emu.base_url}/plans/{plan_id}"
    assert plan["recurrence"] == {"rule": "BIWEEKLY", "recurrenceEndDate": "2025-08-31"}
    assert plan["assignee"] == {"self": emu.state.user_url(str(body["accountId"])), "type": "USER"}
    assert plan["planItem"]["type"] == "ISSUE"
    assert plan["planItem"]["self"].endswith("/rest/api/2/issue/PLAT-1")
    assert [v["from"] for v in plan["dates"]["values"]] == [
        "2025-07-07",
        "2025-07-21",
        "2025-08-04",
        "2025-08-18",
    ]
    assert {v["timePlannedSeconds"] for v in plan["dates"]["values"]} == {7200}
    assert plan["dates"]["metadata"] == {
        "count": 4,
        "all": f"{emu.base_url}/plans/{plan_id}?from=2025-07-07&to=2025-08-31",
    }


async def test_get_with_from_and_to_selects_recurrences(api: Api, emu: Emulator) -> None:
    plan = (
        await api.post("/plans", plan_input(emu, rule="WEEKLY", recurrenceEndDate="2025-09-30"))
    ).body
    assert (await api.get(f"/plans/{plan['id']}")).body == plan
    window = (
        await api.get(f"/plans/{plan['id']}", **{"from": "2025-07-20", "to": "2025-08-01"})
    ).body
    assert [v["from"] for v in window["dates"]["values"]] == ["2025-07-21", "2025-07-28"]
    assert window["dates"]["metadata"]["count"] == 2


async def test_non_working_days_are_not_planned_unless_asked(api: Api, emu: Emulator) -> None:
    weekend = plan_input(emu, startDate="2025-07-05", endDate="2025-07-06")
    assert (await api.post("/plans", weekend)).body["dates"]["values"][0]["timePlannedSeconds"] == 0
    included = {**weekend, "includeNonWorkingDays": True}
    reply = await api.post("/plans", included)
    assert reply.body["dates"]["values"][0]["timePlannedSeconds"] == 7200


async def test_update_and_delete(api: Api, emu: Emulator) -> None:
    plan = (await api.post("/plans", plan_input(emu))).body
    project = next(iter(emu.state.projects.values()))
    updated = await api.put(
        f"/plans/{plan['id']}",
        {
            **plan_input(emu),
            "issueKey": None,
            "projectKey": project["key"],
            "plannedPerDaySeconds": 1800,
        },
    )
    assert updated.status == 400
    body = plan_input(emu, plannedPerDaySeconds=1800)
    del body["issueKey"]
    body["projectKey"] = project["key"]
    updated = await api.put(f"/plans/{plan['id']}", body)
    assert updated.status == 200
    assert updated.body["planItem"] == {
        "self": f"{emu.state.jira_url}/rest/api/2/project/{project['id']}",
        "type": "PROJECT",
    }
    assert updated.body["createdAt"] == plan["createdAt"]
    assert (await api.delete(f"/plans/{plan['id']}")).status == 204
    missing = await api.get(f"/plans/{plan['id']}")
    assert (missing.status, missing.messages) == (404, ["Allocation not found"])


async def test_invalid_plans_are_400(api: Api, emu: Emulator) -> None:
    unknown = await api.post("/plans", plan_input(emu, issueKey="NOPE-1", accountId="ghost"))
    assert unknown.status == 400
    assert unknown.messages == ["User with accountId 'ghost' not found", "Issue not found"]
    backwards = await api.post("/plans", plan_input(emu, endDate="2025-07-01"))
    assert backwards.messages == ["End date must not be before the start date"]
    bad_date = await api.post("/plans", plan_input(emu, startDate="2025-13-01"))
    assert bad_date.status == 400


async def test_plans_of_a_user_need_from_and_to(api: Api, emu: Emulator) -> None:
    account_id = list(emu.state.users)[4]
    await api.post("/plans", plan_input(emu))
    path = f"/plans/user/{account_id}"
    missing = await api.get(path)
    assert (missing.status, missing.messages) == (400, ["Query parameter 'from' is required"])
    reply = await api.get(path, **{"from": "2025-07-01", "to": "2025-07-31"})
    assert reply.status == 200
    assert reply.body["self"] == f"{emu.base_url}{path}?from=2025-07-01&to=2025-07-31"
    assert {p["assignee"]["self"] for p in reply.body["results"]} == {
        emu.state.user_url(account_id)
    }
    assert any(p["startDate"] == "2025-07-07" for p in reply.body["results"])
    later = await api.get(path, **{"from": "2030-01-01", "to": "2030-01-31"})
    assert later.body["results"] == []
    assert (
        await api.get(
            path, **{"from": "2025-07-01", "to": "2025-07-31", "updatedFrom": "2099-01-01"}
        )
    ).body["results"] == []
