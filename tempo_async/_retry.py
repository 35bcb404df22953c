"""When and how long to retry a failed request, on top of tenacity's `AsyncRetrying`.

Retried: 429 (after `Retry-After`, at least 1 s), 500/502/503/504, connection failures,
timeouts and truncated bodies, with exponential backoff and full jitter, bounded by
`max_retries` and a total time budget. Never retried: other 4xx, TLS failures. A request
that is not idempotent (POST) is retried only when the server cannot have acted on it:
the connection could not be established, 429, or 503. A retried create must never
duplicate a worklog.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TypeVar

import aiohttp
from tenacity import AsyncRetrying, RetryCallState

from . import _defaults
from .errors import RateLimitedError, TempoHTTPError

__all__ = ["IDEMPOTENT_METHODS", "RetryPolicy", "is_retryable", "parse_retry_after"]

logger = logging.getLogger("tempo_async")

T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods that may be repeated after the server might already have acted on them."""

_SECONDS = re.compile(r"\d+(?:\.\d+)?")

# Failures after which the request cannot have reached the server.
_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
# Failures that will not go away by trying again.
_PERMANENT = (aiohttp.ClientSSLError, aiohttp.ServerFingerprintMismatch)
# Failures after the request may have been sent: retried for idempotent methods only.
_MAYBE_SENT = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a `Retry-After` header value, or None when unusable.

    Accepts delay-seconds ("120", also "1.5") and an HTTP-date (a date in the past gives
    0.0); `now` defaults to the current UTC time.
    """
    if value is None:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def is_retryable(exc: BaseException, method: str, idempotent: bool | None = None) -> bool:
    """Whether a request that failed with `exc` may be sent again.

    `idempotent` None means "as the method says" (GET, HEAD, OPTIONS, PUT, DELETE); a read
    sent as POST (a search) passes True. Idempotent requests are retried after 500 too, as
    Tempo's guidance for 5xx says; others only when the server cannot have acted (429,
    503, no connection).
    """
    if idempotent is None:
        idempotent = method.upper() in IDEMPOTENT_METHODS
    if isinstance(exc, RateLimitedError):
        return True
    if isinstance(exc, TempoHTTPError):
        return exc.status == 503 or (idempotent and exc.status in (500, 502, 504))
    if isinstance(exc, _PERMANENT):
        return False
    if isinstance(exc, _NOT_SENT):
        return True
    return idempotent and isinstance(exc, _MAYBE_SENT)


def _describe(exc: BaseException | None) -> str:
    if isinstance(exc, TempoHTTPError):
        return str(exc.status)
    return type(exc).__name__


@dataclass(frozen=True)
class RetryPolicy:
    """How often and for how long failed requests are retried.

    `retry_budget` bounds the whole call, waits included: no retry starts whose wait would end
    after it (a `Retry-After` beyond the budget makes the error final at once). The wait
    before retry n is uniform in [0, min(backoff_max, backoff_initial * 2**(n-1))] unless
    the server sent `Retry-After`; a 429 waits at least `rate_limited_min_wait`. `sleep`
    and `jitter` (uniform in [0, 1)) are injectable so tests run without waiting.
    """

    max_retries: int = _defaults.MAX_RETRIES
    retry_budget: float = _defaults.RETRY_BUDGET
    backoff_initial: float = 0.5
    backoff_max: float = 20.0
    rate_limited_min_wait: float = 1.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError(f"max_retries must be an int, not {type(self.max_retries).__name__}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        for name in ("retry_budget", "backoff_initial", "backoff_max", "rate_limited_min_wait"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number, not {type(value).__name__}")
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")

    def wait_for(self, exc: BaseException | None, retry_number: int) -> float:
        """Seconds to wait before retry number `retry_number` (1-based) after `exc`."""
        ceiling = min(self.backoff_max, self.backoff_initial * 2.0 ** (retry_number - 1))
        wait = self.jitter() * ceiling
        if isinstance(exc, TempoHTTPError) and exc.retry_after is not None:
            wait = exc.retry_after
        if isinstance(exc, RateLimitedError):
            wait = max(wait, self.rate_limited_min_wait)
        return wait

    async def call(
        self,
        attempt: Callable[[], Awaitable[T]],
        *,
        method: str,
        path: str,
        on_retry: Callable[[], None] | None = None,
        idempotent: bool | None = None,
    ) -> T:
        """Run `attempt` until it succeeds, fails for good, or retries run out.

        The last failure propagates unchanged. `method` decides what may be retried;
        `method` and `path` (no query string: it may hold secrets) appear in the log.
        """

        def should_stop(state: RetryCallState) -> bool:
            if state.attempt_number > self.max_retries:
                return True
            # Fake sleeps in tests take no time, so count the planned waits as well.
            elapsed = max(state.seconds_since_start or 0.0, state.idle_for)
            return elapsed + state.upcoming_sleep > self.retry_budget

        def should_retry(state: RetryCallState) -> bool:
            failed = state.outcome is not None and state.outcome.failed
            return failed and is_retryable(_exception(state), method, idempotent)

        def wait(state: RetryCallState) -> float:
            return self.wait_for(_exception(state), state.attempt_number)

        def before_sleep(state: RetryCallState) -> None:
            logger.warning(
                "%s %s failed (%s); retry %d of %d in %.2f s",
                method,
                path,
                _describe(_exception(state)),
                state.attempt_number,
                self.max_retries,
                state.upcoming_sleep,
            )
            if on_retry is not None:
                on_retry()

        retrying = AsyncRetrying(
            sleep=self.sleep,
            stop=should_stop,
            wait=wait,
            retry=should_retry,
            before_sleep=before_sleep,
            reraise=True,
        )
        async for attempt_manager in retrying:
            with attempt_manager:
                return await attempt()
        raise AssertionError("unreachable: tenacity either returns or raises")


def _exception(state: RetryCallState) -> BaseException:
    assert state.outcome is not None and state.outcome.failed
    exc = state.outcome.exception()
    assert exc is not None
    return exc
