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
import tempfile
import time
from pathlib import Path

from _harness import Served, environment, measure, tempo_async


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
        env = environment(emu)
        runs = {
            "export (JSONL)": ["export", "worklogs", "-o", str(folder / "w.jsonl"), *common],
            "sync (first, full)": ["sync", "worklogs", "--db", db, *common],
            "sync (again, no changes)": ["sync", "worklogs", "--db", db, *common],
        }
        figures = {}
        for name, args in runs.items():
            print(f"{name}:")
            run = measure(tempo_async(*args), env)
            print(f"    {run.last_line}")
            figures[name] = run.seconds
            rate = options.worklogs / run.seconds
            print(
                f"    {run.seconds:8.2f} s  {rate:10,.0f} records/s  peak RSS {run.peak_mb:7.0f} MB"
            )
    ratio = figures["sync (first, full)"] / figures["export (JSONL)"]
    print(f"first sync / export: {ratio:.2f}x (target: at most 1.5x) into {db}")
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
