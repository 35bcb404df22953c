"""`tempo-async export` on API v4, the default: in-process runs against the emulator."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli.main import main
from tempo_async.emulator import Emulator, Faults
from tests.cli.test_export_command import EmulatorThread, get_json

TOKEN = "test-token"
WORKLOGS = 1500


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with EmulatorThread(worklogs=WORKLOGS, seed=11) as emulator:
        yield emulator


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> Emulator:
    for name in ("TEMPO_API_TOKEN", "TEMPO_BASE_URL", "TEMPO_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
    monkeypatch.setenv("TEMPO_BASE_URL", emu.api_host)
    emu.faults = Faults()
    return emu


def served_v4(emu: Emulator, query: str = "") -> list[Any]:
    """Every worklog the emulator serves at /4/worklogs (following its next links)."""
    url: str | None = f"{emu.v4_base_url}/worklogs?limit=5000{query}"
    records: list[Any] = []
    while url:
        page = get_json(emu, url)
        records.extend(page["results"])
        url = page["metadata"].get("next")
    return records


def lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_default_export_speaks_v4(env: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "w.jsonl"
    assert run(["worklogs", "-q", "--page-size", "400", "-o", str(out)]) == 0
    records = lines(out)
    assert records == served_v4(env)
    assert len(records) == WORKLOGS
    assert "key" not in records[0]["issue"] and "jiraWorklogId" not in records[0]


def test_the_sandbox_serves_v4_by_default(tmp_path: Path) -> None:
    out = tmp_path / "w.jsonl"
    assert run(["worklogs", "--sandbox", "--sandbox-worklogs", "300", "-q", "-o", str(out)]) == 0
    records = lines(out)
    assert len(records) == 300
    assert "/4/worklogs/" in records[0]["self"]


def test_v4_filters_reach_the_server(env: Emulator, tmp_path: Path) -> None:
    project_id = next(iter(env.state.projects.values()))["id"]
    out = tmp_path / "p.jsonl"
    code = run(
        [
            "worklogs",
            "-q",
            "--project-id",
            str(project_id),
            "--from",
            "2026-01-01",
            "--updated-from",
            "2020-01-01T00:00:00Z",
            "--order-by",
            "ID",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    expected = served_v4(env, f"&projectId={project_id}&from=2026-01-01&orderBy=ID")
    assert lines(out) == expected
    assert [r["tempoWorklogId"] for r in expected] == sorted(
        (r["tempoWorklogId"] for r in expected), reverse=True
    )


def test_an_export_under_faults_loses_and_duplicates_nothing(env: Emulator, tmp_path: Path) -> None:
    env.faults = Faults(error_rate=0.15, error_statuses=(500, 502, 503), rate_limit=40.0, seed=5)
    out = tmp_path / "f.jsonl"
    code = run(
        [
            "worklogs",
            "-q",
            "--page-size",
            "100",
            "--max-retries",
            "8",
            "--concurrency",
            "4",
            "-o",
            str(out),
        ]
    )
    env.faults = Faults()
    assert code == 0
    ids = [r["tempoWorklogId"] for r in lines(out)]
    assert len(ids) == len(set(ids)) == WORKLOGS
    assert ids == [r["tempoWorklogId"] for r in served_v4(env)]


def test_deleted_worklogs_come_from_the_audit_log(env: Emulator, tmp_path: Path) -> None:
    victim = sorted(env.state.worklogs.by_id)[-1]
    request = urllib.request.Request(
        f"{env.v4_base_url}/worklogs/{victim}",
        method="DELETE",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
    out = tmp_path / "d.jsonl"
    code = run(["deleted-worklogs", "-q", "--updated-from", "2020-01-01", "-o", str(out)])
    assert code == 0
    assert str(victim) in [r["tempoWorklogId"] for r in lines(out)]


def run(args: list[str]) -> int:
    """`tempo-async export ARGS` in this process; its exit code (argparse's 2 included)."""
    try:
        return main(["export", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["worklogs", "--project", "PLAT"], "--project is a v3 option"),
        (["worklogs", "--page-size", "5001"], "at most 5000"),
        (["worklogs", "--api", "v3", "--page-size", "2000"], "at most 1000 on v3"),
        (["worklogs", "--api", "v3", "--region", "eu"], "--region"),
        (["periods", "--from", "2026-01-01", "--to", "2026-01-31"], "--api v3"),
        (["deleted-worklogs"], "needs --updated-from"),
        (["worklogs", "--updated-from", "2026-01-01T10:00:00"], "zone"),
        (["worklogs", "--api", "v3", "--updated-from", "2026-01-01T10:00:00Z"], "by day"),
        (
            [
                "plans",
                "--from",
                "2026-01-01",
                "--to",
                "2026-01-31",
                "--updated-from",
                "2026-01-01T10:00:00Z",
            ],
            "plans filters --updated-from by day",
        ),
        (["worklogs", "--api", "v3", "--project-id", "1"], "--project-id does not apply"),
    ],
)
def test_bad_usage_exits_2_before_any_request(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    requests_before = env.stats.requests
    assert run([*args, "-o", str(tmp_path / "x.jsonl")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()
    assert env.stats.requests == requests_before


def test_a_retired_v3_api_answering_410_says_how_to_switch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with EmulatorThread(worklogs=0) as gone:
        gone.faults = Faults(error_rate=1.0, error_statuses=(410,))
        monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
        code = run(
            [
                "worklogs",
                "--api",
                "v3",
                "--base-url",
                gone.base_url,
                "-q",
                "-o",
                str(tmp_path / "o"),
            ]
        )
    assert code == 6
    err = capsys.readouterr().err
    assert "410" in err and "tempo_async.v4.TempoClient" in err


def test_holiday_schemes_are_written_as_the_server_sent_them(env: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "h.jsonl"
    assert run(["holiday-schemes", "-q", "-o", str(out)]) == 0
    served = get_json(env, f"{env.v4_base_url}/holiday-schemes")["results"]
    assert lines(out) == served and served
