"""Teams (#34-43), team links and memberships (#44-47)."""

from __future__ import annotations

from typing import Any

from tempo_async.emulator import Emulator

from .helpers import TODAY, Api


async def new_team(api: Api, emu: Emulator, name: str = "Team New") -> dict[str, Any]:
    lead = next(iter(emu.state.users))
    reply = await api.post("/teams", {"name": name, "summary": "s", "leadAccountId": lead})
    assert reply.status == 200
    team: dict[str, Any] = reply.body
    return team


async def test_team_round_trip(api: Api, emu: Emulator) -> None:
    program_id = min(emu.state.programs)
    team = await new_team(api, emu)
    team_id = team["id"]
    assert team["self"] == f"{emu.base_url}/teams/{team_id}"
    for link in ("links", "members", "permissions"):
        assert team[link] == {"self": f"{emu.base_url}/teams/{team_id}/{link}"}
    assert (await api.get(f"/teams/{team_id}")).body == team
    updated = await api.put(f"/teams/{team_id}", {"name": "Team Renamed", "programId": program_id})
    assert updated.body["name"] == "Team Renamed"
    assert updated.body["program"]["id"] == program_id
    assert "lead" not in updated.body and "summary" not in updated.body
    assert (await api.delete(f"/teams/{team_id}")).status == 204
    missing = await api.get(f"/teams/{team_id}")
    assert (missing.status, missing.messages) == (404, ["Team not found"])


async def test_team_name_must_be_unique_and_references_known(api: Api, emu: Emulator) -> None:
    existing = next(iter(emu.state.teams.values()))["name"]
    duplicate = await api.post("/teams", {"name": existing})
    assert duplicate.status == 400
    assert duplicate.messages == [f"Team with that name ('{existing}') already exists"]
    unknown = await api.post("/teams", {"name": "T", "leadAccountId": "ghost", "programId": 99})
    assert unknown.messages == [
        "Lead with accountId 'ghost' not found",
        "Program with id '99' not found",
    ]


async def test_members_show_the_active_membership(api: Api, emu: Emulator) -> None:
    team_id = min(emu.state.teams)
    reply = await api.get(f"/teams/{team_id}/members")
    assert reply.status == 200
    members = reply.body["results"]
    expected = list(dict.fromkeys(m["accountId"] for m in emu.state.memberships_of_team(team_id)))
    assert [m["member"]["accountId"] for m in members] == expected
    ended = [
        m
        for m in emu.state.memberships_of_team(team_id)
        if m.get("to") and m["to"] < TODAY.isoformat()
    ]
    for member in members:
        account_id = member["member"]["accountId"]
        assert member["self"] == f"{emu.base_url}/teams/{team_id}/members/{account_id}"
        assert member["memberships"]["self"] == member["self"] + "/memberships"
        if any(m["accountId"] == account_id for m in ended):
            assert "active" not in member["memberships"]
        else:
            active = member["memberships"]["active"]
            assert active["from"] is None or active["from"] <= TODAY.isoformat()
            assert active["to"] is None
    one = await api.get(f"/teams/{team_id}/members/{expected[0]}")
    assert one.body == members[0]


async def test_member_of_another_team_is_404(api: Api, emu: Emulator) -> None:
    team_ids = sorted(emu.state.teams)
    outsider = next(
        a
        for a in emu.state.users
        if all(m["accountId"] != a for m in emu.state.memberships_of_team(team_ids[0]))
    )
    assert (await api.get(f"/teams/{team_ids[0]}/members/{outsider}")).status == 404
    assert (await api.get(f"/teams/{team_ids[0]}/members/{outsider}/memberships")).status == 404
    assert (await api.get("/teams/999/members")).status == 404


async def test_member_memberships_have_bare_links(api: Api, emu: Emulator) -> None:
    membership = next(iter(emu.state.memberships.values()))
    path = f"/teams/{membership['teamId']}/members/{membership['accountId']}/memberships"
    reply = await api.get(path)
    assert reply.body["self"] == emu.base_url + path
    first = reply.body["results"][0]
    assert first["team"] == {"self": f"{emu.base_url}/teams/{membership['teamId']}"}
    assert set(first["member"]) == {"self"}


async def test_permissions_of_a_team(api: Api, emu: Emulator) -> None:
    team = await new_team(api, emu)
    lead = team["lead"]["accountId"]
    reply = await api.get(f"/teams/{team['id']}/permissions")
    keys = [p["key"] for p in reply.body["results"]]
    assert keys == [
        "tempo.teams.browse.team",
        "tempo.timesheets.approve.timesheet",
        "tempo.planner.plan.permission",
    ]
    one = await api.get(f"/teams/{team['id']}/permissions/tempo.teams.browse.team")
    assert one.body == reply.body["results"][0]
    assert [u["accountId"] for u in one.body["users"]["values"]] == [lead]
    users = await api.get(one.body["users"]["self"])
    assert [u["accountId"] for u in users.body["results"]] == [lead]
    missing = await api.get(f"/teams/{team['id']}/permissions/tempo.nope")
    assert (missing.status, missing.messages) == (404, ["Permission tempo.nope not found"])


async def test_team_links_get_and_delete(api: Api, emu: Emulator) -> None:
    link_id = min(emu.state.team_links)
    team_id = emu.state.team_links[link_id]["teamId"]
    listed = (await api.get(f"/teams/{team_id}/links")).body["results"]
    link = (await api.get(f"/team-links/{link_id}")).body
    assert link in listed
    assert link["self"] == f"{emu.base_url}/team-links/{link_id}"
    assert link["team"] == {"self": f"{emu.base_url}/teams/{team_id}"}
    assert (await api.delete(f"/team-links/{link_id}")).status == 204
    missing = await api.get(f"/team-links/{link_id}")
    assert (missing.status, missing.messages) == (404, ["Team link not found"])


async def test_deleting_a_team_deletes_its_memberships(api: Api, emu: Emulator) -> None:
    team_id = min(emu.state.teams)
    membership_ids = [m["id"] for m in emu.state.memberships_of_team(team_id)]
    assert (await api.delete(f"/teams/{team_id}")).status == 204
    for membership_id in membership_ids:
        assert (await api.get(f"/team-memberships/{membership_id}")).status == 404


async def test_membership_round_trip_with_defaults(api: Api, emu: Emulator) -> None:
    team = await new_team(api, emu)
    member = list(emu.state.users)[3]
    created = await api.post("/team-memberships", {"teamId": team["id"], "accountId": member})
    assert created.status == 200
    body = created.body
    assert body["self"] == f"{emu.base_url}/team-memberships/{body['id']}"
    assert body["commitmentPercent"] == 100
    assert body["role"]["id"] == emu.state.default_role_id()
    assert body["team"] == {"self": team["self"], "id": team["id"], "name": team["name"]}
    assert body["member"]["accountId"] == member
    assert (await api.get(f"/team-memberships/{body['id']}")).body == body
    role_id = max(emu.state.roles)
    updated = await api.put(
        f"/team-memberships/{body['id']}",
        {"roleId": role_id, "commitmentPercent": 50, "from": "2025-01-01", "to": "2025-12-31"},
    )
    assert updated.status == 200
    assert (updated.body["role"]["id"], updated.body["commitmentPercent"]) == (role_id, 50)
    assert (updated.body["from"], updated.body["to"]) == ("2025-01-01", "2025-12-31")
    assert (await api.delete(f"/team-memberships/{body['id']}")).status == 204
    missing = await api.get(f"/team-memberships/{body['id']}")
    assert missing.status == 404
    assert missing.messages == [f"Membership with id '{body['id']}' does not exist"]


async def test_overlapping_membership_is_400(api: Api, emu: Emulator) -> None:
    team = await new_team(api, emu)
    member = list(emu.state.users)[3]
    first = {"teamId": team["id"], "accountId": member, "from": "2025-01-01", "to": "2025-03-31"}
    assert (await api.post("/team-memberships", first)).status == 200
    overlapping = {**first, "from": "2025-03-01", "to": "2025-05-31"}
    reply = await api.post("/team-memberships", overlapping)
    assert reply.status == 400
    assert reply.messages == ["User is already a member of this team on this date."]
    later = {**first, "from": "2025-04-01", "to": None}
    later.pop("to")
    assert (await api.post("/team-memberships", later)).status == 200


async def test_membership_unknown_references_and_missing_fields(api: Api) -> None:
    unknown = await api.post(
        "/team-memberships", {"teamId": 999, "accountId": "ghost", "roleId": 999}
    )
    assert unknown.status == 400
    assert unknown.messages == [
        "Team with id '999' not found",
        "User with accountId 'ghost' not found",
        "Role with id '999' not found",
    ]
    missing = await api.post("/team-memberships", {"teamId": 1})
    assert missing.messages == ["Field 'accountId' is required"]
