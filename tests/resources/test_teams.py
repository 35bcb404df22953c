"""`tempo.teams` (#34-43): teams, members, memberships of members, permissions."""

from __future__ import annotations

import pytest

from tempo_async import TempoClient
from tempo_async.errors import BadRequestError, ForbiddenError, NotFoundError
from tempo_async.models import Team, TeamInput, TeamMember, TeamMemberMembership, TeamPermission
from tests.conftest import load_example
from tests.resources._support import (
    ACCOUNT_ID,
    ACCOUNT_ID_QUOTED,
    Api,
    same_json,
    structure_example,
)

JOHN = "1111aaaa2222bbbb3333cccc"
BROWSE = "tempo.teams.browse.team"


async def test_create(client: TempoClient, api: Api) -> None:
    answer = load_example("105_POST_teams_200.json")
    api.add("POST", "/teams", payload=answer)

    team = await client.teams.create(structure_example("104_POST_teams_request.json", TeamInput))

    api.expect("POST", "/teams", body=load_example("104_POST_teams_request.json"))
    assert isinstance(team, Team)
    assert (team.id, team.name, team.summary) == (1, "Team-A", "This is the A team")
    assert team.program is not None and team.program.id == 42
    assert team.members.self_url == "https://api.tempo.io/core/3/teams/1/members"
    assert same_json(team, answer)


async def test_list(client: TempoClient, api: Api) -> None:
    answer = load_example("108_GET_teams_200.json")
    api.add("GET", "/teams", payload=answer)

    teams = await client.teams.list()

    api.expect("GET", "/teams")
    assert len(teams) == 2
    assert all(same_json(t, r) for t, r in zip(teams, answer["results"], strict=True))


async def test_get(client: TempoClient, api: Api) -> None:
    answer = load_example("110_GET_teams-id_200.json")
    api.add("GET", "/teams/1", payload=answer)

    team = await client.teams.get(1)

    api.expect("GET", "/teams/1")
    assert team.lead is not None and team.lead.account_id == JOHN
    assert same_json(team, answer)


async def test_update(client: TempoClient, api: Api) -> None:
    answer = load_example("114_PUT_teams-id_200.json")
    api.add("PUT", "/teams/1", payload=answer)

    team = await client.teams.update(
        1, structure_example("113_PUT_teams-id_request.json", TeamInput)
    )

    api.expect("PUT", "/teams/1", body=load_example("113_PUT_teams-id_request.json"))
    assert same_json(team, answer)


async def test_delete(client: TempoClient, api: Api) -> None:
    api.add("DELETE", "/teams/1", status=204)

    assert await client.teams.delete(1) is None

    api.expect("DELETE", "/teams/1")


async def test_members(client: TempoClient, api: Api) -> None:
    answer = load_example("120_GET_teams-id-members_200.json")
    api.add("GET", "/teams/1/members", payload=answer)

    members = await client.teams.members(1)

    api.expect("GET", "/teams/1/members")
    assert all(isinstance(m, TeamMember) for m in members)
    assert [m.member.account_id for m in members] == [JOHN, ACCOUNT_ID]
    active = members[0].memberships.active
    assert active is not None
    assert (active.id, active.commitment_percent, active.from_, active.to) == (3, 100, None, None)
    assert members[1].memberships.active is None


async def test_member_quotes_the_account_id(client: TempoClient, api: Api) -> None:
    answer = load_example("123_GET_teams-id-members-accountId_200.json")
    api.add("GET", f"/teams/1/members/{ACCOUNT_ID_QUOTED}", payload=answer)

    member = await client.teams.member(1, ACCOUNT_ID)

    api.expect("GET", f"/teams/1/members/{ACCOUNT_ID_QUOTED}")
    assert isinstance(member, TeamMember)
    assert member.member.display_name == "John Brown"
    assert member.memberships.active is not None
    assert member.memberships.active.role.name == "Tester"


async def test_member_memberships(client: TempoClient, api: Api) -> None:
    answer = load_example("126_GET_teams-id-members-accountId-memberships_200.json")
    api.add("GET", f"/teams/1/members/{ACCOUNT_ID_QUOTED}/memberships", payload=answer)

    memberships = await client.teams.member_memberships(1, ACCOUNT_ID)

    api.expect("GET", f"/teams/1/members/{ACCOUNT_ID_QUOTED}/memberships")
    assert len(memberships) == 3
    assert all(isinstance(m, TeamMemberMembership) for m in memberships)
    assert [m.commitment_percent for m in memberships] == [
        r["commitmentPercent"] for r in answer["results"]
    ]
    assert all(same_json(m, r) for m, r in zip(memberships, answer["results"], strict=True))


async def test_permissions(client: TempoClient, api: Api) -> None:
    answer = load_example("129_GET_teams-id-permissions_200.json")
    api.add("GET", "/teams/14/permissions", payload=answer)

    permissions = await client.teams.permissions(14)

    api.expect("GET", "/teams/14/permissions")
    assert all(isinstance(p, TeamPermission) for p in permissions)
    assert [p.key for p in permissions] == [r["key"] for r in answer["results"]]
    assert len(permissions[0].users.values) == 2


async def test_permission_key_with_dots_is_one_segment(client: TempoClient, api: Api) -> None:
    answer = load_example("132_GET_teams-id-permissions-key_200.json")
    api.add("GET", f"/teams/14/permissions/{BROWSE}", payload=answer)

    permission = await client.teams.permission(14, BROWSE)

    api.expect("GET", "/teams/14/permissions/tempo.teams.browse.team")
    assert permission.key == BROWSE
    assert [u.account_id for u in permission.users.values] == [ACCOUNT_ID, JOHN]


# -- errors ---------------------------------------------------------------------------


async def test_create_400(client: TempoClient, api: Api) -> None:
    api.add("POST", "/teams", status=400, payload=load_example("106_POST_teams_400.json"))

    with pytest.raises(BadRequestError) as caught:
        await client.teams.create({"name": "Team-A"})

    assert caught.value.messages == ["Team with that name ('Team-A') already exists"]


async def test_members_404(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        "/teams/9/members",
        status=404,
        payload=load_example("122_GET_teams-id-members_404.json"),
    )

    with pytest.raises(NotFoundError) as caught:
        await client.teams.members(9)

    assert caught.value.messages == ["Team not found"]


async def test_permission_403(client: TempoClient, api: Api) -> None:
    api.add(
        "GET",
        f"/teams/14/permissions/{BROWSE}",
        status=403,
        payload=load_example("133_GET_teams-id-permissions-key_403.json"),
    )

    with pytest.raises(ForbiddenError):
        await client.teams.permission(14, BROWSE)


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda t: t.teams.get("Team-A"), ValueError, "id must be a number"),
        (lambda t: t.teams.get(-1), ValueError, "id must not be negative"),
        (lambda t: t.teams.members(None), TypeError, "id must be an int"),
        (lambda t: t.teams.member(1, ""), ValueError, "account_id must not be empty"),
        (lambda t: t.teams.member(1, 5), TypeError, "account_id must be a string"),
        (lambda t: t.teams.member("x", ACCOUNT_ID), ValueError, "id must be a number"),
        (lambda t: t.teams.member_memberships(1, " "), ValueError, "account_id must not be empty"),
        (lambda t: t.teams.permissions(1.5), TypeError, "id must be an int"),
        (lambda t: t.teams.permission(14, ""), ValueError, "key must not be empty"),
        (lambda t: t.teams.member(1, ".."), ValueError, "account_id must not be '..'"),
        (lambda t: t.teams.permission(14, None), TypeError, "key must be a string"),
        (lambda t: t.teams.create("Team-A"), TypeError, "team must be a TeamInput"),
        (
            lambda t: t.teams.create({"summary": "s"}),
            ValueError,
            "team is not a valid TeamInput: name",
        ),
        (
            lambda t: t.teams.update(1, {"name": "A", "programId": "42"}),
            ValueError,
            "team is not a valid TeamInput: programId",
        ),
    ],
)
async def test_bad_arguments(
    client: TempoClient, api: Api, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await call(client)  # type: ignore[operator]

    assert api.mock.requests == {}
