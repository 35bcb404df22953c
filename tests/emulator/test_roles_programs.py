"""Roles (#29-33) and programs (#23-28)."""

from __future__ import annotations

from tempo_async.emulator import Emulator

from .helpers import Api


async def test_role_round_trip(api: Api, emu: Emulator) -> None:
    created = await api.post("/roles", {"name": "Architect"})
    assert created.status == 200
    role_id = created.body["id"]
    assert created.body == {
        "self": f"{emu.base_url}/roles/{role_id}",
        "id": role_id,
        "name": "Architect",
        "default": False,
    }
    assert (await api.get(f"/roles/{role_id}")).body == created.body
    assert (await api.put(f"/roles/{role_id}", {"name": "Lead"})).body["name"] == "Lead"
    assert (await api.delete(f"/roles/{role_id}")).status == 204
    missing = await api.get(f"/roles/{role_id}")
    assert (missing.status, missing.messages) == (404, ["Role not found"])
    assert (await api.get("/roles/not-a-number")).status == 404


async def test_role_blank_or_duplicate_name_is_400(api: Api) -> None:
    blank = await api.post("/roles", {"name": "  "})
    assert (blank.status, blank.messages) == (400, ["Role name cannot be blank"])
    duplicate = await api.post("/roles", {"name": "engineer"})
    assert duplicate.status == 400


async def test_default_role_cannot_be_deleted_and_others_fall_back_to_it(
    api: Api, emu: Emulator
) -> None:
    default = emu.state.default_role_id()
    assert (await api.delete(f"/roles/{default}")).status == 400
    membership = next(m for m in emu.state.memberships.values() if m["roleId"] != default)
    assert (await api.delete(f"/roles/{membership['roleId']}")).status == 204
    reply = await api.get(f"/team-memberships/{membership['id']}")
    assert reply.body["role"]["id"] == default


async def test_roles_list(api: Api, emu: Emulator) -> None:
    reply = await api.get("/roles")
    assert reply.body["metadata"]["count"] == len(emu.state.roles)
    assert sum(r["default"] for r in reply.body["results"]) == 1


async def test_program_round_trip_with_teams(api: Api, emu: Emulator) -> None:
    manager = list(emu.state.users)[2]
    team_ids = sorted(emu.state.teams)[:2]
    created = await api.post(
        "/programs", {"name": "P-new", "managerAccountId": manager, "teamIds": team_ids}
    )
    assert created.status == 200
    program_id = created.body["id"]
    assert created.body["self"] == f"{emu.base_url}/programs/{program_id}"
    assert created.body["manager"]["accountId"] == manager
    assert created.body["teams"]["self"] == f"{emu.base_url}/programs/{program_id}/teams"
    assert [t["id"] for t in created.body["teams"]["values"]] == team_ids
    assert (await api.get(f"/programs/{program_id}")).body == created.body
    team = (await api.get(f"/teams/{team_ids[0]}")).body
    assert team["program"]["id"] == program_id
    teams = (await api.get(f"/programs/{program_id}/teams")).body
    assert [t["id"] for t in teams["results"]] == team_ids
    updated = await api.put(
        f"/programs/{program_id}", {"name": "P-renamed", "teamIds": team_ids[1:]}
    )
    assert updated.body["name"] == "P-renamed"
    assert "manager" not in updated.body
    assert [t["id"] for t in updated.body["teams"]["values"]] == team_ids[1:]
    assert "program" not in (await api.get(f"/teams/{team_ids[0]}")).body
    assert (await api.delete(f"/programs/{program_id}")).status == 204
    missing = await api.get(f"/programs/{program_id}")
    assert (missing.status, missing.messages) == (404, ["Program not found"])
    assert "program" not in (await api.get(f"/teams/{team_ids[1]}")).body


async def test_program_needs_a_name_and_known_references(api: Api) -> None:
    blank = await api.post("/programs", {"name": ""})
    assert (blank.status, blank.messages) == (400, ["Program name is required"])
    missing = await api.post("/programs", {})
    assert (missing.status, missing.messages) == (400, ["Field 'name' is required"])
    unknown = await api.post(
        "/programs", {"name": "P", "managerAccountId": "ghost", "teamIds": [999]}
    )
    assert unknown.messages == [
        "Manager with accountId 'ghost' not found",
        "Team with id '999' not found",
    ]


async def test_programs_list(api: Api, emu: Emulator) -> None:
    reply = await api.get("/programs")
    assert reply.body["metadata"]["count"] == len(emu.state.programs)
