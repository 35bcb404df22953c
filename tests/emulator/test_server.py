"""The emulator's lifecycle and options."""

from __future__ import annotations

import aiohttp
import pytest

from tempo_async.emulator import Emulator, Faults

from .helpers import Api


async def test_context_manager_starts_and_stops(session: aiohttp.ClientSession) -> None:
    emulator = Emulator(worklogs=3)
    with pytest.raises(RuntimeError):
        _ = emulator.base_url
    async with emulator as emu:
        assert emu is emulator and emu.running
        assert emu.base_url == f"http://127.0.0.1:{emu.port}/core/3"
        assert emu.origin == f"http://127.0.0.1:{emu.port}"
        assert (await Api(session, emu.base_url).get("/roles")).status == 200
    assert not emulator.running
    with pytest.raises(aiohttp.ClientConnectionError):
        await Api(session, emulator.base_url).get("/roles")
    assert len(emulator.state.worklogs) == 3


async def test_public_origin_is_used_in_links(session: aiohttp.ClientSession) -> None:
    async with Emulator(public_origin="https://tempo.test/") as emu:
        assert emu.base_url == "https://tempo.test/core/3"
        local = f"http://127.0.0.1:{emu.port}/core/3"
        reply = await Api(session, local).get("/roles")
        assert reply.body["self"] == "https://tempo.test/core/3/roles"


async def test_stats_count_requests_by_route_and_status(api: Api, emu: Emulator) -> None:
    emu.stats.reset()
    await api.get("/worklogs/1")
    await api.get("/worklogs/999999")
    assert emu.stats.requests == 2
    assert emu.stats.by_route["GET /core/3/worklogs/{worklogId}"] == 2
    assert emu.stats.by_status == {200: 1, 404: 1}


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError):
        Emulator(worklogs=-1)
    with pytest.raises(ValueError):
        Emulator(worklogs=5, populate=False)
    with pytest.raises(ValueError):
        Emulator(faults=Faults(), latency_ms=5)


async def test_starting_twice_is_an_error() -> None:
    async with Emulator() as emu:
        with pytest.raises(RuntimeError):
            await emu.start()


async def test_a_stopped_emulator_is_freed_with_its_state() -> None:
    """aiohttp caches middleware chains by handler; a stopped emulator must not stay alive
    through that cache (a test session grew by one seeded state per emulator)."""
    import gc
    import weakref

    import aiohttp

    from tempo_async.emulator import Emulator

    emulator = Emulator(worklogs=20)
    async with emulator, aiohttp.ClientSession() as session:
        headers = {"Authorization": "Bearer t"}
        async with session.get(f"{emulator.base_url}/accounts", headers=headers) as response:
            assert response.status == 200
        async with session.get(f"{emulator.v4_base_url}/accounts", headers=headers) as response:
            assert response.status == 200
    state = weakref.ref(emulator.state)
    del emulator
    gc.collect()
    assert state() is None
