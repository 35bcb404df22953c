"""Fault injection for tests and benchmarks: latency, a rate limit, 5xx, dropped connections.

Every fault is off by default. The settings are a mutable `Faults` that a test can change
while the emulator runs (`emu.faults.error_rate = 1.0`). Faults apply to the API routes,
not to the OAuth endpoints. Random decisions come from one `random.Random(seed)`.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from tempo_async.emulator.responses import error_response
from tempo_async.emulator.stats import EmulatorStats

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Faults:
    """What to inject. Rates are probabilities per request (0.0 to 1.0).

    - `latency_ms` + uniform `[0, jitter_ms]` of delay before each request is handled;
    - `rate_limit` requests per second (a token bucket holding one second's worth);
      beyond it: 429 with `Retry-After` in whole seconds (at least 1);
    - `error_rate`: answer with one of `error_statuses` instead of handling the request;
    - `drop_rate`: send the headers and half the body, then close the connection.
    """

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    rate_limit: float | None = None
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 502, 503)
    drop_rate: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency_ms < 0 or self.jitter_ms < 0:
            raise ValueError("latency_ms and jitter_ms must not be negative")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError(f"rate_limit must be positive, got {self.rate_limit}")
        if not self.error_statuses:
            raise ValueError("error_statuses must not be empty")


class FaultInjector:
    """The middleware applying a `Faults` to every API request."""

    def __init__(
        self,
        faults: Faults,
        stats: EmulatorStats,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.faults = faults
        self._stats = stats
        self._clock = clock
        self._random = random.Random(faults.seed)
        self._bucket_rate: float | None = None
        self._tokens = 0.0
        self._refilled_at = 0.0

    def _take_token(self) -> float:
        """0.0 when the request may proceed, else the seconds until a token is available."""
        rate = self.faults.rate_limit
        if rate is None:
            return 0.0
        now = self._clock()
        capacity = max(1.0, rate)
        if rate != self._bucket_rate:
            self._bucket_rate, self._tokens, self._refilled_at = rate, capacity, now
        self._tokens = min(capacity, self._tokens + (now - self._refilled_at) * rate)
        self._refilled_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / rate

    @web.middleware
    async def middleware(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        """Delay, refuse, fail or cut the request as `faults` says."""
        faults = self.faults
        delay = faults.latency_ms + (
            self._random.uniform(0.0, faults.jitter_ms) if faults.jitter_ms else 0.0
        )
        if delay > 0:
            self._stats.faults["latency"] += 1
            await asyncio.sleep(delay / 1000.0)
        wait = self._take_token()
        if wait > 0:
            self._stats.faults["rate_limited"] += 1
            return error_response(
                429,
                "Rate limit exceeded",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        if faults.error_rate and self._random.random() < faults.error_rate:
            self._stats.faults["server_error"] += 1
            status = self._random.choice(faults.error_statuses)
            return error_response(status, f"Injected server error ({status})")
        response = await handler(request)
        if faults.drop_rate and self._random.random() < faults.drop_rate:
            self._stats.faults["dropped"] += 1
            await _drop(request, response)
        return response


async def _drop(request: web.Request, response: web.StreamResponse) -> None:
    """Send the status line, headers and half the body, then abort the connection."""
    body = response.body if isinstance(response, web.Response) else None
    if isinstance(body, bytes) and body:
        partial = web.StreamResponse(status=response.status, headers=response.headers)
        partial.content_length = len(body)
        await partial.prepare(request)
        await partial.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError
