"""The databases the sync tests write to: SQLite files always, PostgreSQL when a server
can be had.

PostgreSQL: `TEMPO_TEST_POSTGRES_URL` (what `.ci/run` sets after starting a throwaway
cluster) names a server whose user may create databases; without it, the tests start a
throwaway cluster themselves when `initdb` is installed. Each test gets a database of its
own. When no server can be had the PostgreSQL cases skip, saying why, except on CI
(`CI` set), where that is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

URL_VARIABLE = "TEMPO_TEST_POSTGRES_URL"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on a loopback port."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="tempo-pg-"))
        self.port = _free_port()
        self.user: str | None = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        if self.user:
            shutil.chown(self.folder, self.user)
        data = self.folder / "data"
        self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "tempo")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.folder / "log")
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start"
        )
        return f"postgresql://tempo@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server (its maintenance database)."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        _unavailable("asyncpg is not installed")
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    bin_dir = _bin_dir()
    if bin_dir is None:
        _unavailable(f"set {URL_VARIABLE} or install PostgreSQL (no initdb found)")
    assert bin_dir is not None
    cluster = Cluster(bin_dir)
    try:
        url = cluster.start()
    except (subprocess.SubprocessError, OSError) as exc:
        cluster.stop()
        detail = getattr(exc, "stderr", "") or str(exc)
        _unavailable(f"a throwaway cluster did not start: {detail.strip()[:300]}")
    try:
        yield url
    finally:
        cluster.stop()


async def _admin(server: str, sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(server, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh PostgreSQL database of this test's own, dropped afterwards."""
    name = "tempo_test_" + uuid.uuid4().hex[:12]
    asyncio.run(_admin(postgres_server, f"CREATE DATABASE {name}"))
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(_admin(postgres_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL of each kind: an SQLite file in the test's folder, or PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tempo.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
