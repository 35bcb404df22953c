"""OAuth 2.0: code exchange, single-flight refresh, rotation, callbacks, revoke, no leaks.

`FakeTempo` is a real aiohttp server on loopback with Tempo's token and revoke endpoints
and one API route that accepts only live access tokens; it records every token call and
can hold or fail responses. The last section runs the issue's scenarios against the
emulator's OAuth endpoints.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from tempo_async import OAuth2Credentials, TempoClient
from tempo_async.emulator import Emulator
from tempo_async.errors import ServerError, TempoTransportError, UnauthorizedError
from tempo_async.oauth import DEFAULT_TOKEN_URL, OAuth2Auth

CLIENT_ID = "tempo-app"
CLIENT_SECRET = "client-secret-Zq81xKp"
REDIRECT_URI = "https://app.example/oauth/callback"


class FakeTempo:
    """Tempo's OAuth endpoints (rotating refresh tokens) and `GET /core/3/ping`."""

    def __init__(self) -> None:
        self.expires_in: int | None = 3600
        self.codes: set[str] = set()
        self.live_access: set[str] = set()
        self.live_refresh: set[str] = set()
        self.token_calls: list[dict[str, str]] = []
        self.token_requests: list[tuple[str, str]] = []  # (content type, query string)
        self.revoked: list[tuple[str, str]] = []  # (token_type_hint, token)
        self.api_headers: list[str] = []
        self.unauthorized = 0
        self.token_failure: tuple[int, dict[str, str]] | None = None
        self.token_body: Any = None
        self.token_delay = 0.0
        self.hold_unauthorized = 0
        self.unauthorized_gates: list[asyncio.Event] = []
        self._held = 0
        self._release = asyncio.Event()
        self.server: TestServer | None = None

    @property
    def origin(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    @property
    def base_url(self) -> str:
        return self.origin + "/core/3"

    @property
    def token_url(self) -> str:
        return self.origin + "/oauth/token/"

    @property
    def revoke_url(self) -> str:
        return self.origin + "/oauth/revoke_token/"

    def issue_code(self) -> str:
        code = "code-" + secrets.token_hex(6)
        self.codes.add(code)
        return code

    def issue_pair(self) -> tuple[str, str]:
        access, refresh = "at-" + secrets.token_hex(8), "rt-" + secrets.token_hex(8)
        self.live_access.add(access)
        self.live_refresh.add(refresh)
        return access, refresh

    def refresh_grants(self) -> list[dict[str, str]]:
        return [call for call in self.token_calls if call.get("grant_type") == "refresh_token"]

    def credentials(self, **changes: Any) -> OAuth2Credentials:
        access, refresh = self.issue_pair()
        fields: dict[str, Any] = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": REDIRECT_URI,
            "refresh_token": refresh,
            "access_token": access,
            "expires_at": datetime.now(timezone.utc) + timedelta(hours=1),
            "token_url": self.token_url,
            "revoke_url": self.revoke_url,
        }
        fields.update(changes)
        return OAuth2Credentials(**fields)

    async def handle_token(self, request: web.Request) -> web.Response:
        self.token_requests.append((request.content_type, request.query_string))
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.token_calls.append(form)
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        if self.token_failure is not None:
            status, error = self.token_failure
            return web.json_response(error, status=status)
        if self.token_body is not None:
            return web.json_response(self.token_body)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return _oauth_error(401, "invalid_client", "Unknown client or wrong secret")
        if form.get("redirect_uri") != REDIRECT_URI:
            return _oauth_error(400, "invalid_grant", "redirect_uri mismatch")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            if form.get("code") not in self.codes:
                return _oauth_error(400, "invalid_grant", "Invalid or expired code")
            self.codes.discard(form["code"])
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.live_refresh:
                return _oauth_error(400, "invalid_grant", "Invalid refresh token")
            self.live_refresh.discard(form["refresh_token"])
        else:
            return _oauth_error(400, "unsupported_grant_type", "Unsupported grant type")
        access, refresh = self.issue_pair()
        pair: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "scope": "read write",
            "refresh_token": refresh,
        }
        if self.expires_in is not None:
            pair["expires_in"] = self.expires_in
        return web.json_response(pair)

    async def handle_revoke(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        if form.get("client_secret") != CLIENT_SECRET:
            return _oauth_error(401, "invalid_client", "Unknown client or wrong secret")
        self.revoked.append((form["token_type_hint"], form["token"]))
        self.live_access.discard(form["token"])
        self.live_refresh.discard(form["token"])
        return web.json_response({})

    async def handle_ping(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        self.api_headers.append(header)
        if header.removeprefix("Bearer ") in self.live_access:
            return web.json_response({"ok": True})
        self.unauthorized += 1
        if self.unauthorized_gates:
            await self.unauthorized_gates.pop(0).wait()
        if self.hold_unauthorized:
            # Answer no 401 before `hold_unauthorized` requests arrived with a dead token.
            self._held += 1
            if self._held >= self.hold_unauthorized:
                self._release.set()
            await self._release.wait()
        return web.Response(status=401)


async def until(condition: Callable[[], bool]) -> None:
    """Wait (up to 5 s) until `condition()` holds."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


def _oauth_error(status: int, error: str, description: str) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=status)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTempo]:
    tempo = FakeTempo()
    app = web.Application()
    app.router.add_post("/oauth/token/", tempo.handle_token)
    app.router.add_post("/oauth/revoke_token/", tempo.handle_revoke)
    app.router.add_get("/core/3/ping", tempo.handle_ping)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    tempo.server = server
    try:
        yield tempo
    finally:
        await server.close()


def client_for(fake: FakeTempo, **kwargs: Any) -> TempoClient:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("max_retries", 0)
    return TempoClient(base_url=fake.base_url, connection_limit=32, **kwargs)


async def ping(tempo: TempoClient, fake: FakeTempo) -> Any:
    return await tempo.get_url(fake.base_url + "/ping")


# -- code exchange --------------------------------------------------------------------------


async def test_exchange_code_returns_tokens_and_expiry_sent_as_a_form_body(
    fake: FakeTempo,
) -> None:
    code = fake.issue_code()
    before = datetime.now(timezone.utc)

    creds = await OAuth2Credentials.exchange_code(
        code,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        token_url=fake.token_url,
        revoke_url=fake.revoke_url,
    )

    assert creds.access_token in fake.live_access
    assert creds.refresh_token in fake.live_refresh
    assert creds.expires_at is not None
    assert before + timedelta(seconds=3599) <= creds.expires_at
    assert creds.expires_at <= datetime.now(timezone.utc) + timedelta(seconds=3601)
    assert (creds.token_url, creds.revoke_url) == (fake.token_url, fake.revoke_url)
    assert fake.token_calls == [
        {
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": REDIRECT_URI,
            "code": code,
        }
    ]
    assert fake.token_requests == [("application/x-www-form-urlencoded", "")]


async def test_exchange_code_can_use_the_callers_session_without_closing_it(
    fake: FakeTempo,
) -> None:
    async with aiohttp.ClientSession() as session:
        creds = await OAuth2Credentials.exchange_code(
            fake.issue_code(),
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT_URI,
            token_url=fake.token_url,
            session=session,
        )
        assert not session.closed
    assert creds.access_token in fake.live_access


async def test_refused_code_raises_unauthorized_with_the_servers_error(fake: FakeTempo) -> None:
    with pytest.raises(UnauthorizedError) as caught:
        await OAuth2Credentials.exchange_code(
            "code-that-was-never-issued",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT_URI,
            token_url=fake.token_url,
        )

    assert caught.value.status == 400
    assert caught.value.messages == ["invalid_grant: Invalid or expired code"]
    assert CLIENT_SECRET not in str(caught.value)
    assert "code-that-was-never-issued" not in str(caught.value)


async def test_malformed_token_response_raises_transport_error(fake: FakeTempo) -> None:
    fake.token_body = {"token_type": "Bearer", "refresh_token": "rt-x"}
    with pytest.raises(TempoTransportError, match="malformed token response"):
        await OAuth2Credentials.exchange_code(
            fake.issue_code(),
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT_URI,
            token_url=fake.token_url,
        )


# -- refresh --------------------------------------------------------------------------------


async def test_missing_access_token_is_obtained_before_the_first_request(
    fake: FakeTempo,
) -> None:
    creds = fake.credentials(access_token=None, expires_at=None)
    async with client_for(fake, oauth=creds) as tempo:
        assert await ping(tempo, fake) == {"ok": True}

    assert fake.unauthorized == 0
    assert [call["refresh_token"] for call in fake.refresh_grants()] == [creds.refresh_token]


async def test_twenty_concurrent_401s_cause_exactly_one_refresh_and_all_succeed(
    fake: FakeTempo,
) -> None:
    creds = fake.credentials()
    fake.live_access.discard(creds.access_token)  # revoked server-side, still "valid" here
    fake.hold_unauthorized = 20
    fake.token_delay = 0.05
    rotations: list[OAuth2Credentials] = []

    async with client_for(fake, oauth=creds, on_token_refresh=rotations.append) as tempo:
        results = await asyncio.gather(*(ping(tempo, fake) for _ in range(20)))

    assert results == [{"ok": True}] * 20
    assert fake.unauthorized == 20
    assert len(fake.refresh_grants()) == 1
    assert len(rotations) == 1
    new_header = f"Bearer {rotations[0].access_token}"
    assert fake.api_headers[:20] == [f"Bearer {creds.access_token}"] * 20
    assert fake.api_headers[20:] == [new_header] * 20


async def test_a_401_arriving_after_another_request_refreshed_just_retries(
    fake: FakeTempo,
) -> None:
    creds = fake.credentials()
    fake.live_access.clear()
    slow_401 = asyncio.Event()
    fake.unauthorized_gates = [slow_401]  # the first request's 401 comes back last
    async with client_for(fake, oauth=creds) as tempo:
        slow = asyncio.ensure_future(ping(tempo, fake))
        await until(lambda: fake.unauthorized == 1)
        assert await ping(tempo, fake) == {"ok": True}
        assert len(fake.refresh_grants()) == 1
        slow_401.set()
        assert await slow == {"ok": True}

    assert len(fake.refresh_grants()) == 1
    assert fake.unauthorized == 2


async def test_token_close_to_expiry_is_refreshed_before_the_request(fake: FakeTempo) -> None:
    creds = fake.credentials(expires_at=datetime.now(timezone.utc) + timedelta(seconds=30))
    async with client_for(fake, oauth=creds) as tempo:
        await ping(tempo, fake)
        await ping(tempo, fake)

    assert len(fake.refresh_grants()) == 1
    assert fake.unauthorized == 0
    assert f"Bearer {creds.access_token}" not in fake.api_headers


async def test_short_lived_tokens_are_refreshed_ahead_at_half_life_not_on_every_request(
    fake: FakeTempo,
) -> None:
    now = [1_000_000.0]
    fake.expires_in = 10  # shorter than the 60 s refresh skew
    auth = OAuth2Auth(fake.credentials(access_token=None), clock=lambda: now[0])
    async with client_for(fake, auth=auth) as tempo:
        await ping(tempo, fake)  # no access token yet: refresh
        now[0] += 4
        await ping(tempo, fake)  # 4 s into a 10 s token: no refresh
        now[0] += 2
        await ping(tempo, fake)  # past half-life: refresh ahead

    assert len(fake.refresh_grants()) == 2
    assert auth.refreshes == 2
    assert auth.credentials.expires_at == datetime.fromtimestamp(now[0] + 10, timezone.utc)


async def test_each_refresh_sends_the_latest_rotated_refresh_token(fake: FakeTempo) -> None:
    creds = fake.credentials()
    rotations: list[OAuth2Credentials] = []
    async with client_for(fake, oauth=creds, on_token_refresh=rotations.append) as tempo:
        for _ in range(3):
            fake.live_access.clear()  # every access token dies: 401, refresh, retry
            await ping(tempo, fake)

    sent = [call["refresh_token"] for call in fake.refresh_grants()]
    issued = [creds.refresh_token] + [rotation.refresh_token for rotation in rotations]
    assert sent == issued[:3]
    assert len(set(sent)) == 3
    assert all(call["client_secret"] == CLIENT_SECRET for call in fake.refresh_grants())


async def test_failed_refresh_raises_unauthorized_for_every_waiter_and_is_final(
    fake: FakeTempo,
) -> None:
    creds = fake.credentials()
    fake.live_access.clear()
    fake.live_refresh.clear()  # the refresh token was revoked elsewhere

    async with client_for(fake, oauth=creds) as tempo:
        outcomes = await asyncio.gather(
            *(ping(tempo, fake) for _ in range(5)), return_exceptions=True
        )
        with pytest.raises(UnauthorizedError, match="invalid_grant: Invalid refresh token"):
            await ping(tempo, fake)

    assert all(isinstance(outcome, UnauthorizedError) for outcome in outcomes)
    assert {str(outcome) for outcome in outcomes} == {
        f"POST {fake.token_url} -> 400 Bad Request: invalid_grant: Invalid refresh token"
    }
    assert len(fake.refresh_grants()) == 1
    assert len(fake.api_headers) == 5  # the last request was refused before it was sent


async def test_token_endpoint_outage_is_not_final(fake: FakeTempo) -> None:
    creds = fake.credentials(access_token=None)
    fake.token_failure = (503, {"error": "temporarily_unavailable"})
    async with client_for(fake, oauth=creds) as tempo:
        with pytest.raises(ServerError, match="temporarily_unavailable"):
            await ping(tempo, fake)
        fake.token_failure = None
        assert await ping(tempo, fake) == {"ok": True}

    assert [call["refresh_token"] for call in fake.refresh_grants()] == [creds.refresh_token] * 2


async def test_outage_during_refresh_ahead_keeps_using_the_unexpired_token(
    fake: FakeTempo,
) -> None:
    creds = fake.credentials(expires_at=datetime.now(timezone.utc) + timedelta(seconds=30))
    fake.token_failure = (503, {"error": "temporarily_unavailable"})
    async with client_for(fake, oauth=creds) as tempo:
        assert await ping(tempo, fake) == {"ok": True}
        fake.token_failure = None
        assert await ping(tempo, fake) == {"ok": True}

    assert len(fake.refresh_grants()) == 2
    assert fake.api_headers[0] == f"Bearer {creds.access_token}"
    assert fake.api_headers[1] != fake.api_headers[0]


async def test_cancelling_a_request_does_not_cancel_its_refresh(fake: FakeTempo) -> None:
    creds = fake.credentials(access_token=None)
    fake.token_delay = 0.1
    rotations: list[OAuth2Credentials] = []
    async with client_for(fake, oauth=creds, on_token_refresh=rotations.append) as tempo:
        first = asyncio.ensure_future(ping(tempo, fake))
        await until(lambda: bool(fake.token_calls))  # the refresh is in flight
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        assert await ping(tempo, fake) == {"ok": True}

    assert len(fake.refresh_grants()) == 1
    assert len(rotations) == 1
    assert rotations[0].refresh_token in fake.live_refresh


async def test_aclose_lets_a_refresh_in_flight_finish(fake: FakeTempo) -> None:
    creds = fake.credentials(access_token=None)
    fake.token_delay = 0.1
    rotations: list[OAuth2Credentials] = []
    tempo = client_for(fake, oauth=creds, on_token_refresh=rotations.append)
    request = asyncio.ensure_future(ping(tempo, fake))
    await until(lambda: bool(fake.token_calls))
    request.cancel()
    await tempo.aclose()

    assert len(rotations) == 1
    assert tempo._oauth is not None and tempo._oauth._session is not None
    assert tempo._oauth._session.closed


async def test_callers_session_is_used_for_token_calls_and_not_closed(fake: FakeTempo) -> None:
    async with aiohttp.ClientSession() as session:
        tempo = client_for(fake, oauth=fake.credentials(access_token=None), session=session)
        async with tempo:
            await ping(tempo, fake)
        assert not session.closed
    assert len(fake.refresh_grants()) == 1


# -- on_token_refresh -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_callback_is_called_once_per_rotation_after_the_new_pair_is_in_use(
    fake: FakeTempo, kind: str
) -> None:
    seen: list[tuple[OAuth2Credentials, OAuth2Credentials]] = []
    tempo: TempoClient

    def record(new: OAuth2Credentials) -> None:
        assert tempo._oauth is not None
        seen.append((new, tempo._oauth.credentials))

    async def record_async(new: OAuth2Credentials) -> None:
        await asyncio.sleep(0)
        record(new)

    callback: Callable[[OAuth2Credentials], Any] = record if kind == "sync" else record_async
    creds = fake.credentials()
    async with client_for(fake, oauth=creds, on_token_refresh=callback) as tempo:
        fake.live_access.clear()
        await asyncio.gather(*(ping(tempo, fake) for _ in range(5)))
        fake.live_access.clear()
        await asyncio.gather(*(ping(tempo, fake) for _ in range(5)))

    assert len(seen) == 2 == len(fake.refresh_grants())
    for new, current in seen:
        assert new is current  # already replaced the old pair when the app is told
        assert new.client_secret == CLIENT_SECRET
        assert new.token_url == fake.token_url
    assert seen[0][0].refresh_token != creds.refresh_token
    assert seen[1][0].refresh_token != seen[0][0].refresh_token
    assert seen[1][0].refresh_token in fake.live_refresh


async def test_failing_callback_is_logged_masked_and_the_new_tokens_stay_in_use(
    fake: FakeTempo, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_store(new: OAuth2Credentials) -> None:
        raise RuntimeError(f"INSERT failed for refresh_token={new.refresh_token}")

    creds = fake.credentials(access_token=None)
    with caplog.at_level(logging.ERROR, logger="tempo_async"):
        async with client_for(fake, oauth=creds, on_token_refresh=broken_store) as tempo:
            assert await ping(tempo, fake) == {"ok": True}
            assert await ping(tempo, fake) == {"ok": True}
            assert tempo._oauth is not None
            new_refresh = tempo._oauth.credentials.refresh_token

    assert len(fake.refresh_grants()) == 1
    [record] = [r for r in caplog.records if "on_token_refresh failed" in r.getMessage()]
    assert "RuntimeError: INSERT failed for refresh_token=***" in record.getMessage()
    assert new_refresh not in record.getMessage()


# -- revoke ---------------------------------------------------------------------------------


async def test_revoke_revokes_both_tokens_and_later_requests_fail_at_once(
    fake: FakeTempo,
) -> None:
    creds = fake.credentials()
    async with client_for(fake, oauth=creds) as tempo:
        await ping(tempo, fake)
        await tempo.revoke()
        with pytest.raises(UnauthorizedError, match="revoked") as caught:
            await ping(tempo, fake)

    # The error names the request that could not be sent, not the revoke endpoint.
    assert caught.value.method == "GET"
    assert caught.value.url != creds.revoke_url
    assert caught.value.url.startswith(fake.origin)
    assert fake.revoked == [
        ("refresh_token", creds.refresh_token),
        ("access_token", creds.access_token),
    ]
    assert creds.access_token not in fake.live_access
    assert creds.refresh_token not in fake.live_refresh
    assert len(fake.api_headers) == 1
    assert fake.token_calls == []


async def test_revoke_failure_raises_after_trying_both_tokens(fake: FakeTempo) -> None:
    creds = fake.credentials(client_secret="wrong-secret")
    async with client_for(fake, oauth=creds) as tempo:
        with pytest.raises(UnauthorizedError, match="invalid_client") as caught:
            await tempo.revoke()
    assert "wrong-secret" not in str(caught.value)


async def test_revoke_needs_an_oauth_client(fake: FakeTempo) -> None:
    async with client_for(fake, token="personal-token") as tempo:
        with pytest.raises(RuntimeError, match="oauth"):
            await tempo.revoke()


# -- secrets and validation -----------------------------------------------------------------


async def test_no_secret_in_debug_logs_reprs_or_errors(
    fake: FakeTempo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = fake.issue_code()
    creds = await OAuth2Credentials.exchange_code(
        code,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        token_url=fake.token_url,
        revoke_url=fake.revoke_url,
    )
    texts: list[str] = [repr(creds), str(creds)]
    rotations: list[OAuth2Credentials] = []
    async with client_for(fake, oauth=creds, on_token_refresh=rotations.append) as tempo:
        fake.live_access.clear()
        await ping(tempo, fake)  # 401, refresh, retry
        texts += [repr(tempo), repr(tempo._oauth), repr(tempo._transport)]
        await tempo.revoke()
        try:
            await ping(tempo, fake)
        except UnauthorizedError as exc:
            texts.append(str(exc))
    fake.live_refresh.clear()
    async with client_for(fake, oauth=rotations[0]) as tempo:
        fake.live_access.clear()
        try:
            await ping(tempo, fake)
        except UnauthorizedError as exc:
            texts.append(str(exc))
    texts += [repr(rotation) for rotation in rotations]
    texts += [record.getMessage() for record in caplog.records]
    texts += [caplog.text]

    planted = [CLIENT_SECRET, code, creds.access_token, creds.refresh_token]
    planted += [rotations[0].access_token, rotations[0].refresh_token]
    assert len(caplog.records) >= 5
    for secret in planted:
        assert secret
        for text in texts:
            assert secret not in text


def test_credentials_repr_shows_no_secret() -> None:
    creds = OAuth2Credentials(
        client_id="app",
        client_secret="shh-secret",
        redirect_uri=REDIRECT_URI,
        refresh_token="rt-secret",
        access_token="at-secret",
    )
    assert repr(creds) == (
        "OAuth2Credentials(client_id='app', client_secret=***, "
        f"redirect_uri='{REDIRECT_URI}', refresh_token=***, access_token=***, "
        "expires_at=None, token_url='https://api.tempo.io/oauth/token/', "
        "revoke_url='https://api.tempo.io/oauth/revoke_token/')"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://api.tempo.io/oauth/token/",
        "ftp://api.tempo.io/oauth/token/",
        "/oauth/token/",
        "https://user:pw@api.tempo.io/oauth/token/",
        "https://api.tempo.io/oauth/token/?client_secret=x",
    ],
)
def test_token_urls_must_be_https_unless_loopback(url: str) -> None:
    with pytest.raises(ValueError):
        OAuth2Credentials(
            client_id="app",
            client_secret="s",
            redirect_uri=REDIRECT_URI,
            refresh_token="rt",
            token_url=url,
        )
    with pytest.raises(ValueError):
        OAuth2Credentials(
            client_id="app",
            client_secret="s",
            redirect_uri=REDIRECT_URI,
            refresh_token="rt",
            revoke_url=url,
        )


def test_token_urls_are_checked_with_what_every_yarl_aiohttp_allows_has(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """yarl < 1.10 (allowed by aiohttp 3.10.0-3.10.5) has no `URL.absolute` property."""

    def missing(self: URL) -> bool:
        raise AttributeError("'URL' object has no attribute 'absolute'")

    monkeypatch.setattr(URL, "absolute", property(missing), raising=False)
    monkeypatch.setattr(URL, "is_absolute", lambda self: self.raw_host is not None)
    app = {"client_id": "app", "client_secret": "s", "redirect_uri": REDIRECT_URI}
    assert OAuth2Credentials(**app, refresh_token="rt").token_url == DEFAULT_TOKEN_URL
    with pytest.raises(ValueError, match="absolute http"):
        OAuth2Credentials(**app, refresh_token="rt", token_url="/oauth/token/")


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost", "[::1]:9000"])
def test_loopback_token_urls_may_use_plain_http(host: str) -> None:
    creds = OAuth2Credentials(
        client_id="app",
        client_secret="s",
        redirect_uri=REDIRECT_URI,
        refresh_token="rt",
        token_url=f"http://{host}/oauth/token/",
        revoke_url=f"http://{host}/oauth/revoke_token/",
    )
    assert creds.token_url.startswith("http://")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"refresh_token": "rt\r\nX-Evil: 1"}, ValueError),
        ({"access_token": "Bearer at"}, ValueError),
        ({"client_secret": ""}, ValueError),
        ({"expires_at": datetime(2030, 1, 1)}, ValueError),
        ({"client_id": None}, TypeError),
    ],
)
def test_credentials_reject_unusable_values(changes: dict[str, Any], error: type) -> None:
    fields: dict[str, Any] = {
        "client_id": "app",
        "client_secret": "s",
        "redirect_uri": REDIRECT_URI,
        "refresh_token": "rt",
        **changes,
    }
    with pytest.raises(error):
        OAuth2Credentials(**fields)


def test_client_takes_exactly_one_credential_and_callback_only_with_oauth() -> None:
    creds = OAuth2Credentials(
        client_id="app", client_secret="s", redirect_uri=REDIRECT_URI, refresh_token="rt"
    )
    with pytest.raises(TypeError, match="only one"):
        TempoClient("token", oauth=creds)
    with pytest.raises(TypeError, match="on_token_refresh"):
        TempoClient("token", on_token_refresh=lambda new: None)


# -- against the emulator -------------------------------------------------------------------


EMU_SECRET = "emu-client-secret-Hq72"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(populate=False) as server:
        server.register_oauth_client(CLIENT_ID, EMU_SECRET, REDIRECT_URI)
        yield server


async def emu_credentials(emu: Emulator) -> OAuth2Credentials:
    return await OAuth2Credentials.exchange_code(
        emu.issue_authorization_code(CLIENT_ID, REDIRECT_URI),
        client_id=CLIENT_ID,
        client_secret=EMU_SECRET,
        redirect_uri=REDIRECT_URI,
        token_url=emu.oauth_token_url,
        revoke_url=emu.oauth_revoke_url,
    )


def emu_client(emu: Emulator, **kwargs: Any) -> TempoClient:
    return TempoClient(base_url=emu.base_url, rate_limit=None, connection_limit=32, **kwargs)


def token_calls(emu: Emulator) -> int:
    return emu.stats.by_route["POST /oauth/token/"]


async def test_emulator_code_exchange_gives_tokens_the_api_accepts(emu: Emulator) -> None:
    creds = await emu_credentials(emu)

    assert creds.access_token is not None
    assert emu.oauth.access_token_info(creds.access_token) is not None
    assert creds.expires_at is not None
    assert creds.expires_at > datetime.now(timezone.utc) + timedelta(days=59)
    async with emu_client(emu, oauth=creds) as tempo:
        assert await tempo.roles.list()
    assert emu.stats.unauthorized == 0
    assert token_calls(emu) == 1


async def test_emulator_twenty_concurrent_401s_cause_exactly_one_refresh(emu: Emulator) -> None:
    creds = await emu_credentials(emu)
    rotations: list[OAuth2Credentials] = []
    async with emu_client(emu, oauth=creds, on_token_refresh=rotations.append) as tempo:
        await tempo.roles.list()
        emu.expire_access_tokens()
        results = await asyncio.gather(*(tempo.roles.list() for _ in range(20)))

    assert len(results) == 20
    assert emu.stats.unauthorized == 20
    assert token_calls(emu) == 2  # the code exchange and one refresh
    assert len(rotations) == 1
    assert rotations[0].refresh_token != creds.refresh_token
    assert emu.oauth.tokens[creds.refresh_token].revoked  # rotated out


async def test_emulator_token_is_refreshed_before_it_expires(emu: Emulator) -> None:
    now = [1_000_000.0]
    emu.oauth.clock = lambda: now[0]
    emu.oauth.access_token_ttl = 120
    creds = await emu_credentials(emu)
    creds = attrs.evolve(creds, expires_at=datetime.fromtimestamp(now[0] + 120, timezone.utc))
    auth = OAuth2Auth(creds, clock=lambda: now[0])
    async with emu_client(emu, auth=auth) as tempo:
        await tempo.roles.list()
        now[0] += 61  # inside the 60 s refresh skew, still valid on the server
        await tempo.roles.list()
        await tempo.roles.list()

    assert auth.refreshes == 1
    assert token_calls(emu) == 2
    assert emu.stats.unauthorized == 0
    assert creds.access_token is not None
    assert emu.oauth.access_token_info(creds.access_token) is not None  # it was still live


async def test_emulator_failed_refresh_raises_unauthorized(emu: Emulator) -> None:
    creds = await emu_credentials(emu)
    # Another process refreshed with the same pair first: this refresh token is used up.
    async with emu_client(emu, oauth=attrs.evolve(creds, access_token=None)) as other:
        await other.roles.list()
    emu.expire_access_tokens()
    emu.stats.reset()

    async with emu_client(emu, oauth=creds) as tempo:
        outcomes = await asyncio.gather(
            *(tempo.roles.list() for _ in range(5)), return_exceptions=True
        )
        with pytest.raises(UnauthorizedError, match="invalid_grant"):
            await tempo.roles.list()

    assert all(isinstance(outcome, UnauthorizedError) for outcome in outcomes)
    assert all("invalid_grant: Invalid refresh token" in str(o) for o in outcomes)
    assert token_calls(emu) == 1


async def test_emulator_revoke_revokes_both_tokens(emu: Emulator) -> None:
    creds = await emu_credentials(emu)
    assert creds.access_token is not None
    async with emu_client(emu, oauth=creds) as tempo:
        await tempo.roles.list()
        await tempo.revoke()
        with pytest.raises(UnauthorizedError, match="revoked"):
            await tempo.roles.list()

    assert emu.oauth.tokens[creds.access_token].revoked
    assert emu.oauth.tokens[creds.refresh_token].revoked
    assert emu.stats.by_route["POST /oauth/revoke_token/"] == 2


async def test_emulator_callback_is_called_once_per_rotation(emu: Emulator) -> None:
    creds = await emu_credentials(emu)
    rotations: list[OAuth2Credentials] = []

    async def store(new: OAuth2Credentials) -> None:
        await asyncio.sleep(0.01)
        rotations.append(new)

    async with emu_client(emu, oauth=creds, on_token_refresh=store) as tempo:
        for _ in range(3):
            emu.expire_access_tokens()
            await asyncio.gather(*(tempo.roles.list() for _ in range(5)))

    assert len(rotations) == 3
    assert token_calls(emu) == 4
    refresh_tokens = [creds.refresh_token] + [new.refresh_token for new in rotations]
    assert len(set(refresh_tokens)) == 4
    assert [emu.oauth.tokens[token].revoked for token in refresh_tokens] == [
        True,
        True,
        True,
        False,
    ]


async def test_emulator_flow_logs_no_secret_at_debug(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = emu.issue_authorization_code(CLIENT_ID, REDIRECT_URI)
    creds = await OAuth2Credentials.exchange_code(
        code,
        client_id=CLIENT_ID,
        client_secret=EMU_SECRET,
        redirect_uri=REDIRECT_URI,
        token_url=emu.oauth_token_url,
        revoke_url=emu.oauth_revoke_url,
    )
    rotations: list[OAuth2Credentials] = []
    async with emu_client(emu, oauth=creds, on_token_refresh=rotations.append) as tempo:
        emu.expire_access_tokens()
        await asyncio.gather(*(tempo.roles.list() for _ in range(3)))
        await tempo.revoke()
        with pytest.raises(UnauthorizedError):
            await tempo.roles.list()

    planted = [EMU_SECRET, code, creds.access_token, creds.refresh_token]
    planted += [rotations[0].access_token, rotations[0].refresh_token]
    assert any(record.levelno == logging.DEBUG for record in caplog.records)
    for secret in planted:
        assert secret
        assert secret not in caplog.text
