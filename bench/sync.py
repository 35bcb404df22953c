"""A first full sync of N worklogs from the emulator, beside the JSONL export of the same
worklogs: the sync's target is at most 1.5x the export's time, with flat memory.

The emulator (N worklogs, 1,000,000 by default) is served from this process; each command
runs as a child process (`tempo-async export worklogs` to a file, then `tempo-async sync
worklogs` into a new database), so its time and peak memory are its own. Prints, per
command: seconds, records/s, peak RSS in MB; then the ratio of the sync to the export.
Then a second sync (nothing changed), whose time is what a nightly run costs.

Run: `python bench/sync.py [--worklogs N] [--db URL] [--page-size N] [--concurrency N]`.
`--db` defaults to a new SQLite file in a temporary folder; give a PostgreSQL URL (of a
database that may be written to, e.g. a throwaway one) to measure PostgreSQL.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tempo_async.emulator import Emulator

TOKEN = "bench"


class Served:
    """An emulator served from a thread of this process."""

    def __init__(self, worklogs: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.emulator = Emulator(worklogs=worklogs, validate_responses=False)

    def __enter__(self) -> Emulator:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.emulator.start(), self.loop).result(600)
        return self.emulator

    def __exit__(self, *exc_info: object) -> None:
        asyncio.run_coroutine_threadsafe(self.emulator.stop(), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run `tempo-async ARGS` as a child: (seconds, peak RSS in MB, sampled)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "tempo_async.cli.main", *args], env=env, stderr=subprocess.PIPE
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, _rss_kb(child.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"tempo-async {' '.join(args)} failed:\n{err}")
    print(f"    {err.strip().splitlines()[-1] if err.strip() else ''}")
    return seconds, peak / 1024


def main() -> None:
    """Seed, export, sync, sync again; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worklogs", type=int, default=1_000_000)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--page-size", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tempo-bench-sync-"))
    db = options.db or f"sqlite:///{folder / 'tempo.db'}"
    common = ["--page-size", str(options.page_size), "--concurrency", str(options.concurrency)]
    started = time.perf_counter()
    with Served(options.worklogs) as emu:
        print(f"emulator: {options.worklogs:,} worklogs in {time.perf_counter() - started:.1f} s")
        env = {**os.environ, "TEMPO_API_TOKEN": TOKEN, "TEMPO_BASE_URL": emu.api_host}
        runs = {
            "export (JSONL)": ["export", "worklogs", "-o", str(folder / "w.jsonl"), *common],
            "sync (first, full)": ["sync", "worklogs", "--db", db, *common],
            "sync (again, no changes)": ["sync", "worklogs", "--db", db, *common],
        }
        figures = {}
        for name, args in runs.items():
            print(f"{name}:")
            seconds, peak = measure(args, env)
            figures[name] = seconds
            rate = options.worklogs / seconds
            print(f"    {seconds:8.2f} s  {rate:10,.0f} records/s  peak RSS {peak:7.0f} MB")
    ratio = figures["sync (first, full)"] / figures["export (JSONL)"]
    print(f"first sync / export: {ratio:.2f}x (target: at most 1.5x) into {db}")
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
