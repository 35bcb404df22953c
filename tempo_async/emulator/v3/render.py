"""Records of the state rendered as the spec's response bodies."""

from __future__ import annotations

from datetime import date
from typing import Any

from tempo_async.emulator.v3.state import Record, V3State

Body = dict[str, Any]


def customer(state: V3State, record: Record) -> Body:
    """Customer."""
    return {
        "self": state.url("customers", record["key"]),
        "key": record["key"],
        "id": record["id"],
        "name": record["name"],
    }


def category(state: V3State, record: Record) -> Body:
    """Category."""
    return {
        "self": state.url("account-categories", record["key"]),
        "key": record["key"],
        "id": record["id"],
        "name": record["name"],
        "type": {"name": record["typeName"]},
    }


def account(state: V3State, record: Record) -> Body:
    """Account, with its lead, contact, category and customer."""
    key = record["key"]
    body: Body = {
        "self": state.url("accounts", key),
        "key": key,
        "id": record["id"],
        "name": record["name"],
        "status": record["status"],
        "global": record["global"],
    }
    if record.get("monthlyBudget") is not None:
        body["monthlyBudget"] = round(record["monthlyBudget"])
    body["lead"] = state.user_ref(record["leadAccountId"])
    if record.get("contactAccountId"):
        body["contact"] = {**state.user_ref(record["contactAccountId"]), "type": "USER"}
    elif record.get("externalContactName"):
        body["contact"] = {"displayName": record["externalContactName"], "type": "EXTERNAL"}
    category_record = state.categories.get(record.get("categoryKey") or "")
    if category_record is not None:
        body["category"] = category(state, category_record)
    customer_record = state.customers.get(record.get("customerKey") or "")
    if customer_record is not None:
        body["customer"] = customer(state, customer_record)
    body["links"] = {"self": state.url("accounts", key, "links")}
    return body


def account_link(state: V3State, record: Record) -> Body:
    """A link of an account to a Jira project (served at /accounts/{key}/links)."""
    project = state.projects.get(record["projectKey"])
    return {
        "id": record["id"],
        "account": {"self": state.url("accounts", record["accountKey"])},
        "scope": {
            "self": state.project_url(record["projectKey"]) if project else "",
            "id": project["id"] if project else 0,
            "type": "PROJECT",
        },
        "default": record["default"],
    }


def role_ref(state: V3State, role_id: int) -> Body:
    """RoleRef (inside memberships)."""
    role = state.roles.get(role_id) or state.roles[state.default_role_id()]
    return {"self": state.url("roles", role["id"]), "id": role["id"], "name": role["name"]}


def role(state: V3State, record: Record) -> Body:
    """Role."""
    return {
        "self": state.url("roles", record["id"]),
        "id": record["id"],
        "name": record["name"],
        "default": record["default"],
    }


def team_ref(state: V3State, record: Record) -> Body:
    """TeamRef: `{self, id, name}`."""
    return {"self": state.url("teams", record["id"]), "id": record["id"], "name": record["name"]}


def team(state: V3State, record: Record) -> Body:
    """Team, with its lead and program."""
    team_id = record["id"]
    body: Body = {"self": state.url("teams", team_id), "id": team_id, "name": record["name"]}
    if record.get("summary") is not None:
        body["summary"] = record["summary"]
    if record.get("leadAccountId"):
        body["lead"] = state.user_ref(record["leadAccountId"])
    program_record = state.programs.get(record.get("programId") or 0)
    if program_record is not None:
        body["program"] = {
            "self": state.url("programs", program_record["id"]),
            "id": program_record["id"],
            "name": program_record["name"],
        }
    body["links"] = {"self": state.url("teams", team_id, "links")}
    body["members"] = {"self": state.url("teams", team_id, "members")}
    body["permissions"] = {"self": state.url("teams", team_id, "permissions")}
    return body


def program(state: V3State, record: Record) -> Body:
    """Program, with its manager and teams."""
    program_id = record["id"]
    body: Body = {
        "self": state.url("programs", program_id),
        "id": program_id,
        "name": record["name"],
    }
    if record.get("managerAccountId"):
        body["manager"] = state.user_ref(record["managerAccountId"])
    body["teams"] = {
        "self": state.url("programs", program_id, "teams"),
        "values": program_teams(state, program_id),
    }
    return body


def program_teams(state: V3State, program_id: int) -> list[Body]:
    """TeamRefs of the teams of a program."""
    return [team_ref(state, t) for t in state.teams.values() if t.get("programId") == program_id]


def _dates(record: Record, body: Body) -> None:
    for field in ("from", "to"):
        if record.get(field):
            body[field] = record[field]


def membership(state: V3State, record: Record) -> Body:
    """Membership (POST/GET/PUT /team-memberships)."""
    team_record = state.teams[record["teamId"]]
    body: Body = {
        "self": state.url("team-memberships", record["id"]),
        "id": record["id"],
        "commitmentPercent": record["commitmentPercent"],
    }
    _dates(record, body)
    body["role"] = role_ref(state, record["roleId"])
    body["team"] = team_ref(state, team_record)
    body["member"] = state.user_ref(record["accountId"])
    return body


def member_membership(state: V3State, record: Record) -> Body:
    """TeamMemberMembership: a membership with bare team and member links."""
    body: Body = {
        "self": state.url("team-memberships", record["id"]),
        "id": record["id"],
        "commitmentPercent": record["commitmentPercent"],
    }
    _dates(record, body)
    body["role"] = role_ref(state, record["roleId"])
    body["team"] = {"self": state.url("teams", record["teamId"])}
    body["member"] = {"self": state.user_url(record["accountId"])}
    return body


def is_active(record: Record, day: date) -> bool:
    """Whether a membership covers `day` (open ends cover everything)."""
    iso = day.isoformat()
    return (not record.get("from") or record["from"] <= iso) and (
        not record.get("to") or iso <= record["to"]
    )


def team_member(state: V3State, team_id: int, account_id: str) -> Body:
    """TeamMember: a member of a team with the membership active today."""
    base = ("teams", team_id, "members", account_id)
    memberships: Body = {"self": state.url(*base, "memberships")}
    today = state.today()
    active = [
        m
        for m in state.memberships_of_team(team_id)
        if m["accountId"] == account_id and is_active(m, today)
    ]
    if active:
        record = active[0]
        memberships["active"] = {
            "self": state.url("team-memberships", record["id"]),
            "id": record["id"],
            "commitmentPercent": record["commitmentPercent"],
            "from": record.get("from"),
            "to": record.get("to"),
            "role": role_ref(state, record["roleId"]),
        }
    return {
        "self": state.url(*base),
        "team": {"self": state.url("teams", team_id)},
        "member": state.user_ref(account_id),
        "memberships": memberships,
    }


def team_permission(state: V3State, team_id: int, key: str) -> Body:
    """TeamPermission: a permission key and the users holding it in the team."""
    users = state.team_permissions.get(team_id, {}).get(key, [])
    return {
        "self": state.url("teams", team_id, "permissions", key),
        "key": key,
        "users": {
            "self": state.url("teams", team_id, "permissions", key, "users"),
            "values": [state.user_ref(u) for u in users],
        },
    }


def team_link(state: V3State, record: Record) -> Body:
    """A team link: the team and the Jira project it is linked to."""
    project = state.projects.get(record["projectKey"])
    return {
        "self": state.url("team-links", record["id"]),
        "id": record["id"],
        "team": {"self": state.url("teams", record["teamId"])},
        "scope": {
            "self": state.project_url(record["projectKey"]) if project else "",
            "id": project["id"] if project else 0,
            "type": "PROJECT",
        },
    }


def work_attribute(state: V3State, record: Record) -> Body:
    """WorkAttribute; the account attribute lists the current account keys."""
    body: Body = {
        "self": state.url("work-attributes", record["key"]),
        "key": record["key"],
        "name": record["name"],
        "type": record["type"],
        "required": record["required"],
    }
    if record.get("accountList"):
        body["values"] = sorted(state.accounts)
    elif record.get("values") is not None:
        body["values"] = list(record["values"])
    return body
