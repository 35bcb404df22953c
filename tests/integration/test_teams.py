"""Teams (#34-43), team links and team memberships (#44-47) against the emulator."""

from __future__ import annotations

from datetime import date

import pytest

from tempo_async import (
    BadRequestError,
    MembershipInput,
    MembershipUpdate,
    NotFoundError,
    Team,
    TeamInput,
    TempoClient,
)
from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.state import PERMISSION_KEYS
from tests.integration.conftest import TODAY, user_ids

# -- teams ----------------------------------------------------------------------------------


async def test_team_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    lead = user_ids(emu)[5]
    created = await tempo.teams.create(
        TeamInput(name="Team Xylo", summary="Makes noise", lead_account_id=lead, program_id=1)
    )
    assert isinstance(created, Team)
    assert created.id == max(emu.state.teams)
    base = f"{emu.base_url}/teams/{created.id}"
    assert created.self_url == base
    assert created.links.self_url == f"{base}/links"
    assert created.members.self_url == f"{base}/members"
    assert created.permissions.self_url == f"{base}/permissions"
    assert created.lead is not None and created.lead.account_id == lead
    assert created.program is not None and created.program.id == 1
    assert created.summary == "Makes noise"
    assert await tempo.teams.get(created.id) == created

    updated = await tempo.teams.update(created.id, TeamInput(name="Team Xylophone"))
    assert (updated.id, updated.name) == (created.id, "Team Xylophone")
    assert (updated.summary, updated.lead, updated.program) == (None, None, None)
    assert await tempo.teams.get(created.id) == updated

    assert await tempo.teams.delete(created.id) is None
    with pytest.raises(NotFoundError) as caught:
        await tempo.teams.get(created.id)
    assert caught.value.messages == ["Team not found"]


async def test_team_list(tempo: TempoClient, emu: Emulator) -> None:
    teams = await tempo.teams.list()
    assert [(t.id, t.name, t.summary) for t in teams] == [
        (r["id"], r["name"], r.get("summary")) for _, r in sorted(emu.state.teams.items())
    ]
    assert [t.lead.account_id if t.lead else None for t in teams] == [
        r.get("leadAccountId") for _, r in sorted(emu.state.teams.items())
    ]


async def test_team_errors(tempo: TempoClient, emu: Emulator) -> None:
    with pytest.raises(BadRequestError) as caught:
        await tempo.teams.create(
            TeamInput(name="Team Alpha", lead_account_id="ghost", program_id=77)
        )
    assert caught.value.messages == [
        "Team with that name ('Team Alpha') already exists",
        "Lead with accountId 'ghost' not found",
        "Program with id '77' not found",
    ]
    with pytest.raises(NotFoundError):
        await tempo.teams.update(9999, TeamInput(name="x"))
    with pytest.raises(NotFoundError):
        await tempo.teams.delete(9999)
    with pytest.raises(ValueError, match="id"):
        await tempo.teams.get(-1)
    assert emu.stats.by_route["DELETE /core/3/teams/{id}"] == 1


async def test_team_members_member_and_memberships(tempo: TempoClient, emu: Emulator) -> None:
    state = emu.state
    for team_id in state.teams:
        expected_ids = list(
            dict.fromkeys(m["accountId"] for m in state.memberships_of_team(team_id))
        )
        members = await tempo.teams.members(team_id)
        assert [m.member.account_id for m in members] == expected_ids
        for member in members:
            account_id = member.member.account_id
            assert member.self_url == f"{emu.base_url}/teams/{team_id}/members/{account_id}"
            assert member.team.self_url == f"{emu.base_url}/teams/{team_id}"
            assert await tempo.teams.member(team_id, account_id) == member
            records = [
                m for m in state.memberships_of_team(team_id) if m["accountId"] == account_id
            ]
            active = [
                m
                for m in records
                if (not m.get("from") or m["from"] <= TODAY.isoformat())
                and (not m.get("to") or TODAY.isoformat() <= m["to"])
            ]
            if active:
                assert member.memberships.active is not None
                assert member.memberships.active.id == active[0]["id"]
                assert (
                    member.memberships.active.commitment_percent == active[0]["commitmentPercent"]
                )
            else:
                assert member.memberships.active is None
            memberships = await tempo.teams.member_memberships(team_id, account_id)
            assert [(m.id, m.from_, m.to, m.role.id) for m in memberships] == [
                (
                    r["id"],
                    date.fromisoformat(r["from"]) if r.get("from") else None,
                    date.fromisoformat(r["to"]) if r.get("to") else None,
                    r["roleId"],
                )
                for r in records
            ]


async def test_team_member_errors(tempo: TempoClient, emu: Emulator) -> None:
    outsider = next(
        u
        for u in user_ids(emu)
        if all(m["accountId"] != u or m["teamId"] != 1 for m in emu.state.memberships.values())
    )
    with pytest.raises(NotFoundError) as caught:
        await tempo.teams.member(1, outsider)
    assert caught.value.messages == [f"User '{outsider}' is not a member of this team"]
    with pytest.raises(NotFoundError):
        await tempo.teams.member_memberships(1, outsider)
    with pytest.raises(NotFoundError) as caught:
        await tempo.teams.members(9999)
    assert caught.value.messages == ["Team not found"]


async def test_team_permissions(tempo: TempoClient, emu: Emulator) -> None:
    for team_id, granted in emu.state.team_permissions.items():
        permissions = await tempo.teams.permissions(team_id)
        assert [p.key for p in permissions] == list(granted)
        for permission in permissions:
            assert [u.account_id for u in permission.users.values] == granted[permission.key]
            assert permission.self_url == (
                f"{emu.base_url}/teams/{team_id}/permissions/{permission.key}"
            )
            assert await tempo.teams.permission(team_id, permission.key) == permission

    with pytest.raises(NotFoundError) as caught:
        await tempo.teams.permission(1, "tempo.no.such.permission")
    assert caught.value.messages == ["Permission tempo.no.such.permission not found"]


async def test_new_team_lead_gets_every_permission(tempo: TempoClient, emu: Emulator) -> None:
    lead = user_ids(emu)[6]
    team = await tempo.teams.create(TeamInput(name="Team Perm", lead_account_id=lead))
    permissions = await tempo.teams.permissions(team.id)
    assert [p.key for p in permissions] == list(PERMISSION_KEYS)
    assert all([u.account_id for u in p.users.values] == [lead] for p in permissions)


# -- team links -----------------------------------------------------------------------------


async def test_team_link_get_and_delete(tempo: TempoClient, emu: Emulator) -> None:
    link_id, record = next(iter(emu.state.team_links.items()))
    link = await tempo.team_links.get(link_id)
    assert link.extra["id"] == link_id
    assert link.extra["self"] == f"{emu.base_url}/team-links/{link_id}"
    assert link.extra["team"]["self"] == f"{emu.base_url}/teams/{record['teamId']}"
    assert link.extra["scope"]["type"] == "PROJECT"
    assert link.extra["scope"]["id"] == emu.state.projects[record["projectKey"]]["id"]

    team_links = await tempo.get_url(f"{emu.base_url}/teams/{record['teamId']}/links")
    assert link_id in [item["id"] for item in team_links["results"]]

    assert await tempo.team_links.delete(link_id) is None
    assert link_id not in emu.state.team_links
    with pytest.raises(NotFoundError) as caught:
        await tempo.team_links.get(link_id)
    assert caught.value.messages == ["Team link not found"]
    with pytest.raises(NotFoundError):
        await tempo.team_links.delete(link_id)


# -- team memberships -----------------------------------------------------------------------


async def test_membership_create_get_update_delete(tempo: TempoClient, emu: Emulator) -> None:
    account_id = user_ids(emu)[0]  # a member of team 1, not of team 2
    created = await tempo.team_memberships.create(
        MembershipInput(
            team_id=2,
            account_id=account_id,
            role_id=2,
            commitment_percent=40,
            from_=date(2026, 4, 1),
            to=date(2026, 6, 30),
        )
    )
    assert created.id == max(emu.state.memberships)
    assert created.self_url == f"{emu.base_url}/team-memberships/{created.id}"
    assert (created.commitment_percent, created.from_, created.to) == (
        40,
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    assert created.role.id == 2
    assert created.team is not None and created.team.id == 2
    assert created.member is not None and created.member.account_id == account_id
    assert await tempo.team_memberships.get(created.id) == created
    assert account_id in [m.member.account_id for m in await tempo.teams.members(2)]

    updated = await tempo.team_memberships.update(
        created.id, MembershipUpdate(commitment_percent=80, from_=date(2026, 5, 1))
    )
    assert updated.id == created.id
    assert (updated.commitment_percent, updated.from_, updated.to) == (80, date(2026, 5, 1), None)
    assert updated.role.id == 1  # no roleId: the default role
    assert await tempo.team_memberships.get(created.id) == updated

    assert await tempo.team_memberships.delete(created.id) is None
    assert created.id not in emu.state.memberships
    with pytest.raises(NotFoundError) as caught:
        await tempo.team_memberships.get(created.id)
    assert caught.value.messages == [f"Membership with id '{created.id}' does not exist"]


async def test_membership_errors(tempo: TempoClient, emu: Emulator) -> None:
    member_of_1 = next(m["accountId"] for m in emu.state.memberships.values() if m["teamId"] == 1)
    before = dict(emu.state.memberships)
    with pytest.raises(BadRequestError) as caught:
        await tempo.team_memberships.create(MembershipInput(team_id=1, account_id=member_of_1))
    assert caught.value.messages == ["User is already a member of this team on this date."]
    with pytest.raises(BadRequestError) as caught:
        await tempo.team_memberships.create(
            MembershipInput(team_id=404, account_id="ghost", role_id=77, commitment_percent=150)
        )
    assert caught.value.messages == [
        "Team with id '404' not found",
        "User with accountId 'ghost' not found",
        "Role with id '77' not found",
        "Commitment percent must be between 0 and 100",
    ]
    assert emu.state.memberships == before
    with pytest.raises(NotFoundError):
        await tempo.team_memberships.update(9999, MembershipUpdate(commitment_percent=10))
    with pytest.raises(NotFoundError):
        await tempo.team_memberships.delete(9999)
    with pytest.raises(ValueError, match="accountId"):
        await tempo.team_memberships.create({"teamId": 1})  # type: ignore[arg-type]
