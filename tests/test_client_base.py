"""What every version's client shares: the base, and a retired API's 410 Gone."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tempo_async import GoneError, TempoClient
from tempo_async._client_base import BaseClient


@pytest.fixture
async def gone_server() -> AsyncIterator[str]:
    """A server that answers everything as Tempo answers v3 today: 410 Gone."""

    async def gone(_request: web.Request) -> web.Response:
        return web.json_response(
            {"errors": [{"message": "API v3 is no longer available"}]}, status=410
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", gone)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/core/3"
    await runner.cleanup()


async def test_a_v3_call_answered_410_says_v3_is_retired_and_what_to_use(gone_server: str) -> None:
    async with TempoClient("secret-token", base_url=gone_server, rate_limit=None) as tempo:
        with pytest.raises(GoneError) as caught:
            await tempo.worklogs.get(1)
    message = str(caught.value)
    assert "410" in message
    assert "API v3 is no longer available" in message
    assert "tempo_async.v4.TempoClient" in message
    assert "secret-token" not in message
    assert caught.value.messages == ["API v3 is no longer available"]


def test_the_v3_client_is_a_base_client_with_its_own_default_url() -> None:
    client = TempoClient("t")
    assert isinstance(client, BaseClient)
    assert client.base_url == "https://api.tempo.io/core/3"
    assert repr(client) == "TempoClient(base_url='https://api.tempo.io/core/3', open)"


async def test_capture_json_records_the_raw_bodies_behind_the_models() -> None:
    from tempo_async.emulator import Emulator

    async with (
        Emulator(worklogs=0, seed=1) as emu,
        TempoClient("t", base_url=emu.base_url, rate_limit=None) as tempo,
    ):
        with tempo.capture_json() as bodies:
            roles = await tempo.roles.list()
        outside = await tempo.roles.list()
    assert len(bodies) == 1
    assert [r["id"] for r in bodies[0]["results"]] == [r.id for r in roles]
    assert len(outside) == len(roles)
    assert len(bodies) == 1  # nothing recorded after the block


async def test_captured_pages_stay_whole_when_their_models_are_built_later() -> None:
    # Typed walks free each item of a page as its model is built, but not a captured
    # page's: the capture holds what the server sent, even for pages fetched inside the
    # block and turned into models after it.
    from tempo_async.emulator import Emulator

    async with (
        Emulator(worklogs=60, seed=1) as emu,
        TempoClient("t", base_url=emu.base_url, rate_limit=None, concurrency=4) as tempo,
    ):
        walk = tempo.worklogs.list(limit=10).__aiter__()
        with tempo.capture_json() as bodies:
            first = await walk.__anext__()
        rest = [w async for w in walk]
    worklogs = [first, *rest]
    assert len(worklogs) == 60
    captured = [item for body in bodies for item in body["results"]]
    assert captured  # the pages fetched inside the block (several: 4 in flight)
    assert all(isinstance(item, dict) for item in captured)
    assert [item["tempoWorklogId"] for item in captured] == [
        w.tempo_worklog_id for w in worklogs[: len(captured)]
    ]
