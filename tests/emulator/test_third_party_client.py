"""A widely used third-party Tempo v3 client reads through the emulator.

`tempo-api-python-client` (module `tempoapiclient`) is not a dependency: the test runs
where it is installed and is skipped elsewhere.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tempo_async.emulator import Emulator

from .helpers import TODAY


def read_everything(base_url: str, team_id: int, account_id: str) -> dict[str, Any]:
    client_v3 = pytest.importorskip("tempoapiclient.client_v3")
    tempo = client_v3.Tempo(auth_token="any", base_url=base_url)
    since = "2024-01-01"
    return {
        "accounts": tempo.get_accounts(),
        "teams": tempo.get_teams(),
        "members": tempo.get_team_members(team_id),
        "periods": tempo.get_periods("2025-01-01", "2025-02-28"),
        "approval": tempo.get_timesheet_approvals(userId=account_id),
        "schedule": tempo.get_user_schedule("2025-01-01", "2025-01-31"),
        "worklogs": tempo.get_worklogs(since, TODAY),
        "user_worklogs": tempo.get_worklogs(since, TODAY, accountId=account_id),
        "team_worklogs": tempo.get_worklogs(since, TODAY, teamId=team_id),
    }


async def test_tempo_api_python_client_reads_every_page() -> None:
    pytest.importorskip("tempoapiclient.client_v3")
    async with Emulator(worklogs=2500, seed=4, today=TODAY) as emu:
        team_id = min(emu.state.teams)
        account_id = next(iter(emu.state.users))
        data = await asyncio.to_thread(read_everything, emu.base_url, team_id, account_id)
        assert len(data["accounts"]) == len(emu.state.accounts)
        assert len(data["worklogs"]) == 2500
        assert len({w["tempoWorklogId"] for w in data["worklogs"]}) == 2500
        assert {w["author"]["accountId"] for w in data["user_worklogs"]} == {account_id}
        assert data["periods"]["periods"][1] == {"from": "2025-02-01", "to": "2025-02-28"}
        assert len(data["schedule"]) == 31
