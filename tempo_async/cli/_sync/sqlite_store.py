"""The SQLite store: the standard library's sqlite3, on one thread of its own so that pages
keep arriving while a batch is written.

Dates, date-times and times are stored as ISO 8601 text (date-times in UTC with a `Z`),
booleans as 0/1, arrays as JSON text; the column types declared say what each holds.
The file is in WAL mode: readers see the last committed page while a sync runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import orjson

from tempo_async.cli._columns import Kind
from tempo_async.cli._sync.store import (
    STATE_TABLE,
    DatabaseError,
    Store,
    UpsertCounts,
    backfill_values,
    declared_columns,
    quote,
    split_rows,
    state_json,
    storable,
)
from tempo_async.cli._sync.table import HASH, RAW, SYNCED_AT, Row, TableSpec

__all__ = ["SqliteStore"]

T = TypeVar("T")

_TYPES = {
    Kind.INTEGER: "INTEGER",
    Kind.NUMBER: "REAL",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.DATE: "DATE",
    Kind.DATETIME: "TIMESTAMP",
    Kind.TIME: "TIME",
    Kind.TEXT: "TEXT",
    Kind.JSON: "JSON",
}


def _cell(value: Any) -> Any:
    """A typed value as SQLite stores it."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class SqliteStore(Store):
    """A sync's SQLite file."""

    dates_as_text = True

    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.display = display
        self._conn: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="tempo-sqlite")

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            assert self._conn is not None
            try:
                return work(self._conn)
            except sqlite3.Error as exc:
                raise DatabaseError(f"{self.display}: {exc}") from None

        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    async def open(self) -> None:
        """Open (create) the file; DatabaseError when its folder is missing or it is not a
        database."""
        if not self.path.parent.is_dir():
            raise DatabaseError(f"{self.display}: the folder {self.path.parent} does not exist")

        def connect() -> sqlite3.Connection:
            try:
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout = 10000")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} "
                    "(table_name TEXT PRIMARY KEY, state TEXT NOT NULL, saved_at TEXT NOT NULL)"
                )
            except sqlite3.Error as exc:
                raise DatabaseError(f"cannot use {self.display}: {exc}") from None
            return conn

        self._conn = await asyncio.get_running_loop().run_in_executor(self._thread, connect)

    async def close(self) -> None:
        """Close the file (an open transaction is rolled back)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, conn.close)
        self._thread.shutdown(wait=False)

    async def prepare(self, spec: TableSpec) -> list[str]:
        """Create the table or add the columns an older layout lacks (filled from `_raw`)."""
        return await self._run(lambda conn: _prepare(conn, spec))

    async def load_state(self, spec: TableSpec) -> dict[str, Any] | None:
        """The table's saved state."""

        def load(conn: sqlite3.Connection) -> dict[str, Any] | None:
            found = conn.execute(
                f"SELECT state FROM {STATE_TABLE} WHERE table_name = ?", (spec.name,)
            ).fetchone()
            return None if found is None else dict(orjson.loads(found[0]))

        return await self._run(load)

    async def save_state(self, spec: TableSpec, state: Mapping[str, Any]) -> None:
        """Save the table's state."""
        await self._run(lambda conn: _in_transaction(conn, lambda: _save(conn, spec, state)))

    async def upsert(
        self, spec: TableSpec, rows: Sequence[Row], state: Mapping[str, Any]
    ) -> UpsertCounts:
        """Write the new and changed rows and the state, in one transaction."""

        def work(conn: sqlite3.Connection) -> UpsertCounts:
            keys = orjson.dumps([row.key for row in rows]).decode()
            digests = dict(
                conn.execute(
                    f"SELECT {quote(spec.key.name)}, {HASH} FROM {quote(spec.name)} "
                    f"WHERE {quote(spec.key.name)} IN (SELECT value FROM json_each(?))",
                    (keys,),
                ).fetchall()
            )
            changes = split_rows(rows, digests)
            changed = changes.written

            def write(rows: Sequence[Row]) -> None:
                if rows:
                    now = _now()
                    conn.executemany(
                        _upsert_sql(spec), [(*r.values, r.raw, r.digest, now) for r in rows]
                    )
                _save(conn, spec, state)

            try:
                _in_transaction(conn, lambda: write(changed))
            except UnicodeEncodeError:
                _in_transaction(conn, lambda: write(storable(changed)))
            return changes.counts

        return await self._run(work)

    async def delete(
        self, spec: TableSpec, keys: Collection[Any], state: Mapping[str, Any] | None
    ) -> int:
        """Delete the rows of `keys` (and save `state`) in one transaction."""

        def work(conn: sqlite3.Connection) -> int:
            def write() -> int:
                deleted = conn.execute(
                    f"DELETE FROM {quote(spec.name)} WHERE {quote(spec.key.name)} IN "
                    "(SELECT value FROM json_each(?))",
                    (orjson.dumps(list(keys)).decode(),),
                ).rowcount
                if state is not None:
                    _save(conn, spec, state)
                return deleted

            return _in_transaction(conn, write)

        return await self._run(work)

    async def delete_missing(
        self,
        spec: TableSpec,
        seen: Collection[Any],
        window: tuple[dt.date, dt.date] | None,
        state: Mapping[str, Any],
    ) -> int:
        """Delete the rows (of the window) not seen, and save `state`, in one transaction."""
        sql = (
            f"DELETE FROM {quote(spec.name)} WHERE {quote(spec.key.name)} NOT IN "
            "(SELECT value FROM json_each(?))"
        )
        params: list[Any] = [orjson.dumps(list(seen)).decode()]
        if window is not None:
            assert spec.window is not None
            sql += f" AND {quote(spec.window.name)} BETWEEN ? AND ?"
            params += [window[0].isoformat(), window[1].isoformat()]

        def work(conn: sqlite3.Connection) -> int:
            def write() -> int:
                deleted = conn.execute(sql, params).rowcount
                _save(conn, spec, state)
                return deleted

            return _in_transaction(conn, write)

        return await self._run(work)

    async def raw_rows(self, spec: TableSpec) -> dict[Any, str]:
        """Every row's key and `_raw`."""
        sql = f"SELECT {quote(spec.key.name)}, {RAW} FROM {quote(spec.name)}"
        return await self._run(lambda conn: dict(conn.execute(sql).fetchall()))


def _in_transaction(conn: sqlite3.Connection, work: Callable[[], T]) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def _save(conn: sqlite3.Connection, spec: TableSpec, state: Mapping[str, Any]) -> None:
    conn.execute(
        f"INSERT INTO {STATE_TABLE} (table_name, state, saved_at) VALUES (?, ?, ?) "
        "ON CONFLICT (table_name) DO UPDATE SET state = excluded.state, "
        "saved_at = excluded.saved_at",
        (spec.name, state_json(state), _now()),
    )


def _upsert_sql(spec: TableSpec) -> str:
    names = [*(c.name for c in spec.columns), RAW, HASH, SYNCED_AT]
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != spec.key.name)
    return (
        f"INSERT INTO {quote(spec.name)} ({', '.join(map(quote, names))}) "
        f"VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT ({quote(spec.key.name)}) DO UPDATE SET {updates}"
    )


def _wanted(spec: TableSpec) -> list[tuple[str, str]]:
    return declared_columns(spec, _TYPES, json="JSON", timestamp="TIMESTAMP")


def _prepare(conn: sqlite3.Connection, spec: TableSpec) -> list[str]:
    existing = [row[1] for row in conn.execute(f"PRAGMA table_info({quote(spec.name)})")]
    wanted = _wanted(spec)
    if not existing:
        definitions = ", ".join(
            f"{quote(name)} {kind}" + (" PRIMARY KEY" if name == spec.key.name else "")
            for name, kind in wanted
        )
        conn.execute(f"CREATE TABLE IF NOT EXISTS {quote(spec.name)} ({definitions})")
        if spec.window is not None:
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(spec.name + '_' + spec.window.name)} "
                f"ON {quote(spec.name)} ({quote(spec.window.name)})"
            )
        return []
    if RAW not in existing or spec.key.name not in existing:
        raise DatabaseError(
            f"the table {spec.name} exists but was not made by tempo-async "
            f"(no {RAW} or {spec.key.name} column): rename it or use another database"
        )
    added = [name for name, _ in wanted if name not in existing]
    if added:
        _in_transaction(conn, lambda: _upgrade(conn, spec, wanted, added))
    return added


def _upgrade(
    conn: sqlite3.Connection, spec: TableSpec, wanted: list[tuple[str, str]], added: list[str]
) -> None:
    kinds = dict(wanted)
    for name in added:
        conn.execute(f"ALTER TABLE {quote(spec.name)} ADD COLUMN {quote(name)} {kinds[name]}")
    fill = [name for name in added if name != SYNCED_AT]
    if not fill:
        return
    sets = ", ".join(f"{quote(n)} = ?" for n in fill)
    sql = f"UPDATE {quote(spec.name)} SET {sets} WHERE {quote(spec.key.name)} = ?"
    key = quote(spec.key.name)
    select = f"SELECT {key}, {RAW} FROM {quote(spec.name)} WHERE {key} > ? ORDER BY {key} LIMIT ?"
    after: Any = -(2**63) if spec.key.kind is Kind.INTEGER else ""
    while batch := conn.execute(select, (after, 10_000)).fetchall():
        conn.executemany(
            sql, [(*map(_cell, backfill_values(spec, fill, raw)), k) for k, raw in batch]
        )
        after = batch[-1][0]
