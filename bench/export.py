"""The exporter beside a plain exporter loop, on one emulator, in one run (issue 16).

The emulator (N worklogs, 1,000,000 by default) is served from this process. Each
exporter runs as its own process and writes JSON Lines to a file:

- the plain loop: aiohttp, 8 pages of 1000 in flight on /4/worklogs, `orjson.loads` of
  each page, `orjson.dumps` of each record to a line: the wire's speed in Python;
- `tempo-async export worklogs` (JSON Lines, then CSV, then Parquet when pyarrow is
  installed) with the same pages of 1000, 8 in flight and no rate limit.

The runs are interleaved over `--rounds` rounds (3 by default: this machine's speed
drifts by 20-40% from one minute to the next, so single runs compare poorly). Prints wall
time, CPU time and peak RSS of each run, then, from each exporter's median, each figure
against its target: jsonl within 1.25x of the loop's wall time and 1.3x of its CPU; csv
within 1.3x of jsonl; the exporter's peak RSS (jsonl, csv; the largest run) under 100 MB.
Parquet runs once, in the last round.

Run: `python bench/export.py [--worklogs N] [--rounds R]`. Prints the figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _harness import Figures, Served, environment, measure, tempo_async

PLAIN_LOOP = r"""
import asyncio, os, sys
import aiohttp, orjson

async def main(base, token, out, limit=1000, inflight=8):
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async def page(offset):
            url = f"{base}/4/worklogs?offset={offset}&limit={limit}"
            async with session.get(url) as response:
                return orjson.loads(await response.read())["results"]
        with open(out, "wb") as sink:
            offset, pending, done = 0, [], False
            while pending or not done:
                while not done and len(pending) < inflight:
                    pending.append(asyncio.ensure_future(page(offset)))
                    offset += limit
                results = await pending.pop(0)
                if len(results) < limit:
                    done = True
                    for task in pending:
                        task.cancel()
                    pending = []
                sink.write(b"".join(orjson.dumps(r) + b"\n" for r in results))

asyncio.run(main(os.environ["TEMPO_BASE_URL"], os.environ["TEMPO_API_TOKEN"], sys.argv[1]))
"""


def median_of(runs: list[Figures]) -> Figures:
    """Per measure, the median over runs (the seconds and CPU of different runs)."""
    return Figures(
        statistics.median(run.seconds for run in runs),
        statistics.median(run.cpu for run in runs),
        max(run.peak_mb for run in runs),
        "",
    )


def settle(folder: Path) -> None:
    """Between runs, outside them: remove the earlier outputs and write back every dirty
    page, so that no run pays for freeing or flushing another's hundreds of MB (on this
    VM that swung a run's system time from 0.4 to 1.9 s)."""
    for leftover in folder.iterdir():
        leftover.unlink()
    os.sync()


def verdict(value: float, target: float) -> str:
    """`value` against an upper bound."""
    return f"{value:6.2f}  (target <= {target:g}: {'met' if value <= target else 'NOT met'})"


def main() -> None:
    """Seed, run each exporter, print the figures and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worklogs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tempo-bench-export-"))
    common = ["-q", "--page-size", "1000", "--concurrency", "8", "--rate-limit", "0"]
    runs = {
        "plain loop (aiohttp + orjson)": [sys.executable, "-c", PLAIN_LOOP, str(folder / "p")],
        "tempo-async export (jsonl)": tempo_async(
            "export", "worklogs", *common, "-o", str(folder / "w.jsonl")
        ),
        "tempo-async export (csv)": tempo_async(
            "export", "worklogs", *common, "-f", "csv", "-o", str(folder / "w.csv")
        ),
    }
    if importlib.util.find_spec("pyarrow") is not None:
        runs["tempo-async export (parquet)"] = tempo_async(
            "export", "worklogs", *common, "-f", "parquet", "-o", str(folder / "w.parquet")
        )
    started = time.perf_counter()
    figures: dict[str, list[Figures]] = {name: [] for name in runs}
    with Served(options.worklogs) as emu:
        print(f"emulator: {options.worklogs:,} worklogs in {time.perf_counter() - started:.1f} s")
        print(f"{'':<32} {'wall s':>8} {'CPU s':>8} {'RSS MB':>8} {'records/s':>10}")
        for round_ in range(1, options.rounds + 1):
            for name, command in runs.items():
                if "parquet" in name and round_ < options.rounds:
                    continue
                settle(folder)
                run = measure(command, environment(emu))
                figures[name].append(run)
                rate = options.worklogs / run.seconds
                print(
                    f"{name:<32} {run.seconds:8.2f} {run.cpu:8.2f} {run.peak_mb:8.0f}"
                    f" {rate:10,.0f}  (round {round_})"
                )
    plain = median_of(figures["plain loop (aiohttp + orjson)"])
    jsonl = median_of(figures["tempo-async export (jsonl)"])
    csv = median_of(figures["tempo-async export (csv)"])
    print(f"medians of {options.rounds} rounds:")
    print("jsonl / plain loop, wall:  " + verdict(jsonl.seconds / plain.seconds, 1.25))
    print("jsonl / plain loop, CPU:   " + verdict(jsonl.cpu / plain.cpu, 1.3))
    print("csv / jsonl, wall:         " + verdict(csv.seconds / jsonl.seconds, 1.3))
    peak = max(run.peak_mb for name in runs if "parquet" not in name for run in figures[name])
    print("exporter peak RSS, MB:     " + verdict(peak, 100))
    parquet_runs = figures.get("tempo-async export (parquet)")
    if parquet_runs:
        parquet = parquet_runs[0]
        print(f"parquet / jsonl, wall:     {parquet.seconds / jsonl.seconds:6.2f}  (no target)")
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
