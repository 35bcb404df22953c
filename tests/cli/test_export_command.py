"""End to end: `tempo-async export` against the emulator.

The emulator runs in a thread of the test process. An export runs in this process with
its own environment and captured streams (`run_in_process`), or as a real
`python -m tempo_async.cli.main export ...` process where a process is what is tested
(signals, resource limits, a terminal, a closed pipe). What the emulator serves is read
back with plain HTTP (no tempo-async code) to compare with.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import fcntl
import io
import json
import os
import pty
import re
import resource
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli._formats import flatten, schema_columns
from tempo_async.emulator import Emulator, Faults

ENTRY = [sys.executable, "-m", "tempo_async.cli.main", "export", "--api", "v3"]
"""The v3 exporter (these tests predate v4; tests/cli/test_export_v4.py covers v4)."""
WORKLOGS = 2500
TOKEN = "test-token"


class EmulatorThread:
    """An `Emulator` served by an event loop in a background thread."""

    def __init__(self, **kwargs: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.emulator = Emulator(**kwargs)

    def __enter__(self) -> Emulator:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.emulator.start(), self.loop).result(60)
        return self.emulator

    def __exit__(self, *exc_info: object) -> None:
        asyncio.run_coroutine_threadsafe(self.emulator.stop(), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with EmulatorThread(worklogs=WORKLOGS, seed=6) as emulator:
        yield emulator


@pytest.fixture
def faults(emu: Emulator) -> Iterator[Faults]:
    """The emulator's faults, reset to none after the test."""
    emu.faults = Faults()
    yield emu.faults
    emu.faults = Faults()


def environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEMPO_")}
    env.update(extra)
    return env


def emu_env(emu: Emulator) -> dict[str, str]:
    return environment(TEMPO_API_TOKEN=TOKEN, TEMPO_BASE_URL=emu.base_url)


def export(
    *args: str | Path, env: dict[str, str], timeout: float = 60, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """`tempo-async export --api v3 ARGS` with the environment `env`: in this process
    (about 1 s less per run than a new interpreter), or as a child process when `kwargs`
    ask for what only a process has (`preexec_fn`, other streams)."""
    if kwargs:
        return subprocess.run(
            [*ENTRY, *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **kwargs,
        )
    return run_in_process(["export", "--api", "v3", *map(str, args)], env)


def run_in_process(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `tempo-async ARGV` in this process as a child would run: its environment
    exactly `env`, its standard output (the Python stream and file descriptor 1) and its
    standard error captured, SystemExit turned into the exit status."""
    from tempo_async.cli.main import main

    saved_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    text_err = io.StringIO()
    sys.stdout.flush()
    saved_fd = os.dup(1)
    with tempfile.TemporaryFile() as fd_out:
        os.dup2(fd_out.fileno(), 1)
        try:
            with (
                open(1, "w", encoding="utf-8", closefd=False) as stdout,
                contextlib.redirect_stdout(stdout),
                contextlib.redirect_stderr(text_err),
            ):
                try:
                    code = main(argv)
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os.dup2(saved_fd, 1)
            os.close(saved_fd)
            os.environ.clear()
            os.environ.update(saved_env)
        fd_out.seek(0)
        written = fd_out.read().decode("utf-8", "backslashreplace")
    return subprocess.CompletedProcess(argv, code, written, text_err.getvalue())


def get_json(emu: Emulator, url: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def served_worklogs(emu: Emulator, path: str = "/worklogs", query: str = "") -> list[Any]:
    """Every worklog the emulator serves at `path`, page by page, as JSON."""
    url: str | None = f"{emu.base_url}{path}?limit=1000{query}"
    records: list[Any] = []
    while url:
        page = get_json(emu, url)
        records.extend(page["results"])
        url = page["metadata"].get("next")
    return records


def jsonl(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip(), "a failure must say what went wrong"


def no_output_left(directory: Path) -> bool:
    return not any(directory.iterdir())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- exports that succeed ------------------------------------------------------------


def test_sandbox_export_works_without_credentials(tmp_path: Path) -> None:
    out = tmp_path / "worklogs.jsonl"
    result = export(
        "worklogs", "--sandbox", "--sandbox-worklogs", "1500", "--output", out, env=environment()
    )
    assert result.returncode == 0, result.stderr
    records = jsonl(out)
    assert len(records) == 1500
    assert len({record["tempoWorklogId"] for record in records}) == 1500
    assert "sandbox" in result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("tempo-async: exported 1,500 worklogs in 2 pages (")
    assert "0 retries" in summary and " s, " in summary
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    assert sorted(path.name for path in tmp_path.iterdir()) == ["worklogs.jsonl"]


def test_jsonl_is_exactly_what_the_emulator_serves(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "w.jsonl"
    result = export("worklogs", "-o", out, "--page-size", "700", env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    expected = served_worklogs(emu)
    assert len(expected) == WORKLOGS
    assert jsonl(out) == expected
    assert "in 4 pages" in result.stderr


def test_csv_is_the_flattened_records_under_the_schema_header(
    emu: Emulator, tmp_path: Path
) -> None:
    out = tmp_path / "w.csv"
    result = export("worklogs", "--format", "csv", "-o", out, env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert tuple(header[: len(schema_columns("Worklog"))]) == schema_columns("Worklog")
    expected = served_worklogs(emu)
    assert [dict(zip(header, row, strict=True)) for row in body] == [
        {name: flatten(record).get(name, "") for name in header} for record in expected
    ]


def test_worklog_filters_select_the_same_records_as_the_api(emu: Emulator) -> None:
    project = served_worklogs(emu)[0]["issue"]["key"].split("-")[0]
    result = export("worklogs", "--project", project, "--from", "2000-01-01", env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == served_worklogs(emu, query=f"&project={project}&from=2000-01-01")
    assert 0 < len(lines) < WORKLOGS


def test_user_selects_the_user_path_operation(emu: Emulator) -> None:
    account_id = served_worklogs(emu)[0]["author"]["accountId"]
    result = export("worklogs", "--user", account_id, env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == served_worklogs(emu, f"/worklogs/user/{account_id}")
    assert {line["author"]["accountId"] for line in lines} == {account_id}


@pytest.mark.parametrize(
    ("option", "path"),
    [("--team", "/worklogs/team/"), ("--account", "/worklogs/account/"),
     ("--jira-filter", "/worklogs/jira/filter/")],
)  # fmt: skip
def test_team_account_and_jira_filter_select_their_path_operation(
    emu: Emulator, option: str, path: str
) -> None:
    value = {
        "--team": str(next(iter(emu.state.teams))),
        "--account": next(iter(emu.state.accounts)),
        "--jira-filter": next(iter(emu.state.jira_filters)),
    }[option]
    result = export("worklogs", option, value, "--from", "2000-01-01", env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == served_worklogs(emu, path + value, "&from=2000-01-01")
    assert lines


UNPAGED = [
    ("accounts", "/accounts", "results", []),
    ("account-categories", "/account-categories", "results", []),
    ("account-category-types", "/account-category-types", "results", []),
    ("customers", "/customers", "results", []),
    ("teams", "/teams", "results", []),
    ("roles", "/roles", "results", []),
    ("programs", "/programs", "results", []),
    ("work-attributes", "/work-attributes", "results", []),
    ("timesheet-approvals", "/timesheet-approvals/waiting", "results", []),
    (
        "periods",
        "/periods?from=2026-01-01&to=2026-06-30",
        "periods",
        ["--from", "2026-01-01", "--to", "2026-06-30"],
    ),
]


@pytest.mark.parametrize(("resource_name", "path", "key", "options"), UNPAGED)
def test_every_unpaged_resource_exports_the_served_records(
    emu: Emulator, resource_name: str, path: str, key: str, options: list[str]
) -> None:
    result = export(resource_name, *options, env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    expected = get_json(emu, emu.base_url + path)[key]
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected


@pytest.mark.parametrize("resource_name", ["plans", "user-schedule"])
def test_user_resources_export_the_served_records(emu: Emulator, resource_name: str) -> None:
    account_id = next(iter(emu.state.plans.values()))["accountId"]
    dates = ["--from", "2025-01-01", "--to", "2027-12-31"]
    result = export(resource_name, "--user", account_id, *dates, env=emu_env(emu))
    assert result.returncode == 0, result.stderr
    api_path = "/plans/user" if resource_name == "plans" else "/user-schedule"
    url = f"{emu.base_url}{api_path}/{account_id}?from=2025-01-01&to=2027-12-31"
    expected = get_json(emu, url)["results"]
    assert expected
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected


def test_retries_are_reported_and_the_export_stays_exact(
    emu: Emulator, faults: Faults, tmp_path: Path
) -> None:
    faults.error_statuses = (503,)
    faults.error_rate = 0.25
    out = tmp_path / "w.jsonl"
    result = export(
        "worklogs", "--page-size", "250", "--max-retries", "8", "--rate-limit", "0", "-o", out,
        env=emu_env(emu),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "tempo-async: warning: GET /core/3/worklogs failed (503); retry 1 of 8" in result.stderr
    retries = result.stderr.count("tempo-async: warning:")
    assert f" {retries} retries)" in result.stderr or f" {retries} retry)" in result.stderr
    faults.error_rate = 0.0
    assert jsonl(out) == served_worklogs(emu)


def test_a_terminal_gets_a_progress_bar_that_gives_way_to_the_summary(
    emu: Emulator, faults: Faults, tmp_path: Path
) -> None:
    faults.latency_ms = 60
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    with subprocess.Popen(
        [
            *ENTRY,
            "worklogs",
            "--page-size",
            "100",
            "--concurrency",
            "1",
            "--rate-limit",
            "0",
            "-o",
            str(tmp_path / "w"),
        ],
        env=emu_env(emu),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    ) as process:
        os.close(terminal)
        drawn = b""
        with contextlib.suppress(OSError):  # EIO once the process has exited
            while chunk := os.read(controller, 65536):
                drawn += chunk
        assert process.wait(30) == 0
    os.close(controller)
    text = drawn.decode()
    assert "\rexporting worklogs: " in text
    assert " pages [00:0" in text and " records/s]" in text
    assert re.search(r"\r +\rtempo-async: exported 2,500 worklogs in 25 pages", text)


def test_quiet_prints_nothing_on_success(emu: Emulator, tmp_path: Path) -> None:
    result = export("roles", "--quiet", "-o", tmp_path / "roles.csv", "-f", "csv", env=emu_env(emu))
    assert result.returncode == 0
    assert result.stderr == ""
    assert (tmp_path / "roles.csv").read_bytes().startswith(b"self,id,name,default,extra\r\n")


def test_token_file_replaces_the_environment(emu: Emulator, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    env = environment(TEMPO_BASE_URL=emu.base_url)
    result = export("roles", "--token-file", token_file, env=env)
    assert result.returncode == 0, result.stderr


# -- incremental export ------------------------------------------------------------------


def send(emu: Emulator, method: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        emu.base_url + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def own_emu() -> Iterator[Emulator]:
    """An emulator of its own, for a test that changes the data."""
    with EmulatorThread(worklogs=800, seed=7) as emulator:
        yield emulator


def test_incremental_export_writes_only_what_changed(own_emu: Emulator, tmp_path: Path) -> None:
    emu = own_emu
    state = tmp_path / "nightly.state"
    first, second, third = (tmp_path / f"run{n}.jsonl" for n in (1, 2, 3))
    env = emu_env(emu)

    result = export("worklogs", "--state", state, "-o", first, env=env)
    assert result.returncode == 0, result.stderr
    assert len(jsonl(first)) == 800
    saved = json.loads(state.read_text())
    assert saved["highWater"] == max(r["updatedAt"] for r in jsonl(first))
    assert saved["seen"]

    result = export("worklogs", "--state", state, "-o", second, env=env)
    assert result.returncode == 0, result.stderr
    assert jsonl(second) == []
    assert "already exported and skipped" in result.stderr

    template = jsonl(first)[0]
    body = {
        "issueKey": template["issue"]["key"],
        "timeSpentSeconds": 1234,
        "startDate": template["startDate"],
        "startTime": template["startTime"],
        "description": "changed by the incremental test",
        "authorAccountId": template["author"]["accountId"],
    }
    updated = send(emu, "PUT", f"/worklogs/{template['tempoWorklogId']}", body)
    created = send(emu, "POST", "/worklogs", {**body, "description": "new"})

    result = export("worklogs", "--state", state, "-o", third, env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(jsonl(third), key=lambda r: r["tempoWorklogId"]) == sorted(
        [updated, created], key=lambda r: r["tempoWorklogId"]
    )


def test_a_state_file_of_another_selection_is_a_usage_error(emu: Emulator, tmp_path: Path) -> None:
    state = tmp_path / "s.state"
    assert (
        export("worklogs", "--state", state, "-o", tmp_path / "a", env=emu_env(emu)).returncode == 0
    )
    before = state.read_text()
    result = export(
        "worklogs", "--state", state, "--project", "PLAT", "-o", tmp_path / "b", env=emu_env(emu)
    )
    assert_clean_failure(result, 2)
    assert "another export" in result.stderr
    assert state.read_text() == before
    assert not (tmp_path / "b").exists()


# -- failures: exit code, one message, nothing left --------------------------------------


def test_help_documents_the_exit_codes() -> None:
    result = export("--help", env=environment())
    assert result.returncode == 0
    assert "exit codes:" in result.stdout
    for code in ("0", "1", "2", "3", "4", "5", "6", "7", "130"):
        assert f"\n  {code} " in result.stdout


def test_no_token_says_to_set_it_or_use_the_sandbox(tmp_path: Path) -> None:
    result = export("worklogs", "-o", tmp_path / "w.jsonl", env=environment())
    assert_clean_failure(result, 3)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "TEMPO_API_TOKEN" in lines[0] and "--sandbox" in lines[0]
    assert no_output_left(tmp_path)


def test_a_missing_token_file_is_a_credentials_error(tmp_path: Path) -> None:
    result = export("roles", "--token-file", tmp_path / "nope", env=environment())
    assert_clean_failure(result, 3)
    assert "token file" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["worklogs", "--from", "2026-13-01"],
        ["worklogs", "--from", "yesterday"],
        ["worklogs", "--from", "2026-02-01", "--to", "2026-01-01"],
        ["accounts", "--project", "PLAT"],
        ["worklogs", "--user", "a", "--team", "1"],
        ["worklogs", "--team", "1", "--project", "PLAT"],
        ["plans", "--from", "2026-01-01", "--to", "2026-01-31"],
        ["periods"],
        ["worklogs", "--format", "xml"],
        ["worklogs", "--concurrency", "0"],
        ["nonsense"],
    ],
)
def test_bad_arguments_exit_2(emu: Emulator, tmp_path: Path, args: list[str]) -> None:
    result = export(*args, "-o", tmp_path / "out", env=emu_env(emu))
    assert_clean_failure(result, 2)
    assert no_output_left(tmp_path)


def test_a_bad_base_url_is_a_usage_error(tmp_path: Path) -> None:
    env = environment(TEMPO_API_TOKEN=TOKEN, TEMPO_BASE_URL="ftp://example.com/core/3")
    result = export("roles", "-o", tmp_path / "out", env=env)
    assert_clean_failure(result, 2)
    assert "base_url" in result.stderr
    assert no_output_left(tmp_path)


def test_an_unreachable_host_exits_5(tmp_path: Path) -> None:
    env = environment(
        TEMPO_API_TOKEN=TOKEN, TEMPO_BASE_URL=f"http://127.0.0.1:{free_port()}/core/3"
    )
    result = export("worklogs", "--max-retries", "1", "-o", tmp_path / "w.jsonl", env=env)
    assert_clean_failure(result, 5)
    assert "no usable answer" in result.stderr
    assert "nothing was written to" in result.stderr
    assert no_output_left(tmp_path)


def test_a_timeout_exits_5(emu: Emulator, faults: Faults, tmp_path: Path) -> None:
    faults.latency_ms = 1000
    result = export(
        "roles", "--timeout", "0.3", "--max-retries", "0", "-o", tmp_path / "r", env=emu_env(emu)
    )
    assert_clean_failure(result, 5)
    assert no_output_left(tmp_path)


def test_a_rejected_token_exits_4(tmp_path: Path) -> None:
    with EmulatorThread(worklogs=0, token="the-right-token") as strict:
        result = export("worklogs", "-o", tmp_path / "w.jsonl", env=emu_env(strict))
    assert_clean_failure(result, 4)
    assert "authentication failed" in result.stderr and "401" in result.stderr
    assert TOKEN not in result.stderr
    assert no_output_left(tmp_path)


def test_a_forbidden_export_exits_4_and_keeps_the_existing_file(
    emu: Emulator, faults: Faults, tmp_path: Path
) -> None:
    out = tmp_path / "w.jsonl"
    out.write_text("yesterday's export\n")
    faults.error_statuses = (403,)
    faults.error_rate = 1.0
    result = export("worklogs", "-o", out, env=emu_env(emu))
    assert_clean_failure(result, 4)
    assert "permission denied" in result.stderr
    assert out.read_text() == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.jsonl"]


def test_another_api_error_exits_6(emu: Emulator, faults: Faults, tmp_path: Path) -> None:
    faults.error_statuses = (500,)
    faults.error_rate = 1.0
    result = export("worklogs", "-o", tmp_path / "w.jsonl", env=emu_env(emu))
    assert_clean_failure(result, 6)
    assert "500" in result.stderr
    assert no_output_left(tmp_path)


def test_a_failure_midway_says_how_far_it_got_and_leaves_nothing(
    emu: Emulator, faults: Faults, tmp_path: Path
) -> None:
    faults.error_statuses = (400,)
    faults.error_rate = 0.5
    faults.seed = 3
    out = tmp_path / "w.csv"
    result = export(
        "worklogs", "-f", "csv", "--page-size", "50", "--concurrency", "1", "-o", out,
        env=emu_env(emu),
    )  # fmt: skip
    assert_clean_failure(result, 6)
    assert "stopped after" in result.stderr
    assert no_output_left(tmp_path)


def test_a_missing_output_directory_exits_7_before_any_request(
    emu: Emulator, tmp_path: Path
) -> None:
    route = f"GET {urllib.parse.urlsplit(emu.base_url).path}/worklogs"
    before = emu.stats.by_route[route]
    result = export("worklogs", "-o", tmp_path / "missing" / "w.jsonl", env=emu_env(emu))
    assert_clean_failure(result, 7)
    assert "No such file or directory" in result.stderr
    assert emu.stats.by_route[route] == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("via_stdout", [False, True])
def test_a_full_disk_exits_7(emu: Emulator, via_stdout: bool) -> None:
    if via_stdout:
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [*ENTRY, "worklogs"],
                env=emu_env(emu),
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=60,
                check=False,
            )
    else:
        result = export("worklogs", "-o", "/dev/full", env=emu_env(emu))
    assert_clean_failure(result, 7)
    assert "no space left" in result.stderr


def _small_file_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_running_out_of_space_midway_leaves_no_file(emu: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "w.jsonl"
    result = subprocess.run(
        [*ENTRY, "worklogs", "-o", str(out)],
        env=emu_env(emu),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_small_file_limit,
    )
    assert_clean_failure(result, 7)
    assert "stopped after" in result.stderr
    assert no_output_left(tmp_path)


def test_a_state_file_in_a_missing_directory_exits_7(emu: Emulator, tmp_path: Path) -> None:
    result = export(
        "worklogs", "--state", tmp_path / "no" / "s", "-o", tmp_path / "w", env=emu_env(emu)
    )
    assert_clean_failure(result, 7)
    assert no_output_left(tmp_path)


def _default_sigint() -> None:
    # A test run started in the background of a non-interactive shell ignores SIGINT, and
    # an ignored signal stays ignored across exec: Ctrl-C is what the export must see.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt_midway(
    emu: Emulator, faults: Faults, tmp_path: Path, sig: int, extra: Sequence[str] = ()
) -> tuple[int, str]:
    faults.latency_ms = 150
    out = tmp_path / "w.jsonl"
    route = f"GET {urllib.parse.urlsplit(emu.base_url).path}/worklogs"
    before = emu.stats.by_route[route]
    process = subprocess.Popen(
        [*ENTRY, "worklogs", "--page-size", "100", "--concurrency", "1", "-o", str(out), *extra],
        env=emu_env(emu),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 30
    while emu.stats.by_route[route] < before + 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the export should still be running"
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    return process.returncode, stderr


def test_ctrl_c_midway_leaves_no_file_and_says_how_far(
    emu: Emulator, faults: Faults, tmp_path: Path
) -> None:
    code, stderr = _interrupt_midway(emu, faults, tmp_path, signal.SIGINT)
    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert "stopped after" in stderr and "records in" in stderr
    assert no_output_left(tmp_path)


def test_sigterm_midway_leaves_no_file(emu: Emulator, faults: Faults, tmp_path: Path) -> None:
    code, stderr = _interrupt_midway(emu, faults, tmp_path, signal.SIGTERM, ["-f", "csv"])
    assert code == 143, stderr
    assert "Traceback" not in stderr
    assert no_output_left(tmp_path)


def test_a_state_that_cannot_be_saved_exits_7_but_keeps_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tempo_async.cli import export_command
    from tempo_async.cli._output import OutputError
    from tempo_async.cli.main import build_parser

    def refuse(*args: object, **kwargs: object) -> None:
        raise OutputError("the export was written, but not the state: disk full")

    monkeypatch.setattr(export_command, "save_state", refuse)
    out = tmp_path / "w.jsonl"
    args = build_parser().parse_args(
        ["export", "--api", "v3", "worklogs", "--sandbox", "--sandbox-worklogs", "20", "--state",
         str(tmp_path / "s"), "-o", str(out)]
    )  # fmt: skip
    assert args.handler(args) == 7
    stderr = capsys.readouterr().err
    assert "the export was written, but not the state" in stderr
    assert "nothing was written" not in stderr
    assert len(jsonl(out)) == 20
