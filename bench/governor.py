"""The adaptive rate governor against a server limiting at 5 requests/second.

Runs the emulator in this process with a token-bucket rate limit of 5 r/s (429 with
`Retry-After` beyond it) and 8 concurrent workers reading worklogs through one v4 client,
for each client setting: a rate limit too high (6 and 10 r/s), none, and right (5 r/s).
Prints, after the first 10 s: the sustained rate of accepted requests and the share of
requests answered 429, with the targets beside them (>= 95% of 5 r/s; <= 2% 429s; none
when the limit is right), and the governor's rate at the end.

Run: `python bench/governor.py [--seconds 40]`. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from tempo_async.emulator import Emulator, Faults
from tempo_async.v4 import TempoClient

SERVER_RATE = 5.0
WARM_UP = 10.0


async def scenario(emu: Emulator, rate_limit: float | None, seconds: float) -> None:
    """Run 8 workers for `seconds` and print what the server accepted and refused."""
    emu.faults = Faults()
    await asyncio.sleep(1.5)  # let the server's bucket refill
    emu.faults = Faults(rate_limit=SERVER_RATE)
    ids = sorted(emu.state.worklogs.by_id)[:500]
    accepted: list[float] = []
    async with TempoClient(
        "bench", base_url=emu.api_host, rate_limit=rate_limit, max_retries=50, retry_budget=600
    ) as client:
        started = time.monotonic()
        deadline = started + seconds
        limited_at_warm_up = 0

        async def worker(n: int) -> None:
            i = n
            while time.monotonic() < deadline:
                await client.worklogs.get(ids[i % len(ids)])
                accepted.append(time.monotonic() - started)
                i += 8

        async def mark_warm_up() -> None:
            nonlocal limited_at_warm_up
            await asyncio.sleep(WARM_UP)
            limited_at_warm_up = client.rate_limited

        await asyncio.gather(mark_warm_up(), *(worker(n) for n in range(8)))
        late = [t for t in accepted if t >= WARM_UP]
        limited = client.rate_limited - limited_at_warm_up
        span = max(t for t in accepted) - WARM_UP if late else 1.0
        sustained = len(late) / span
        share = limited / max(1, len(late) + limited)
        name = "none" if rate_limit is None else f"{rate_limit:g} r/s"
        print(
            f"client rate_limit {name:>8}: {sustained:5.2f} r/s sustained "
            f"({sustained / SERVER_RATE:6.1%} of the server's; target >= 95%), "
            f"{limited:3d} x 429 = {share:5.1%} (target <= 2%{', none' if rate_limit == SERVER_RATE else ''}); "
            f"governor at {client.current_rate or float('inf'):.2f} r/s"
        )
    emu.faults = Faults()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()
    async with Emulator(worklogs=1000, seed=1, validate_responses=False) as emu:
        for rate_limit in (6.0, 10.0, None, SERVER_RATE):
            await scenario(emu, rate_limit, args.seconds)


if __name__ == "__main__":
    asyncio.run(main())
