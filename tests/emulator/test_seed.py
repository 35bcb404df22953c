"""The deterministic seed data and its consistency."""

from __future__ import annotations

from datetime import date, timedelta

from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.render import is_active
from tempo_async.emulator.v3.worklog_store import account_of

from .helpers import TODAY, fixed_clock


async def seeded(seed: int, worklogs: int = 300) -> Emulator:
    emulator = Emulator(worklogs=worklogs, seed=seed, today=TODAY, clock=fixed_clock)
    await emulator.start()
    return emulator


async def test_the_same_seed_gives_the_same_data() -> None:
    first, second, other = await seeded(5), await seeded(5), await seeded(6)
    try:

        def snapshot(emu: Emulator) -> object:
            state = emu.state
            worklogs = [
                {k: v for k, v in w.items() if k not in ("self", "attributes")}
                for w in state.worklogs
            ]
            return (state.users, state.accounts, state.teams, state.memberships, worklogs)

        assert snapshot(first) == snapshot(second)
        assert snapshot(first) != snapshot(other)
    finally:
        for emulator in (first, second, other):
            await emulator.stop()


async def test_worklogs_are_consistent_with_the_rest() -> None:
    emu = await seeded(11, worklogs=1000)
    try:
        state = emu.state
        assert len(state.worklogs) == 1000
        first_day = (TODAY - timedelta(days=365)).isoformat()
        for worklog in state.worklogs:
            day = date.fromisoformat(worklog["startDate"])
            assert first_day <= worklog["startDate"] < TODAY.isoformat()
            assert day.weekday() < 5
            author = worklog["author"]["accountId"]
            assert any(
                m["accountId"] == author and is_active(m, day) for m in state.memberships.values()
            ), worklog
            account = account_of(worklog)
            assert account is not None and state.accounts[account]["status"] == "OPEN"
            assert worklog["issue"]["key"] in state.issues
            assert worklog["createdAt"] <= worklog["updatedAt"]
        dates = [w["startDate"] for w in state.worklogs]
        assert dates == sorted(dates)
        assert dates[0] < "2024-08-01" and dates[-1] > "2025-05-01"
    finally:
        await emu.stop()


async def test_reference_data_is_consistent() -> None:
    emu = await seeded(2)
    try:
        state = emu.state
        for account in state.accounts.values():
            assert account["leadAccountId"] in state.users
            assert account.get("categoryKey", "DEV") in state.categories
            assert account.get("customerKey", "ACME") in state.customers
        for team in state.teams.values():
            assert team.get("leadAccountId", next(iter(state.users))) in state.users
            assert team.get("programId", next(iter(state.programs))) in state.programs
        for membership in state.memberships.values():
            assert membership["teamId"] in state.teams
            assert membership["roleId"] in state.roles
        assert any(":" in account_id for account_id in state.users)
        assert state.current_account_id in state.users
    finally:
        await emu.stop()


async def test_an_unpopulated_emulator_is_empty() -> None:
    async with Emulator(populate=False) as emu:
        state = emu.state
        assert not state.users and not state.accounts and not len(state.worklogs)
        assert list(state.roles.values()) == [{"id": 1, "name": "Member", "default": True}]


async def test_a_page_of_rows_renders_as_each_row_does() -> None:
    emu = await seeded(3, worklogs=500)
    try:
        state = emu.state
        columns = state.worklogs.columns
        rows = list(state.worklogs.all.rows)[::7]
        one_by_one = [state.render_worklog(columns.fields(row)) for row in rows]
        assert state.render_worklog_rows(rows) == one_by_one
        assert state.worklogs.bodies(rows) == one_by_one
        # the nested references are the state's shared ones
        first = state.render_worklog_rows(rows[:1])[0]
        assert first["issue"] is state.issue_ref(first["issue"]["key"])
        assert first["author"] is state.user_ref(first["author"]["accountId"])
    finally:
        await emu.stop()
