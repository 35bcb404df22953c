"""The client against the emulator's fault injection: 5xx, dropped connections, 429s.

Retry waits are the client's real ones (exponential backoff with full jitter from 0.5 s,
`Retry-After` for 429s): TempoClient has no knob to shorten them and these tests need
none, the walks stay within a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import date, time

import pytest

from tempo_async import (
    RateLimitedError,
    ServerError,
    TempoClient,
    TempoTransportError,
    WorklogInput,
)
from tempo_async.emulator import Emulator
from tests.integration.conftest import ClientFactory, user_ids

CREATE_ROUTE = "POST /core/3/worklogs"
RETRYABLE = (502, 503, 504)

big = pytest.mark.tempo_emulator(worklogs=5000, seed=11)
"""5,000 worklogs. The seed also seeds the fault injector: the n-th request to reach it gets
the n-th random draw, so how many faults a walk meets does not depend on timing."""


def server_order(emu: Emulator) -> list[int]:
    """Ids of every stored worklog in the API's (startDate, id) order."""
    worklogs = emu.state.worklogs.by_id.values()
    return [
        w["tempoWorklogId"]
        for w in sorted(worklogs, key=lambda w: (w["startDate"], w["tempoWorklogId"]))
    ]


@contextlib.contextmanager
def _on_retry_warning(callback: Callable[[int], object]) -> Iterator[None]:
    """Call `callback(n)` when the client logs its n-th retry warning (before the wait)."""
    seen = 0

    class Hook(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            nonlocal seen
            if record.levelno == logging.WARNING and "retry" in record.getMessage():
                seen += 1
                callback(seen)

    hook = Hook()
    logger = logging.getLogger("tempo_async")
    logger.addHandler(hook)
    try:
        yield
    finally:
        logger.removeHandler(hook)


def _worklog_input(emu: Emulator, description: str = "under faults") -> WorklogInput:
    return WorklogInput(
        issue_key="PLAT-1",
        time_spent_seconds=900,
        start_date=date(2026, 3, 16),
        start_time=time(10, 0),
        author_account_id=user_ids(emu)[0],
        description=description,
    )


# -- paged walks under faults ---------------------------------------------------------------


@big
@pytest.mark.parametrize(
    ("faults", "fault_kinds"),
    [
        pytest.param({"error_rate": 0.1, "error_statuses": RETRYABLE}, {"server_error"}, id="5xx"),
        pytest.param({"drop_rate": 0.1}, {"dropped"}, id="dropped"),
        pytest.param({"rate_limit": 20.0}, {"rate_limited"}, id="429"),
        pytest.param(
            {
                "error_rate": 0.06,
                "error_statuses": RETRYABLE,
                "drop_rate": 0.06,
                "rate_limit": 15.0,
            },
            {"server_error", "dropped", "rate_limited"},
            id="all",
        ),
    ],
)
async def test_walk_under_faults_yields_every_worklog_once(
    make_client: ClientFactory,
    emu: Emulator,
    faults: dict[str, object],
    fault_kinds: set[str],
) -> None:
    client = await make_client(max_retries=20, retry_budget=30.0)
    expected = server_order(emu)
    assert len(expected) == 5000
    for name, value in faults.items():
        setattr(emu.faults, name, value)

    got = [w.tempo_worklog_id async for w in client.worklogs.list(limit=125, concurrency=8)]

    assert got == expected
    observed = {kind for kind, n in emu.stats.faults.items() if n}
    # With several faults at once, retry waits may keep the walk under the rate limit.
    assert observed == fault_kinds if len(fault_kinds) == 1 else observed <= fault_kinds
    injected = sum(emu.stats.faults[kind] for kind in fault_kinds)
    assert 1 <= client.retries <= injected  # a fault beyond the last page needs no retry
    assert emu.stats.by_status[200] >= 40


@big
async def test_raw_walk_under_faults_at_concurrency_one(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(max_retries=20)
    emu.faults.error_rate = 0.1
    emu.faults.error_statuses = RETRYABLE
    emu.faults.drop_rate = 0.1
    got = [
        item["tempoWorklogId"]
        async for item in client.worklogs.list(limit=500, concurrency=1).raw()
    ]
    assert got == server_order(emu)
    assert client.retries == emu.stats.faults["server_error"] + emu.stats.faults["dropped"] >= 1


async def test_a_500_is_retried_on_a_get_and_reported_when_retries_run_out(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(max_retries=5)
    emu.faults.error_rate = 1.0
    emu.faults.error_statuses = (500,)
    with pytest.raises(ServerError) as caught:
        await client.worklogs.get(1)
    assert caught.value.status == 500
    assert caught.value.messages == ["Injected server error (500)"]
    assert (client.requests_sent, client.retries) == (6, 5)


async def test_a_500_is_not_retried_on_a_create(make_client: ClientFactory, emu: Emulator) -> None:
    client = await make_client(max_retries=5)
    emu.faults.error_rate = 1.0
    emu.faults.error_statuses = (500,)
    worklog = {
        "issueKey": "DUM-1",
        "timeSpentSeconds": 60,
        "startDate": "2026-01-05",
        "startTime": "09:00:00",
        "authorAccountId": "x",
    }
    with pytest.raises(ServerError):
        await client.worklogs.create(worklog)  # type: ignore[arg-type]
    assert (client.requests_sent, client.retries) == (1, 0)


async def test_retries_run_out(make_client: ClientFactory, emu: Emulator) -> None:
    client = await make_client(max_retries=2)
    emu.faults.error_rate = 1.0
    emu.faults.error_statuses = (503,)
    with pytest.raises(ServerError) as caught:
        await client.worklogs.list(limit=10).collect()
    assert caught.value.status == 503
    assert (client.requests_sent, client.retries) == (3, 2)
    assert emu.stats.faults["server_error"] == 3


# -- 429 and Retry-After --------------------------------------------------------------------


async def test_retry_after_is_honoured(make_client: ClientFactory, emu: Emulator) -> None:
    client = await make_client(max_retries=3)
    emu.faults.rate_limit = 0.5  # one request, then the next token in 2 s: Retry-After: 2
    loop = asyncio.get_running_loop()
    await client.accounts.get("ACME-DEV")
    started = loop.time()
    account = await client.accounts.get("ACME-DEV")
    waited = loop.time() - started
    assert account.key == "ACME-DEV"
    assert emu.stats.by_status[429] == 1
    assert client.retries == 1
    assert 1.9 <= waited < 3.5  # the 2 s the server asked for, not the 1 s minimum


async def test_429_surfaces_with_retry_after_when_not_retried(
    make_client: ClientFactory, emu: Emulator
) -> None:
    emu.faults.rate_limit = 0.25  # Retry-After: 4
    no_retries = await make_client(max_retries=0)
    small_budget = await make_client(max_retries=5, retry_budget=2.0)
    await no_retries.roles.list()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for client in (no_retries, small_budget):
        with pytest.raises(RateLimitedError) as caught:
            await client.roles.list()
        assert caught.value.status == 429
        assert caught.value.retry_after == 4.0
        assert caught.value.messages == ["Rate limit exceeded"]
        assert client.retries == 0
    assert loop.time() - started < 1.0  # a wait beyond the budget is not started at all


async def test_burst_over_the_server_limit_is_retried_to_completion(
    tempo: TempoClient, emu: Emulator
) -> None:
    emu.faults.rate_limit = 20.0
    ids = list(range(1, 31))
    worklogs = await asyncio.gather(*(tempo.worklogs.get(i) for i in ids))
    assert [w.tempo_worklog_id for w in worklogs] == ids
    assert emu.stats.by_status[429] >= 5
    assert emu.stats.by_status[200] == 30


@big
async def test_client_rate_limit_below_the_servers_avoids_every_429(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(rate_limit=40.0)
    emu.faults.rate_limit = 50.0
    got = [w.tempo_worklog_id async for w in client.worklogs.list(limit=100, concurrency=8)]
    assert got == server_order(emu)
    more = await asyncio.gather(*(client.worklogs.get(i) for i in range(1, 21)))
    assert len(more) == 20
    assert emu.stats.faults["rate_limited"] == 0
    assert emu.stats.by_status[429] == 0
    assert client.retries == 0


# -- creates are never duplicated -----------------------------------------------------------


async def test_dropped_create_is_not_retried_nor_duplicated(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(max_retries=5)
    count = emu.state.worklog_count()
    emu.faults.drop_rate = 1.0
    with pytest.raises(TempoTransportError) as caught:
        await client.worklogs.create(_worklog_input(emu, "dropped answer"))
    assert caught.value.method == "POST"
    assert emu.stats.by_route[CREATE_ROUTE] == 1
    assert (client.requests_sent, client.retries) == (1, 0)
    # The server did act before the connection was cut: exactly one new worklog.
    assert emu.state.worklog_count() == count + 1

    emu.faults.drop_rate = 0.0
    found = await client.worklogs.list(updated_from="2026-03-18").collect()
    assert [w.description for w in found] == ["dropped answer"]


async def test_create_after_a_502_is_not_retried(make_client: ClientFactory, emu: Emulator) -> None:
    client = await make_client(max_retries=5)
    count = emu.state.worklog_count()
    emu.faults.error_rate = 1.0
    emu.faults.error_statuses = (502,)
    with pytest.raises(ServerError) as caught:
        await client.worklogs.create(_worklog_input(emu))
    assert caught.value.status == 502
    assert (client.requests_sent, client.retries) == (1, 0)
    assert emu.state.worklog_count() == count


async def test_creates_retried_after_503_and_429_land_once(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(max_retries=5)
    count = emu.state.worklog_count()

    # 503: the server did not act, so a create may be sent again. Two fail, then it lands:
    # the client's retry warning (logged before each wait) switches the fault off.
    emu.faults.error_rate = 1.0
    emu.faults.error_statuses = (503,)
    with _on_retry_warning(lambda n: setattr(emu.faults, "error_rate", 0.0 if n >= 2 else 1.0)):
        first = await client.worklogs.create(_worklog_input(emu, "after 503s"))
    assert emu.stats.faults["server_error"] == 2
    assert client.retries == 2
    assert emu.stats.by_route[CREATE_ROUTE] == 3

    # 429: the next create finds the bucket empty and waits for Retry-After.
    emu.faults.rate_limit = 1.0
    await client.roles.list()
    second = await client.worklogs.create(_worklog_input(emu, "after a 429"))
    assert emu.stats.by_status[429] == 1
    assert client.retries == 3
    emu.faults.rate_limit = None

    assert emu.state.worklog_count() == count + 2
    assert [
        w.description for w in await client.worklogs.list(updated_from="2026-03-18").collect()
    ] == [
        "after 503s",
        "after a 429",
    ]
    assert (first.tempo_worklog_id, second.tempo_worklog_id) == (count + 1, count + 2)


async def test_delete_whose_answer_was_dropped_succeeds(
    make_client: ClientFactory, emu: Emulator
) -> None:
    client = await make_client(max_retries=3)
    emu.faults.drop_rate = 1.0
    with _on_retry_warning(lambda n: setattr(emu.faults, "drop_rate", 0.0)):
        outcome = await client.worklogs.delete(5)
    assert emu.state.get_worklog(5) is None
    assert outcome is None
