"""How lean the emulator is: memory, seeding time, and pages of 1000 (v3) / 5000 (v4).

Seeds an in-process `Emulator` (1,000,000 worklogs by default), then requests pages over
loopback with an aiohttp client in the same process (one core for both) and prints, per
scenario, the latency of a request (p50 / p95 / max, in ms) and the size of a page.
Targets (issue 16), with 1,000,000 worklogs: under 300 MB resident, seeded in under 3 s,
a v3 page of 1000 in under 10 ms and a v4 page of 5000 in under 40 ms at any offset
(the p95 of each scenario is held to them; a first request that builds a cached
selection shows in the max).

Run: `python bench/emulator.py [--worklogs N] [--requests R] [--no-validate-responses]`.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

import aiohttp

from tempo_async.emulator import Emulator
from tempo_async.emulator.v3.worklog_store import Source

LIMIT = 1000


SEED_TARGET_S = 3.0
RSS_TARGET_MB = 300
V3_TARGET_MS = 10.0
V4_TARGET_MS = 40.0


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process (`VmRSS`, or the peak: `VmHWM`), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def verdict(value: float, target: float) -> str:
    """`(target < T: met)` or `(... NOT met)`."""
    return f"(target < {target:g}: {'met' if value < target else 'NOT met'})"


async def timed(session: aiohttp.ClientSession, url: str) -> tuple[float, int, int]:
    """(milliseconds, status, body bytes) of one GET."""
    started = time.perf_counter()
    async with session.get(url) as response:
        body = await response.read()
    return (time.perf_counter() - started) * 1000, response.status, len(body)


async def scenario(
    session: aiohttp.ClientSession,
    name: str,
    urls: Callable[[int], str],
    requests: int,
    target: float = V3_TARGET_MS,
) -> None:
    """Run `requests` requests of one kind and print their latency (p95 against `target`)."""
    times, sizes = [], []
    for n in range(requests):
        elapsed, status, size = await timed(session, urls(n))
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status} for {urls(n)}")
        times.append(elapsed)
        sizes.append(size)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{name:<52} {statistics.median(times):7.1f} {p95:7.1f} {times[-1]:7.1f}"
        f" {statistics.mean(sizes) / 1024:8.0f}  {verdict(p95, target)}"
    )


def page_urls(base: str, path: str, pages: int) -> Callable[[int], str]:
    """URL of the i-th page request: full pages of `path`, cycling through `pages` offsets."""
    return lambda i: f"{base}{path}offset={(i * LIMIT) % pages}&limit={LIMIT}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worklogs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="requests per scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-validate-responses", dest="validate", action="store_false")
    args = parser.parse_args()

    started = time.perf_counter()
    emulator = Emulator(worklogs=args.worklogs, seed=args.seed, validate_responses=args.validate)
    await emulator.start()
    seed_seconds = time.perf_counter() - started
    state = emulator.state
    seeded_rss = rss_mb()
    print(
        f"seeded {len(state.worklogs):,} worklogs, {len(state.users)} users, {len(state.teams)} "
        f"teams, {len(state.issues)} issues; response validation "
        f"{'on (sampled pages)' if args.validate else 'off'}\n"
        f"seed time   {seed_seconds:6.2f} s   {verdict(seed_seconds, SEED_TARGET_S)}\n"
        f"RSS seeded  {seeded_rss:6.0f} MB  {verdict(seeded_rss, RSS_TARGET_MB)}"
    )
    base = emulator.base_url
    store = state.worklogs
    total = len(store)
    rng = random.Random(0)
    today = state.today()
    month_from = (today - timedelta(days=120)).replace(day=1).isoformat()
    month_to = (today - timedelta(days=90)).isoformat()
    user = max(store.indexes["author"], key=lambda k: len(store.indexes["author"][k]))
    team_id = min(state.teams)
    team = [
        Source("author", m["accountId"], m.get("from"), m.get("to"))
        for m in state.memberships_of_team(team_id)
    ]
    updated_from = (today - timedelta(days=30)).isoformat()
    # (name, path and query, how many worklogs it selects): pages cycle through full pages
    lists = [
        ("GET /worklogs, walking from offset 0", "/worklogs?", total),
        (
            f"GET /worklogs?from={month_from}&to={month_to}",
            f"/worklogs?from={month_from}&to={month_to}&",
            len(store.select(None, from_=month_from, to=month_to)),
        ),
        (
            "GET /worklogs/project/PLAT",
            "/worklogs/project/PLAT?",
            len(store.indexes["project"]["PLAT"]),
        ),
        (
            "GET /worklogs/user/{busiest user}",
            f"/worklogs/user/{user}?",
            len(store.indexes["author"][user]),
        ),
        (
            f"GET /worklogs/team/{team_id} (1st builds the cache)",
            f"/worklogs/team/{team_id}?",
            len(store.select(team)),
        ),
        (
            f"GET /worklogs?updatedFrom={updated_from} (1st request)",
            f"/worklogs?updatedFrom={updated_from}&",
            len(store.select(None, updated_from=updated_from)),
        ),
    ]
    headers = {"Authorization": "Bearer bench"}
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
        await timed(session, f"{base}/worklogs?limit={LIMIT}")
        print(
            f"{'scenario (page of 1000 unless noted)':<52} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'max ms':>7} {'KiB':>8}"
        )
        n = args.requests
        for name, path, selected in lists:
            pages = max(1, selected - LIMIT + 1)
            await scenario(session, f"{name} [{selected:,}]", page_urls(base, path, pages), n)
        await scenario(
            session,
            "GET /worklogs, random deep offsets",
            lambda i: (
                f"{base}/worklogs?offset={rng.randrange(0, max(1, total - LIMIT))}&limit={LIMIT}"
            ),
            n,
        )
        await scenario(
            session,
            "GET /worklogs/{id} (single worklog)",
            lambda i: f"{base}/worklogs/{rng.randrange(1, total + 1)}",
            n,
        )
        v4 = emulator.v4_base_url
        v4_limit = 5000
        print(f"API v4, pages of {v4_limit}")
        await scenario(
            session,
            "GET /4/worklogs?limit=5000, walking from offset 0",
            lambda i: (
                f"{v4}/worklogs?offset={(i * v4_limit) % max(1, total - v4_limit)}&limit={v4_limit}"
            ),
            n,
            V4_TARGET_MS,
        )
        await scenario(
            session,
            "GET /4/worklogs?limit=5000, random deep offsets",
            lambda i: (
                f"{v4}/worklogs?offset={rng.randrange(0, max(1, total - v4_limit))}&limit={v4_limit}"
            ),
            n,
            V4_TARGET_MS,
        )
        await scenario(
            session,
            "GET /4/worklogs?orderBy=UPDATED (1st sorts, then kept)",
            lambda i: (
                f"{v4}/worklogs?orderBy=UPDATED&offset={rng.randrange(0, max(1, total - v4_limit))}"
                f"&limit={v4_limit}"
            ),
            n,
            V4_TARGET_MS,
        )
    peak = rss_mb("VmHWM")
    print(f"peak RSS    {peak:6.0f} MB  {verdict(peak, RSS_TARGET_MB)} (after every scenario)")
    await emulator.stop()


if __name__ == "__main__":
    asyncio.run(main())
