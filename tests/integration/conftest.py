"""Fixtures of the integration tests: the typed client against a running emulator.

`emu` is a real `Emulator` (an aiohttp server on loopback) seeded with a modest data set
on a fixed date and clock, so the data is the same on every run; `tempo` is a
`TempoClient` pointed at it (no client-side rate limit). Options of the emulator can be
changed per test or module with the plugin's marker,
`@pytest.mark.tempo_emulator(worklogs=5000)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime, timezone
from typing import Any

import pytest

from tempo_async import TempoClient
from tempo_async.emulator import Emulator

TOKEN = "integration-test-token"
TODAY = date(2026, 3, 18)
"""The day the seed data is relative to (a Wednesday)."""
NOW = datetime(2026, 3, 18, 10, 0, tzinfo=timezone.utc)
"""The emulator's clock: `createdAt`/`updatedAt` of what the tests create."""
NOW_ISO = "2026-03-18T10:00:00Z"

EMULATOR_DEFAULTS: dict[str, Any] = {
    "worklogs": 300,
    "seed": 7,
    "today": TODAY,
    "clock": lambda: NOW,
    "token": TOKEN,
}

ClientFactory = Callable[..., Awaitable[TempoClient]]


@pytest.fixture
async def emu(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """A started emulator; the `tempo_emulator` marker overrides `EMULATOR_DEFAULTS`."""
    options = dict(EMULATOR_DEFAULTS)
    marker = request.node.get_closest_marker("tempo_emulator")
    if marker is not None:
        options.update(marker.kwargs)
    async with Emulator(**options) as emulator:
        yield emulator


@pytest.fixture
async def make_client(emu: Emulator) -> AsyncIterator[ClientFactory]:
    """Build more clients of `emu` (`TempoClient` keyword arguments); closed after the test."""
    clients: list[TempoClient] = []

    async def make(**kwargs: Any) -> TempoClient:
        options: dict[str, Any] = {"base_url": emu.base_url, "rate_limit": None}
        options.update(kwargs)
        client = TempoClient(token=options.pop("token", TOKEN), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def tempo(emu: Emulator) -> AsyncIterator[TempoClient]:
    """The client under test, pointed at `emu`."""
    async with TempoClient(token=TOKEN, base_url=emu.base_url, rate_limit=None) as client:
        yield client


def user_ids(emu: Emulator) -> list[str]:
    """The seeded users' accountIds, in creation order."""
    return list(emu.state.users)
