"""A client-side rate limiter that spaces requests evenly (Tempo Cloud allows about 5/s).

Unlike a token bucket it grants no initial burst: the first request goes at once, each
later one waits for its slot, `1/rate` seconds after the previous one. A guard on the
actual release times keeps the promise that no window of one second ever holds more than
`ceil(rate)` requests, even when a waiter wakes up late and the ideal schedule catches up.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Let at most `rate` requests per second through, evenly spaced.

    Shared by every request of a client; safe for many concurrent waiters, which are
    served in arrival order. A waiter cancelled while waiting takes no slot. `clock` and
    `sleep` default to the running loop's clock and `asyncio.sleep` (tests pass fakes).
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._next = -math.inf
        self._recent: deque[float] = deque()
        self.set_rate(rate)
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self._rate

    def set_rate(self, rate: float) -> None:
        """Change the rate from the next request on (an adaptive governor lowers it)."""
        if isinstance(rate, bool) or not isinstance(rate, (int, float)):
            raise TypeError(f"rate_limit must be a number, not {type(rate).__name__}")
        if not (math.isfinite(rate) and rate > 0):
            raise ValueError(f"rate_limit must be a positive number, got {rate!r}")
        self._rate = float(rate)
        self._interval = 1.0 / rate
        # Any `span` consecutive releases are at least `window` seconds apart (1 s for an
        # integer rate), which bounds every one-second window to `span` requests.
        self._span = max(1, math.ceil(rate))
        self._window = self._span / rate
        self._recent = deque(self._recent, maxlen=self._span)

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self._rate:g})"

    async def acquire(self) -> None:
        """Wait until the next request may be sent, and take that slot."""
        clock = self._clock or asyncio.get_running_loop().time
        async with self._lock:
            while True:
                now = clock()
                ready = self._next
                if len(self._recent) == self._span:
                    ready = max(ready, self._recent[0] + self._window)
                if now >= ready:
                    break
                await self._sleep(ready - now)
            self._recent.append(now)
            # After a late wake-up keep to the ideal schedule (so a long run sustains the
            # rate); after an idle spell restart it from now (so there is no burst).
            base = self._next if now - self._next < self._interval else now
            self._next = base + self._interval
