"""The client as a whole against the emulator: auth, configuration, sessions, the plugin."""

from __future__ import annotations

import aiohttp
import pytest

from tempo_async import BadRequestError, TempoClient, UnauthorizedError
from tempo_async._auth import TokenAuth
from tempo_async._transport import Transport
from tempo_async.emulator import Emulator
from tests.integration.conftest import TOKEN, ClientFactory


async def test_a_wrong_token_is_401(make_client: ClientFactory, emu: Emulator) -> None:
    client = await make_client(token="not-the-token")
    with pytest.raises(UnauthorizedError) as caught:
        await client.roles.list()
    assert caught.value.status == 401
    assert caught.value.messages == []
    assert "not-the-token" not in str(caught.value)
    assert emu.stats.unauthorized == 1
    assert client.retries == 0


async def test_requests_are_counted_on_both_sides(tempo: TempoClient, emu: Emulator) -> None:
    await tempo.roles.list()
    await tempo.worklogs.list(limit=100, concurrency=1).collect()
    await tempo.accounts.get("ACME-DEV")
    assert tempo.requests_sent == emu.stats.requests == 1 + 3 + 1
    assert tempo.retries == 0


async def test_from_env(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> None:
    monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
    monkeypatch.setenv("TEMPO_BASE_URL", emu.base_url)
    async with TempoClient.from_env(rate_limit=None) as client:
        assert client.base_url == emu.base_url
        assert len(await client.teams.list()) == len(emu.state.teams)
    assert client.closed


async def test_a_callers_session_is_used_and_left_open(emu: Emulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with TempoClient(
            token=TOKEN, base_url=emu.base_url, rate_limit=None, session=session
        ) as client:
            assert (await client.customers.get("ACME")).name == "Acme Corporation"
        assert client.closed
        assert not session.closed
        async with session.get(
            f"{emu.base_url}/roles", headers={"Authorization": f"Bearer {TOKEN}"}
        ) as r:
            assert r.status == 200


async def test_a_closed_client_refuses_requests(emu: Emulator) -> None:
    client = TempoClient(token=TOKEN, base_url=emu.base_url, rate_limit=None)
    await client.roles.list()
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.roles.list()


async def test_the_plugin_fixture_serves_the_client(tempo_emulator: Emulator) -> None:
    async with TempoClient(
        token="any", base_url=tempo_emulator.base_url, rate_limit=None
    ) as client:
        worklogs = await client.worklogs.list(limit=64).collect()
    assert [w.tempo_worklog_id for w in worklogs] == [
        w["tempoWorklogId"] for w in tempo_emulator.state.worklogs
    ]
    assert len(worklogs) == 200


@pytest.mark.parametrize(
    ("path", "body", "messages"),
    [
        (
            ("accounts",),
            {"key": "X"},
            [
                "Field 'name' is required",
                "Field 'status' is required",
                "Field 'leadAccountId' is required",
            ],
        ),
        (
            ("worklogs",),
            {"issueKey": "WEB-1", "timeSpentSeconds": 60},
            [
                "Field 'startDate' is required",
                "Field 'startTime' is required",
                "Field 'authorAccountId' is required",
            ],
        ),
        (
            ("team-memberships",),
            {},
            ["Field 'teamId' is required", "Field 'accountId' is required"],
        ),
    ],
)
async def test_server_messages_for_missing_fields(
    emu: Emulator, path: tuple[str, ...], body: dict[str, object], messages: list[str]
) -> None:
    """The typed resources refuse incomplete bodies before sending (ValueError); sent anyway
    through the transport, the server's 400 lists every missing field."""
    async with Transport(
        base_url=emu.base_url, auth=TokenAuth(TOKEN), rate_limit=None
    ) as transport:
        with pytest.raises(BadRequestError) as caught:
            await transport.request("POST", path, json=body)
    assert caught.value.messages == messages
    assert caught.value.url == f"{emu.base_url}/{path[0]}"
