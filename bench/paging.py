"""Concurrent page fetching against the emulator with injected latency.

Starts `tempo-async emulator` in a subprocess (its own core) with 40,000+ worklogs and
100-150 ms of latency per request, then measures in one run:

- the sequential walk (concurrency 1) against the concurrent one (concurrency 8);
- `.raw()` against a minimal hand-written aiohttp loop doing the same concurrent,
  speculative requests (the practical limit);
- the typed path (`async for` building models).

Run: `python bench/paging.py [--worklogs N] [--concurrency C] [--rounds R]`. Prints the
figures; asserts nothing. Targets (issue 4): concurrency 8 at least 3.5x faster than
sequential; `.raw()` within 1.3x of the hand-written loop; typed within 2x. Issue 16:
the concurrent walk sends at most one request per concurrent slot past the last page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from tempo_async import TempoClient

TOKEN = "bench-token"
LIMIT = 1000


def start_emulator(
    worklogs: int, latency_ms: float, jitter_ms: float
) -> tuple[subprocess.Popen[str], str]:
    """Start the emulator CLI on a free port; return the process and its base URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tempo_async.cli.main",
            "emulator",
            "--port",
            "0",
            "--worklogs",
            str(worklogs),
            "--seed",
            "7",
            "--latency-ms",
            str(latency_ms),
            "--jitter-ms",
            str(jitter_ms),
            "--no-validate-responses",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    if not base_url.startswith("http"):
        process.kill()
        raise SystemExit(f"the emulator did not start (printed {base_url!r})")
    return process, base_url


async def hand_written(base_url: str, concurrency: int) -> int:
    """The practical limit: speculative offsets, a window of `concurrency`, in order."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def fetch(offset: int) -> Any:
            params = {"offset": str(offset), "limit": str(LIMIT)}
            async with session.get(f"{base_url}/worklogs", params=params) as response:
                response.raise_for_status()
                return json.loads(await response.read())

        window: deque[asyncio.Task[Any]] = deque()
        next_offset = 0
        count = 0
        while True:
            while len(window) < concurrency:
                window.append(asyncio.ensure_future(fetch(next_offset)))
                next_offset += LIMIT
            page = await window.popleft()
            for _item in page["results"]:
                count += 1
            if "next" not in page["metadata"]:
                for task in window:
                    task.cancel()
                await asyncio.gather(*window, return_exceptions=True)
                return count


#: Requests the last `client_raw` walk sent (for the overshoot figure).
SENT: list[int] = []


async def client_raw(base_url: str, concurrency: int) -> int:
    """`.raw()`: the server's dicts, no models."""
    async with TempoClient(
        TOKEN, base_url=base_url, rate_limit=None, connection_limit=concurrency
    ) as tempo:
        count = 0
        async for _item in tempo.worklogs.list(concurrency=concurrency).raw():
            count += 1
        SENT.append(tempo.requests_sent)
        return count


async def client_typed(base_url: str, concurrency: int) -> int:
    """`async for`: attrs models."""
    async with TempoClient(
        TOKEN, base_url=base_url, rate_limit=None, connection_limit=concurrency
    ) as tempo:
        count = 0
        async for _worklog in tempo.worklogs.list(concurrency=concurrency):
            count += 1
        return count


async def timed(run: Callable[[], Awaitable[int]], rounds: int) -> tuple[float, int]:
    """Median wall time of `rounds` runs, and the record count (checked equal across runs)."""
    times: list[float] = []
    counts: set[int] = set()
    for _ in range(rounds):
        start = time.perf_counter()
        counts.add(await run())
        times.append(time.perf_counter() - start)
    if len(counts) != 1:
        raise SystemExit(f"runs disagree on the record count: {sorted(counts)}")
    return statistics.median(times), counts.pop()


async def measure(base_url: str, concurrency: int, rounds: int) -> None:
    """Run every variant and print the table."""
    sequential, n = await timed(lambda: client_raw(base_url, 1), 1)
    concurrent, n2 = await timed(lambda: client_raw(base_url, concurrency), rounds)
    overshoot = max(SENT[1:]) - max(1, -(-n2 // LIMIT))  # requests beyond the pages needed
    limit, n3 = await timed(lambda: hand_written(base_url, concurrency), rounds)
    typed, n4 = await timed(lambda: client_typed(base_url, concurrency), rounds)
    if len({n, n2, n3, n4}) != 1:
        raise SystemExit(f"variants disagree on the record count: {n}, {n2}, {n3}, {n4}")
    print(f"records: {n:,} in pages of {LIMIT}; concurrency {concurrency}; median of {rounds} runs")
    print(f"sequential .raw() (concurrency 1): {sequential:7.2f} s  {n / sequential:9,.0f} rec/s")
    print(f"concurrent .raw():                 {concurrent:7.2f} s  {n / concurrent:9,.0f} rec/s")
    print(f"hand-written aiohttp loop:         {limit:7.2f} s  {n / limit:9,.0f} rec/s")
    print(f"typed (async for, models):         {typed:7.2f} s  {n / typed:9,.0f} rec/s")
    print(f"speed-up concurrent vs sequential: {sequential / concurrent:5.2f}x   (target >= 3.5x)")
    print(f".raw() / hand-written loop:        {concurrent / limit:5.2f}x   (target <= 1.3x)")
    print(f"typed / hand-written loop:         {typed / limit:5.2f}x   (target <= 2x)")
    print(
        f"requests past the last page:       {overshoot:5d}    "
        f"(target <= {concurrency}, one a concurrent slot; worst of {rounds} runs)"
    )


def main() -> None:
    """Parse arguments, start the emulator, measure, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--worklogs", type=int, default=40_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--jitter-ms", type=float, default=50.0)
    args = parser.parse_args()
    process, base_url = start_emulator(args.worklogs, args.latency_ms, args.jitter_ms)
    try:
        print(
            f"emulator: {base_url}, latency {args.latency_ms:.0f}-{args.latency_ms + args.jitter_ms:.0f} ms"
        )
        asyncio.run(measure(base_url, args.concurrency, args.rounds))
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
