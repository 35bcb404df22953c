"""The OAuth 2.0 token and revoke endpoints, and how their tokens authenticate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from tempo_async.emulator import Emulator

from .helpers import Api

CLIENT = {
    "client_id": "app",
    "client_secret": "app-secret",
    "redirect_uri": "https://app.example/cb",
}


@pytest.fixture
async def oauth_emu() -> AsyncIterator[Emulator]:
    async with Emulator(worklogs=10) as emulator:
        emulator.register_oauth_client(**CLIENT)
        yield emulator


async def token_call(
    session: aiohttp.ClientSession, url: str, params: dict[str, str], *, form: bool = False
) -> tuple[int, Any]:
    if form:
        response = await session.post(url, data=params)
    else:
        response = await session.post(url, params=params)
    async with response:
        return response.status, await response.json()


async def exchange(session: aiohttp.ClientSession, emu: Emulator, **kwargs: bool) -> dict[str, Any]:
    code = emu.issue_authorization_code("app", CLIENT["redirect_uri"])
    status, body = await token_call(
        session,
        emu.oauth_token_url,
        {"grant_type": "authorization_code", "code": code, **CLIENT},
        **kwargs,
    )
    assert status == 200, body
    tokens: dict[str, Any] = body
    return tokens


async def test_code_exchange_in_the_query_string_issues_a_working_token(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    assert oauth_emu.oauth_token_url == f"{oauth_emu.origin}/oauth/token/"
    tokens = await exchange(session, oauth_emu)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 5184000
    assert tokens["scope"] == "read write"
    assert tokens["refresh_token"] != tokens["access_token"]
    api = Api(session, oauth_emu.base_url, token=tokens["access_token"])
    assert (await api.get("/roles")).status == 200
    api.token = "made-up"
    assert (await api.get("/roles")).status == 401


async def test_code_exchange_with_a_form_body(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    tokens = await exchange(session, oauth_emu, form=True)
    assert tokens["access_token"]


async def test_a_code_works_once_and_only_for_its_client(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    code = oauth_emu.issue_authorization_code("app", CLIENT["redirect_uri"])
    params = {"grant_type": "authorization_code", "code": code, **CLIENT}
    assert (await token_call(session, oauth_emu.oauth_token_url, params))[0] == 200
    status, body = await token_call(session, oauth_emu.oauth_token_url, params)
    assert (status, body["error"]) == (400, "invalid_grant")
    wrong_secret = {**params, "client_secret": "nope"}
    status, body = await token_call(session, oauth_emu.oauth_token_url, wrong_secret)
    assert (status, body["error"]) == (401, "invalid_client")
    status, body = await token_call(
        session, oauth_emu.oauth_token_url, {**CLIENT, "grant_type": "password"}
    )
    assert (status, body["error"]) == (400, "unsupported_grant_type")
    with pytest.raises(ValueError):
        oauth_emu.issue_authorization_code("app", "https://elsewhere.example/")


async def test_refresh_rotates_the_refresh_token(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    first = await exchange(session, oauth_emu)
    params = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **CLIENT}
    status, second = await token_call(session, oauth_emu.oauth_token_url, params)
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    status, body = await token_call(session, oauth_emu.oauth_token_url, params)
    assert (status, body["error"]) == (400, "invalid_grant")
    again = {**params, "refresh_token": second["refresh_token"]}
    assert (await token_call(session, oauth_emu.oauth_token_url, again))[0] == 200


async def test_expired_access_tokens_are_401_until_refreshed(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    tokens = await exchange(session, oauth_emu)
    api = Api(session, oauth_emu.base_url, token=tokens["access_token"])
    assert oauth_emu.expire_access_tokens() == 1
    assert (await api.get("/roles")).status == 401
    params = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], **CLIENT}
    _status, fresh = await token_call(session, oauth_emu.oauth_token_url, params)
    api.token = fresh["access_token"]
    assert (await api.get("/roles")).status == 200


async def test_short_lived_tokens_report_their_lifetime(session: aiohttp.ClientSession) -> None:
    async with Emulator(access_token_ttl=60) as emu:
        emu.register_oauth_client(**CLIENT)
        assert (await exchange(session, emu))["expires_in"] == 60


async def test_revoking_an_access_token(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    tokens = await exchange(session, oauth_emu)
    api = Api(session, oauth_emu.base_url, token=tokens["access_token"])
    revoke = {"token_type_hint": "access_token", "token": tokens["access_token"], **CLIENT}
    status, _ = await token_call(session, oauth_emu.oauth_revoke_url, revoke)
    assert status == 200
    assert (await api.get("/roles")).status == 401


async def test_revoking_a_refresh_token_ends_the_grant(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    tokens = await exchange(session, oauth_emu)
    revoke = {"token_type_hint": "refresh_token", "token": tokens["refresh_token"], **CLIENT}
    assert (await token_call(session, oauth_emu.oauth_revoke_url, revoke, form=True))[0] == 200
    api = Api(session, oauth_emu.base_url, token=tokens["access_token"])
    assert (await api.get("/roles")).status == 401
    params = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], **CLIENT}
    assert (await token_call(session, oauth_emu.oauth_token_url, params))[0] == 400


async def test_a_pinned_token_still_works_beside_oauth(session: aiohttp.ClientSession) -> None:
    async with Emulator(token="pinned") as emu:
        emu.register_oauth_client(**CLIENT)
        tokens = await exchange(session, emu)
        for token in ("pinned", tokens["access_token"]):
            assert (await Api(session, emu.base_url, token=token).get("/roles")).status == 200


async def test_tokens_of_a_user_make_that_user_the_logged_in_one(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    reviewer = next(
        r["reviewerAccountId"]
        for r in oauth_emu.state.approvals.values()
        if r["status"] == "IN_REVIEW"
    )
    code = oauth_emu.issue_authorization_code("app", CLIENT["redirect_uri"], account_id=reviewer)
    _status, tokens = await token_call(
        session,
        oauth_emu.oauth_token_url,
        {"grant_type": "authorization_code", "code": code, **CLIENT},
    )
    api = Api(session, oauth_emu.base_url, token=tokens["access_token"])
    waiting = (await api.get("/timesheet-approvals/waiting")).body["results"]
    assert waiting
    assert {w["reviewer"]["accountId"] for w in waiting} == {reviewer}


async def test_the_consent_page_redirects_with_a_code(
    oauth_emu: Emulator, session: aiohttp.ClientSession
) -> None:
    params = {
        "client_id": "app",
        "redirect_uri": CLIENT["redirect_uri"],
        "access_type": "tenant_user",
    }
    async with session.get(
        oauth_emu.oauth_authorize_url, params=params, allow_redirects=False
    ) as response:
        assert response.status == 302
        location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CLIENT["redirect_uri"]
    code = parse_qs(location.query)["code"][0]
    status, _ = await token_call(
        session,
        oauth_emu.oauth_token_url,
        {"grant_type": "authorization_code", "code": code, **CLIENT},
    )
    assert status == 200
