"""Error messages say what the user needs: where a redirect pointed, which timeout was
hit, what Retry-After the server sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from tempo_async import RateLimitedError, TempoHTTPError, TempoTransportError
from tempo_async._auth import TokenAuth
from tempo_async._transport import Transport


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[str]]]:
    seen: list[str] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.append(request.path)
        if request.path == "/moved":
            raise web.HTTPFound("https://elsewhere.example/steal?token=secret-value")
        if request.path == "/busy":
            return web.json_response(
                {"errors": [{"message": "slow down"}]}, status=429, headers={"Retry-After": "7"}
            )
        await asyncio.sleep(2)
        return web.json_response({})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}", seen
    await runner.cleanup()


def transport(base: str, **options: object) -> Transport:
    return Transport(
        base_url=base, auth=TokenAuth("t0ken"), rate_limit=None, max_retries=0, **options
    )  # type: ignore[arg-type]


async def test_a_redirect_names_its_location_and_is_not_followed(
    server: tuple[str, list[str]],
) -> None:
    base, seen = server
    async with transport(base) as client:
        with pytest.raises(TempoHTTPError) as caught:
            await client.request("GET", ("moved",))
    message = str(caught.value)
    assert "302" in message
    assert "redirected to https://elsewhere.example/steal" in message
    assert "secret-value" not in message
    assert seen == ["/moved"]


async def test_a_429_names_the_retry_after_it_got(server: tuple[str, list[str]]) -> None:
    base, _seen = server
    async with transport(base) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.request("GET", ("busy",))
    assert "Retry-After: 7 s" in str(caught.value)
    assert caught.value.messages == ["slow down"]


async def test_a_timeout_names_the_limit_that_was_hit(server: tuple[str, list[str]]) -> None:
    base, _seen = server
    timeout = aiohttp.ClientTimeout(total=0.3, connect=5)
    async with transport(base, timeout=timeout) as client:
        with pytest.raises(TempoTransportError) as caught:
            await client.request("GET", ("slow",))
    assert "timeout: total 0.3 s, connect 5 s" in str(caught.value)
