"""What every API version's client shares: options, transport, OAuth, lifecycle.

A version's client (`tempo_async.TempoClient` for v3, `tempo_async.v4.TempoClient`)
subclasses `BaseClient`, names its default base URL and attaches its resources in
`_attach_resources`. Nothing here names a version.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import aiohttp

from tempo_async import _defaults
from tempo_async._auth import Auth, TokenAuth
from tempo_async._transport import Transport, capture_json
from tempo_async._version import __version__
from tempo_async.errors import redact_url
from tempo_async.oauth import OAuth2Auth, OAuth2Credentials, TokenRefreshCallback

USER_AGENT = f"tempo-async-client/{__version__}"

ClientT = TypeVar("ClientT", bound="BaseClient")


class BaseClient:
    """The options, transport and lifecycle shared by the clients of every API version.

    One aiohttp session is shared by every request of the client (a `session` passed in
    is used and never closed). Every request goes through one rate limiter
    (`rate_limit` requests/second; None disables it), is retried on 429/5xx and
    connection failures up to `max_retries` times (requests that are not idempotent only
    when they cannot have reached the server), and fails with the typed errors of
    `tempo_async.errors`. `concurrency` is the default number of pages a paged list
    fetches at once. A response body longer than `max_body_size` bytes (default 256 MiB)
    fails with `ResponseTooLargeError` instead of filling memory.

    Apps authenticate with `oauth=OAuth2Credentials(...)` instead of a token: the access
    token is refreshed before it expires and after a 401 (once for all concurrent
    requests), each rotated pair is handed to `on_token_refresh` (a sync or async callable
    taking the new `OAuth2Credentials`) to persist, and `revoke()` revokes both tokens.
    """

    DEFAULT_BASE_URL: ClassVar[str]
    """Where requests go when no `base_url` is given (each version's client sets it)."""
    gone_hint: ClassVar[str | None] = None
    """Appended to the message of a 410 Gone (a retired API version says what to use)."""

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | aiohttp.ClientTimeout = _defaults.TIMEOUT,
        connect_timeout: float = _defaults.CONNECT_TIMEOUT,
        max_retries: int = _defaults.MAX_RETRIES,
        retry_budget: float = _defaults.RETRY_BUDGET,
        concurrency: int = _defaults.CONCURRENCY,
        rate_limit: float | None = _defaults.RATE_LIMIT,
        connection_limit: int = _defaults.CONNECTION_LIMIT,
        session: aiohttp.ClientSession | None = None,
        auth: Auth | None = None,
        oauth: OAuth2Credentials | None = None,
        on_token_refresh: TokenRefreshCallback | None = None,
        max_body_size: int = _defaults.MAX_BODY_SIZE,
    ) -> None:
        if sum(given is not None for given in (token, auth, oauth)) > 1:
            raise TypeError("pass only one of token, oauth and auth")
        if on_token_refresh is not None and oauth is None:
            raise TypeError("on_token_refresh needs oauth credentials")
        client_timeout = _client_timeout(timeout, connect_timeout)
        if oauth is not None:
            auth = OAuth2Auth(
                oauth, on_token_refresh=on_token_refresh, timeout=client_timeout, session=session
            )
        elif auth is None:
            if token is None:
                name = type(self).__name__
                raise TypeError(
                    f"{name} needs a token (or {name}.from_env() with TEMPO_API_TOKEN set)"
                )
            auth = TokenAuth(token)
        self._oauth = auth if isinstance(auth, OAuth2Auth) else None
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError(f"concurrency must be an int, got {concurrency!r}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency!r}")
        self._concurrency = concurrency
        self._transport = Transport(
            base_url=self.DEFAULT_BASE_URL if base_url is None else base_url,
            auth=auth,
            timeout=client_timeout,
            max_retries=max_retries,
            retry_budget=retry_budget,
            rate_limit=rate_limit,
            connection_limit=connection_limit,
            session=session,
            user_agent=USER_AGENT,
            gone_hint=self.gone_hint,
            max_body_size=max_body_size,
        )
        self._attach_resources(self._transport)

    def _attach_resources(self, transport: Transport) -> None:
        """Create the version's resource attributes (overridden by each version)."""

    @classmethod
    def _from_env(cls: type[ClientT], base_url: str | None, **kwargs: Any) -> ClientT:
        token = os.environ.get("TEMPO_API_TOKEN")
        if not token:
            raise ValueError("TEMPO_API_TOKEN is not set (a Tempo API token is needed)")
        return cls(token, base_url=base_url, **kwargs)

    def __repr__(self) -> str:
        state = "closed" if self._transport.closed else "open"
        return f"{type(self).__name__}(base_url={self._transport.base_url!r}, {state})"

    async def __aenter__(self: ClientT) -> ClientT:
        if self._transport.closed:
            raise RuntimeError(f"this {type(self).__name__} is closed; create a new one")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client's session (not a session the caller passed in)."""
        await self._transport.aclose()
        if self._oauth is not None:
            await self._oauth.aclose()

    async def revoke(self) -> None:
        """Revoke the OAuth 2.0 refresh and access tokens; later requests raise UnauthorizedError.

        Raises RuntimeError for a client without `oauth`, and the token endpoint's error
        (after trying both tokens) when a revocation fails.
        """
        if self._oauth is None:
            raise RuntimeError("revoke() needs a client created with oauth=OAuth2Credentials(...)")
        await self._oauth.revoke()

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return self._transport.base_url

    @property
    def closed(self) -> bool:
        """True once the client was closed."""
        return self._transport.closed

    @property
    def requests_sent(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._transport.requests_sent

    @property
    def current_rate(self) -> float | None:
        """Requests per second the client's rate governor allows now: the `rate_limit`,
        lowered after 429s and probing back up (None: unlimited, no 429 seen yet)."""
        return self._transport.current_rate

    @property
    def rate_limited(self) -> int:
        """429 answers received so far."""
        return self._transport.rate_limited

    @property
    def retries(self) -> int:
        """Requests repeated so far after a retryable failure."""
        return self._transport.retries

    async def get_url(self, self_url: str) -> Any:
        """GET any `self` link of the configured API host and return its JSON.

        A URL on any other host is refused with ValueError: the token stays home.
        """
        return await self._transport.request_url("GET", self_url)

    async def get_json(
        self, path: Sequence[str | int], *, params: Mapping[str, object] | None = None
    ) -> Any:
        """GET `path` (segments under the base URL, each percent-quoted) and return the JSON as sent.

        The raw escape hatch: no models are built, so every field the server sends is kept
        (the exporter writes records this way). Query values follow the resources' rules:
        None dropped, lists repeated, dates as YYYY-MM-DD.
        """
        return await self._transport.request("GET", path, params=params)

    @staticmethod
    def capture_json() -> contextlib.AbstractContextManager[list[Any]]:
        """Collect the raw JSON of every response in this context, in order.

        For callers that need what the server sent next to the models a method returns
        (the exporter writes records unchanged)::

            with tempo.capture_json() as bodies:
                accounts = await tempo.accounts.list()
            raw_records = bodies[-1]["results"]
        """
        return capture_json()

    def url_of(self, path: Sequence[str | int], params: Mapping[str, object] | None = None) -> str:
        """The URL `get_json(path, params=params)` requests, with secret-looking values masked."""
        return redact_url(self._transport.build_url(path, params))

    def _get_concurrency(self) -> int:
        return self._concurrency


def _client_timeout(
    timeout: float | aiohttp.ClientTimeout, connect: float
) -> aiohttp.ClientTimeout:
    if isinstance(timeout, aiohttp.ClientTimeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be seconds or an aiohttp.ClientTimeout, got {timeout!r}")
    if isinstance(connect, bool) or not isinstance(connect, (int, float)):
        raise TypeError(f"connect_timeout must be seconds, got {connect!r}")
    # aiohttp takes inf and nan here, then fails on the first request (OverflowError).
    if not (math.isfinite(timeout) and timeout > 0 and math.isfinite(connect) and connect > 0):
        raise ValueError(
            "timeouts must be positive finite seconds, "
            f"got timeout={timeout!r}, connect_timeout={connect!r}"
        )
    return aiohttp.ClientTimeout(total=float(timeout), connect=float(connect))
