"""What `tempo-async sync` does with a database it cannot use, a bad `--db` or bad options:
a clear message and its own exit code, before any request, and nothing half-written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_async.emulator import Emulator
from tests.cli.test_export_command import EmulatorThread
from tests.sync.helpers import TOKEN, sync, table


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with EmulatorThread(worklogs=200, seed=3) as emulator:
        yield emulator


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> Emulator:
    for name in ("TEMPO_API_TOKEN", "TEMPO_BASE_URL", "TEMPO_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
    monkeypatch.setenv("TEMPO_BASE_URL", emu.api_host)
    emu.stats.reset()
    return emu


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("mysql://localhost/tempo", "unsupported scheme 'mysql'"),
        ("tempo.db", "is not a URL"),
        ("sqlite://tempo.db", "three slashes"),
        ("sqlite:///tempo.db?mode=ro", "no query"),
        ("postgresql://u:hunter2@localhost:notaport/db", "--db"),
        ("postgresql://localhost/a/b", "one database name"),
    ],
)
def test_a_bad_db_url_is_a_usage_error(
    env: Emulator, capsys: pytest.CaptureFixture[str], db: str, message: str
) -> None:
    code, err = sync(capsys, "worklogs", "--db", db)
    assert code == 2
    assert message in err
    assert "hunter2" not in err
    assert env.stats.requests == 0


def test_an_unreachable_database_exits_8_before_any_request(
    env: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = sync(capsys, "worklogs", "--db", "postgresql://tempo:s3cret@127.0.0.1:9/tempo")
    assert code == 8, err
    assert "cannot connect to postgresql://tempo:***@127.0.0.1:9/tempo" in err
    assert "s3cret" not in err
    assert env.stats.requests == 0


def test_a_missing_folder_exits_8(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = sync(capsys, "worklogs", "--db", f"sqlite:///{tmp_path}/no/such/t.db")
    assert code == 8
    assert "does not exist" in err
    assert not (tmp_path / "no").exists()
    assert env.stats.requests == 0


def _read_only(path: Path) -> None:
    """Make `path` read-only, for root too (root writes any file whatever its mode)."""
    path.chmod(0o444)
    if os.geteuid() != 0:
        return
    try:
        subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"running as root and this file system cannot make a file immutable: {exc}")


def test_a_read_only_file_exits_8_and_stays_as_it_was(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ro.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    _read_only(path)
    before = path.read_bytes()
    try:
        code, err = sync(capsys, "worklogs", "--db", f"sqlite:///{path}")
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False, capture_output=True)
    assert code == 8, err
    assert "readonly" in err or "read-only" in err
    assert path.read_bytes() == before
    assert env.stats.requests == 0


def test_a_foreign_table_is_never_touched(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE tempo_worklogs (id INTEGER, note TEXT)")
        conn.execute("INSERT INTO tempo_worklogs VALUES (1, 'mine')")
    conn.close()
    code, err = sync(capsys, "worklogs", "--db", f"sqlite:///{path}")
    assert code == 8
    assert "was not made by tempo-async" in err
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT * FROM tempo_worklogs").fetchall() == [(1, "mine")]
    conn.close()
    assert env.stats.requests == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["worklogs", "--api", "v3"], "v3 worklogs need --from"),
        (["holiday-schemes", "--api", "v3"], "not synced on v3"),
        (["worklogs", "--from", "2026-02-01", "--to", "2026-01-01"], "is after"),
        (["plans"], "plans needs --from, --to"),
    ],
)
def test_bad_options_exit_2(
    env: Emulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    db = tmp_path / "t.db"
    code, err = sync(capsys, *args, "--db", f"sqlite:///{db}")
    assert code == 2
    assert message in err
    assert env.stats.requests == 0


def test_an_older_layout_is_upgraded_not_dropped(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    assert sync(capsys, "worklogs", "--db", url, "-q")[0] == 0
    rows = table(url)
    # An older layout: without start_date, updated_at and _hash (what an earlier version
    # of the tool might have made), plus a column of the user's own.
    with sqlite3.connect(tmp_path / "t.db") as conn:
        conn.execute("DROP INDEX tempo_worklogs_start_date")
        for column in ("start_date", "updated_at", "_hash"):
            conn.execute(f"ALTER TABLE tempo_worklogs DROP COLUMN {column}")
        conn.execute("ALTER TABLE tempo_worklogs ADD COLUMN my_note TEXT")
        conn.execute("UPDATE tempo_worklogs SET my_note = 'kept'")
    conn.close()
    code, err = sync(capsys, "worklogs", "--db", url)
    assert code == 0, err
    assert table(url) == rows
    with sqlite3.connect(tmp_path / "t.db") as conn:
        found = conn.execute(
            "SELECT tempo_worklog_id, start_date, updated_at, my_note, _hash IS NOT NULL "
            "FROM tempo_worklogs"
        ).fetchall()
    conn.close()
    assert len(found) == len(rows)
    for key, start, updated, note, hashed in found:
        assert start == rows[key]["startDate"]
        assert updated == rows[key]["updatedAt"]
        assert note == "kept" and hashed
