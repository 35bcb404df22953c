"""Worklogs (#62-68): create, read, update, delete, attribute values, Jira ids."""

from __future__ import annotations

from typing import Any

from tempo_async.emulator import Emulator

from .helpers import Api


def worklog_input(emu: Emulator, **extra: Any) -> dict[str, Any]:
    account = next(k for k, a in emu.state.accounts.items() if a["status"] == "OPEN")
    return {
        "issueKey": "PLAT-2",
        "timeSpentSeconds": 3600,
        "startDate": "2025-06-02",
        "startTime": "20:06:00",
        "description": "Investigating a problem",
        "authorAccountId": list(emu.state.users)[1],
        "attributes": [
            {"key": "_Account_", "value": account},
            {"key": "_DELIVERED_", "value": True},
        ],
        **extra,
    }


async def test_create_returns_the_worklog_as_the_spec_shows_it(api: Api, emu: Emulator) -> None:
    body = worklog_input(emu, billableSeconds=5200, remainingEstimateSeconds=7200)
    reply = await api.post("/worklogs", body)
    assert reply.status == 200
    worklog = reply.body
    worklog_id = worklog["tempoWorklogId"]
    author = body["authorAccountId"]
    assert worklog == {
        "self": f"{emu.base_url}/worklogs/{worklog_id}",
        "tempoWorklogId": worklog_id,
        "jiraWorklogId": worklog["jiraWorklogId"],
        "issue": {"self": f"{emu.state.jira_url}/rest/api/2/issue/PLAT-2", "key": "PLAT-2"},
        "timeSpentSeconds": 3600,
        "billableSeconds": 5200,
        "startDate": "2025-06-02",
        "startTime": "20:06:00",
        "description": "Investigating a problem",
        "createdAt": "2025-06-18T12:30:00Z",
        "updatedAt": "2025-06-18T12:30:00Z",
        "author": {
            "self": f"{emu.state.jira_url}/rest/api/2/user?accountId={author}",
            "accountId": author,
            "displayName": emu.state.users[author]["displayName"],
        },
        "attributes": {
            "self": f"{emu.base_url}/worklogs/{worklog_id}/work-attribute-values",
            "values": body["attributes"],
        },
    }
    assert worklog_id > 400
    assert (await api.get(f"/worklogs/{worklog_id}")).body == worklog
    assert (await api.get(f"/worklogs/jira/{worklog['jiraWorklogId']}")).body == worklog


async def test_description_and_billable_seconds_default(api: Api, emu: Emulator) -> None:
    body = worklog_input(emu)
    del body["description"], body["attributes"]
    worklog = (await api.post("/worklogs", body)).body
    assert worklog["description"] == ""
    assert worklog["billableSeconds"] == 3600
    assert worklog["attributes"]["values"] == []


async def test_update_replaces_the_worklog_and_keeps_its_ids(api: Api, emu: Emulator) -> None:
    created = (await api.post("/worklogs", worklog_input(emu))).body
    path = f"/worklogs/{created['tempoWorklogId']}"
    updated = await api.put(
        path, worklog_input(emu, issueKey="WEB-3", timeSpentSeconds=900, attributes=[])
    )
    assert updated.status == 200
    assert updated.body["issue"]["key"] == "WEB-3"
    assert updated.body["timeSpentSeconds"] == 900
    assert updated.body["attributes"]["values"] == []
    for field in ("tempoWorklogId", "jiraWorklogId", "createdAt", "self"):
        assert updated.body[field] == created[field]
    assert (await api.get(path)).body == updated.body
    issue_page = (await api.get("/worklogs/issue/WEB-3", limit=1000)).body["results"]
    assert created["tempoWorklogId"] in [w["tempoWorklogId"] for w in issue_page]


async def test_delete_returns_204_and_then_404(api: Api, emu: Emulator) -> None:
    worklog_id = next(iter(emu.state.worklogs.by_id))
    jira_id = emu.state.worklogs.by_id[worklog_id]["jiraWorklogId"]
    reply = await api.delete(f"/worklogs/{worklog_id}")
    assert (reply.status, reply.body) == (204, None)
    for path in (f"/worklogs/{worklog_id}", f"/worklogs/jira/{jira_id}"):
        missing = await api.get(path)
        assert missing.status == 404
        assert missing.body == {"errors": [{"message": "Worklog cannot be found"}]}
    assert (await api.delete(f"/worklogs/{worklog_id}")).status == 404
    assert (await api.get("/worklogs/not-a-number")).status == 404
    assert emu.state.get_worklog(worklog_id) is None


async def test_missing_fields_are_400_with_a_message_each(api: Api) -> None:
    reply = await api.post("/worklogs", {"issueKey": "PLAT-1", "timeSpentSeconds": 60})
    assert reply.status == 400
    assert reply.messages == [
        "Field 'startDate' is required",
        "Field 'startTime' is required",
        "Field 'authorAccountId' is required",
    ]


async def test_unknown_issue_and_author_and_bad_duration_are_400(api: Api, emu: Emulator) -> None:
    body = worklog_input(emu, issueKey="NOPE-1", authorAccountId="ghost", timeSpentSeconds=0)
    reply = await api.post("/worklogs", body)
    assert reply.status == 400
    assert reply.messages == [
        "Issue not found",
        "Author with accountId 'ghost' not found",
        "Invalid time duration entered",
    ]


async def test_malformed_dates_and_times_are_400(api: Api, emu: Emulator) -> None:
    assert (await api.post("/worklogs", worklog_input(emu, startDate="2025-02-30"))).status == 400
    reply = await api.post("/worklogs", worklog_input(emu, startTime="9:00"))
    assert reply.status == 400
    assert reply.messages == ["startTime must be time"]


async def test_work_attribute_values_are_checked(api: Api, emu: Emulator) -> None:
    closed = next(k for k, a in emu.state.accounts.items() if a["status"] == "CLOSED")
    reply = await api.post(
        "/worklogs",
        worklog_input(
            emu,
            attributes=[
                {"key": "_Account_", "value": "NO-SUCH-ACCOUNT"},
                {"key": "_COLOR_", "value": "purple"},
                {"key": "_DELIVERED_", "value": "yes"},
                {"key": "_NOPE_", "value": 1},
            ],
        ),
    )
    assert reply.status == 400
    assert reply.messages == [
        "Account 'NO-SUCH-ACCOUNT' not found",
        "Invalid value 'purple' for work attribute '_COLOR_'",
        "Invalid value for work attribute '_DELIVERED_' (CHECKBOX)",
        "Work attribute with key '_NOPE_' does not exist",
    ]
    closed_reply = await api.post(
        "/worklogs", worklog_input(emu, attributes=[{"key": "_Account_", "value": closed}])
    )
    assert closed_reply.messages == [f"Account '{closed}' is CLOSED, not open"]


async def test_required_work_attributes_must_be_given(api: Api, emu: Emulator) -> None:
    emu.state.work_attributes["_EXTERNALREF_"]["required"] = True
    reply = await api.post("/worklogs", worklog_input(emu))
    assert reply.messages == ["Work attribute 'External Ref.' is required"]
    ok = worklog_input(emu)
    ok["attributes"].append({"key": "_EXTERNALREF_", "value": "EXT-1"})
    assert (await api.post("/worklogs", ok)).status == 200


async def test_work_attribute_values_of_a_worklog(api: Api, emu: Emulator) -> None:
    created = (await api.post("/worklogs", worklog_input(emu))).body
    path = f"/worklogs/{created['tempoWorklogId']}/work-attribute-values"
    listed = await api.get(path)
    assert listed.body == {
        "self": emu.base_url + path,
        "metadata": {"count": 2},
        "results": created["attributes"]["values"],
    }
    one = await api.get(f"{path}/_DELIVERED_")
    assert one.body == {"key": "_DELIVERED_", "value": True}
    missing = await api.get(f"{path}/_COLOR_")
    assert (missing.status, missing.messages) == (404, ["Work attribute value cannot be found"])
    assert (await api.get("/worklogs/999999/work-attribute-values")).status == 404


async def test_state_helpers_add_and_read_worklogs(api: Api, emu: Emulator) -> None:
    author = list(emu.state.users)[2]
    added = emu.state.add_worklog(
        issue_key="PLAT-3",
        author_account_id=author,
        start_date="2025-06-03",
        time_spent_seconds=1200,
        account_key="ACME-DEV",
    )
    served = (await api.get(f"/worklogs/{added['tempoWorklogId']}")).body
    assert served == added == emu.state.get_worklog(added["tempoWorklogId"])
    assert emu.state.worklog_count() == 401
