"""Request counters of a running emulator, for tests and benchmarks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class EmulatorStats:
    """What the emulator has served since it started (or since `reset()`).

    `by_route` is keyed `"METHOD /path/{template}"` (the route's pattern, not the concrete
    URL); `faults` counts injected faults by kind (`latency`, `rate_limited`,
    `server_error`, `dropped`); `unauthorized` counts 401s.
    """

    requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    @property
    def unauthorized(self) -> int:
        """Number of 401 responses."""
        return self.by_status[401]

    def record(self, route: str, status: int) -> None:
        """Count one finished request."""
        self.requests += 1
        self.by_status[status] += 1
        self.by_route[route] += 1

    def reset(self) -> None:
        """Forget everything counted so far."""
        self.requests = 0
        self.by_status.clear()
        self.by_route.clear()
        self.faults.clear()
