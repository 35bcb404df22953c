"""Programs (#23-28) and team roles (#29-33) against the emulator."""

from __future__ import annotations

import pytest

from tempo_async import (
    BadRequestError,
    NotFoundError,
    Program,
    ProgramInput,
    Role,
    RoleInput,
    TeamInput,
    TempoClient,
)
from tempo_async.emulator import Emulator
from tests.integration.conftest import user_ids

# -- programs -------------------------------------------------------------------------------


async def test_program_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    manager = user_ids(emu)[4]
    created = await tempo.programs.create(
        ProgramInput(name="Program Omega", manager_account_id=manager, team_ids=[3])
    )
    assert isinstance(created, Program)
    assert created.id == max(emu.state.programs)
    assert created.self_url == f"{emu.base_url}/programs/{created.id}"
    assert created.manager is not None and created.manager.account_id == manager
    assert [t.id for t in created.teams.values] == [3]
    assert created.teams.self_url == f"{emu.base_url}/programs/{created.id}/teams"
    assert emu.state.teams[3]["programId"] == created.id
    assert await tempo.programs.get(created.id) == created

    updated = await tempo.programs.update(
        created.id, ProgramInput(name="Program Omega 2", team_ids=[1, 3])
    )
    assert (updated.id, updated.name, updated.manager) == (created.id, "Program Omega 2", None)
    assert [t.id for t in updated.teams.values] == [1, 3]
    assert await tempo.programs.get(created.id) == updated

    assert await tempo.programs.delete(created.id) is None
    assert "programId" not in emu.state.teams[3]
    with pytest.raises(NotFoundError) as caught:
        await tempo.programs.get(created.id)
    assert caught.value.messages == ["Program not found"]


async def test_program_list_and_teams(tempo: TempoClient, emu: Emulator) -> None:
    programs = await tempo.programs.list()
    assert [p.id for p in programs] == sorted(emu.state.programs)
    for program in programs:
        expected = [t["id"] for t in emu.state.teams.values() if t.get("programId") == program.id]
        teams = await tempo.programs.teams(program.id)
        assert [t.id for t in teams] == expected
        assert [t.id for t in program.teams.values] == expected
        assert all(t.self_url == f"{emu.base_url}/teams/{t.id}" for t in teams)
        assert [t.name for t in teams] == [emu.state.teams[i]["name"] for i in expected]

    created = await tempo.programs.create(ProgramInput(name="Empty program"))
    assert await tempo.programs.teams(created.id) == []
    team = await tempo.teams.create(TeamInput(name="Team Newcomer", program_id=created.id))
    assert [t.id for t in await tempo.programs.teams(created.id)] == [team.id]
    with pytest.raises(NotFoundError) as caught:
        await tempo.programs.teams(9999)
    assert caught.value.messages == ["Program not found"]


async def test_program_errors(tempo: TempoClient, emu: Emulator) -> None:
    before = dict(emu.state.programs)
    with pytest.raises(BadRequestError) as caught:
        await tempo.programs.create(
            ProgramInput(name=" ", manager_account_id="ghost", team_ids=[1, 404])
        )
    assert caught.value.messages == [
        "Program name is required",
        "Manager with accountId 'ghost' not found",
        "Team with id '404' not found",
    ]
    assert emu.state.programs == before
    with pytest.raises(NotFoundError):
        await tempo.programs.update(9999, ProgramInput(name="x"))
    with pytest.raises(NotFoundError):
        await tempo.programs.delete(9999)


# -- roles ----------------------------------------------------------------------------------


async def test_role_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    created = await tempo.roles.create(RoleInput(name="Architect"))
    assert isinstance(created, Role)
    assert created.id == max(emu.state.roles)
    assert created.self_url == f"{emu.base_url}/roles/{created.id}"
    assert (created.name, created.default) == ("Architect", False)
    assert await tempo.roles.get(created.id) == created

    updated = await tempo.roles.update(created.id, RoleInput(name="Lead Architect"))
    assert (updated.id, updated.name) == (created.id, "Lead Architect")
    assert await tempo.roles.get(created.id) == updated

    assert await tempo.roles.delete(created.id) is None
    with pytest.raises(NotFoundError) as caught:
        await tempo.roles.get(created.id)
    assert caught.value.messages == ["Role not found"]


async def test_role_list(tempo: TempoClient, emu: Emulator) -> None:
    roles = await tempo.roles.list()
    assert [(r.id, r.name, r.default) for r in roles] == [
        (r["id"], r["name"], r["default"]) for _, r in sorted(emu.state.roles.items())
    ]
    assert [r.name for r in roles if r.default] == ["Member"]


async def test_role_errors(tempo: TempoClient, emu: Emulator) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.roles.create(RoleInput(name="engineer"))
    assert caught.value.messages == ["Role with name 'engineer' already exists"]
    with pytest.raises(BadRequestError) as caught:
        await tempo.roles.create(RoleInput(name=""))
    assert caught.value.messages == ["Role name cannot be blank"]
    with pytest.raises(BadRequestError) as caught:
        await tempo.roles.delete(1)
    assert caught.value.messages == ["The default role cannot be deleted"]
    with pytest.raises(NotFoundError):
        await tempo.roles.update(9999, RoleInput(name="x"))
    with pytest.raises(NotFoundError):
        await tempo.roles.delete(9999)


async def test_deleting_a_role_moves_its_members_to_the_default_role(
    tempo: TempoClient, emu: Emulator
) -> None:
    role_id = next(i for i, r in emu.state.roles.items() if r["name"] == "Tester")
    membership_id = next(m["id"] for m in emu.state.memberships.values() if m["roleId"] == role_id)
    await tempo.roles.delete(role_id)
    membership = await tempo.team_memberships.get(membership_id)
    assert (membership.role.id, membership.role.name) == (1, "Member")
