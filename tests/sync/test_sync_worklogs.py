"""`tempo-async sync worklogs` against the emulator, into SQLite and PostgreSQL: the table
matches the API row by row, changes made through the API (create, update, delete) are
applied, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from tempo_async.emulator import Emulator
from tempo_async.models.v4 import WorklogInput, WorklogUpdate
from tests.sync.helpers import (
    call,
    counts,
    served_emulator,
    served_v3_worklogs,
    served_v4_worklogs,
    state,
    sync,
    table,
)

WORKLOGS = 700


@pytest.fixture
def emu(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    with served_emulator(monkeypatch, worklogs=WORKLOGS, seed=15) as emulator:
        yield emulator


def test_sync_matches_the_api_then_follows_its_changes(
    emu: Emulator, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = sync(capsys, "worklogs", "--db", db_url, "--page-size", "100")
    assert code == 0, err
    assert counts(err) == {"inserted": WORKLOGS, "updated": 0, "deleted": 0, "unchanged": 0}
    assert table(db_url) == served_v4_worklogs(emu)

    rows = sorted(served_v4_worklogs(emu).values(), key=lambda r: r["tempoWorklogId"])
    changed, gone = rows[10], rows[20]
    new = WorklogInput(
        author_account_id=changed["author"]["accountId"],
        issue_id=changed["issue"]["id"],
        start_date=dt.date(2026, 2, 3),
        time_spent_seconds=5400,
        description="added after the first sync",
    )
    created = call(emu, lambda c: c.worklogs.create(new))
    update = WorklogUpdate(
        author_account_id=changed["author"]["accountId"],
        start_date=dt.date.fromisoformat(changed["startDate"]),
        time_spent_seconds=changed["timeSpentSeconds"] + 60,
        description="changed after the first sync",
    )
    call(emu, lambda c: c.worklogs.update(changed["tempoWorklogId"], update))
    call(emu, lambda c: c.worklogs.delete(gone["tempoWorklogId"]))

    code, err = sync(capsys, "worklogs", "--db", db_url)
    assert code == 0, err
    assert counts(err) == {"inserted": 1, "updated": 1, "deleted": 1, "unchanged": 0}
    rows_now = table(db_url)
    assert rows_now == served_v4_worklogs(emu)
    assert created.tempo_worklog_id in rows_now and gone["tempoWorklogId"] not in rows_now
    assert rows_now[changed["tempoWorklogId"]]["description"] == "changed after the first sync"

    code, err = sync(capsys, "worklogs", "--db", db_url)
    assert code == 0, err
    again = counts(err)
    assert again["inserted"] == again["updated"] == again["deleted"] == 0
    assert table(db_url) == served_v4_worklogs(emu)
    saved = state(db_url)
    assert saved is not None and saved["run"] is None and saved["api"] == "v4"


def test_v3_sync_reconciles_each_window(
    emu: Emulator, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = "2026-01-01", "2026-06-30"
    args = ["worklogs", "--api", "v3", "--base-url", emu.base_url, "--db", db_url]
    window = ["--from", first, "--to", last, "--page-size", "50"]
    code, err = sync(capsys, *args, *window)
    assert code == 0, err
    expected = served_v3_worklogs(emu, first, last)
    assert expected and table(db_url, api="v3") == expected
    assert counts(err)["inserted"] == len(expected)

    gone = sorted(expected)[len(expected) // 2]
    call(emu, lambda c: c.worklogs.delete(gone))
    code, err = sync(capsys, *args, *window)
    assert code == 0, err
    assert counts(err) == {
        "inserted": 0,
        "updated": 0,
        "deleted": 1,
        "unchanged": len(expected) - 1,
    }
    assert table(db_url, api="v3") == served_v3_worklogs(emu, first, last)


def test_accounts_are_mirrored(
    emu: Emulator, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = sync(capsys, "accounts", "--db", db_url)
    assert code == 0, err
    from tests.sync.helpers import served

    accounts = served(emu, f"{emu.v4_base_url}/accounts?limit=1000")
    assert accounts and table(db_url, "accounts") == accounts
    code, err = sync(capsys, "accounts", "--db", db_url)
    assert counts(err) == {"inserted": 0, "updated": 0, "deleted": 0, "unchanged": len(accounts)}


def test_a_table_is_tied_to_its_server(
    emu: Emulator, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    assert sync(capsys, "worklogs", "--db", url, "-q")[0] == 0
    code, err = sync(capsys, "worklogs", "--db", url, "--sandbox", "--sandbox-worklogs", "10")
    assert code == 2
    assert "was synced with server" in err and "another --db" in err


def test_the_sandbox_sync_then_a_second_run_changes_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TEMPO_API_TOKEN", "TEMPO_BASE_URL", "TEMPO_REGION"):
        monkeypatch.delenv(name, raising=False)
    args = ["worklogs", "--sandbox", "--sandbox-worklogs", "300", "--db", db_url]
    code, err = sync(capsys, *args)
    assert code == 0, err
    assert counts(err) == {"inserted": 300, "updated": 0, "deleted": 0, "unchanged": 0}
    rows = table(db_url)
    assert len(rows) == 300 and all("/4/worklogs/" in r["self"] for r in rows.values())
    code, err = sync(capsys, *args)
    assert code == 0, err
    assert counts(err) == {"inserted": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    assert table(db_url) == rows
