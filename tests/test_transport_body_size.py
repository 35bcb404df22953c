"""The transport reads at most `max_body_size` bytes of a response (issue: an endless 200
grew the process to 7.8 GB in 10 s)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tempo_async import ResponseTooLargeError, TempoClient
from tempo_async._auth import TokenAuth
from tempo_async._transport import Transport

MiB = 1 << 20


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, dict[str, int]]]:
    sent = {"bytes": 0}

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"results": ["')
        chunk = b"x" * (256 * 1024)
        for _ in range(4000):  # 1 GB at most; the client hangs up long before
            await response.write(chunk)
            sent["bytes"] += len(chunk)
        return response

    async def declared(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "application/json", "Content-Length": str(200 * MiB)}
        )
        await response.prepare(request)
        await response.write(b"{")
        await asyncio.sleep(2)
        return response

    async def small(request: web.Request) -> web.Response:
        return web.json_response({"results": ["y" * (MiB - 20)]})

    app = web.Application()
    app.router.add_get("/endless", endless)
    app.router.add_get("/declared", declared)
    app.router.add_get("/small", small)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}", sent
    await runner.cleanup()


async def test_an_endless_body_fails_at_the_limit(server: tuple[str, dict[str, int]]) -> None:
    base, sent = server
    async with Transport(
        base_url=base, auth=TokenAuth("t"), rate_limit=None, max_body_size=4 * MiB
    ) as transport:
        with pytest.raises(ResponseTooLargeError, match="max_body_size=4,194,304") as caught:
            await transport.request("GET", ("endless",))
    assert caught.value.limit == 4 * MiB
    assert sent["bytes"] < 64 * MiB  # it stopped reading, the server did not send 1 GB


async def test_a_declared_length_over_the_limit_fails_before_reading(
    server: tuple[str, dict[str, int]],
) -> None:
    base, _sent = server
    async with TempoClient("t", base_url=base, rate_limit=None, max_body_size=16 * MiB) as client:
        started = asyncio.get_running_loop().time()
        with pytest.raises(ResponseTooLargeError) as caught:
            await client.get_json(("declared",))
        assert asyncio.get_running_loop().time() - started < 1.5  # did not wait for the body
    assert caught.value.size == 200 * MiB
    assert "209,715,200 bytes" in str(caught.value)


async def test_a_body_within_the_limit_is_read(server: tuple[str, dict[str, int]]) -> None:
    base, _sent = server
    async with Transport(
        base_url=base, auth=TokenAuth("t"), rate_limit=None, max_body_size=2 * MiB
    ) as transport:
        payload = await transport.request("GET", ("small",))
    assert len(payload["results"][0]) == MiB - 20


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), (True, TypeError), ("1", TypeError)])
def test_a_bad_limit_is_refused(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_body_size"):
        Transport(base_url="https://api.tempo.io", auth=TokenAuth("t"), max_body_size=value)  # type: ignore[arg-type]


async def test_a_token_endpoint_declaring_a_huge_body_fails_fast() -> None:
    """OAuth's token requests go through the transport's reading too (issue 14.9): a token
    endpoint is held to the same body limit as the API."""
    from tempo_async.oauth import OAuth2Credentials

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "application/json", "Content-Length": str(300 * MiB)}
        )
        await response.prepare(request)
        await response.write(b"{")
        await asyncio.sleep(2)
        return response

    app = web.Application()
    app.router.add_post("/oauth/token/", huge)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(ResponseTooLargeError, match="exceeds max_body_size=268,435,456"):
            await OAuth2Credentials.exchange_code(
                "code-1",
                client_id="app",
                client_secret="s3cret",
                redirect_uri="https://app.example/callback",
                token_url=f"http://{host}:{port}/oauth/token/",
            )
        assert asyncio.get_running_loop().time() - started < 1.5
    finally:
        await runner.cleanup()
