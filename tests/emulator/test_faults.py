"""Fault injection: latency, rate limit, 5xx and dropped connections."""

from __future__ import annotations

import time

import aiohttp
import pytest

from tempo_async.emulator import Emulator, EmulatorStats, Faults
from tempo_async.emulator.faults import FaultInjector

from .helpers import Api


async def test_faults_are_off_by_default(api: Api, emu: Emulator) -> None:
    for _ in range(20):
        assert (await api.get("/roles")).status == 200
    assert emu.stats.faults == {}
    assert emu.faults == Faults(seed=7)


async def test_latency_delays_every_request(session: aiohttp.ClientSession) -> None:
    async with Emulator(latency_ms=120, jitter_ms=30) as emu:
        api = Api(session, emu.base_url)
        started = time.perf_counter()
        assert (await api.get("/roles")).status == 200
        elapsed = time.perf_counter() - started
        assert 0.12 <= elapsed < 1.0
        assert emu.stats.faults["latency"] == 1


async def test_rate_limit_answers_429_with_retry_after(session: aiohttp.ClientSession) -> None:
    async with Emulator(rate_limit=3) as emu:
        api = Api(session, emu.base_url)
        statuses = [(await api.get("/roles")) for _ in range(5)]
        assert [r.status for r in statuses] == [200, 200, 200, 429, 429]
        limited = statuses[3]
        assert limited.headers["Retry-After"] == "1"
        assert limited.messages == ["Rate limit exceeded"]
        assert emu.stats.faults["rate_limited"] == 2
        assert emu.stats.by_status[429] == 2


def test_rate_limit_refills_at_the_given_rate() -> None:
    now = [100.0]
    injector = FaultInjector(Faults(rate_limit=2), EmulatorStats(), clock=lambda: now[0])
    assert [injector._take_token() for _ in range(3)] == [0.0, 0.0, 0.5]
    now[0] += 0.5
    assert injector._take_token() == 0.0
    assert injector._take_token() == pytest.approx(0.5)
    now[0] += 10
    assert [injector._take_token() for _ in range(2)] == [0.0, 0.0]


async def test_error_rate_answers_server_errors(session: aiohttp.ClientSession) -> None:
    async with Emulator(faults=Faults(error_rate=1.0, error_statuses=(503,))) as emu:
        api = Api(session, emu.base_url)
        reply = await api.get("/roles")
        assert reply.status == 503
        assert reply.messages == ["Injected server error (503)"]
        assert emu.stats.faults["server_error"] == 1


async def test_a_share_of_requests_fail(session: aiohttp.ClientSession) -> None:
    async with Emulator(error_rate=0.5, seed=3) as emu:
        api = Api(session, emu.base_url)
        statuses = [(await api.get("/roles")).status for _ in range(100)]
        failures = [s for s in statuses if s != 200]
        assert 25 < len(failures) < 75
        assert set(failures) <= {500, 502, 503}


async def test_faults_can_be_switched_on_while_running(api: Api, emu: Emulator) -> None:
    assert (await api.get("/roles")).status == 200
    emu.faults.error_rate = 1.0
    assert (await api.get("/roles")).status >= 500
    emu.faults = Faults()
    assert (await api.get("/roles")).status == 200


async def test_dropped_connections_cut_the_body(session: aiohttp.ClientSession) -> None:
    async with Emulator(worklogs=50, drop_rate=1.0) as emu:
        headers = {"Authorization": "Bearer t"}
        with pytest.raises(aiohttp.ClientPayloadError):
            async with session.get(f"{emu.base_url}/worklogs", headers=headers) as response:
                assert response.status == 200
                await response.read()
        with pytest.raises(aiohttp.ClientError):
            async with session.delete(f"{emu.base_url}/worklogs/1", headers=headers) as response:
                await response.read()
        # aiohttp retries an idempotent request once when a reused connection drops
        assert emu.stats.faults["dropped"] >= 2
        assert emu.stats.by_status[0] == emu.stats.faults["dropped"]


async def test_oauth_endpoints_are_not_faulted(session: aiohttp.ClientSession) -> None:
    async with Emulator(error_rate=1.0) as emu:
        emu.register_oauth_client("c", "s", "https://x/cb")
        code = emu.issue_authorization_code("c", "https://x/cb")
        params = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": "c",
            "client_secret": "s",
            "redirect_uri": "https://x/cb",
        }
        async with session.post(emu.oauth_token_url, params=params) as response:
            assert response.status == 200


def test_invalid_fault_settings_are_refused() -> None:
    for bad in (
        {"error_rate": 1.5},
        {"drop_rate": -0.1},
        {"latency_ms": -1},
        {"rate_limit": 0},
        {"error_statuses": ()},
    ):
        with pytest.raises(ValueError):
            Faults(**bad)
