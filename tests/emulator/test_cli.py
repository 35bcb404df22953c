"""`tempo-async emulator`: starts, prints its base URL, serves, stops on SIGINT."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys

import aiohttp

COMMAND = [sys.executable, "-m", "tempo_async.cli.main", "emulator"]


async def test_serves_until_sigint(session: aiohttp.ClientSession) -> None:
    process = await asyncio.create_subprocess_exec(
        *COMMAND,
        "--port",
        "0",
        "--worklogs",
        "30",
        "--seed",
        "3",
        "--token",
        "cli-token",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        base_url = line.decode().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/core/3")
        headers = {"Authorization": "Bearer cli-token"}
        async with session.get(f"{base_url}/worklogs", headers=headers, params={"limit": 100}) as r:
            assert r.status == 200
            assert (await r.json())["metadata"]["count"] == 30
        async with session.get(f"{base_url}/worklogs") as r:
            assert r.status == 401
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert "stopped" in stderr.decode()


async def test_a_busy_port_is_an_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            *COMMAND,
            "--port",
            str(port),
            "--worklogs",
            "0",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    assert stdout == b""
    assert "cannot listen" in stderr.decode()
