"""A sync killed mid-run (SIGKILL: no cleanup at all) resumes where it stopped, misses
nothing even when worklogs before its position were deleted in between, and a rerun
changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tempo_async.emulator import Emulator, Faults
from tests.sync.helpers import (
    TOKEN,
    call,
    counts,
    served_emulator,
    served_v4_worklogs,
    state,
    sync,
    table,
)

WORKLOGS = 900


@pytest.fixture
def emu(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    with served_emulator(monkeypatch, worklogs=WORKLOGS, seed=21) as emulator:
        yield emulator


def _kill_mid_run(
    emu: Emulator, db_url: str, past: int, signum: int = signal.SIGKILL
) -> tuple[int, str]:
    """Start a slow sync in a child process and send it `signum` once `past` worklogs are
    committed: its exit status and what it printed."""
    emu.faults = Faults(latency_ms=40)
    env = {**os.environ, "TEMPO_API_TOKEN": TOKEN, "TEMPO_BASE_URL": emu.api_host}
    command = [sys.executable, "-m", "tempo_async.cli.main", "sync", "worklogs", "-q"]
    options = ["--db", db_url, "--page-size", "25", "--concurrency", "1"]
    child = subprocess.Popen([*command, *options], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            saved = state(db_url) if _exists(db_url) else None
            if saved and saved.get("run") and saved["run"]["offset"] >= past:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the sync did not get far enough to be killed")
        child.send_signal(signum)
        status = child.wait(30)
        printed = child.stderr.read().decode() if child.stderr else ""
    finally:
        if child.poll() is None:
            child.kill()
        if child.stderr:
            child.stderr.close()
    emu.faults = Faults()
    return status, printed


def _exists(db_url: str) -> bool:
    if db_url.startswith("sqlite:///"):
        return os.path.exists(db_url.removeprefix("sqlite:///"))
    return True


def test_a_killed_sync_resumes_and_misses_nothing(
    emu: Emulator, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _kill_mid_run(emu, db_url, past=300)
    saved = state(db_url)
    assert saved is not None and saved["run"] is not None
    written = table(db_url)
    assert 300 <= len(written) < WORKLOGS
    # Deleting worklogs the killed run had already passed moves the rest back: the
    # resumed run must not skip the worklogs that moved before its saved position.
    in_order = sorted(
        served_v4_worklogs(emu).values(), key=lambda r: (r["startDate"], r["tempoWorklogId"])
    )
    for record in in_order[:40:4]:
        call(emu, lambda c, i=record["tempoWorklogId"]: c.worklogs.delete(i))

    code, err = sync(capsys, "worklogs", "--db", db_url, "--page-size", "25")
    assert code == 0, err
    assert "resumed an interrupted run" in err
    assert table(db_url) == served_v4_worklogs(emu)
    assert counts(err)["deleted"] == 10

    code, err = sync(capsys, "worklogs", "--db", db_url)
    assert code == 0, err
    again = counts(err)
    assert again["inserted"] == again["updated"] == again["deleted"] == 0
    assert state(db_url)["run"] is None  # type: ignore[index]


def test_sigterm_stops_cleanly_and_the_next_run_resumes(
    emu: Emulator, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    db_url = f"sqlite:///{tmp_path}/t.db"
    status, printed = _kill_mid_run(emu, db_url, past=100, signum=signal.SIGTERM)
    assert status == 143, printed
    assert "terminated (SIGTERM)" in printed and "run it again to resume" in printed
    assert state(db_url)["run"] is not None  # type: ignore[index]
    code, err = sync(capsys, "worklogs", "--db", db_url)
    assert code == 0, err
    assert "resumed" in err
    assert table(db_url) == served_v4_worklogs(emu)
