"""Single worklogs (#62-68): CRUD, work attribute values, lookup by Jira id."""

from __future__ import annotations

from datetime import date, time

import pytest

from tempo_async import (
    BadRequestError,
    NotFoundError,
    TempoClient,
    WorkAttributeValue,
    Worklog,
    WorklogInput,
    converter,
)
from tempo_async.emulator import Emulator
from tests.integration.conftest import NOW, NOW_ISO, user_ids


def _worklog_input(emu: Emulator, **changes: object) -> WorklogInput:
    fields: dict[str, object] = {
        "issue_key": "WEB-7",
        "time_spent_seconds": 5400,
        "billable_seconds": 3600,
        "start_date": date(2026, 3, 17),
        "start_time": time(9, 30),
        "author_account_id": user_ids(emu)[2],
        "description": "Integration work",
        "attributes": [
            WorkAttributeValue(key="_Account_", value="ACME-DEV"),
            WorkAttributeValue(key="_COLOR_", value="green"),
            WorkAttributeValue(key="_DELIVERED_", value=True),
            WorkAttributeValue(key="_STORYPOINTS_", value=3),
        ],
    }
    fields.update(changes)
    return WorklogInput(**fields)  # type: ignore[arg-type]


async def test_worklog_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    author = user_ids(emu)[2]
    count = emu.state.worklog_count()
    created = await tempo.worklogs.create(_worklog_input(emu))

    assert isinstance(created, Worklog)
    assert created.tempo_worklog_id == max(emu.state.worklogs.by_id)
    assert emu.state.worklog_count() == count + 1
    assert created.self_url == f"{emu.base_url}/worklogs/{created.tempo_worklog_id}"
    assert created.jira_worklog_id is not None
    assert created.issue.key == "WEB-7"
    assert (created.time_spent_seconds, created.billable_seconds) == (5400, 3600)
    assert (created.start_date, created.start_time) == (date(2026, 3, 17), time(9, 30))
    assert created.description == "Integration work"
    assert created.author.account_id == author
    assert created.author.display_name == emu.state.users[author]["displayName"]
    assert created.created_at == created.updated_at == NOW
    assert created.attributes is not None
    assert created.attributes.self_url == f"{created.self_url}/work-attribute-values"
    assert [(v.key, v.value) for v in created.attributes.values] == [
        ("_Account_", "ACME-DEV"),
        ("_COLOR_", "green"),
        ("_DELIVERED_", True),
        ("_STORYPOINTS_", 3),
    ]
    stored = emu.state.get_worklog(created.tempo_worklog_id)
    assert converter.unstructure(created) == stored

    assert await tempo.worklogs.get(created.tempo_worklog_id) == created
    assert await tempo.worklogs.get_by_jira_id(created.jira_worklog_id) == created

    updated = await tempo.worklogs.update(
        created.tempo_worklog_id,
        _worklog_input(
            emu,
            issue_key="PLAT-2",
            time_spent_seconds=1800,
            billable_seconds=None,
            description=None,
            attributes=None,
        ),
    )
    assert updated.tempo_worklog_id == created.tempo_worklog_id
    assert updated.jira_worklog_id == created.jira_worklog_id
    assert updated.issue.key == "PLAT-2"
    assert (updated.time_spent_seconds, updated.billable_seconds) == (1800, 1800)
    assert updated.description == ""
    assert updated.attributes is not None and updated.attributes.values == []
    assert updated.created_at == created.created_at
    assert await tempo.worklogs.get(created.tempo_worklog_id) == updated

    assert await tempo.worklogs.delete(created.tempo_worklog_id) is None
    assert emu.state.worklog_count() == count
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.get(created.tempo_worklog_id)
    assert caught.value.messages == ["Worklog cannot be found"]
    assert caught.value.url == created.self_url
    with pytest.raises(NotFoundError):
        await tempo.worklogs.get_by_jira_id(created.jira_worklog_id)
    with pytest.raises(NotFoundError):
        await tempo.worklogs.delete(created.tempo_worklog_id)
    with pytest.raises(NotFoundError):
        await tempo.worklogs.update(created.tempo_worklog_id, _worklog_input(emu))


async def test_seeded_worklog_reads_back_exactly(tempo: TempoClient, emu: Emulator) -> None:
    for worklog_id in (1, 150, emu.state.worklog_count()):
        body = emu.state.get_worklog(worklog_id)
        assert body is not None
        worklog = await tempo.worklogs.get(worklog_id)
        assert converter.unstructure(worklog) == body
        assert await tempo.worklogs.get_by_jira_id(body["jiraWorklogId"]) == worklog


async def test_worklog_errors(tempo: TempoClient, emu: Emulator) -> None:
    count = emu.state.worklog_count()
    with pytest.raises(BadRequestError) as caught:
        await tempo.worklogs.create(
            _worklog_input(
                emu,
                issue_key="NOPE-1",
                author_account_id="ghost",
                time_spent_seconds=0,
                billable_seconds=-1,
                attributes=[
                    WorkAttributeValue(key="_Account_", value="STARK-DEV"),
                    WorkAttributeValue(key="_COLOR_", value="purple"),
                    WorkAttributeValue(key="_UNKNOWN_", value="x"),
                    WorkAttributeValue(key="_DELIVERED_", value="yes"),
                ],
            )
        )
    assert caught.value.messages == [
        "Issue not found",
        "Author with accountId 'ghost' not found",
        "Invalid time duration entered",
        "Billable seconds must not be negative",
        "Account 'STARK-DEV' is CLOSED, not open",
        "Invalid value 'purple' for work attribute '_COLOR_'",
        "Work attribute with key '_UNKNOWN_' does not exist",
        "Invalid value for work attribute '_DELIVERED_' (CHECKBOX)",
    ]
    assert emu.state.worklog_count() == count

    with pytest.raises(ValueError, match="startTime"):
        await tempo.worklogs.create(
            {
                "issueKey": "WEB-7",
                "timeSpentSeconds": 60,
                "startDate": "2026-03-17",
                "authorAccountId": "x",
            }  # type: ignore[arg-type]
        )
    with pytest.raises(ValueError, match="id"):
        await tempo.worklogs.get("12a")
    assert emu.state.worklog_count() == count


async def test_worklog_attribute_values(tempo: TempoClient, emu: Emulator) -> None:
    created = await tempo.worklogs.create(_worklog_input(emu))
    worklog_id = created.tempo_worklog_id
    values = await tempo.worklogs.attribute_values(worklog_id)
    assert created.attributes is not None
    assert values == created.attributes.values
    for value in values:
        assert await tempo.worklogs.attribute_value(worklog_id, value.key) == value
    assert (await tempo.worklogs.attribute_value(worklog_id, "_STORYPOINTS_")).value == 3

    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.attribute_value(worklog_id, "_EXTERNALREF_")
    assert caught.value.messages == ["Work attribute value cannot be found"]
    with pytest.raises(NotFoundError) as caught:
        await tempo.worklogs.attribute_values(999_999)
    assert caught.value.messages == ["Worklog cannot be found"]

    seeded = emu.state.get_worklog(5)
    assert seeded is not None
    assert [
        {"key": v.key, "value": v.value} for v in await tempo.worklogs.attribute_values(5)
    ] == seeded["attributes"]["values"]


async def test_worklog_created_through_state_helper_is_served(
    tempo: TempoClient, emu: Emulator
) -> None:
    emu.state.add_issue("NEW-1")
    body = emu.state.add_worklog(
        issue_key="NEW-1",
        author_account_id=user_ids(emu)[0],
        start_date=date(2026, 3, 2),
        account_key="WAYNE-DEV",
        attributes={"_EXTERNALREF_": "T-1"},
    )
    worklog = await tempo.worklogs.get(body["tempoWorklogId"])
    assert worklog.issue.key == "NEW-1"
    assert worklog.created_at == NOW
    assert converter.unstructure(worklog)["createdAt"] == NOW_ISO
    assert (await tempo.worklogs.attribute_value(worklog.tempo_worklog_id, "_Account_")).value == (
        "WAYNE-DEV"
    )
