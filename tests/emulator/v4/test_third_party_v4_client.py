"""A widely used third-party v4 client (`tempo-api-python-client`'s `client_v4`) reads and
writes through the emulator's v4 API. Skipped where that package is not installed."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from tempo_async.emulator import Emulator


def read_and_write(base_url: str, issue_id: int, author: str) -> dict[str, Any]:
    client_v4 = pytest.importorskip("tempoapiclient.client_v4")
    tempo = client_v4.Tempo(auth_token="any", base_url=base_url)
    before = tempo.get_worklogs("2020-01-01", "2030-12-31")
    created = tempo.create_worklog(
        accountId=author,
        issueId=issue_id,
        dateFrom="2026-03-02",
        timeSpentSeconds=1800,
        description="third-party",
        attributes=[],
    )
    by_issue = tempo.get_worklogs("2026-03-01", "2026-03-31", issueId=issue_id)
    tempo.delete_worklog(created["tempoWorklogId"])
    after = tempo.get_worklogs("2020-01-01", "2030-12-31")
    return {"before": before, "created": created, "by_issue": by_issue, "after": after}


async def test_tempo_api_python_client_v4_reads_and_writes() -> None:
    pytest.importorskip("tempoapiclient.client_v4")
    async with Emulator(worklogs=12_000, seed=9, today=date(2026, 3, 18)) as emu:
        issue = next(iter(emu.state.issues.values()))
        author = next(iter(emu.state.users))
        got = await asyncio.to_thread(read_and_write, emu.v4_base_url, issue["id"], author)
        deleted = [e["tempoWorklogId"] for e in emu.state.deleted_worklogs]
    # it asks limit=5000 and follows `next`: three pages
    assert sorted(w["tempoWorklogId"] for w in got["before"]) == list(range(1, 12_001))
    assert got["created"]["issue"]["id"] == issue["id"]
    assert got["created"]["tempoWorklogId"] in [w["tempoWorklogId"] for w in got["by_issue"]]
    assert len(got["after"]) == 12_000
    assert deleted == [got["created"]["tempoWorklogId"]]
