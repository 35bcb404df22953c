"""The `tempo_emulator` fixture shipped with the package (pytest11 entry point)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import aiohttp
import pytest

from tempo_async.emulator import Emulator
from tempo_async.v4 import TempoClient as V4Client


async def test_the_fixture_is_a_running_seeded_emulator(tempo_emulator: Emulator) -> None:
    assert tempo_emulator.running
    assert len(tempo_emulator.state.worklogs) == 200
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": "Bearer whatever"}
        async with session.get(f"{tempo_emulator.base_url}/worklogs", headers=headers) as response:
            assert response.status == 200


@pytest.mark.tempo_emulator(worklogs=5, token="pinned")
async def test_a_marker_sets_the_emulator_options(tempo_emulator: Emulator) -> None:
    assert len(tempo_emulator.state.worklogs) == 5
    assert tempo_emulator.token == "pinned"


def test_a_users_project_gets_the_fixture(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent("""
        import aiohttp

        async def test_reads_worklogs(tempo_emulator):
            url = tempo_emulator.base_url + "/worklogs"
            async with aiohttp.ClientSession() as session:
                async with session.get(url, headers={"Authorization": "Bearer t"}) as response:
                    assert response.status == 200
                    assert len((await response.json())["results"]) == 50
    """)
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


@pytest.mark.tempo_emulator(worklogs=7, token="pinned")
async def test_the_v4_client_fixture_reads_the_emulator(tempo_v4_client: V4Client) -> None:
    worklogs = await tempo_v4_client.worklogs.list().collect()
    assert len(worklogs) == 7
    assert all(w.issue.id > 0 for w in worklogs)
