import asyncio
import logging
from datetime import datetime, timezone
from unittest import mock

import aiohttp
import pytest

from tempo_async._retry import RetryPolicy, is_retryable, parse_retry_after
from tempo_async.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TempoHTTPError,
    UnauthorizedError,
    error_from_response,
)

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("1.5", 1.5),
        ("-1", None),
        ("1e3", None),
        ("soon", None),
        ("inf", None),
        ("Thu, 15 Jan 2026 12:00:30 GMT", 30.0),  # IMF-fixdate
        ("Thursday, 15-Jan-26 12:01:00 GMT", 60.0),  # RFC 850
        ("Thu Jan 15 12:00:05 2026", 5.0),  # asctime, no zone: UTC
        ("Thu, 15 Jan 2026 11:59:00 GMT", 0.0),  # in the past
        ("Thu, 15 Jan 2026 13:00:00 +0100", 0.0),  # same instant as NOW
        ("Thu, 32 Jan 2026 12:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_parse_retry_after_accepts_a_naive_now_as_utc() -> None:
    naive = NOW.replace(tzinfo=None)
    assert parse_retry_after("Thu, 15 Jan 2026 12:00:10 GMT", naive) == 10.0


def test_parse_retry_after_defaults_now_to_the_current_time() -> None:
    far = "Fri, 01 Jan 2100 00:00:00 GMT"
    wait = parse_retry_after(far)
    assert wait is not None and wait > 365 * 24 * 3600


def http_error(status: int, retry_after: float | None = None) -> TempoHTTPError:
    return error_from_response(
        status, b"", method="GET", url="https://h/x", retry_after=retry_after
    )


def connector_error() -> aiohttp.ClientConnectorError:
    key = mock.Mock(host="api.tempo.io", port=443, ssl=True)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


def ssl_error() -> aiohttp.ClientConnectorSSLError:
    key = mock.Mock(host="api.tempo.io", port=443, ssl=True)
    return aiohttp.ClientConnectorSSLError(key, OSError(1, "bad handshake"))


@pytest.mark.parametrize(
    ("exc", "get", "post"),
    [
        (http_error(429), True, True),
        (http_error(503), True, True),
        (http_error(502), True, False),
        (http_error(504), True, False),
        (http_error(500), True, False),
        (http_error(400), False, False),
        (http_error(401), False, False),
        (http_error(403), False, False),
        (http_error(404), False, False),
        (http_error(409), False, False),
        (connector_error(), True, True),
        (aiohttp.ConnectionTimeoutError("connect timed out"), True, True),
        (ssl_error(), False, False),
        (aiohttp.SocketTimeoutError("read timed out"), True, False),
        (aiohttp.ServerTimeoutError("timed out"), True, False),
        (asyncio.TimeoutError(), True, False),
        (aiohttp.ServerDisconnectedError(), True, False),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), True, False),
        (aiohttp.ClientPayloadError("Response payload is not completed"), True, False),
        (aiohttp.InvalidURL("x"), False, False),
        (ValueError("boom"), False, False),
        (asyncio.CancelledError(), False, False),
    ],
    ids=lambda value: value if isinstance(value, bool) else type(value).__name__,
)
def test_is_retryable(exc: BaseException, get: bool, post: bool) -> None:
    assert is_retryable(exc, "GET") is get
    assert is_retryable(exc, "DELETE") is get
    assert is_retryable(exc, "PUT") is get
    assert is_retryable(exc, "POST") is post


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    top = RetryPolicy(backoff_initial=0.5, backoff_max=3.0, jitter=lambda: 1.0)
    assert [top.wait_for(http_error(503), n) for n in (1, 2, 3, 4, 5)] == [
        0.5,
        1.0,
        2.0,
        3.0,
        3.0,
    ]
    half = RetryPolicy(backoff_initial=0.5, backoff_max=3.0, jitter=lambda: 0.5)
    assert half.wait_for(http_error(503), 3) == 1.0
    assert RetryPolicy(jitter=lambda: 0.0).wait_for(http_error(503), 3) == 0.0


def test_retry_after_replaces_the_backoff() -> None:
    policy = RetryPolicy(jitter=lambda: 1.0)
    assert policy.wait_for(http_error(503, retry_after=7.0), 1) == 7.0
    assert policy.wait_for(http_error(429, retry_after=4.0), 1) == 4.0


def test_rate_limited_waits_at_least_one_second() -> None:
    policy = RetryPolicy(jitter=lambda: 0.0)
    assert policy.wait_for(http_error(429, retry_after=0.0), 1) == 1.0
    assert policy.wait_for(http_error(429), 1) == 1.0
    assert RetryPolicy(jitter=lambda: 1.0).wait_for(http_error(429), 4) == 4.0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, TypeError),
        ({"max_retries": True}, TypeError),
        ({"retry_budget": -1.0}, ValueError),
        ({"retry_budget": float("inf")}, ValueError),
        ({"retry_budget": "10"}, TypeError),
        ({"backoff_max": float("nan")}, ValueError),
    ],
)
def test_policy_validates_its_numbers(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error, match=next(iter(kwargs))):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


class Script:
    """An attempt function that raises or returns the scripted outcomes in turn."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    async def __call__(self) -> object:
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def fast_policy(**kwargs: object) -> tuple[RetryPolicy, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return RetryPolicy(sleep=sleep, jitter=lambda: 1.0, **kwargs), waits  # type: ignore[arg-type]


async def test_call_returns_after_retryable_failures() -> None:
    policy, waits = fast_policy(max_retries=3, backoff_initial=0.5)
    attempt = Script(http_error(503), http_error(502), {"ok": True})
    assert await policy.call(attempt, method="GET", path="/core/3/x") == {"ok": True}
    assert attempt.calls == 3
    assert waits == [0.5, 1.0]


async def test_call_gives_up_after_max_retries_with_the_last_error() -> None:
    policy, waits = fast_policy(max_retries=2)
    final = http_error(503)
    attempt = Script(http_error(503), http_error(503), final, {"never": "reached"})
    with pytest.raises(ServerError) as caught:
        await policy.call(attempt, method="GET", path="/x")
    assert caught.value is final
    assert attempt.calls == 3
    assert len(waits) == 2


async def test_max_retries_zero_means_one_attempt() -> None:
    policy, waits = fast_policy(max_retries=0)
    attempt = Script(http_error(503))
    with pytest.raises(ServerError):
        await policy.call(attempt, method="GET", path="/x")
    assert attempt.calls == 1
    assert waits == []


@pytest.mark.parametrize(
    "error", [BadRequestError, NotFoundError, ConflictError, UnauthorizedError]
)
async def test_call_does_not_retry_client_errors(error: type[TempoHTTPError]) -> None:
    policy, waits = fast_policy()
    attempt = Script(error(0, [], method="GET", url="https://h/x"))
    with pytest.raises(error):
        await policy.call(attempt, method="GET", path="/x")
    assert attempt.calls == 1
    assert waits == []


async def test_retry_after_beyond_the_budget_makes_the_error_final() -> None:
    policy, waits = fast_policy(retry_budget=60.0)
    attempt = Script(http_error(429, retry_after=500.0))
    with pytest.raises(RateLimitedError) as caught:
        await policy.call(attempt, method="GET", path="/x")
    assert caught.value.retry_after == 500.0
    assert attempt.calls == 1
    assert waits == []


async def test_budget_counts_the_waits_already_spent() -> None:
    policy, waits = fast_policy(retry_budget=10.0, max_retries=10)
    attempt = Script(*(http_error(429, retry_after=4.0) for _ in range(5)))
    with pytest.raises(RateLimitedError):
        await policy.call(attempt, method="GET", path="/x")
    assert waits == [4.0, 4.0]  # a third wait would end at 12 s
    assert attempt.calls == 3


async def test_each_retry_is_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    policy, _ = fast_policy(max_retries=3, backoff_initial=0.25)
    retries: list[int] = []
    attempt = Script(http_error(503), aiohttp.ServerDisconnectedError(), "done")
    caplog.set_level(logging.DEBUG, logger="tempo_async")
    result = await policy.call(
        attempt,
        method="GET",
        path="/core/3/worklogs",
        on_retry=lambda: retries.append(1),
    )
    assert result == "done"
    assert len(retries) == 2
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.name for r in warnings] == ["tempo_async", "tempo_async"]
    assert [r.getMessage() for r in warnings] == [
        "GET /core/3/worklogs failed (503); retry 1 of 3 in 0.25 s",
        "GET /core/3/worklogs failed (ServerDisconnectedError); retry 2 of 3 in 0.50 s",
    ]


async def test_cancellation_is_not_retried() -> None:
    policy, waits = fast_policy()
    attempt = Script(asyncio.CancelledError())
    with pytest.raises(asyncio.CancelledError):
        await policy.call(attempt, method="GET", path="/x")
    assert attempt.calls == 1
    assert waits == []
