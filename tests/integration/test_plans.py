"""Plans (#18-22) against the emulator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tempo_async import BadRequestError, NotFoundError, Plan, PlanInput, TempoClient
from tempo_async.emulator import Emulator
from tests.integration.conftest import NOW, TODAY, user_ids


def _plan_input(emu: Emulator, **changes: object) -> PlanInput:
    fields: dict[str, object] = {
        "start_date": date(2026, 4, 6),  # a Monday
        "end_date": date(2026, 4, 7),
        "planned_per_day_seconds": 3600,
        "account_id": user_ids(emu)[11],
        "description": "Planned work",
        "rule": "WEEKLY",
        "recurrence_end_date": date(2026, 4, 20),
        "issue_key": "PLAT-3",
    }
    fields.update(changes)
    return PlanInput(**fields)  # type: ignore[arg-type]


async def test_plan_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    account_id = user_ids(emu)[11]
    created = await tempo.plans.create(_plan_input(emu))

    assert isinstance(created, Plan)
    assert created.id == max(emu.state.plans)
    assert created.self_url == f"{emu.base_url}/plans/{created.id}"
    assert (created.start_date, created.end_date) == (date(2026, 4, 6), date(2026, 4, 7))
    assert created.description == "Planned work"
    assert created.created_at == created.updated_at == NOW
    assert created.assignee.type == "USER"
    assert created.assignee.self_url.endswith(f"accountId={account_id}")
    assert created.plan_item.type == "ISSUE"
    assert created.plan_item.self_url.endswith("/issue/PLAT-3")
    assert created.recurrence.rule == "WEEKLY"
    assert created.recurrence.recurrence_end_date == date(2026, 4, 20)
    assert [(p.from_, p.to, p.time_planned_seconds) for p in created.dates.values] == [
        (date(2026, 4, 6), date(2026, 4, 7), 7200),
        (date(2026, 4, 13), date(2026, 4, 14), 7200),
        (date(2026, 4, 20), date(2026, 4, 21), 7200),
    ]
    assert created.dates.metadata.count == 3

    assert await tempo.plans.get(created.id) == created
    window = await tempo.plans.get(created.id, from_=date(2026, 4, 10), to="2026-04-15")
    assert [p.from_ for p in window.dates.values] == [date(2026, 4, 13)]

    updated = await tempo.plans.update(
        created.id,
        _plan_input(
            emu,
            planned_per_day_seconds=1800,
            rule="BI_WEEKLY",
            issue_key=None,
            project_key="WEB",
            description=None,
        ),
    )
    assert updated.id == created.id
    assert updated.recurrence.rule == "BIWEEKLY"  # the request says BI_WEEKLY
    assert updated.plan_item.type == "PROJECT"
    assert updated.description is None
    assert [p.from_ for p in updated.dates.values] == [date(2026, 4, 6), date(2026, 4, 20)]
    assert all(p.time_planned_seconds == 3600 for p in updated.dates.values)
    assert await tempo.plans.get(created.id) == updated

    assert await tempo.plans.delete(created.id) is None
    assert created.id not in emu.state.plans
    with pytest.raises(NotFoundError) as caught:
        await tempo.plans.get(created.id)
    assert caught.value.messages == ["Allocation not found"]


async def test_plan_errors(tempo: TempoClient, emu: Emulator) -> None:
    before = dict(emu.state.plans)
    with pytest.raises(BadRequestError) as caught:
        await tempo.plans.create(
            _plan_input(
                emu,
                account_id="ghost",
                issue_key="NOPE-1",
                end_date=date(2026, 4, 1),
                planned_per_day_seconds=0,
            )
        )
    assert caught.value.messages == [
        "End date must not be before the start date",
        "Planned time per day must be positive",
        "User with accountId 'ghost' not found",
        "Issue not found",
    ]
    with pytest.raises(BadRequestError) as caught:
        await tempo.plans.create(_plan_input(emu, issue_key=None))
    assert caught.value.messages == ["Either issueKey or projectKey is required"]
    assert emu.state.plans == before
    with pytest.raises(NotFoundError):
        await tempo.plans.update(9999, _plan_input(emu))
    with pytest.raises(NotFoundError):
        await tempo.plans.delete(9999)
    with pytest.raises(ValueError, match="accountId"):
        await tempo.plans.create(
            {"startDate": "2026-04-06", "endDate": "2026-04-06", "plannedPerDaySeconds": 60}  # type: ignore[arg-type]
        )


async def test_plans_for_user(tempo: TempoClient, emu: Emulator) -> None:
    users = user_ids(emu)
    account_id = users[0]
    seeded = sorted(i for i, p in emu.state.plans.items() if p["accountId"] == account_id)
    assert len(seeded) == 2  # one on TODAY, one weekly from TODAY on

    today_only = await tempo.plans.for_user(account_id, from_=TODAY, to=TODAY)
    assert [p.id for p in today_only] == seeded
    assert all(p.assignee.self_url.endswith(f"accountId={account_id}") for p in today_only)

    next_week = TODAY + timedelta(days=7)
    weekly = await tempo.plans.for_user(account_id, from_=next_week, to=next_week)
    assert [p.id for p in weekly] == [seeded[1]]
    assert [v.from_ for v in weekly[0].dates.values] == [next_week]

    assert await tempo.plans.for_user(account_id, from_="2025-01-01", to="2025-01-31") == []

    mine = await tempo.plans.create(_plan_input(emu, account_id=account_id))
    in_april = await tempo.plans.for_user(account_id, from_=date(2026, 4, 13), to="2026-04-13")
    assert mine.id in [p.id for p in in_april]
    updated_since = await tempo.plans.for_user(
        account_id, from_=date(2026, 4, 1), to=date(2026, 4, 30), updated_from=TODAY
    )
    assert mine.id in [p.id for p in updated_since]
    assert (
        await tempo.plans.for_user(
            account_id,
            from_=date(2026, 4, 1),
            to=date(2026, 4, 30),
            updated_from=TODAY + timedelta(days=1),
        )
        == []
    )


async def test_plans_for_user_needs_the_range(tempo: TempoClient, emu: Emulator) -> None:
    with pytest.raises(TypeError, match="from_"):
        await tempo.plans.for_user(user_ids(emu)[0], from_=None, to=TODAY)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after"):
        await tempo.plans.for_user(user_ids(emu)[0], from_=TODAY, to=date(2026, 1, 1))
    assert emu.stats.requests == 0
