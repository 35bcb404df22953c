"""An adaptive rate governor: spaces requests at a rate it learns from the server's 429s.

The transport has one per client (one API host), shared by every request.

A fixed client-side limit is right only when it matches the server's: set too high, a
fixed limiter keeps provoking 429s for the whole run; unset, a concurrent walk bursts.
The governor starts at the configured rate (or unlimited), and then:

- on a 429 it honours `Retry-After` for every request of the host (nobody is released
  before it has passed; then requests leave one spacing apart, never all at once), and
  cuts its rate multiplicatively to `decrease` x the lower of its rate and the rate the
  server actually accepted over the last seconds (so an unset or far too high limit
  lands near the server's in one step, not twenty);
- while no 429 arrives it raises the rate additively (`increase` requests/second per
  second), probing back up, never above the configured ceiling.

Only the first 429 among the requests sent under one rate counts: requests that were
already in flight when the rate was cut are answered under the old rate and must not cut
it again. Against the emulator limiting at 5 requests/second with 8 workers, a ceiling of
6 r/s, 10 r/s or none sustains 97-100% of the server's rate with 0.6% of requests
answered 429 after the first 10 s, and a ceiling of 5 r/s sees none (`bench/governor.py`).
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable

from tempo_async._defaults import RATE_LIMIT
from tempo_async._ratelimit import RateLimiter

__all__ = ["RateGovernor"]

DEFAULT_DECREASE = 0.8
"""Multiplicative decrease on a 429."""
DEFAULT_INCREASE = 0.05
"""Additive increase, requests per second gained per second without a 429."""
DEFAULT_MIN_RATE = 0.2
"""The governor never goes slower than this (requests per second)."""
_ACCEPTED_WINDOW = 2.0
"""Seconds of accepted requests over which the server's rate is measured."""


class RateGovernor:
    """Let requests through evenly spaced at a rate adapted to the server's 429s.

    `rate` is the ceiling (None: no ceiling, unlimited until the first 429). One governor
    is shared by every request to one API host. Call `acquire()` before sending (it
    returns the send time, to hand back), `on_success(sent_at)` after a 2xx/4xx answer
    that was not a 429, and `on_rate_limited(sent_at, retry_after)` after a 429.
    `clock` and `sleep` default to the running loop's clock and `asyncio.sleep`.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        increase: float = DEFAULT_INCREASE,
        decrease: float = DEFAULT_DECREASE,
        min_rate: float = DEFAULT_MIN_RATE,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate is not None:
            if isinstance(rate, bool) or not isinstance(rate, (int, float)):
                raise TypeError(f"rate_limit must be a number or None, not {type(rate).__name__}")
            if not (math.isfinite(rate) and rate > 0):
                raise ValueError(f"rate_limit must be a positive number, got {rate!r}")
        if not 0 < decrease < 1:
            raise ValueError(f"decrease must be between 0 and 1, got {decrease!r}")
        if not (increase >= 0 and min_rate > 0):
            raise ValueError("increase must be >= 0 and min_rate > 0")
        self._ceiling = None if rate is None else float(rate)
        self._increase = increase
        self._decrease = decrease
        self._min_rate = min(min_rate, self._ceiling or min_rate)
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._base: float | None = self._ceiling
        """The rate at the last change; None while unlimited."""
        self._changed_at = -math.inf
        """When the rate was last cut (or -inf: never); requests sent before do not cut it."""
        self._paused_until = -math.inf
        self._spacer: RateLimiter | None = None
        self._accepted: deque[float] = deque()
        self._started_at: float | None = None
        self.rate_limited = 0
        """429 answers seen."""
        self.decreases = 0
        """Times the rate was cut."""

    def __repr__(self) -> str:
        # No clock read here: a repr must work outside an event loop too.
        return f"RateGovernor(ceiling={self._ceiling!r}, base_rate={self._base!r})"

    @property
    def ceiling(self) -> float | None:
        """The configured rate limit (None: none)."""
        return self._ceiling

    def current_rate(self, now: float | None = None) -> float | None:
        """Requests per second the governor lets through now (None: unlimited)."""
        if self._base is None:
            return None
        if now is None:
            now = self._now()
        rate = self._base
        if self._changed_at != -math.inf:
            rate += self._increase * max(0.0, now - self._changed_at)
        return rate if self._ceiling is None else min(self._ceiling, rate)

    def _now(self) -> float:
        return (self._clock or asyncio.get_running_loop().time)()

    async def acquire(self) -> float:
        """Wait for the next slot; the time the request may be sent (give it back later).

        The spacing is a `RateLimiter`'s (no one-second window holds more than the rate)
        at the governor's current rate; a `Retry-After` pause holds everyone first.
        """
        async with self._lock:
            if self._started_at is None:
                self._started_at = self._now()
            while (wait := self._paused_until - self._now()) > 0:
                await self._sleep(wait)
            rate = self.current_rate()
            if rate is not None:
                if self._spacer is None:
                    self._spacer = RateLimiter(rate, clock=self._now, sleep=self._sleep)
                elif abs(self._spacer.rate - rate) > 1e-9:
                    self._spacer.set_rate(rate)
                await self._spacer.acquire()
            return self._now()

    def on_success(self, sent_at: float) -> None:
        """Note a request (sent at `sent_at`) that the server accepted."""
        now = self._now()
        accepted = self._accepted
        accepted.append(now)
        while accepted and accepted[0] < now - _ACCEPTED_WINDOW:
            accepted.popleft()

    def on_rate_limited(self, sent_at: float, retry_after: float | None) -> None:
        """Note a 429 for a request sent at `sent_at`: pause for `retry_after`, slow down."""
        now = self._now()
        self.rate_limited += 1
        if sent_at > self._changed_at:  # else sent under the old rate, which was cut already
            current = self.current_rate(now)
            server = self._accepted_rate(now)
            candidates = [r for r in (current, server) if r is not None]
            # Unlimited and too little accepted lately to measure: Tempo's documented rate.
            slowest = min(candidates) if candidates else RATE_LIMIT
            self._base = max(self._min_rate, self._decrease * slowest)
            self._changed_at = now
            self.decreases += 1
        if retry_after is not None and retry_after > 0:
            self._paused_until = max(self._paused_until, now + retry_after)

    def _accepted_rate(self, now: float) -> float | None:
        """Requests per second the server accepted over the last seconds (None: too few)."""
        # A pause (Retry-After) accepted nothing by our choice: measure after it.
        start = max(
            now - _ACCEPTED_WINDOW,
            self._changed_at,
            min(self._paused_until, now),
            now if self._started_at is None else self._started_at,
        )
        recent = [t for t in self._accepted if t >= start]
        if len(recent) < 3 or now - start < 0.5:
            return None
        return len(recent) / (now - start)
