"""`TempoClient`: the client of the Tempo REST API v3 (`https://api.tempo.io/core/3`).

Tempo retired v3: the live API answers it with 410 Gone (the error says so and names
`tempo_async.v4.TempoClient`). It stays for v3-compatible servers and the emulator.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tempo_async import _defaults
from tempo_async._client_base import USER_AGENT, BaseClient
from tempo_async._transport import Transport
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

__all__ = ["DEFAULT_BASE_URL", "USER_AGENT", "TempoClient"]

DEFAULT_BASE_URL = "https://api.tempo.io/core/3"
DEFAULT_TIMEOUT = _defaults.TIMEOUT
DEFAULT_CONNECT_TIMEOUT = _defaults.CONNECT_TIMEOUT
DEFAULT_CONCURRENCY = _defaults.CONCURRENCY


class TempoClient(BaseClient):
    """An asyncio client of the Tempo REST API v3.

    Use it as an async context manager (or call `aclose()`)::

        async with TempoClient(token="...") as tempo:
            worklog = await tempo.worklogs.get(126)
            async for w in tempo.worklogs.list(from_=date(2026, 1, 1), to=date(2026, 1, 31)):
                ...

    One aiohttp session is shared by every request of the client (a `session` passed in
    is used and never closed). Every request goes through one rate limiter
    (`rate_limit` requests/second; None disables it), is retried on 429/5xx and
    connection failures up to `max_retries` times (creates only when the request cannot
    have reached the server), and fails with the typed errors of `tempo_async.errors`.
    `concurrency` is the default number of pages the worklog lists fetch at once.

    Apps authenticate with `oauth=OAuth2Credentials(...)` instead of a token: the access
    token is refreshed before it expires and after a 401 (once for all concurrent
    requests), each rotated pair is handed to `on_token_refresh` (a sync or async callable
    taking the new `OAuth2Credentials`) to persist, and `revoke()` revokes both tokens.
    See `tempo_async.oauth`. Tempo's live API is v4: see `tempo_async.v4.TempoClient`.
    """

    DEFAULT_BASE_URL: ClassVar[str] = DEFAULT_BASE_URL
    gone_hint: ClassVar[str | None] = (
        "Tempo retired API v3; use tempo_async.v4.TempoClient (base URL https://api.tempo.io)"
    )

    def _attach_resources(self, transport: Transport) -> None:
        args = (transport, self._get_concurrency)
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
        import os

        base_url = kwargs.pop("base_url", None) or os.environ.get("TEMPO_BASE_URL")
        return cls._from_env(base_url or DEFAULT_BASE_URL, **kwargs)
