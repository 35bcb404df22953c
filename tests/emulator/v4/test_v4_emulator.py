"""The emulator speaks v4 beside v3, over the same data, through the v4 client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import aiohttp
import attrs
import pytest

from tempo_async import BadRequestError, NotFoundError
from tempo_async import TempoClient as V3Client
from tempo_async._cursor_paging import CursorPaginator
from tempo_async._paging import Paginator
from tempo_async.emulator import Emulator
from tempo_async.models.v4 import (
    AccountInput,
    AccountLinkInput,
    AccountSearchInput,
    BulkWorklogInput,
    CategoryInput,
    CreateWorkAttributeInput,
    CustomerInput,
    CustomerSearchInput,
    HolidayInput,
    HolidaySchemeInputBean,
    HolidaySchemeMembersInput,
    MembershipInput,
    PlanInput,
    PlanSearchInput,
    ProgramInput,
    RoleInput,
    SearchOrderBean,
    TeamCreateInput,
    TeamMembershipInput,
    TeamUpdateInput,
    TimesheetApprovalInput,
    UpdateWorkAttributeInput,
    WorkloadSchemeDayInput,
    WorkloadSchemeInput,
    WorkloadSchemeMembersInput,
    WorklogInput,
    WorklogSearchInput,
    WorklogUpdate,
)
from tempo_async.v4 import OPERATIONS, TempoClient
from tests.v4.test_operations import build_call, resolve

NOW = datetime(2026, 3, 18, 10, 0, tzinfo=timezone.utc)
WRITTEN = {
    f"{resource}.{method}"
    for resource, methods in (
        ("customers", ("create", "update", "delete", "search")),
        ("account_categories", ("create", "get", "update", "delete")),
        ("roles", ("create", "update", "delete")),
        ("accounts", ("create", "update", "delete", "search")),
        ("programs", ("create", "update", "delete")),
        ("teams", ("create", "update", "delete")),
        ("periods", ("list",)),
        ("work_attributes", ("create", "update", "delete")),
        ("team_memberships", ("create", "get", "update", "delete")),
        ("account_links", ("create", "get", "delete", "make_default", "for_project")),
        ("accounts", ("links",)),
        ("plans", ("create", "list", "get", "update", "delete", "for_generic_resource", "search")),
        (
            "workload_schemes",
            (
                "list",
                "create",
                "for_user",
                "get",
                "update",
                "delete",
                "set_default",
                "members",
                "set_members",
            ),
        ),
        (
            "holiday_schemes",
            (
                "list",
                "create",
                "for_user",
                "get",
                "update",
                "delete",
                "set_default",
                "holidays",
                "create_holiday",
                "floating_holidays",
                "holiday",
                "update_holiday",
                "delete_holiday",
                "members",
                "set_members",
            ),
        ),
        ("user_schedule", ("mine", "for_user")),
        (
            "timesheet_approvals",
            (
                "for_user",
                "for_team",
                "waiting",
                "reviewers",
                "submit",
                "approve",
                "reject",
                "reopen",
                "recall",
            ),
        ),
    )
    for method in methods
}
"""The writes of reference data served with state (`emulator.v4.writes`)."""
STATEFUL = {
    op_id
    for op_id, target in OPERATIONS.items()
    if target.startswith("worklogs.")
    or target in WRITTEN
    or op_id
    in {
        "getDeletedWorklogAuditEvent",
        "getAccounts",
        "getAccountById",
        "getCustomers",
        "getCustomerById",
        "getCategories",
        "getTeams",
        "getTeamById",
        "getAllRoles",
        "getDefaultRole",
        "getRoleById",
        "getPrograms",
        "getProgramById",
        "getWorkAttributes",
        "getWorkAttributeByKey",
    }
}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(worklogs=1200, seed=3, today=date(2026, 3, 18), clock=lambda: NOW) as e:
        yield e


@pytest.fixture
async def tempo(emu: Emulator) -> AsyncIterator[TempoClient]:
    async with TempoClient("t", base_url=emu.api_host, rate_limit=None) as client:
        yield client


@pytest.fixture
async def v3(emu: Emulator) -> AsyncIterator[V3Client]:
    async with V3Client("t", base_url=emu.base_url, rate_limit=None) as client:
        yield client


def new_worklog(emu: Emulator, **changes: Any) -> WorklogInput:
    issue = next(iter(emu.state.issues.values()))
    author = next(iter(emu.state.users))
    fields: dict[str, Any] = {
        "issue_id": issue["id"],
        "author_account_id": author,
        "start_date": date(2026, 3, 2),
        "time_spent_seconds": 1800,
        "description": "pairing",
        **changes,
    }
    return WorklogInput(**fields)


async def test_the_list_pages_every_worklog_in_pages_of_up_to_5000(
    tempo: TempoClient, emu: Emulator
) -> None:
    ids = [w.tempo_worklog_id async for w in tempo.worklogs.list(limit=5000)]
    assert sorted(ids) == sorted(emu.state.worklogs.by_id)
    small = [w.tempo_worklog_id async for w in tempo.worklogs.list(limit=100, concurrency=4)]
    assert small == ids


async def test_create_get_update_delete_and_the_audit_log(
    tempo: TempoClient, v3: V3Client, emu: Emulator
) -> None:
    created = await tempo.worklogs.create(new_worklog(emu))
    assert (await tempo.worklogs.get(created.tempo_worklog_id)) == created
    through_v3 = await v3.worklogs.get(created.tempo_worklog_id)
    issue = next(i for i in emu.state.issues.values() if i["id"] == created.issue.id)
    assert through_v3.issue.key == issue["key"]

    update = WorklogUpdate(
        author_account_id=created.author.account_id,
        start_date=date(2026, 3, 3),
        time_spent_seconds=3600,
    )
    updated = await tempo.worklogs.update(created.tempo_worklog_id, update)
    assert (updated.time_spent_seconds, updated.start_date) == (3600, date(2026, 3, 3))

    await tempo.worklogs.delete(created.tempo_worklog_id)
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.get(created.tempo_worklog_id)
    assert caught.value.messages == ["Worklog not found"]
    events = await tempo.audit.deleted_worklogs(
        updated_from=datetime(2026, 3, 1, tzinfo=timezone.utc)
    ).collect()
    assert [e.tempo_worklog_id for e in events] == [str(created.tempo_worklog_id)]


async def test_a_deletion_through_v3_is_in_the_v4_audit_log(
    tempo: TempoClient, v3: V3Client, emu: Emulator
) -> None:
    victim = next(iter(emu.state.worklogs.by_id))
    await v3.worklogs.delete(victim)
    paginator = tempo.audit.deleted_worklogs(updated_from=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert isinstance(paginator, CursorPaginator)
    assert [e.tempo_worklog_id for e in await paginator.collect()] == [str(victim)]


async def test_the_audit_log_pages_by_last_evaluated_key(tempo: TempoClient, emu: Emulator) -> None:
    victims = list(emu.state.worklogs.by_id)[:25]
    for worklog_id in victims:
        await tempo.worklogs.delete(worklog_id)
    events = await tempo.audit.deleted_worklogs(
        updated_from=datetime(2026, 1, 1, tzinfo=timezone.utc), limit=10
    ).collect()
    assert [int(e.tempo_worklog_id) for e in events] == victims


async def test_search_filters_and_orders(tempo: TempoClient, emu: Emulator) -> None:
    project_id = next(iter(emu.state.projects.values()))["id"]
    query = WorklogSearchInput(
        project_ids=[project_id],
        from_=date(2026, 1, 1),
        order_by=[SearchOrderBean(field="ID", order="DESC")],  # type: ignore[arg-type]
    )
    found = await tempo.worklogs.search(query).collect()
    assert found
    assert [w.tempo_worklog_id for w in found] == sorted(
        (w.tempo_worklog_id for w in found), reverse=True
    )
    assert all(w.start_date >= date(2026, 1, 1) for w in found)
    by_get = [
        w.tempo_worklog_id
        async for w in tempo.worklogs.list(project_id=[project_id], from_=date(2026, 1, 1))
    ]
    assert sorted(by_get) == sorted(w.tempo_worklog_id for w in found)


async def test_the_list_orders_by_updated_and_by_id_latest_first(
    tempo: TempoClient, emu: Emulator
) -> None:
    stamps = {i: w["updatedAt"] for i, w in emu.state.worklogs.by_id.items()}
    expected = sorted(stamps, key=lambda i: (stamps[i], i), reverse=True)
    by_updated = [
        w.tempo_worklog_id async for w in tempo.worklogs.list(order_by="UPDATED", limit=7)
    ]
    assert by_updated == expected
    by_id = [w.tempo_worklog_id async for w in tempo.worklogs.list(order_by="ID", limit=7)]
    assert by_id == sorted(stamps, reverse=True)
    # a write shows in the next ordered listing (the kept ordering is dropped)
    oldest = expected[-1]
    stored = emu.state.worklogs.by_id[oldest]
    await tempo.worklogs.update(
        oldest,
        WorklogUpdate(
            author_account_id=stored["author"]["accountId"],
            start_date=date.fromisoformat(stored["startDate"]),
            time_spent_seconds=60,
        ),
    )
    after = [w.tempo_worklog_id async for w in tempo.worklogs.list(order_by="UPDATED")]
    assert after == [oldest, *expected[:-1]]


async def test_updated_from_takes_a_date_time(tempo: TempoClient, emu: Emulator) -> None:
    created = await tempo.worklogs.create(new_worklog(emu))
    since = [w.tempo_worklog_id async for w in tempo.worklogs.list(updated_from=NOW)]
    assert created.tempo_worklog_id in since


async def test_bulk_create_and_id_maps(tempo: TempoClient, emu: Emulator) -> None:
    issue_id = next(iter(emu.state.issues.values()))["id"]
    author = next(iter(emu.state.users))
    inputs = [
        BulkWorklogInput(
            author_account_id=author, start_date=date(2026, 3, 4), time_spent_seconds=60 + i
        )
        for i in range(73)
    ]
    created = await tempo.worklogs.bulk_create(issue_id, inputs)
    assert [w.time_spent_seconds for w in created] == [60 + i for i in range(73)]
    assert len({w.tempo_worklog_id for w in created}) == 73
    tempo_ids = [w.tempo_worklog_id for w in created[:5]]
    jira = await tempo.worklogs.jira_ids_for(tempo_ids)
    assert sorted(jira) == sorted(tempo_ids)
    assert await tempo.worklogs.tempo_ids_for(list(jira.values())) == {
        v: k for k, v in jira.items()
    }


async def test_an_unknown_issue_is_a_400_in_the_v4_error_shape(
    emu: Emulator, tempo: TempoClient
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.worklogs.create(new_worklog(emu, issue_id=987654321))
    assert caught.value.messages == ["Issue with id 987654321 not found"]
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{emu.v4_base_url}/worklogs/0", headers={"Authorization": "Bearer t"}
        ) as response,
    ):
        assert response.status == 404
        assert await response.json() == {"errors": {"message": "Worklog not found"}}


async def test_an_invalid_body_is_refused_with_the_fields_named(emu: Emulator) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{emu.v4_base_url}/worklogs",
            json={"issueId": 1, "startDate": "2026-01-01"},
            headers={"Authorization": "Bearer t"},
        ) as response,
    ):
        assert response.status == 400
        message = (await response.json())["errors"]["message"]
    assert "authorAccountId" in message and "timeSpentSeconds" in message


@pytest.mark.parametrize("op_id", sorted(set(OPERATIONS) - STATEFUL))
async def test_every_other_operation_answers_a_schema_valid_response(
    tempo: TempoClient, op_id: str
) -> None:
    call = build_call(op_id)
    result = resolve(tempo, OPERATIONS[op_id])(*call.args, **call.kwargs)
    if isinstance(result, Paginator):
        await result.collect()
    else:
        await result


async def test_reference_data_is_read_from_the_shared_state(
    tempo: TempoClient, emu: Emulator
) -> None:
    accounts = await tempo.accounts.list(limit=7).collect()
    assert sorted(a.key for a in accounts) == sorted(emu.state.accounts)
    first = accounts[0]
    assert (await tempo.accounts.get(first.id)) == first
    customers = await tempo.customers.list().collect()
    assert sorted(c.key for c in customers) == sorted(emu.state.customers)
    categories = await tempo.account_categories.list()
    assert sorted(c.key for c in categories) == sorted(emu.state.categories)
    teams = await tempo.teams.list().collect()
    assert sorted(t.id for t in teams) == sorted(emu.state.teams)
    team = await tempo.teams.get(teams[0].id)
    assert team.name == emu.state.teams[teams[0].id]["name"]
    with pytest.raises(NotFoundError):
        await tempo.accounts.get(987654)


async def test_roles_programs_and_work_attributes_are_read_from_the_shared_state(
    tempo: TempoClient, emu: Emulator
) -> None:
    roles = await tempo.roles.list()
    assert sorted(r.id for r in roles) == sorted(emu.state.roles)
    default = await tempo.roles.default()
    assert default.default is True
    assert (await tempo.roles.get(default.id)) == default
    programs = await tempo.programs.list()
    assert sorted(p.id for p in programs) == sorted(emu.state.programs)
    first = await tempo.programs.get(programs[0].id)
    members = {t.id for t in first.teams.values or []}
    assert members == {t["id"] for t in emu.state.teams.values() if t.get("programId") == first.id}
    attributes = await tempo.work_attributes.list().collect()
    assert sorted(a.key for a in attributes) == sorted(emu.state.work_attributes)
    key = attributes[0].key
    assert (await tempo.work_attributes.get(key)).key == key


async def test_search_takes_updated_from_with_any_offset(tempo: TempoClient, emu: Emulator) -> None:
    from datetime import timedelta

    created = await tempo.worklogs.create(new_worklog(emu))
    since = datetime(2026, 3, 18, 11, 0, tzinfo=timezone(timedelta(hours=2)))  # 09:00 UTC
    found = await tempo.worklogs.search(WorklogSearchInput(updated_from=since)).collect()
    assert created.tempo_worklog_id in [w.tempo_worklog_id for w in found]
    later = datetime(2026, 3, 18, 13, 0, tzinfo=timezone(timedelta(hours=2)))  # 11:00 UTC
    assert await tempo.worklogs.search(WorklogSearchInput(updated_from=later)).collect() == []


async def test_a_bulk_create_with_one_bad_input_creates_nothing(
    tempo: TempoClient, emu: Emulator
) -> None:
    issue_id = next(iter(emu.state.issues.values()))["id"]
    author = next(iter(emu.state.users))
    good = BulkWorklogInput(
        author_account_id=author, start_date=date(2026, 3, 4), time_spent_seconds=60
    )
    bad = BulkWorklogInput(
        author_account_id="nobody", start_date=date(2026, 3, 4), time_spent_seconds=60
    )
    before = len(emu.state.worklogs)
    with pytest.raises(BadRequestError, match="nobody"):
        await tempo.worklogs.bulk_create_chunk(issue_id, [good, good, bad])
    assert len(emu.state.worklogs) == before


def test_the_written_operations_exist() -> None:
    assert set(OPERATIONS.values()) >= WRITTEN


async def test_customers_round_trip_through_v4_and_show_in_v3(
    tempo: TempoClient, v3: V3Client
) -> None:
    created = await tempo.customers.create(CustomerInput(key="ZENITH_ONE", name="Zenith Corp"))
    assert created.key == "ZENITH_ONE" and created.self_url.endswith(f"/4/customers/{created.id}")
    assert await tempo.customers.get(created.id) == created
    assert (await v3.customers.get("ZENITH_ONE")).name == "Zenith Corp"
    updated = await tempo.customers.update(
        "ZENITH_ONE", CustomerInput(key="ZENITH_ONE", name="Zenith Ltd")
    )
    assert (updated.id, updated.name) == (created.id, "Zenith Ltd")
    with pytest.raises(BadRequestError, match="already exists"):
        await tempo.customers.create(CustomerInput(key="ZENITH_ONE", name="Again"))
    await tempo.customers.delete("ZENITH_ONE")
    with pytest.raises(NotFoundError):
        await tempo.customers.get(created.id)


async def test_account_categories_round_trip(tempo: TempoClient) -> None:
    created = await tempo.account_categories.create(
        CategoryInput(key="OPS", name="Operations", type_name="OPERATIONAL")
    )
    assert (created.key, created.name, created.type.name) == ("OPS", "Operations", "OPERATIONAL")
    assert await tempo.account_categories.get("OPS") == created
    assert "OPS" in [c.key for c in await tempo.account_categories.list()]
    updated = await tempo.account_categories.update(
        "OPS", CategoryInput(key="OPS", name="Ops", type_name="OPERATIONAL")
    )
    assert updated.name == "Ops"
    await tempo.account_categories.delete("OPS")
    with pytest.raises(NotFoundError):
        await tempo.account_categories.get("OPS")


async def test_roles_round_trip_and_keep_names_unique(tempo: TempoClient) -> None:
    created = await tempo.roles.create(RoleInput(name="Reviewer"))
    assert await tempo.roles.get(created.id) == created
    assert (await tempo.roles.update(created.id, RoleInput(name="Lead reviewer"))).name == (
        "Lead reviewer"
    )
    with pytest.raises(BadRequestError, match="already exists"):
        await tempo.roles.create(RoleInput(name="lead reviewer"))
    await tempo.roles.delete(created.id)
    with pytest.raises(NotFoundError):
        await tempo.roles.get(created.id)


async def test_accounts_round_trip_with_their_references_checked(
    tempo: TempoClient, emu: Emulator, v3: V3Client
) -> None:
    lead = next(iter(emu.state.users))
    customer = next(iter(emu.state.customers.values()))
    body = AccountInput(
        key="ZENITH_ACC",
        name="Zenith account",
        status="OPEN",
        lead_account_id=lead,
        customer_key=customer["key"],
    )
    created = await tempo.accounts.create(body)
    assert created.key == "ZENITH_ACC" and created.customer is not None
    assert created.customer.id == customer["id"]
    assert await tempo.accounts.get(created.id) == created
    assert (await v3.accounts.get("ZENITH_ACC")).name == "Zenith account"
    renamed = AccountInput(key="ZENITH_ACC", name="Renamed", status="CLOSED", lead_account_id=lead)
    updated = await tempo.accounts.update("ZENITH_ACC", renamed)
    assert (updated.id, updated.name, updated.status) == (created.id, "Renamed", "CLOSED")
    unknown_lead = AccountInput(key="OTHER", name="x", status="OPEN", lead_account_id="nobody")
    with pytest.raises(BadRequestError, match="nobody"):
        await tempo.accounts.create(unknown_lead)
    await tempo.accounts.delete("ZENITH_ACC")
    with pytest.raises(NotFoundError):
        await tempo.accounts.get(created.id)


async def test_programs_round_trip_with_their_teams(tempo: TempoClient, emu: Emulator) -> None:
    team_id = min(emu.state.teams)
    created = await tempo.programs.create(ProgramInput(name="Zenith", team_ids=[team_id]))
    assert created.name == "Zenith"
    assert created.teams is not None and created.teams.values is not None
    assert [t.id for t in created.teams.values] == [team_id]
    assert await tempo.programs.get(created.id) == created
    updated = await tempo.programs.update(created.id, ProgramInput(name="Zenith 2", team_ids=[]))
    assert updated.name == "Zenith 2"
    await tempo.programs.delete(created.id)
    with pytest.raises(NotFoundError):
        await tempo.programs.get(created.id)


async def test_timesheet_approvals_follow_their_state_machine_through_v4(
    tempo: TempoClient, emu: Emulator, v3: V3Client
) -> None:
    user, reviewer = list(emu.state.users)[:2]
    month = {"from_": date(2026, 2, 1), "to": date(2026, 2, 28)}
    approvals = tempo.timesheet_approvals
    opened = await approvals.for_user(user, **month)
    assert opened.status is not None and opened.status.key == "OPEN"
    assert opened.self_url.startswith(f"{emu.api_host}/4/timesheet-approvals/user/{user}")
    with pytest.raises(BadRequestError, match="reviewerAccountId"):
        await approvals.submit(user, TimesheetApprovalInput(comment="no reviewer"), **month)
    submitted = await approvals.submit(
        user, TimesheetApprovalInput(comment="please", reviewer_account_id=reviewer), **month
    )
    assert submitted.status is not None and submitted.status.key == "IN_REVIEW"
    assert submitted.reviewer is not None and submitted.reviewer.account_id == reviewer
    assert submitted.actions.recall is not None and submitted.actions.approve is not None
    assert user in [a.user.account_id for a in await approvals.waiting()]
    recalled = await approvals.recall(user, TimesheetApprovalInput(), **month)
    assert recalled.status is not None and recalled.status.key == "OPEN"
    await approvals.submit(user, TimesheetApprovalInput(reviewer_account_id=reviewer), **month)
    approved = await approvals.approve(user, TimesheetApprovalInput(comment="ok"), **month)
    assert approved.status is not None and approved.status.key == "APPROVED"
    v3_view = await v3.timesheet_approvals.get(user, from_=date(2026, 2, 1), to=date(2026, 2, 28))
    assert v3_view.status.key == "APPROVED"
    with pytest.raises(BadRequestError, match="Cannot approve"):
        await approvals.approve(user, TimesheetApprovalInput(), **month)
    reopened = await approvals.reopen(user, TimesheetApprovalInput(), **month)
    assert reopened.status is not None and reopened.status.key == "OPEN"


async def test_teams_round_trip_through_v4_and_show_in_v3(
    tempo: TempoClient, emu: Emulator, v3: V3Client
) -> None:
    lead = next(iter(emu.state.users))
    program_id = min(emu.state.programs)
    created = await tempo.teams.create(
        TeamCreateInput(
            name="Zenith team", lead_account_id=lead, program_id=program_id, public=False
        )
    )
    assert (created.name, created.public, created.lead.account_id) == ("Zenith team", False, lead)
    assert created.program is not None and created.program.id == program_id
    assert await tempo.teams.get(created.id) == created
    assert (await v3.teams.get(created.id)).name == "Zenith team"
    updated = await tempo.teams.update(created.id, TeamUpdateInput(name="Zenith squad"))
    assert (updated.id, updated.name, updated.program) == (created.id, "Zenith squad", None)
    with pytest.raises(BadRequestError, match="Program with id '999999' not found"):
        await tempo.teams.create(TeamCreateInput(name="x", program_id=999999))
    await tempo.teams.delete(created.id)
    with pytest.raises(NotFoundError):
        await tempo.teams.get(created.id)


async def test_periods_and_user_schedules_come_from_the_shared_calendar(
    tempo: TempoClient, emu: Emulator, v3: V3Client
) -> None:
    periods = await tempo.periods.list(from_=date(2026, 1, 10), to=date(2026, 3, 5))
    assert [(p.from_, p.to) for p in periods.periods or []] == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
    ]
    user = next(iter(emu.state.users))
    week = {"from_": date(2026, 3, 2), "to": date(2026, 3, 8)}
    days = await tempo.user_schedule.for_user(user, **week)
    assert [d.date for d in days] == [date(2026, 3, 2) + timedelta(days=n) for n in range(7)]
    v3_days = await v3.user_schedule.for_user(user, **week)
    assert [(d.required_seconds, d.type) for d in days] == [
        (int(d.required_seconds), d.type) for d in v3_days
    ]
    assert len(await tempo.user_schedule.mine(**week)) == 7
    with pytest.raises(NotFoundError):
        await tempo.user_schedule.for_user("nobody", **week)


async def test_work_attributes_round_trip_with_tempos_rules(tempo: TempoClient) -> None:
    attributes = tempo.work_attributes
    created = await attributes.create(
        CreateWorkAttributeInput(key="_SIZE_", name="Size", type="STATIC_LIST", values=["S", "M"])
    )
    assert (created.key, created.values, created.names) == (
        "_SIZE_",
        ["S", "M"],
        {"S": "S", "M": "M"},
    )
    assert await attributes.get("_SIZE_") == created
    grown = await attributes.update(
        "_SIZE_",
        UpdateWorkAttributeInput(name="T-shirt", type="STATIC_LIST", values=["S", "M", "L"]),
    )
    assert (grown.name, grown.values) == ("T-shirt", ["S", "M", "L"])
    with pytest.raises(BadRequestError, match="cannot be removed: M"):
        await attributes.update(
            "_SIZE_", UpdateWorkAttributeInput(name="x", type="STATIC_LIST", values=["S", "L"])
        )
    with pytest.raises(BadRequestError, match="already exists"):
        await attributes.create(CreateWorkAttributeInput(key="_SIZE_", name="y", type="CHECKBOX"))
    with pytest.raises(BadRequestError, match="used by worklogs"):
        await attributes.delete("_COLOR_")
    await attributes.delete("_SIZE_")
    with pytest.raises(NotFoundError):
        await attributes.get("_SIZE_")


async def test_team_memberships_keep_v4s_exclusive_end_date(
    tempo: TempoClient, emu: Emulator, v3: V3Client
) -> None:
    team_id = min(emu.state.teams)
    user = next(
        u
        for u in emu.state.users
        if u not in {m["accountId"] for m in emu.state.memberships_of_team(team_id)}
    )
    memberships = tempo.team_memberships
    created = await memberships.create(
        TeamMembershipInput(
            account_id=user,
            team_id=team_id,
            commitment_percent=50,
            from_=date(2026, 4, 1),
            to=date(2026, 5, 1),
        )
    )
    assert (created.to, created.inclusive_to) == (date(2026, 5, 1), date(2026, 4, 30))
    assert created.member is not None and created.member.account_id == user
    assert await memberships.get(created.id) == created
    v3_view = await v3.team_memberships.get(created.id)
    assert v3_view.to == date(2026, 4, 30)  # v3's end date is inclusive
    inclusive = MembershipInput(
        commitment_percent=80,
        from_=date(2026, 4, 1),
        to=date(2026, 6, 30),
        use_inclusive_end_date=True,
    )
    updated = await memberships.update(created.id, inclusive)
    assert (updated.commitment_percent, updated.inclusive_to) == (80, date(2026, 6, 30))
    with pytest.raises(BadRequestError, match="Team with id"):
        await memberships.create(TeamMembershipInput(account_id=user, team_id=999999))
    await memberships.delete(created.id)
    with pytest.raises(NotFoundError):
        await memberships.get(created.id)


async def test_account_links_round_trip_with_one_default_per_project(
    tempo: TempoClient, emu: Emulator
) -> None:
    project = next(iter(emu.state.projects.values()))
    linked = {
        link["accountKey"]
        for link in emu.state.account_links.values()
        if link["projectKey"] == project["key"]
    }
    first, second = [k for k in emu.state.accounts if k not in linked][:2]
    links = tempo.account_links

    def link_input(key: str, default: bool = False) -> AccountLinkInput:
        return AccountLinkInput(
            account_key=key, scope_id=project["id"], scope_type="PROJECT", default=default
        )

    created = await links.create(link_input(first, default=True))
    assert created.default and created.scope.id == project["id"]
    assert await links.get(created.id) == created
    defaults = [link.id for link in await links.for_project(project["id"]) if link.default]
    assert defaults == [created.id]
    assert created.id in [link.id async for link in tempo.accounts.links(first)]
    with pytest.raises(BadRequestError, match="already linked"):
        await links.create(link_input(first))
    another = await links.create(link_input(second))
    assert not another.default
    await links.make_default(another.id)
    assert (await links.get(another.id)).default
    assert not (await links.get(created.id)).default
    await links.delete(created.id)
    with pytest.raises(NotFoundError):
        await links.get(created.id)


async def test_plans_round_trip_through_v4_and_show_in_v3(
    tempo: TempoClient, emu: Emulator, v3: V3Client
) -> None:
    user = next(iter(emu.state.users))
    issue = next(iter(emu.state.issues.values()))
    body = PlanInput(
        assignee_id=user,
        assignee_type="USER",
        plan_item_id=str(issue["id"]),
        plan_item_type="ISSUE",
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 8),
        planned_seconds_per_day=3600,
        rule="WEEKLY",
        recurrence_end_date=date(2026, 5, 31),
        description="Zenith planning",
    )
    created = await tempo.plans.create(body)
    assert created.plan_item is not None and created.plan_item.id == str(issue["id"])
    assert (created.rule, created.planned_seconds_per_day) == ("WEEKLY", 3600)
    assert await tempo.plans.get(created.id) == created
    may = [p.id async for p in tempo.plans.list(from_=date(2026, 5, 25), to=date(2026, 5, 31))]
    assert created.id in may
    assert created.id not in [
        p.id async for p in tempo.plans.list(from_=date(2026, 7, 1), to=date(2026, 7, 31))
    ]
    assert (await v3.plans.get(created.id)).description == "Zenith planning"
    total = PlanInput(
        assignee_id=user,
        assignee_type="USER",
        plan_item_id=str(issue["id"]),
        plan_item_type="ISSUE",
        start_date=date(2026, 5, 4),
        end_date=date(2026, 5, 8),
        planned_seconds=5 * 7200,
    )
    updated = await tempo.plans.update(created.id, total)
    assert (updated.planned_seconds_per_day, updated.rule) == (7200, "NEVER")
    generic = await tempo.plans.create(
        attrs.evolve(total, assignee_type="GENERIC", assignee_id="42")
    )
    assert generic.assignee is not None and (generic.assignee.id, generic.assignee.type) == (
        "42",
        "GENERIC",
    )
    assert [p.id for p in await tempo.plans.for_generic_resource(42)] == [generic.id]
    search = PlanSearchInput(issue_ids=[issue["id"]], from_=date(2026, 5, 1), to=date(2026, 5, 31))
    found = [p.id async for p in tempo.plans.search(search, limit=1)]
    assert found == sorted(
        p["id"]
        for p in emu.state.plans.values()
        if p.get("issueKey") == issue["key"]
        and p["startDate"] <= "2026-05-31"
        and p["recurrenceEndDate"] >= "2026-05-01"
    )
    assert generic.id in found
    by_type = PlanSearchInput(
        assignee_types=["GENERIC"],
        generic_resource_ids=[42],
        from_=date(2026, 1, 1),
        to=date(2026, 12, 31),
    )
    assert [p.id async for p in tempo.plans.search(by_type)] == [generic.id]
    with pytest.raises(BadRequestError, match="Issue with id '0' not found"):
        await tempo.plans.create(attrs.evolve(total, plan_item_id="0"))
    await tempo.plans.delete(created.id)
    with pytest.raises(NotFoundError):
        await tempo.plans.get(created.id)


async def test_holiday_schemes_members_and_holidays_round_trip(
    tempo: TempoClient, emu: Emulator
) -> None:
    schemes = tempo.holiday_schemes
    (default,) = [s for s in await schemes.list() if s.default_scheme]
    assert default.member_count == len(emu.state.users)
    created = await schemes.create(HolidaySchemeInputBean(name="Zenith", description="Office"))
    assert (created.name, created.default_scheme, created.member_count) == ("Zenith", False, 0)
    user = next(iter(emu.state.users))
    await schemes.set_members(created.id, HolidaySchemeMembersInput(account_ids=[user]))
    assert (await schemes.for_user(user)).id == created.id
    assert [m.account_id async for m in schemes.members(created.id)] == [user]
    day = HolidayInput(
        name="Founders", date=date(2026, 6, 12), duration_seconds=28800, type="FIXED"
    )
    holiday = await schemes.create_holiday(created.id, day)
    assert await schemes.holiday(created.id, holiday.id) == holiday
    assert [h.id for h in await schemes.holidays(created.id, year=2026)] == [holiday.id]
    moved = attrs.evolve(day, date=date(2026, 6, 15), type="FLOATING")
    assert (await schemes.update_holiday(created.id, holiday.id, moved)).date == date(2026, 6, 15)
    assert [h.id for h in await schemes.floating_holidays(created.id)] == [holiday.id]
    await schemes.delete_holiday(created.id, holiday.id)
    assert await schemes.holidays(created.id, year=2026) == []
    # The default scheme is the calendar the user schedules read.
    bridge = HolidayInput(
        name="Bridge", date=date(2026, 3, 20), duration_seconds=28800, type="FIXED"
    )
    await schemes.create_holiday(default.id, bridge)
    (friday,) = await tempo.user_schedule.for_user(
        user, from_=date(2026, 3, 20), to=date(2026, 3, 20)
    )
    assert friday.required_seconds == 0
    jan_1 = {"from_": date(2026, 1, 1), "to": date(2026, 1, 1)}
    (new_year,) = await tempo.user_schedule.for_user(user, **jan_1)
    assert new_year.holiday is not None  # a yearly holiday of the calendar, by its link
    assert (await schemes.holiday(default.id, new_year.holiday.id)).name == "New Year's Day"
    assert new_year.holiday.id in [h.id for h in await schemes.holidays(default.id, year=2026)]
    with pytest.raises(BadRequestError, match="yearly holiday"):
        await schemes.delete_holiday(default.id, new_year.holiday.id)
    with pytest.raises(BadRequestError, match="cannot be deleted"):
        await schemes.delete(default.id)
    assert (await schemes.set_default(created.id)).default_scheme
    await schemes.set_default(default.id)
    await schemes.delete(created.id)
    assert (await schemes.for_user(user)).id == default.id
    with pytest.raises(NotFoundError):
        await schemes.get(created.id)


async def test_workload_schemes_and_their_members_round_trip(
    tempo: TempoClient, emu: Emulator
) -> None:
    schemes = tempo.workload_schemes
    (default,) = [s async for s in schemes.list() if s.default_scheme]
    assert [(d.day, d.required_seconds) for d in default.days][:2] == [
        ("MONDAY", 28800),
        ("TUESDAY", 28800),
    ]
    week = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
    part_time = WorkloadSchemeInput(
        name="Part time",
        days=[
            WorkloadSchemeDayInput(day=day, required_seconds=14400 if n < 2 else 0)
            for n, day in enumerate(week)
        ],
    )
    created = await schemes.create(part_time)
    assert [d.required_seconds for d in created.days] == [14400, 14400, 0, 0, 0, 0, 0]
    user = next(iter(emu.state.users))
    await schemes.set_members(created.id, WorkloadSchemeMembersInput(account_ids=[user]))
    assert (await schemes.for_user(user)).id == created.id
    assert (await schemes.get(created.id)).member_count == 1
    assert [m.account_id async for m in schemes.members(created.id)] == [user]
    renamed = await schemes.update(created.id, WorkloadSchemeInput(name="Half week"))
    assert renamed.name == "Half week" and renamed.days[4].required_seconds == 28800
    with pytest.raises(BadRequestError, match="already exists"):
        await schemes.create(WorkloadSchemeInput(name="Half week"))
    with pytest.raises(BadRequestError, match="cannot be deleted"):
        await schemes.delete(default.id)
    await schemes.delete(created.id)
    assert (await schemes.for_user(user)).id == default.id


async def test_account_and_customer_searches_filter_the_shared_state(
    tempo: TempoClient, emu: Emulator
) -> None:
    open_keys = sorted(
        (a["id"], a["key"]) for a in emu.state.accounts.values() if a["status"] == "OPEN"
    )
    found = [a async for a in tempo.accounts.search(AccountSearchInput(statuses=["OPEN"]), limit=2)]
    assert [(a.id, a.key) for a in found] == open_keys
    some = [key for _, key in open_keys[:2]]
    by_key = [a.key async for a in tempo.accounts.search(AccountSearchInput(keys=some))]
    assert by_key == some
    customer = next(iter(emu.state.customers.values()))
    customers = tempo.customers.search(CustomerSearchInput(ids=[customer["id"]]))
    assert [c.key async for c in customers] == [customer["key"]]
