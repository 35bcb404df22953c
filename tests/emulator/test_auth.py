"""Bearer authentication of the API routes."""

from __future__ import annotations

import aiohttp

from tempo_async.emulator import Emulator

from .helpers import Api


async def test_no_authorization_header_is_401_without_body(api: Api) -> None:
    api.token = None
    reply = await api.get("/worklogs")
    assert reply.status == 401
    assert reply.body is None
    assert reply.headers["WWW-Authenticate"] == 'Bearer realm="tempo"'


async def test_other_schemes_and_empty_tokens_are_401(api: Api) -> None:
    for header in ("Basic dXNlcjpwYXNz", "Bearer ", "Bearer", "token abc"):
        reply = await api.call("GET", "/roles", headers={"Authorization": header})
        assert reply.status == 401, header


async def test_any_bearer_token_is_accepted_by_default(api: Api, emu: Emulator) -> None:
    for token in ("a", "anything-at-all"):
        api.token = token
        assert (await api.get("/roles")).status == 200
    assert emu.stats.unauthorized == 0


async def test_a_pinned_token_is_the_only_one_accepted(session: aiohttp.ClientSession) -> None:
    async with Emulator(token="s3cret") as emu:
        api = Api(session, emu.base_url, token="s3cret")
        assert (await api.get("/roles")).status == 200
        api.token = "wrong"
        reply = await api.get("/roles")
        assert reply.status == 401
        assert reply.headers["WWW-Authenticate"] == 'Bearer realm="tempo", error="invalid_token"'
        assert emu.stats.unauthorized == 1
        assert emu.token == "s3cret"


async def test_unknown_paths_and_methods_get_the_error_body(api: Api) -> None:
    missing = await api.get("/nothing-here")
    assert missing.status == 404
    assert missing.messages == ["No resource at /core/3/nothing-here"]
    not_allowed = await api.call("PATCH", "/roles")
    assert not_allowed.status == 405
    assert "GET" in not_allowed.headers["Allow"]


async def test_unauthenticated_requests_to_unknown_paths_are_401(api: Api) -> None:
    api.token = None
    assert (await api.get("/nothing-here")).status == 401
