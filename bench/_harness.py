"""What the command benchmarks share: an emulator served from a thread of the benchmark's
process, and a child process measured on its own (wall time, CPU time, peak RSS)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from tempo_async.emulator import Emulator

TOKEN = "bench"


class Served:
    """An emulator served from a thread of this process (`with Served(n) as emu:`)."""

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


@dataclass(frozen=True)
class Figures:
    """What one child process cost."""

    seconds: float
    cpu: float
    """User + system CPU seconds."""
    peak_mb: float
    """Peak resident memory."""
    last_line: str
    """The last line it wrote to stderr (a command's summary)."""


def _high_water_kb(pid: int) -> int:
    """VmHWM of `pid`: the peak RSS of its program since exec (the rusage maxrss of a
    child counts the forking parent's pages too)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(command: list[str], env: dict[str, str]) -> Figures:
    """Run `command` as a child process and measure it (SystemExit when it fails)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(child.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    peak = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _high_water_kb(child.pid))
        time.sleep(0.02)
    reader.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    err = b"".join(errors).decode()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{err}")
    lines = err.strip().splitlines()
    return Figures(
        seconds, usage.ru_utime + usage.ru_stime, peak / 1024, lines[-1] if lines else ""
    )


def tempo_async(*args: str) -> list[str]:
    """The command line of `tempo-async ARGS` in this interpreter."""
    return [sys.executable, "-m", "tempo_async.cli.main", *args]


def environment(emu: Emulator) -> dict[str, str]:
    """The environment pointing the commands at the emulator's v4 API host."""
    return {**os.environ, "TEMPO_API_TOKEN": TOKEN, "TEMPO_BASE_URL": emu.api_host}
