"""`TempoClient`: the object users hold. It owns the transport and exposes the resources."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from tempo_async._auth import Auth, TokenAuth
from tempo_async._transport import (
    DEFAULT_BASE_URL,
    DEFAULT_CONNECTION_LIMIT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT,
    DEFAULT_RETRY_BUDGET,
    Transport,
)
from tempo_async._version import __version__
from tempo_async.errors import redact_url
from tempo_async.oauth import OAuth2Auth, OAuth2Credentials, TokenRefreshCallback
from tempo_async.resources import (
    AccountCategories,
    AccountCategoryTypes,
    Accounts,
    Customers,
    Periods,
    Plans,
    Programs,
    Roles,
    TeamLinks,
    TeamMemberships,
    Teams,
    TimesheetApprovals,
    UserSchedule,
    WorkAttributes,
    Worklogs,
)

USER_AGENT = f"tempo-async-client/{__version__}"
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 8


class TempoClient:
    """An asyncio client of the Tempo REST API v3.

    Use it as an async context manager (or call `aclose()`)::

        async with TempoClient(token="...") as tempo:
            worklog = await tempo.worklogs.get(126)
            async for w in tempo.worklogs.list(from_=date(2026, 1, 1), to=date(2026, 1, 31)):
                ...

    One aiohttp session is shared by every request of the client (a `session` passed in
    is used and never closed). Every request goes through one rate limiter
    (`rate_limit` requests/second; None disables it), is retried on 429/502/503/504 and
    connection failures up to `max_retries` times (creates only when the request cannot
    have reached the server), and fails with the typed errors of `tempo_async.errors`.
    `concurrency` is the default number of pages the worklog lists fetch at once.

    Apps authenticate with `oauth=OAuth2Credentials(...)` instead of a token: the access
    token is refreshed before it expires and after a 401 (once for all concurrent
    requests), each rotated pair is handed to `on_token_refresh` (a sync or async callable
    taking the new `OAuth2Credentials`) to persist, and `revoke()` revokes both tokens.
    See `tempo_async.oauth`.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_budget: float = DEFAULT_RETRY_BUDGET,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate_limit: float | None = DEFAULT_RATE_LIMIT,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        session: aiohttp.ClientSession | None = None,
        auth: Auth | None = None,
        oauth: OAuth2Credentials | None = None,
        on_token_refresh: TokenRefreshCallback | None = None,
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
                raise TypeError(
                    "TempoClient needs a token (or TempoClient.from_env() with TEMPO_API_TOKEN set)"
                )
            auth = TokenAuth(token)
        self._oauth = auth if isinstance(auth, OAuth2Auth) else None
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError(f"concurrency must be an int, got {concurrency!r}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency!r}")
        self._concurrency = concurrency
        self._transport = Transport(
            base_url=base_url,
            auth=auth,
            timeout=client_timeout,
            max_retries=max_retries,
            retry_budget=retry_budget,
            rate_limit=rate_limit,
            connection_limit=connection_limit,
            session=session,
            user_agent=USER_AGENT,
        )
        args = (self._transport, self._get_concurrency)
        self.accounts = Accounts(*args)
        """Accounts: create, list, get, update, delete."""
        self.account_categories = AccountCategories(*args)
        """Account categories: create, list, get, update, delete."""
        self.account_category_types = AccountCategoryTypes(*args)
        """Account category types: list."""
        self.customers = Customers(*args)
        """Customers: create, list, get, update, delete, accounts."""
        self.plans = Plans(*args)
        """Plans: create, get, update, delete, for_user."""
        self.programs = Programs(*args)
        """Programs: list, create, get, update, delete, teams."""
        self.roles = Roles(*args)
        """Team roles: list, create, get, update, delete."""
        self.teams = Teams(*args)
        """Teams, members and permissions."""
        self.team_links = TeamLinks(*args)
        """Team links: get, delete."""
        self.team_memberships = TeamMemberships(*args)
        """Team memberships: create, get, update, delete."""
        self.periods = Periods(*args)
        """Periods: list."""
        self.timesheet_approvals = TimesheetApprovals(*args)
        """Timesheet approvals: waiting, get, reviewers, approve, reject, reopen, submit, for_team."""
        self.user_schedule = UserSchedule(*args)
        """User schedules: get, for_user."""
        self.work_attributes = WorkAttributes(*args)
        """Work attributes: list, get."""
        self.worklogs = Worklogs(*args)
        """Worklogs: CRUD, work attribute values, and the seven paged lists."""

    @classmethod
    def from_env(cls, **kwargs: Any) -> TempoClient:
        """A client configured from `TEMPO_API_TOKEN` and (optionally) `TEMPO_BASE_URL`.

        A `base_url` passed here wins over `TEMPO_BASE_URL`; other keyword arguments are
        passed on to the constructor.
        """
        token = os.environ.get("TEMPO_API_TOKEN")
        if not token:
            raise ValueError("TEMPO_API_TOKEN is not set (a Tempo API token is needed)")
        base_url = kwargs.pop("base_url", None) or os.environ.get("TEMPO_BASE_URL")
        return cls(token, base_url=base_url or DEFAULT_BASE_URL, **kwargs)

    def __repr__(self) -> str:
        state = "closed" if self._transport.closed else "open"
        return f"TempoClient(base_url={self._transport.base_url!r}, {state})"

    async def __aenter__(self) -> TempoClient:
        if self._transport.closed:
            raise RuntimeError("this TempoClient is closed; create a new one")
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
    def retries(self) -> int:
        """Requests repeated so far after a retryable failure."""
        return self._transport.retries

    async def get_url(self, self_url: str) -> Any:
        """GET any `self` link of the configured API host and return its JSON.

        The spec documents some resources only as links (`/accounts/{key}/links`,
        `/teams/{id}/links`, `/teams/{id}/permissions/{key}/users`); this follows them.
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
