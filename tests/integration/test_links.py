"""`TempoClient.get_url`: following `self` links of the emulator, refusing other hosts."""

from __future__ import annotations

import pytest

from tempo_async import NotFoundError, TempoClient, converter
from tempo_async.emulator import Emulator
from tempo_async.models import Account, Team, TeamPermission, Worklog
from tests.integration.conftest import ClientFactory, user_ids


async def test_get_url_of_entity_self_links(tempo: TempoClient, emu: Emulator) -> None:
    account = await tempo.accounts.get("CLOUDBAY-DEV")
    assert account.self_url.startswith(emu.origin)
    assert converter.structure(await tempo.get_url(account.self_url), Account) == account

    worklog = await tempo.worklogs.get(42)
    assert converter.structure(await tempo.get_url(worklog.self_url), Worklog) == worklog
    assert worklog.attributes is not None
    values = await tempo.get_url(worklog.attributes.self_url)
    assert values["results"] == emu.state.worklogs.by_id[42]["attributes"]["values"]

    team = await tempo.teams.get(1)
    assert converter.structure(await tempo.get_url(team.self_url), Team) == team


async def test_get_url_of_links_only_resources(tempo: TempoClient, emu: Emulator) -> None:
    account = await tempo.accounts.get("GREENCLOUD-DEV")
    links = await tempo.get_url(account.links.self_url)
    expected = [i for i, r in emu.state.account_links.items() if r["accountKey"] == account.key]
    assert [link["id"] for link in links["results"]] == expected
    assert links["results"][0]["account"]["self"] == account.self_url

    team = await tempo.teams.get(2)
    team_links = await tempo.get_url(team.links.self_url)
    assert [link["id"] for link in team_links["results"]] == [
        i for i, r in emu.state.team_links.items() if r["teamId"] == 2
    ]
    members = await tempo.get_url(team.members.self_url)
    assert [m["member"]["accountId"] for m in members["results"]] == [
        m.member.account_id for m in await tempo.teams.members(2)
    ]

    permission = await tempo.teams.permission(2, "tempo.teams.browse.team")
    users = await tempo.get_url(permission.users.self_url)
    assert [u["accountId"] for u in users["results"]] == [
        u.account_id for u in permission.users.values
    ]
    permissions = await tempo.get_url(team.permissions.self_url)
    assert [
        converter.structure(p, TeamPermission) for p in permissions["results"]
    ] == await tempo.teams.permissions(2)


async def test_get_url_of_links_with_queries_and_colons(tempo: TempoClient, emu: Emulator) -> None:
    colon_user = next(u for u in user_ids(emu) if ":" in u)
    approval = await tempo.timesheet_approvals.get(colon_user, from_="2026-02-01")
    assert "?" in approval.self_url
    again = await tempo.get_url(approval.self_url)
    assert again["period"] == {"from": "2026-02-01", "to": "2026-02-28"}
    worklogs = await tempo.get_url(approval.worklogs.self_url)
    assert [w["tempoWorklogId"] for w in worklogs["results"]] == [
        w["tempoWorklogId"]
        for w in emu.state.worklogs
        if w["author"]["accountId"] == colon_user and "2026-02-01" <= w["startDate"] <= "2026-02-28"
    ][:50]

    page = await tempo.get_url(f"{emu.base_url}/worklogs?offset=10&limit=5")
    assert [w["tempoWorklogId"] for w in page["results"]] == [
        w["tempoWorklogId"] for w in emu.state.worklogs
    ][10:15]
    assert page["metadata"]["next"] == f"{emu.base_url}/worklogs?offset=15&limit=5"
    following = await tempo.get_url(page["metadata"]["next"])
    assert following["metadata"]["offset"] == 15


async def test_get_url_of_a_deleted_entity_is_404(tempo: TempoClient, emu: Emulator) -> None:
    role = await tempo.roles.get(2)
    await tempo.roles.delete(2)
    with pytest.raises(NotFoundError) as caught:
        await tempo.get_url(role.self_url)
    assert caught.value.messages == ["Role not found"]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/core/3/accounts",
        "http://localhost:{port}/core/3/accounts",  # same server, another host name
        "http://127.0.0.1:{other}/core/3/accounts",
        "https://127.0.0.1:{port}/core/3/accounts",
        "/core/3/accounts",
        "http://user:pw@127.0.0.1:{port}/core/3/accounts",
    ],
)
async def test_get_url_refuses_other_hosts(tempo: TempoClient, emu: Emulator, url: str) -> None:
    target = url.format(port=emu.port, other=emu.port + 1 if emu.port < 65535 else 1)
    with pytest.raises(ValueError, match="url must"):
        await tempo.get_url(target)
    assert emu.stats.requests == 0


async def test_get_url_refuses_links_of_another_host_name(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(base_url=f"http://localhost:{emu.port}/core/3")
    # The links name 127.0.0.1: a client configured for "localhost" does not follow them.
    account = await client.accounts.get("ACME-DEV")
    with pytest.raises(ValueError, match="url must be on http://localhost"):
        await client.get_url(account.self_url)


async def test_get_json_and_url_of(tempo: TempoClient, emu: Emulator) -> None:
    colon_user = next(u for u in user_ids(emu) if ":" in u)
    params = {"from": "2025-12-01", "to": None, "offset": 0, "limit": 7}
    page = await tempo.get_json(("worklogs", "user", colon_user), params=params)
    assert [w["tempoWorklogId"] for w in page["results"]] == [
        w["tempoWorklogId"]
        for w in sorted(
            emu.state.worklogs.by_id.values(), key=lambda w: (w["startDate"], w["tempoWorklogId"])
        )
        if w["author"]["accountId"] == colon_user and w["startDate"] >= "2025-12-01"
    ][:7]
    url = tempo.url_of(("worklogs", "user", colon_user), params)
    assert url.startswith(f"{emu.base_url}/worklogs/user/")
    assert (await tempo.get_url(url))["results"] == page["results"]
    account = await tempo.get_json(("accounts", "ACME-DEV"))
    assert converter.structure(account, Account) == await tempo.accounts.get("ACME-DEV")
