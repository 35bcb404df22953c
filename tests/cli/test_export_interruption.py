"""SIGTERM anywhere in an export ends it with exit 143 and the same message, leaving no
part file; a new run removes the part files that killed runs left behind."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli import _output, export_command
from tempo_async.cli.main import main

SANDBOX = ["worklogs", "--sandbox", "--sandbox-worklogs", "50", "-q"]


def run(args: list[str]) -> int:
    try:
        return main(["export", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0)


def sigterm_before(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, preceded by a SIGTERM to this process."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)
        return function(*args, **kwargs)

    return wrapper


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize(
    ("target", "name"),
    [
        (export_command, "make_plan"),  # before the event loop starts
        (_output.AtomicFile, "commit"),  # during the final commit
        (export_command, "save_state"),  # during the state save
    ],
    ids=["before-the-loop", "during-commit", "during-state-save"],
)
def test_sigterm_outside_the_loop_exits_143_and_leaves_no_part_file(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    target: Any,
    name: str,
) -> None:
    monkeypatch.setattr(target, name, sigterm_before(getattr(target, name)))
    out = tmp_path / "w.jsonl"
    code = run([*SANDBOX, "--state", str(tmp_path / "w.state"), "-o", str(out)])
    assert code == 143
    assert "terminated (SIGTERM)" in capsys.readouterr().err
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler was restored


def test_a_new_run_removes_part_files_of_dead_runs_only(tmp_path: Path) -> None:
    dead = tmp_path / ".w.jsonl.999999999.abcd1234.part"
    alive = tmp_path / f".w.jsonl.{os.getppid()}.efgh5678.part"
    other = tmp_path / ".other.jsonl.999999999.abcd1234.part"
    for path in (dead, alive, other):
        path.write_text("half a record")
    assert run([*SANDBOX, "-o", str(tmp_path / "w.jsonl")]) == 0
    assert not dead.exists()
    assert alive.exists() and other.exists()
    assert (tmp_path / "w.jsonl").exists()
