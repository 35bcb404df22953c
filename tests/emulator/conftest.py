"""Fixtures of the emulator tests: a small seeded emulator and a plain HTTP helper."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tempo_async.emulator import Emulator

from .helpers import TODAY, Api, fixed_clock


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(worklogs=400, seed=7, today=TODAY, clock=fixed_clock) as emulator:
        yield emulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def api(emu: Emulator, session: aiohttp.ClientSession) -> Api:
    return Api(session, emu.base_url)
