"""What the sync tests share: running the command, reading a table, changing the
emulator's data through the API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tempo_async.cli._sync.db_url import parse_db_url
from tempo_async.cli._sync.stores import open_store
from tempo_async.cli._sync.table import table_for
from tempo_async.cli.main import main
from tempo_async.emulator import Emulator
from tests.cli.test_export_command import get_json

TOKEN = "test-token"


@contextlib.contextmanager
def served_emulator(
    monkeypatch: pytest.MonkeyPatch, *, worklogs: int, seed: int
) -> Iterator[Emulator]:
    """A fresh emulator (the tests change its data), the token and its v4 host in the
    environment."""
    from tests.cli.test_export_command import EmulatorThread

    for name in ("TEMPO_API_TOKEN", "TEMPO_BASE_URL", "TEMPO_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEMPO_API_TOKEN", TOKEN)
    with EmulatorThread(worklogs=worklogs, seed=seed) as emulator:
        monkeypatch.setenv("TEMPO_BASE_URL", emulator.api_host)
        yield emulator


def sync(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `tempo-async sync ARGS` in this process: the exit code and what went to stderr."""
    capsys.readouterr()
    code = main(["sync", *args])
    return code, capsys.readouterr().err


def counts(summary: str) -> dict[str, int]:
    """The counts of a summary line: inserted, updated, deleted, unchanged."""
    found = {
        name: int(number.replace(",", ""))
        for number, name in re.findall(r"([\d,]+) (inserted|updated|deleted|unchanged)", summary)
    }
    assert set(found) == {"inserted", "updated", "deleted", "unchanged"}, summary
    return found


def table(url: str, resource: str = "worklogs", api: str = "v4") -> dict[Any, Any]:
    """The table's rows: key -> the record parsed from `_raw`."""
    definition = {"worklogs": "Worklog", "accounts": "Account"}[resource]
    spec = table_for(resource, definition, api)

    async def read() -> dict[Any, str]:
        async with open_store(parse_db_url(url)) as store:
            return await store.raw_rows(spec)

    return {key: json.loads(raw) for key, raw in asyncio.run(read()).items()}


def state(url: str, resource: str = "worklogs", api: str = "v4") -> dict[str, Any] | None:
    """The table's saved sync state."""
    definition = {"worklogs": "Worklog", "accounts": "Account"}[resource]
    spec = table_for(resource, definition, api)

    async def read() -> dict[str, Any] | None:
        async with open_store(parse_db_url(url)) as store:
            return await store.load_state(spec)

    return asyncio.run(read())


def served(emu: Emulator, url: str) -> dict[Any, Any]:
    """Every record the emulator serves at `url` (following next links), by id."""
    records: list[Any] = []
    next_url: str | None = url
    while next_url:
        page = get_json(emu, next_url)
        records.extend(page["results"])
        next_url = page["metadata"].get("next")
    key = "tempoWorklogId" if "worklogs" in url else "id"
    return {record[key]: record for record in records}


def served_v4_worklogs(emu: Emulator) -> dict[Any, Any]:
    """Every worklog the emulator serves on v4, by id."""
    return served(emu, f"{emu.v4_base_url}/worklogs?limit=5000")


def served_v3_worklogs(emu: Emulator, first: str, last: str) -> dict[Any, Any]:
    """The worklogs of `first`..`last` the emulator serves on v3, by id."""
    return served(emu, f"{emu.base_url}/worklogs?limit=1000&from={first}&to={last}")


def call(emu: Emulator, action: Any) -> Any:
    """Run `action(client)` with a v4 client of the emulator (served from its own thread):
    the changes a user makes through the API."""
    from tempo_async.v4 import TempoClient

    async def go() -> Any:
        async with TempoClient(TOKEN, base_url=emu.api_host) as client:
            return await action(client)

    return asyncio.run(go())
