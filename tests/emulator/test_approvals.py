"""Timesheet approvals (#49-56): the status machine and the lists."""

from __future__ import annotations

from tempo_async.emulator import Emulator

from .helpers import NOW, Api

JUNE = {"from": "2025-06-01", "to": "2025-06-30"}


def a_user(emu: Emulator) -> str:
    return list(emu.state.users)[5]


async def test_an_untouched_timesheet_is_open_and_can_be_submitted(api: Api, emu: Emulator) -> None:
    user = a_user(emu)
    reply = await api.get(f"/timesheet-approvals/user/{user}", **JUNE)
    assert reply.status == 200
    base = f"{emu.base_url}/timesheet-approvals/user/{user}"
    approval = reply.body
    assert approval["self"] == f"{base}?from=2025-06-01&to=2025-06-30"
    assert approval["period"] == {"from": "2025-06-01", "to": "2025-06-30"}
    assert approval["status"]["key"] == "OPEN"
    assert approval["actions"] == {
        "submit": {"self": f"{base}/submit?from=2025-06-01&to=2025-06-30"}
    }
    assert approval["worklogs"] == {
        "self": f"{emu.base_url}/worklogs/user/{user}?from=2025-06-01&to=2025-06-30"
    }
    assert approval["requiredSeconds"] == 21 * 28800
    assert approval["timeSpentSeconds"] == emu.state.worklogs.time_spent(
        user, "2025-06-01", "2025-06-30"
    )


async def test_submit_approve_reopen_reject_move_the_status(api: Api, emu: Emulator) -> None:
    user = a_user(emu)
    reviewer = next(iter(emu.state.users))
    path = f"/timesheet-approvals/user/{user}"
    submitted = await api.post(
        f"{path}/submit", {"reviewerAccountId": reviewer, "comment": "pls"}, **JUNE
    )
    assert submitted.status == 200
    status = submitted.body["status"]
    assert status["key"] == "IN_REVIEW"
    assert status["comment"] == "pls"
    assert status["actor"]["accountId"] == user
    assert status["updatedAt"] == "2025-06-18T12:30:00Z" == NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert status["requiredSecondsAtSubmit"] == submitted.body["requiredSeconds"]
    assert status["timeSpentSecondsAtSubmit"] == submitted.body["timeSpentSeconds"]
    assert submitted.body["reviewer"]["accountId"] == reviewer
    assert set(submitted.body["actions"]) == {"approve", "reject"}

    approved = await api.post(f"{path}/approve", {"comment": "Great"}, **JUNE)
    assert approved.body["status"]["key"] == "APPROVED"
    assert approved.body["status"]["actor"]["accountId"] == reviewer
    assert set(approved.body["actions"]) == {"reopen"}
    assert (await api.get(path, **JUNE)).body == approved.body

    reopened = await api.post(f"{path}/reopen", {}, **JUNE)
    assert reopened.body["status"]["key"] == "OPEN"
    assert set(reopened.body["actions"]) == {"submit"}

    await api.post(f"{path}/submit", {"reviewerAccountId": reviewer}, **JUNE)
    rejected = await api.post(f"{path}/reject", {"comment": "Missing hours"}, **JUNE)
    assert rejected.body["status"]["key"] == "OPEN"
    assert rejected.body["status"]["comment"] == "Missing hours"
    assert set(rejected.body["actions"]) == {"submit"}


async def test_actions_not_allowed_in_the_current_status_are_400(api: Api, emu: Emulator) -> None:
    path = f"/timesheet-approvals/user/{a_user(emu)}"
    for action in ("approve", "reject", "reopen"):
        reply = await api.post(f"{path}/{action}", {}, **JUNE)
        assert reply.status == 400
        assert reply.messages == [f"Cannot {action} a timesheet that is OPEN"]
    missing = await api.post(f"{path}/submit", {}, **JUNE)
    assert missing.messages == ["Field 'reviewerAccountId' is required"]
    ghost = await api.post(f"{path}/submit", {"reviewerAccountId": "ghost"}, **JUNE)
    assert ghost.messages == ["Reviewer with accountId 'ghost' not found"]
    assert (await api.get("/timesheet-approvals/user/ghost", **JUNE)).status == 404


async def test_period_is_the_month_of_from(api: Api, emu: Emulator) -> None:
    reply = await api.get(f"/timesheet-approvals/user/{a_user(emu)}", **{"from": "2025-02-10"})
    assert reply.body["period"] == {"from": "2025-02-01", "to": "2025-02-28"}
    current = await api.get(f"/timesheet-approvals/user/{a_user(emu)}")
    assert current.body["period"] == JUNE


async def test_waiting_lists_the_timesheets_in_review(api: Api, emu: Emulator) -> None:
    user = a_user(emu)
    reviewer = next(iter(emu.state.users))
    await api.post(
        f"/timesheet-approvals/user/{user}/submit", {"reviewerAccountId": reviewer}, **JUNE
    )
    reply = await api.get("/timesheet-approvals/waiting")
    assert reply.body["self"] == f"{emu.base_url}/timesheet-approvals/waiting"
    waiting = reply.body["results"]
    assert {w["status"]["key"] for w in waiting} == {"IN_REVIEW"}
    assert any(w["user"]["accountId"] == user and w["period"] == JUNE for w in waiting)
    expected = sum(1 for r in emu.state.approvals.values() if r["status"] == "IN_REVIEW")
    assert len(waiting) == expected


async def test_team_approvals_have_one_per_member(api: Api, emu: Emulator) -> None:
    team_id = min(emu.state.teams)
    reply = await api.get(f"/timesheet-approvals/team/{team_id}", **JUNE)
    assert reply.body["self"] == (
        f"{emu.base_url}/timesheet-approvals/team/{team_id}?from=2025-06-01&to=2025-06-30"
    )
    members = {
        m["accountId"]
        for m in emu.state.memberships_of_team(team_id)
        if not m.get("to") or m["to"] >= "2025-06-01"
    }
    assert {r["user"]["accountId"] for r in reply.body["results"]} == members
    assert (await api.get("/timesheet-approvals/team/999")).status == 404


async def test_reviewers_hold_the_approve_permission_in_the_users_teams(
    api: Api, emu: Emulator
) -> None:
    user = a_user(emu)
    reply = await api.get(f"/timesheet-approvals/user/{user}/reviewers")
    teams = {m["teamId"] for m in emu.state.memberships.values() if m["accountId"] == user}
    expected = {
        u
        for t in teams
        for u in emu.state.team_permissions[t]["tempo.timesheets.approve.timesheet"]
    }
    assert {u["accountId"] for u in reply.body["results"]} == expected
    assert expected
