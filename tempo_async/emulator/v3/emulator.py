"""`Emulator`: the Tempo REST API v3 served from memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.faults import Faults
from tempo_async.emulator.oauth import DEFAULT_ACCESS_TOKEN_TTL
from tempo_async.emulator.server import EmulatorServer, Mount, Route
from tempo_async.emulator.v3.resources.accounts import Accounts
from tempo_async.emulator.v3.resources.approvals import Approvals
from tempo_async.emulator.v3.resources.categories import Categories
from tempo_async.emulator.v3.resources.customers import Customers
from tempo_async.emulator.v3.resources.memberships import Memberships
from tempo_async.emulator.v3.resources.plans import Plans
from tempo_async.emulator.v3.resources.programs import Programs
from tempo_async.emulator.v3.resources.roles import Roles
from tempo_async.emulator.v3.resources.schedules import Schedules
from tempo_async.emulator.v3.resources.teams import Teams
from tempo_async.emulator.v3.resources.worklogs import Worklogs
from tempo_async.emulator.v3.seed import populate
from tempo_async.emulator.v3.state import DEFAULT_JIRA_URL, V3State, utc_now
from tempo_async.emulator.v4 import mounts as v4_mounts

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "models" / "v3_schema.json"


class Emulator(EmulatorServer[V3State]):
    """A Tempo REST API v3 server with in-memory state, for tests and benchmarks.

    ```python
    async with Emulator(worklogs=1000, seed=1) as emu:
        emu.base_url           # http://127.0.0.1:PORT/core/3
        emu.state.worklogs     # the data behind it
    ```

    Args:
        worklogs: how many worklogs to seed (spread over the 365 days before `today`).
        seed: seed of the deterministic data generator.
        populate: seed reference data at all (users, accounts, teams, ...); with False the
            instance starts empty but for the default role.
        today: the date the seed data is relative to (default: today).
        jira_url: Jira instance that user, issue and project references point to.
        clock: current time (timestamps such as `createdAt`, "today").
        host, port, token, faults, validate_responses, access_token_ttl, public_origin:
            see `EmulatorServer`.
        latency_ms, jitter_ms, rate_limit, error_rate, drop_rate: shortcuts for `faults`.

    Seeding 100,000 worklogs or more ends with `gc.freeze()`, so that the collector does
    not walk the seeded objects again (it keeps pages fast; it affects the whole process).
    """

    base_path: ClassVar[str] = "/core/3"
    schema_file: ClassVar[Path] = SCHEMA_FILE

    def __init__(
        self,
        *,
        worklogs: int = 0,
        seed: int = 0,
        populate: bool = True,
        today: date | None = None,
        jira_url: str = DEFAULT_JIRA_URL,
        clock: Callable[[], datetime] = utc_now,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        faults: Faults | None = None,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        rate_limit: float | None = None,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        validate_responses: bool = True,
        access_token_ttl: float = DEFAULT_ACCESS_TOKEN_TTL,
        public_origin: str | None = None,
    ) -> None:
        if worklogs < 0:
            raise ValueError(f"worklogs must not be negative, got {worklogs}")
        if worklogs and not populate:
            raise ValueError("worklogs need the seed data: populate must be True")
        shortcuts = (latency_ms, jitter_ms, rate_limit, error_rate, drop_rate)
        if faults is not None and shortcuts != (0.0, 0.0, None, 0.0, 0.0):
            raise ValueError("give either faults or the fault shortcuts, not both")
        if faults is None:
            faults = Faults(
                latency_ms=latency_ms,
                jitter_ms=jitter_ms,
                rate_limit=rate_limit,
                error_rate=error_rate,
                drop_rate=drop_rate,
                seed=seed,
            )
        super().__init__(
            host=host,
            port=port,
            token=token,
            faults=faults,
            validate_responses=validate_responses,
            access_token_ttl=access_token_ttl,
            public_origin=public_origin,
        )
        self.worklog_count = worklogs
        self.seed = seed
        self.populated = populate
        self.today = today
        self.jira_url = jira_url
        self.clock = clock

    def create_state(self, context: ApiContext) -> V3State:
        """A fresh state, seeded as configured."""
        state = V3State(context, jira_url=self.jira_url, clock=self.clock)
        if self.populated:
            populate(state, worklogs=self.worklog_count, seed=self.seed, today=self.today)
        return state

    def routes(self, state: V3State, context: ApiContext) -> Iterable[Route]:
        """Every v3 operation (the 74 of the spec, team links and the `links` lists)."""
        for resource in (
            Accounts(state),
            Categories(state),
            Customers(state),
            Plans(state),
            Programs(state),
            Roles(state),
            Teams(state),
            Memberships(state),
            Approvals(state),
            Schedules(state),
            Worklogs(state),
        ):
            yield from resource.routes()

    def mounts(self, state: V3State) -> Iterable[Mount]:
        """API v4 (`/4`) and the audit API (`/papertrail/1`) over the same data."""
        return v4_mounts(state)

    @property
    def api_host(self) -> str:
        """The host a v4 client takes as its base URL (`http://127.0.0.1:PORT`)."""
        return self.origin

    @property
    def v4_base_url(self) -> str:
        """The base URL of the v4 operations (`http://127.0.0.1:PORT/4`)."""
        return self.origin + "/4"
