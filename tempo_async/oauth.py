"""OAuth 2.0 for apps built on Tempo: code exchange, single-flight refresh, rotation, revoke.

The spec's introduction documents the flow: `POST https://api.tempo.io/oauth/token/` with
`grant_type=authorization_code` (client_id, client_secret, redirect_uri, code) or
`grant_type=refresh_token` (client_id, client_secret, redirect_uri, refresh_token), answered
with `access_token`, `expires_in` and a new `refresh_token` (refresh tokens rotate), and
`POST https://api.tempo.io/oauth/revoke_token/` (token_type_hint, client_id, client_secret,
token).

The spec shows those parameters in the query string; this module sends them as an
`application/x-www-form-urlencoded` body instead, which Tempo accepts too and which
RFC 6749 specifies: a URL is copied into proxy and server access logs, a body is not, and
the parameters are the client secret and the tokens.

`OAuth2Credentials` holds an app's credentials and one token pair; `OAuth2Auth` is the
transport's `Auth` for them (`TempoClient(oauth=...)` builds it): it refreshes the access
token shortly before it expires and after a 401, once for any number of concurrent
requests, and hands every rotated pair to the app's `on_token_refresh` callback.
No secret (client secret, code, token) is ever put in a repr, a log record or an error.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import aiohttp
import attrs

from ._transport import DEFAULT_USER_AGENT, checked_http_url, post_form
from .errors import (
    RateLimitedError,
    ServerError,
    TempoError,
    TempoHTTPError,
    TempoTransportError,
    UnauthorizedError,
)

__all__ = [
    "DEFAULT_OAUTH_TIMEOUT",
    "DEFAULT_REFRESH_SKEW",
    "DEFAULT_REVOKE_URL",
    "DEFAULT_TOKEN_URL",
    "OAuth2Auth",
    "OAuth2Credentials",
    "TokenRefreshCallback",
]

logger = logging.getLogger("tempo_async")

DEFAULT_TOKEN_URL = "https://api.tempo.io/oauth/token/"
DEFAULT_REVOKE_URL = "https://api.tempo.io/oauth/revoke_token/"
DEFAULT_REFRESH_SKEW = 60.0
"""Seconds before `expires_at` at which the access token is refreshed ahead of use."""
DEFAULT_OAUTH_TIMEOUT = aiohttp.ClientTimeout(total=30.0, connect=10.0)

_MASK = "***"
_SECRET_FIELDS = frozenset({"client_secret", "code", "refresh_token", "token"})


def _masked(value: object) -> str:
    return "None" if value is None else _MASK


def _non_empty_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{attribute.name} must not be empty")


def _token_value(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_token(attribute.name, value)


def _optional_token_value(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _check_token(attribute.name, value)


def _check_token(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if any(char.isspace() for char in value) or not value.isprintable():
        # The access token goes into a header: this also rejects CR/LF injection.
        raise ValueError(f"{name} must not contain whitespace or control characters")


def _aware_datetime(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime):
        raise TypeError(f"{attribute.name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{attribute.name} must be timezone-aware (e.g. UTC)")


def _endpoint(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_endpoint(attribute.name, value)


def _check_endpoint(name: str, value: object) -> None:
    """An absolute https URL (plain http only on loopback), the transport's rule."""
    checked_http_url(name, value)


@attrs.frozen(kw_only=True)
class OAuth2Credentials:
    """An OAuth 2.0 app's credentials (Tempo > Settings > OAuth 2.0) and one token pair.

    `refresh_token` is enough to start: without an `access_token` (or once `expires_at`,
    a timezone-aware datetime, is near) the client obtains one before the first request.
    Persist the pair handed to `on_token_refresh`: refresh tokens rotate, and the previous
    one stops working. Immutable; the repr shows no secret.
    """

    client_id: str = attrs.field(validator=_non_empty_str)
    client_secret: str = attrs.field(validator=_non_empty_str, repr=_masked)
    redirect_uri: str = attrs.field(validator=_non_empty_str)
    refresh_token: str = attrs.field(validator=_token_value, repr=_masked)
    access_token: str | None = attrs.field(
        default=None, validator=_optional_token_value, repr=_masked
    )
    expires_at: datetime | None = attrs.field(default=None, validator=_aware_datetime)
    token_url: str = attrs.field(default=DEFAULT_TOKEN_URL, validator=_endpoint)
    revoke_url: str = attrs.field(default=DEFAULT_REVOKE_URL, validator=_endpoint)

    @classmethod
    async def exchange_code(
        cls,
        code: str,
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        token_url: str = DEFAULT_TOKEN_URL,
        revoke_url: str = DEFAULT_REVOKE_URL,
        session: aiohttp.ClientSession | None = None,
        timeout: aiohttp.ClientTimeout = DEFAULT_OAUTH_TIMEOUT,
    ) -> OAuth2Credentials:
        """Perform the authorization-code grant and return credentials with the token pair.

        `code` is the `code` query parameter Tempo appended to `redirect_uri` after the
        user consented; it expires quickly and works once. Raises `UnauthorizedError`
        carrying the server's `error`/`error_description` when Tempo refuses the grant.
        `session` is used when given (and not closed); otherwise a short-lived one is.
        """
        _check_token("code", code)
        for name, value in (
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("redirect_uri", redirect_uri),
        ):
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty str")
        _check_endpoint("token_url", token_url)
        _check_endpoint("revoke_url", revoke_url)
        started = time.time()
        form = {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
            "code": code,
        }
        if session is not None:
            data = await _post_form(session, token_url, form, timeout=timeout)
        else:
            async with _new_session(timeout) as own:
                data = await _post_form(own, token_url, form, timeout=timeout)
        access, refresh, expires_in = _parse_token_response(data, token_url)
        if refresh is None:
            raise TempoTransportError(
                "malformed token response: no refresh_token", method="POST", url=token_url
            )
        logger.info("OAuth authorization code exchanged for tokens (client_id=%s)", client_id)
        return cls(
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=redirect_uri,
            refresh_token=refresh,
            access_token=access,
            expires_at=_expiry(started, expires_in),
            token_url=token_url,
            revoke_url=revoke_url,
        )


TokenRefreshCallback = Callable[[OAuth2Credentials], Awaitable[None] | None]
"""`on_token_refresh`: called (or awaited, when it returns an awaitable) with the new pair."""


@attrs.frozen
class _Failure:
    """Why a refresh failed; `error()` builds a fresh exception for each request it fails."""

    exc: TempoError

    def error(self) -> TempoError:
        exc = self.exc
        fresh: TempoError
        if isinstance(exc, TempoHTTPError):
            fresh = type(exc)(
                exc.status,
                list(exc.messages),
                method=exc.method,
                url=exc.url,
                retry_after=exc.retry_after,
            )
        elif isinstance(exc, TempoTransportError):
            detail = str(exc).removeprefix(f"{exc.method} {exc.url}: ")
            fresh = TempoTransportError(detail, method=exc.method, url=exc.url)
            fresh.__cause__ = exc.__cause__
        else:
            return exc
        return fresh


class OAuth2Auth:
    """The transport's `Auth` for an OAuth 2.0 app, with single-flight refresh.

    The access token is refreshed (`grant_type=refresh_token`) when it is missing, within
    `refresh_skew` seconds of `expires_at`, or after a request got 401 with it. However
    many requests need a refresh at once, one token request is sent: the first starts it
    as a task, the others await that task, then all retry with the new token. A request
    whose 401 came back after the token already changed just retries. The refresh task
    is shielded, so cancelling a waiting request never loses a rotated refresh token.

    On success the new pair replaces the old one (the old refresh token is never sent
    again) and only then is `on_token_refresh` called (sync) or awaited (async) with the
    new `OAuth2Credentials`, inside the refresh, so requests wait until the app has
    persisted the pair and callbacks never overlap. A callback error is logged (with
    secrets masked) and the new tokens stay in use.

    A refresh refused by the token endpoint (4xx, e.g. `invalid_grant`) raises
    `UnauthorizedError` with the server's `error: error_description`; it is final: every
    later request fails with it at once, without sending the used refresh token again.
    A 5xx, 429 or connection failure raises `ServerError`/`RateLimitedError`/
    `TempoTransportError` to the requests waiting on that refresh (unless the refresh was
    ahead of expiry: they go on with the current token); a later request tries again.

    `session`, when given, is used for the token calls and not closed; otherwise one is
    created on first use and closed by `aclose()`. `clock` is `time.time` (for tests).
    """

    def __init__(
        self,
        credentials: OAuth2Credentials,
        *,
        on_token_refresh: TokenRefreshCallback | None = None,
        refresh_skew: float = DEFAULT_REFRESH_SKEW,
        timeout: aiohttp.ClientTimeout = DEFAULT_OAUTH_TIMEOUT,
        session: aiohttp.ClientSession | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(credentials, OAuth2Credentials):
            raise TypeError(
                f"credentials must be OAuth2Credentials, not {type(credentials).__name__}"
            )
        if on_token_refresh is not None and not callable(on_token_refresh):
            raise TypeError("on_token_refresh must be callable")
        if isinstance(refresh_skew, bool) or not isinstance(refresh_skew, (int, float)):
            raise TypeError(f"refresh_skew must be a number, not {type(refresh_skew).__name__}")
        if not (math.isfinite(refresh_skew) and refresh_skew >= 0):
            raise ValueError(f"refresh_skew must be >= 0, got {refresh_skew!r}")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(
                f"session must be an aiohttp.ClientSession, not {type(session).__name__}"
            )
        self._credentials = credentials
        self._on_token_refresh = on_token_refresh
        self._skew = float(refresh_skew)
        self._timeout = timeout
        self._session = session
        self._owns_session = session is None
        self._clock = clock
        self._refresh_at = self._initial_refresh_at(credentials)
        self._expires_ts = (
            math.inf if credentials.expires_at is None else credentials.expires_at.timestamp()
        )
        self._flight: asyncio.Task[_Failure | None] | None = None
        self._failure: _Failure | None = None
        self._refreshes = 0
        self._closed = False

    def __repr__(self) -> str:
        return (
            f"OAuth2Auth(client_id={self._credentials.client_id!r}, "
            f"token_url={self._credentials.token_url!r}, refreshes={self._refreshes})"
        )

    @property
    def credentials(self) -> OAuth2Credentials:
        """The current credentials: the latest token pair."""
        return self._credentials

    @property
    def refreshes(self) -> int:
        """Successful refreshes so far (each one rotated the pair)."""
        return self._refreshes

    async def authorization(self) -> str:
        """`Bearer <access token>`, refreshing first when it is missing or about to expire."""
        self._check_usable()
        current = self._credentials.access_token
        if current is None or self._clock() >= self._refresh_at:
            try:
                await self._refresh_from(current)
            except (ServerError, RateLimitedError, TempoTransportError):
                if current is None or self._clock() >= self._expires_ts:
                    raise
                logger.warning("OAuth refresh ahead of expiry failed; using the current token")
        token = self._credentials.access_token
        assert token is not None  # a successful refresh always sets one
        return f"Bearer {token}"

    async def refresh_after_unauthorized(self, used: str) -> bool:
        """After a 401 sent with `used`: refresh (once for all concurrent callers), retry.

        Returns True when a newer token is in place. False (the 401 is final) once a
        refresh has failed for good or the tokens were revoked.
        """
        if self._failure is not None or self._closed:
            return False
        current = self._credentials.access_token
        if current is not None and used != f"Bearer {current}":
            return True  # another request refreshed while this one was in flight
        await self._refresh_from(current)
        return True

    async def revoke(self) -> None:
        """Revoke the refresh token, then the access token, at `revoke_url`.

        Both are attempted even when one fails; the first failure is raised afterwards.
        Requests made with this auth afterwards fail with `UnauthorizedError` at once.
        A refresh in progress is allowed to finish first, so the pair revoked is the latest.
        """
        if self._closed:
            raise RuntimeError("this OAuth2Auth is closed; create a new client")
        await self._wait_for_flight()
        creds = self._credentials
        self._failure = _Failure(
            UnauthorizedError(
                401,
                ["the OAuth tokens were revoked; authorize the app again"],
                method="POST",
                url=creds.revoke_url,
            )
        )
        session = self._get_session()
        failures: list[TempoError] = []
        for hint, token in (
            ("refresh_token", creds.refresh_token),
            ("access_token", creds.access_token),
        ):
            if token is None:
                continue
            form = {
                "token_type_hint": hint,
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
                "token": token,
            }
            try:
                await _post_form(session, creds.revoke_url, form, timeout=self._timeout)
            except TempoError as exc:
                failures.append(exc)
        if failures:
            raise failures[0]
        logger.info("OAuth tokens revoked (client_id=%s)", creds.client_id)

    async def aclose(self) -> None:
        """Let a refresh in progress finish (its pair is persisted), then close the session."""
        if self._closed:
            return
        self._closed = True
        await self._wait_for_flight()
        if self._owns_session and self._session is not None:
            await self._session.close()

    # -- internals ------------------------------------------------------------------------

    def _check_usable(self) -> None:
        if self._closed:
            raise RuntimeError("this OAuth2Auth is closed; create a new client")
        if self._failure is not None:
            raise self._failure.error()

    def _initial_refresh_at(self, credentials: OAuth2Credentials) -> float:
        if credentials.access_token is None:
            return -math.inf
        if credentials.expires_at is None:
            return math.inf
        return credentials.expires_at.timestamp() - self._skew

    async def _refresh_from(self, stale: str | None) -> None:
        """Make sure the access token is newer than `stale`, joining a refresh in flight."""
        if self._credentials.access_token != stale:
            return
        flight = self._flight
        if flight is None or flight.done():
            flight = asyncio.get_running_loop().create_task(self._refresh())
            flight.add_done_callback(_retrieve_exception)
            self._flight = flight
        failure = await asyncio.shield(flight)
        if failure is not None:
            raise failure.error()

    async def _refresh(self) -> _Failure | None:
        """The one refresh: token request, rotation, callback. Returns why it failed."""
        creds = self._credentials
        form = {
            "grant_type": "refresh_token",
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "redirect_uri": creds.redirect_uri,
            "refresh_token": creds.refresh_token,
        }
        started = self._clock()
        try:
            data = await _post_form(
                self._get_session(), creds.token_url, form, timeout=self._timeout
            )
            access, refresh, expires_in = _parse_token_response(data, creds.token_url)
        except UnauthorizedError as exc:
            logger.warning("OAuth token refresh refused: %s", "; ".join(exc.messages))
            self._failure = _Failure(exc)
            return self._failure
        except TempoError as exc:
            logger.warning("OAuth token refresh failed: %s", type(exc).__name__)
            return _Failure(exc)
        new = attrs.evolve(
            creds,
            access_token=access,
            refresh_token=refresh if refresh is not None else creds.refresh_token,
            expires_at=_expiry(started, expires_in),
        )
        self._credentials = new
        self._expires_ts = math.inf if expires_in is None else started + expires_in
        self._refresh_at = (
            math.inf
            if expires_in is None
            else started + expires_in - min(self._skew, expires_in / 2)
        )
        self._refreshes += 1
        logger.info(
            "OAuth access token refreshed (client_id=%s, expires_in=%s)",
            creds.client_id,
            expires_in,
        )
        await self._notify(new)
        return None

    async def _notify(self, new: OAuth2Credentials) -> None:
        callback = self._on_token_refresh
        if callback is None:
            return
        try:
            result = callback(new)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            # The app's error may quote the tokens (a database error with its parameters).
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            logger.error(
                "on_token_refresh failed; the new tokens are in use but may not be saved:\n%s",
                _scrub(text, _secrets_of(new)),
            )

    async def _wait_for_flight(self) -> None:
        flight = self._flight
        if flight is not None and not flight.done():
            await asyncio.wait([flight])

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = _new_session(self._timeout)
        return self._session


def _retrieve_exception(task: asyncio.Task[_Failure | None]) -> None:
    """Mark an unexpected error of a refresh task as seen (its waiters re-raise it)."""
    if not task.cancelled():
        task.exception()


def _new_session(timeout: aiohttp.ClientTimeout) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=timeout,
        headers={"User-Agent": DEFAULT_USER_AGENT, "Accept": "application/json"},
    )


def _secrets_of(creds: OAuth2Credentials) -> tuple[str, ...]:
    tokens = (creds.client_secret, creds.refresh_token, creds.access_token)
    return tuple(token for token in tokens if token)


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, _MASK)
    return text


def _expiry(now: float, expires_in: float | None) -> datetime | None:
    if expires_in is None:
        return None
    return datetime.fromtimestamp(now + expires_in, timezone.utc)


async def _post_form(
    session: aiohttp.ClientSession,
    url: str,
    form: Mapping[str, str],
    *,
    timeout: aiohttp.ClientTimeout,
) -> Any:
    """POST `form` to a token endpoint through the transport's `post_form`.

    A refusal other than 429 or 5xx (Tempo answers a bad grant with 400) is an
    `UnauthorizedError`: the credentials are what failed. Secrets the server may echo
    are masked in its messages.
    """
    try:
        return await post_form(session, url, form, timeout=timeout)
    except TempoHTTPError as exc:
        secrets = [value for name, value in form.items() if name in _SECRET_FIELDS]
        retryable = isinstance(exc, (ServerError, RateLimitedError))
        cls: type[TempoHTTPError] = type(exc) if retryable else UnauthorizedError
        raise cls(
            exc.status,
            [_scrub(message, secrets) for message in exc.messages],
            method=exc.method,
            url=exc.url,
            retry_after=exc.retry_after,
        ) from None


def _parse_token_response(data: Any, url: str) -> tuple[str, str | None, float | None]:
    """(access_token, refresh_token or None, expires_in or None) of a token response."""

    def malformed(why: str) -> TempoTransportError:
        return TempoTransportError(f"malformed token response: {why}", method="POST", url=url)

    if not isinstance(data, dict):
        raise malformed("not a JSON object")
    access = data.get("access_token")
    refresh = data.get("refresh_token")
    try:
        _check_token("access_token", access)
        if refresh is not None:
            _check_token("refresh_token", refresh)
    except (TypeError, ValueError) as exc:
        raise malformed(str(exc)) from None
    token_type = data.get("token_type")
    if token_type is not None and str(token_type).lower() != "bearer":
        raise malformed(f"token_type {str(token_type)[:20]!r} is not Bearer")
    expires_in = data.get("expires_in")
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        expires_in = int(expires_in)
    if expires_in is not None and (
        isinstance(expires_in, bool)
        or not isinstance(expires_in, (int, float))
        or not math.isfinite(expires_in)
        or expires_in < 0
    ):
        raise malformed("expires_in is not a number of seconds")
    assert isinstance(access, str)
    return access, refresh, None if expires_in is None else float(expires_in)
