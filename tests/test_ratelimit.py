import asyncio
import random

import pytest

from tempo_async._ratelimit import RateLimiter


class FakeClock:
    """Virtual time: a sleep advances the clock at once, optionally oversleeping."""

    def __init__(self, lateness: float = 0.0, seed: int = 1) -> None:
        self.now = 0.0
        self.lateness = lateness
        self.random = random.Random(seed)

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.random.uniform(0.0, self.lateness)
        await asyncio.sleep(0)


class ManualClock:
    """Virtual time that only moves when the test calls `advance`."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + seconds, future))
        await future

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        for deadline, future in list(self.sleepers):
            if deadline <= self.now and not future.done():
                future.set_result(None)
        self.sleepers = [(d, f) for d, f in self.sleepers if not f.done()]
        for _ in range(5):
            await asyncio.sleep(0)


async def release_times(
    limiter: RateLimiter, clock: FakeClock | ManualClock, n: int
) -> list[float]:
    times: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        times.append(clock.time())

    await asyncio.gather(*(one() for _ in range(n)))
    return sorted(times)


def most_in_any_second(times: list[float]) -> int:
    """The largest number of releases inside any half-open one-second window."""
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def test_first_request_goes_at_once_and_the_rest_are_evenly_spaced() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    times = await release_times(limiter, clock, 6)
    assert times == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])


async def test_no_second_ever_holds_more_than_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    times = await release_times(limiter, clock, 50)
    assert most_in_any_second(times) <= 5


async def test_late_wake_ups_neither_break_the_window_nor_lose_the_rate() -> None:
    clock = FakeClock(lateness=0.03)
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    times = await release_times(limiter, clock, 200)
    assert most_in_any_second(times) <= 5
    sustained = (len(times) - 1) / (times[-1] - times[0])
    assert sustained >= 0.95 * 5


async def test_high_rate_with_late_wake_ups_sustains_95_percent() -> None:
    clock = FakeClock(lateness=0.002)
    limiter = RateLimiter(100, clock=clock.time, sleep=clock.sleep)
    times = await release_times(limiter, clock, 1000)
    assert most_in_any_second(times) <= 100
    assert (len(times) - 1) / (times[-1] - times[0]) >= 95


async def test_fractional_rate_holds_at_most_its_ceiling_per_second() -> None:
    clock = FakeClock(lateness=0.05)
    limiter = RateLimiter(2.5, clock=clock.time, sleep=clock.sleep)
    times = await release_times(limiter, clock, 40)
    assert most_in_any_second(times) <= 3
    assert (len(times) - 1) / (times[-1] - times[0]) >= 0.95 * 2.5


async def test_rate_below_one_spaces_requests_by_more_than_a_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0.5, clock=clock.time, sleep=clock.sleep)
    assert await release_times(limiter, clock, 3) == pytest.approx([0.0, 2.0, 4.0])


async def test_after_an_idle_spell_there_is_no_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    await release_times(limiter, clock, 3)
    clock.now = 10.0
    times = await release_times(limiter, clock, 3)
    assert times == pytest.approx([10.0, 10.2, 10.4])


async def test_cancelled_sleeping_waiter_takes_no_slot() -> None:
    clock = ManualClock()
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    released: dict[str, float] = {}

    async def request(name: str) -> None:
        await limiter.acquire()
        released[name] = clock.time()

    await request("a")
    b = asyncio.create_task(request("b"))
    c = asyncio.create_task(request("c"))
    await clock.advance(0.0)
    assert len(clock.sleepers) == 1  # b holds the lock and sleeps; c waits for the lock
    b.cancel()
    await clock.advance(0.0)
    await clock.advance(0.2)
    await c
    assert b.cancelled()
    assert released == {"a": 0.0, "c": pytest.approx(0.2)}


async def test_cancelled_queued_waiter_takes_no_slot_and_the_others_proceed() -> None:
    clock = ManualClock()
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    released: dict[str, float] = {}

    async def request(name: str) -> None:
        await limiter.acquire()
        released[name] = clock.time()

    tasks = {name: asyncio.create_task(request(name)) for name in "abcd"}
    await clock.advance(0.0)
    tasks["c"].cancel()
    for _ in range(3):
        await clock.advance(0.2)
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    assert tasks["c"].cancelled()
    assert released == {"a": 0.0, "b": pytest.approx(0.2), "d": pytest.approx(0.4)}


async def test_real_clock_many_concurrent_waiters() -> None:
    limiter = RateLimiter(20)
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        times.append(loop.time())

    await asyncio.gather(*(one() for _ in range(24)))
    times.sort()
    # Any 20 consecutive releases (the most one second may hold) span at least a second
    # (less a millisecond: the times are read just after the limiter's own reading).
    assert all(times[i + 20] >= times[i] + 0.999 for i in range(len(times) - 20))
    assert times[-1] - times[0] >= 23 / 20 - 0.01


@pytest.mark.parametrize("rate", [0, -1, float("inf"), float("nan")])
def test_rate_must_be_positive_and_finite(rate: float) -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        RateLimiter(rate)


@pytest.mark.parametrize("rate", ["5", True, None])
def test_rate_must_be_a_number(rate: object) -> None:
    with pytest.raises(TypeError, match="rate_limit"):
        RateLimiter(rate)  # type: ignore[arg-type]


def test_repr_shows_the_rate() -> None:
    assert repr(RateLimiter(5)) == "RateLimiter(rate=5)"
