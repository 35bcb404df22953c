"""The adaptive rate governor, on a virtual clock against a modelled token-bucket server."""

from __future__ import annotations

import math

import pytest

from tempo_async._governor import RateGovernor


class VirtualTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


class TokenBucketServer:
    """Tempo-like limiting: `rate` tokens a second, a bucket of one second's worth; a 429
    consumes nothing and says `Retry-After: max(1, ceil(wait))`, as the emulator does."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.last = 0.0

    def answer(self, now: float) -> float | None:
        """None for a 2xx, else the Retry-After of a 429."""
        self.tokens = min(self.rate, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return float(max(1, math.ceil((1 - self.tokens) / self.rate)))


async def run(
    governor: RateGovernor,
    time: VirtualTime,
    seconds: float,
    latency: float = 0.25,
    concurrency: int = 8,
) -> tuple[int, int]:
    """Up to `concurrency` requests in flight for `seconds`; each answer arrives `latency`
    after its request. Returns (accepted, answered 429), counted after the first 10 s."""
    server = TokenBucketServer(5.0)
    pending: list[tuple[float, float, float | None]] = []  # (due, sent_at, retry_after)
    ok = limited = 0

    def deliver() -> None:
        for entry in [p for p in pending if p[0] <= time.now]:
            pending.remove(entry)
            _, sent, retry_after = entry
            if retry_after is None:
                governor.on_success(sent)
            else:
                governor.on_rate_limited(sent, retry_after)

    while time.now < seconds:
        deliver()
        if len(pending) >= concurrency:
            time.now = min(p[0] for p in pending)
            continue
        sent_at = await governor.acquire()
        deliver()
        answer = server.answer(time.now)
        pending.append((time.now + latency, sent_at, answer))
        if time.now > 10:
            ok += answer is None
            limited += answer is not None
    return ok, limited


@pytest.mark.parametrize("configured", [6.0, 10.0, None])
async def test_too_high_or_unset_limit_settles_near_the_servers_rate(
    configured: float | None,
) -> None:
    time = VirtualTime()
    governor = RateGovernor(configured, clock=time.clock, sleep=time.sleep)
    ok, limited = await run(governor, time, 310.0)
    sustained = ok / 300.0
    assert sustained >= 0.95 * 5.0, f"sustained {sustained:.2f} r/s"
    assert limited / (ok + limited) <= 0.02, f"{limited} of {ok + limited} answered 429"


async def test_a_right_limit_never_provokes_a_429() -> None:
    time = VirtualTime()
    governor = RateGovernor(5.0, clock=time.clock, sleep=time.sleep)
    ok, limited = await run(governor, time, 130.0)
    assert limited == 0
    assert ok / 120.0 == pytest.approx(5.0, rel=0.01)
    assert governor.current_rate() == 5.0


async def test_retry_after_holds_every_request_then_releases_them_spaced() -> None:
    time = VirtualTime()
    governor = RateGovernor(4.0, clock=time.clock, sleep=time.sleep)
    sent = await governor.acquire()
    governor.on_rate_limited(sent, 3.0)
    first = await governor.acquire()
    second = await governor.acquire()
    assert first >= 3.0
    rate = governor.current_rate()
    assert rate is not None and rate < 4.0
    assert second - first == pytest.approx(1.0 / rate, rel=0.05)


async def test_429s_of_requests_sent_before_the_cut_do_not_cut_again() -> None:
    time = VirtualTime()
    governor = RateGovernor(8.0, clock=time.clock, sleep=time.sleep)
    in_flight = [await governor.acquire() for _ in range(5)]
    for sent in in_flight:
        governor.on_rate_limited(sent, 1.0)
    assert governor.decreases == 1
    assert governor.rate_limited == 5
    assert governor.current_rate() == pytest.approx(0.8 * 8.0, rel=0.01)


async def test_the_rate_probes_back_up_to_the_ceiling_and_no_further() -> None:
    time = VirtualTime()
    governor = RateGovernor(5.0, clock=time.clock, sleep=time.sleep)
    governor.on_rate_limited(await governor.acquire(), None)
    assert governor.current_rate() == pytest.approx(4.0)
    time.now += 10
    assert governor.current_rate() == pytest.approx(4.5)
    time.now += 1000
    assert governor.current_rate() == 5.0


def test_an_unlimited_governor_lets_everything_through_until_a_429() -> None:
    governor = RateGovernor(None, clock=lambda: 0.0)
    assert governor.current_rate() is None
    assert governor.ceiling is None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"rate": 0}, ValueError),
        ({"rate": math.inf}, ValueError),
        ({"rate": "5"}, TypeError),
        ({"rate": True}, TypeError),
        ({"rate": 5, "decrease": 1.0}, ValueError),
        ({"rate": 5, "increase": -1.0}, ValueError),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        RateGovernor(**kwargs)  # type: ignore[arg-type]


def test_the_repr_works_outside_an_event_loop() -> None:
    assert repr(RateGovernor(5.0)) == "RateGovernor(ceiling=5.0, base_rate=5.0)"
    assert repr(RateGovernor(None)) == "RateGovernor(ceiling=None, base_rate=None)"
