"""Periods (#48), timesheet approvals (#49-56), user schedules (#57-58) and work
attributes (#59-60) against the emulator."""

from __future__ import annotations

from datetime import date

import pytest

from tempo_async import BadRequestError, NotFoundError, TempoClient
from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.calendar import required_total
from tempo_async.emulator.v3.state import APPROVE_PERMISSION
from tests.integration.conftest import NOW, user_ids

MARCH = (date(2026, 3, 1), date(2026, 3, 31))

# -- periods --------------------------------------------------------------------------------


async def test_periods_are_the_calendar_months_of_the_range(tempo: TempoClient) -> None:
    periods = await tempo.periods.list(from_=date(2025, 12, 15), to="2026-02-02")
    assert [(p.from_, p.to) for p in periods] == [
        (date(2025, 12, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
    ]


async def test_periods_range_errors(tempo: TempoClient, emu: Emulator) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.periods.list(from_=date(2020, 1, 1), to=date(2026, 1, 1))
    assert caught.value.messages == ["The range from 'from' to 'to' must not exceed 1098 days"]
    with pytest.raises(TypeError, match="to is required"):
        await tempo.periods.list(from_=date(2026, 1, 1), to=None)  # type: ignore[arg-type]


# -- timesheet approvals --------------------------------------------------------------------


def _reviewer_of(emu: Emulator, account_id: str) -> str:
    team_id = next(
        m["teamId"] for m in emu.state.memberships.values() if m["accountId"] == account_id
    )
    return str(emu.state.teams[team_id]["leadAccountId"])


async def _waiting(tempo: TempoClient) -> list[tuple[str, date]]:
    return [(a.user.account_id, a.period.from_) for a in await tempo.timesheet_approvals.waiting()]


async def test_approval_flow_submit_approve_reopen_submit_reject(
    tempo: TempoClient, emu: Emulator
) -> None:
    approvals = tempo.timesheet_approvals
    user = user_ids(emu)[3]
    reviewer = _reviewer_of(emu, user)
    first, last = MARCH
    state_key = (user, first.isoformat())
    assert state_key not in emu.state.approvals

    current = await approvals.get(user, from_=date(2026, 3, 10), to=date(2026, 3, 12))
    assert current.status.key == "OPEN"
    assert (current.period.from_, current.period.to) == MARCH
    assert current.actions.submit is not None and current.actions.approve is None
    assert current.required_seconds == required_total(first, last, emu.state.holidays)
    assert current.time_spent_seconds == sum(
        w["timeSpentSeconds"]
        for w in emu.state.worklogs.by_id.values()
        if w["author"]["accountId"] == user and first <= date.fromisoformat(w["startDate"]) <= last
    )
    assert current.self_url.startswith(f"{emu.base_url}/timesheet-approvals/user/{user}?")
    assert await approvals.get(user) == current  # no dates: the current period (of TODAY)

    submitted = await approvals.submit(
        user, from_=first, to=last, reviewer_account_id=reviewer, comment="March, please"
    )
    assert submitted.status.key == "IN_REVIEW"
    assert submitted.status.comment == "March, please"
    assert submitted.status.actor is not None and submitted.status.actor.account_id == user
    assert submitted.status.updated_at == NOW
    assert submitted.status.required_seconds_at_submit == current.required_seconds
    assert submitted.reviewer is not None and submitted.reviewer.account_id == reviewer
    assert submitted.actions.approve is not None and submitted.actions.reject is not None
    assert submitted.actions.submit is None
    assert emu.state.approvals[state_key]["status"] == "IN_REVIEW"
    assert (user, first) in await _waiting(tempo)
    assert (await approvals.get(user, from_=first, to=last)).status.key == "IN_REVIEW"

    approved = await approvals.approve(user, from_=first, to=last, comment="Looks good")
    assert approved.status.key == "APPROVED"
    assert approved.status.comment == "Looks good"
    assert approved.actions.reopen is not None
    assert emu.state.approvals[state_key]["status"] == "APPROVED"
    assert (user, first) not in await _waiting(tempo)

    reopened = await approvals.reopen(user, from_=first, to=last)
    assert reopened.status.key == "OPEN"
    assert reopened.status.comment is None
    assert (await approvals.get(user, from_=first)).status.key == "OPEN"

    await approvals.submit(user, from_=first, to=last, reviewer_account_id=reviewer)
    rejected = await approvals.reject(user, from_=first, to=last, comment="Missing Friday")
    assert rejected.status.key == "OPEN"  # there is no REJECTED status
    assert rejected.status.comment == "Missing Friday"
    assert emu.state.approvals[state_key]["status"] == "OPEN"


async def test_approval_actions_in_the_wrong_status_are_400(
    tempo: TempoClient, emu: Emulator
) -> None:
    approvals = tempo.timesheet_approvals
    user = user_ids(emu)[3]
    first, last = MARCH
    with pytest.raises(BadRequestError) as caught:
        await approvals.approve(user, from_=first, to=last)
    assert caught.value.messages == ["Cannot approve a timesheet that is OPEN"]
    with pytest.raises(BadRequestError) as caught:
        await approvals.reopen(user, from_=first, to=last)
    assert caught.value.messages == ["Cannot reopen a timesheet that is OPEN"]
    with pytest.raises(BadRequestError) as caught:
        await approvals.submit(user, from_=first, to=last, reviewer_account_id="ghost")
    assert caught.value.messages == ["Reviewer with accountId 'ghost' not found"]
    with pytest.raises(NotFoundError) as caught:
        await approvals.get("ghost")
    assert caught.value.messages == ["User with accountId 'ghost' not found"]
    assert (user, first.isoformat()) not in emu.state.approvals


async def test_waiting_lists_every_timesheet_in_review(tempo: TempoClient, emu: Emulator) -> None:
    expected = sorted(
        (r for r in emu.state.approvals.values() if r["status"] == "IN_REVIEW"),
        key=lambda r: (r["from"], r["accountId"]),
    )
    assert expected
    waiting = await tempo.timesheet_approvals.waiting()
    assert [(a.user.account_id, a.period.from_.isoformat()) for a in waiting] == [
        (r["accountId"], r["from"]) for r in expected
    ]
    assert all(a.status.key == "IN_REVIEW" for a in waiting)
    assert [a.reviewer.account_id if a.reviewer else None for a in waiting] == [
        r["reviewerAccountId"] for r in expected
    ]


async def test_seeded_approval_is_read_back(tempo: TempoClient, emu: Emulator) -> None:
    (account_id, start), record = next(
        (k, r) for k, r in emu.state.approvals.items() if r["status"] == "APPROVED"
    )
    approval = await tempo.timesheet_approvals.get(account_id, from_=start, to=record["to"])
    assert approval.status.key == "APPROVED"
    assert approval.status.comment == record["comment"]
    assert approval.status.time_spent_seconds_at_submit == record["timeSpentSecondsAtSubmit"]
    assert approval.worklogs.self_url.startswith(f"{emu.base_url}/worklogs/user/{account_id}?")


async def test_reviewers(tempo: TempoClient, emu: Emulator) -> None:
    state = emu.state
    for account_id in user_ids(emu)[:6]:
        teams = sorted(
            {m["teamId"] for m in state.memberships.values() if m["accountId"] == account_id}
        )
        expected: list[str] = []
        for team_id in teams:
            for user in state.team_permissions[team_id][APPROVE_PERMISSION]:
                if user not in expected:
                    expected.append(user)
        reviewers = await tempo.timesheet_approvals.reviewers(account_id)
        assert [r.account_id for r in reviewers] == expected
        assert all(r.display_name == state.users[r.account_id]["displayName"] for r in reviewers)


async def test_for_team(tempo: TempoClient, emu: Emulator) -> None:
    state = emu.state
    for team_id in state.teams:
        expected = list(
            dict.fromkeys(
                m["accountId"]
                for m in state.memberships_of_team(team_id)
                if (not m.get("from") or m["from"] <= "2026-02-28")
                and (not m.get("to") or m["to"] >= "2026-02-01")
            )
        )
        approvals = await tempo.timesheet_approvals.for_team(
            team_id, from_=date(2026, 2, 1), to=date(2026, 2, 28)
        )
        assert [a.user.account_id for a in approvals] == expected
        assert [a.status.key for a in approvals] == [
            state.approvals.get((u, "2026-02-01"), {}).get("status", "OPEN") for u in expected
        ]
    current = await tempo.timesheet_approvals.for_team(1)
    assert {(a.period.from_, a.period.to) for a in current} == {MARCH}
    with pytest.raises(NotFoundError) as caught:
        await tempo.timesheet_approvals.for_team(9999)
    assert caught.value.messages == ["Team not found"]


# -- user schedules -------------------------------------------------------------------------


async def test_user_schedule_of_the_logged_in_user_and_of_a_user(
    tempo: TempoClient, emu: Emulator
) -> None:
    emu.state.add_holiday(date(2026, 4, 3), "Good Friday")
    mine = await tempo.user_schedule.get(from_=date(2026, 3, 30), to=date(2026, 4, 5))
    assert [d.date for d in mine] == [date(2026, 3, 30 + n) for n in range(2)] + [
        date(2026, 4, n) for n in range(1, 6)
    ]
    assert [d.type for d in mine] == [
        "WORKING_DAY",
        "WORKING_DAY",
        "WORKING_DAY",
        "WORKING_DAY",
        "HOLIDAY",
        "NON_WORKING_DAY",
        "NON_WORKING_DAY",
    ]
    assert [d.required_seconds for d in mine] == [28_800] * 4 + [0, 0, 0]
    friday = mine[4]
    assert friday.holiday is not None and friday.holiday.name == "Good Friday"

    users = await tempo.user_schedule.for_user(
        user_ids(emu)[1], from_="2026-03-30", to="2026-04-05"
    )
    assert users == mine
    christmas = await tempo.user_schedule.for_user(
        user_ids(emu)[1], from_=date(2025, 12, 24), to=date(2025, 12, 24)
    )
    assert christmas[0].type == "HOLIDAY"
    assert christmas[0].required_seconds == 14_400

    with pytest.raises(NotFoundError) as caught:
        await tempo.user_schedule.for_user("ghost", from_=date(2026, 1, 1), to=date(2026, 1, 2))
    assert caught.value.messages == ["User with accountId 'ghost' not found"]


# -- work attributes ------------------------------------------------------------------------


async def test_work_attributes_list_and_get(tempo: TempoClient, emu: Emulator) -> None:
    attributes = await tempo.work_attributes.list()
    records = list(emu.state.work_attributes.values())
    assert [(a.key, a.name, a.type, a.required) for a in attributes] == [
        (r["key"], r["name"], r["type"], r["required"]) for r in records
    ]
    for attribute in attributes:
        assert attribute.self_url == f"{emu.base_url}/work-attributes/{attribute.key}"
        assert await tempo.work_attributes.get(attribute.key) == attribute
    by_key = {a.key: a for a in attributes}
    assert by_key["_Account_"].values == sorted(emu.state.accounts)
    assert by_key["_COLOR_"].values == ["red", "green", "blue", "yellow", "pink"]
    assert by_key["_EXTERNALREF_"].values is None

    with pytest.raises(NotFoundError) as caught:
        await tempo.work_attributes.get("_NOPE_")
    assert caught.value.messages == ["A work attribute with key '_NOPE_' does not exist"]
