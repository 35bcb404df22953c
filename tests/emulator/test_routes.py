"""Every operation of the spec's inventory (endpoints.md) is served."""

from __future__ import annotations

from tempo_async.emulator import Emulator

from .helpers import Api

#: The 74 documented operations (endpoints.md, operation index) and the declared
#: `/team-links/{id}` GET and DELETE, with the path parameters as the emulator names them.
OPERATIONS = """
POST /accounts; GET /accounts; GET /accounts/{key}; PUT /accounts/{key}; DELETE /accounts/{key}
POST /account-categories; GET /account-categories; GET /account-categories/{key}
PUT /account-categories/{key}; DELETE /account-categories/{key}; GET /account-category-types
POST /customers; GET /customers; GET /customers/{key}; PUT /customers/{key}
DELETE /customers/{key}; GET /customers/{key}/accounts
POST /plans; GET /plans/{id}; PUT /plans/{id}; DELETE /plans/{id}; GET /plans/user/{accountId}
GET /programs; POST /programs; GET /programs/{id}; PUT /programs/{id}; DELETE /programs/{id}
GET /programs/{id}/teams
GET /roles; POST /roles; GET /roles/{id}; PUT /roles/{id}; DELETE /roles/{id}
POST /teams; GET /teams; GET /teams/{id}; PUT /teams/{id}; DELETE /teams/{id}
GET /teams/{id}/members; GET /teams/{id}/members/{accountId}
GET /teams/{id}/members/{accountId}/memberships; GET /teams/{id}/permissions
GET /teams/{id}/permissions/{key}
GET /team-links/{id}; DELETE /team-links/{id}
POST /team-memberships; GET /team-memberships/{id}; PUT /team-memberships/{id}
DELETE /team-memberships/{id}
GET /periods
GET /timesheet-approvals/waiting; GET /timesheet-approvals/user/{accountId}
GET /timesheet-approvals/user/{accountId}/reviewers
POST /timesheet-approvals/user/{accountId}/approve
POST /timesheet-approvals/user/{accountId}/reject
POST /timesheet-approvals/user/{accountId}/reopen
POST /timesheet-approvals/user/{accountId}/submit; GET /timesheet-approvals/team/{teamId}
GET /user-schedule; GET /user-schedule/{accountId}
GET /work-attributes; GET /work-attributes/{key}
GET /worklogs; POST /worklogs; GET /worklogs/{worklogId}; PUT /worklogs/{worklogId}
DELETE /worklogs/{worklogId}; GET /worklogs/{worklogId}/work-attribute-values
GET /worklogs/{worklogId}/work-attribute-values/{key}; GET /worklogs/jira/{jiraWorklogId}
GET /worklogs/jira/filter/{jirafilterId}; GET /worklogs/account/{accountKey}
GET /worklogs/project/{projectKey}; GET /worklogs/team/{teamId}
GET /worklogs/user/{accountId}; GET /worklogs/issue/{key}
"""


def documented() -> set[tuple[str, str]]:
    operations = set()
    for item in OPERATIONS.replace("\n", ";").split(";"):
        if item.strip():
            method, path = item.split()
            operations.add((method, path))
    return operations


def test_every_documented_operation_has_a_route(emu: Emulator) -> None:
    served = {(r.method, r.path) for r in emu.routes(emu.state, emu.state.context)}
    assert len(documented()) == 76
    assert documented() <= served
    assert served - documented() == {
        ("GET", "/accounts/{key}/links"),
        ("GET", "/teams/{id}/links"),
        ("GET", "/teams/{id}/permissions/{key}/users"),
    }


async def test_every_self_link_of_a_team_and_an_account_resolves(api: Api, emu: Emulator) -> None:
    team = (await api.get(f"/teams/{min(emu.state.teams)}")).body
    account = (await api.get(f"/accounts/{next(iter(emu.state.accounts))}")).body
    for url in (
        team["self"],
        team["links"]["self"],
        team["members"]["self"],
        team["permissions"]["self"],
        account["self"],
        account["links"]["self"],
    ):
        assert (await api.get(url)).status == 200, url
