"""The PostgreSQL store, through asyncpg: new rows go in by COPY; changed rows by COPY
into a temporary staging table, then one `INSERT ... ON CONFLICT DO UPDATE`; both in the
page's transaction (the advisory lock below keeps other syncs from adding those keys).

Types: BIGINT, DOUBLE PRECISION, BOOLEAN, DATE, TIMESTAMPTZ, TIME, TEXT, and JSONB for
arrays; `_raw` is JSON (kept byte for byte as the server sent it). A session-level
advisory lock per table keeps two syncs of one table from interleaving.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

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

__all__ = ["CONNECT_TIMEOUT", "PostgresStore"]

CONNECT_TIMEOUT = 10.0

_TYPES = {
    Kind.INTEGER: "BIGINT",
    Kind.NUMBER: "DOUBLE PRECISION",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.DATE: "DATE",
    Kind.DATETIME: "TIMESTAMPTZ",
    Kind.TIME: "TIME",
    Kind.TEXT: "TEXT",
    Kind.JSON: "JSONB",
}


def _count(status: str) -> int:
    """The row count of a command status (`DELETE 3`)."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class PostgresStore(Store):
    """A sync's PostgreSQL database (one connection)."""

    def __init__(self, dsn: str, display: str) -> None:
        self._dsn = dsn
        self.display = display
        self._conn: Any = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)

    @asynccontextmanager
    async def _guard(self, action: str = "") -> AsyncIterator[Any]:
        """The connection; database failures become DatabaseError naming the database."""
        try:
            yield self._conn
        except self._errors as exc:
            reason = str(exc).strip() or type(exc).__name__
            raise DatabaseError(f"{action or 'cannot write to'} {self.display}: {reason}") from None

    async def open(self) -> None:
        """Connect; DatabaseError when asyncpg is missing or the server cannot be used."""
        try:
            import asyncpg  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            raise DatabaseError(
                f"{self.display}: PostgreSQL needs asyncpg: "
                'pip install "tempo-async-client[postgresql]"'
            ) from None
        self._errors = (
            OSError,
            asyncio.TimeoutError,
            asyncpg.PostgresError,
            asyncpg.InterfaceError,
        )
        async with self._guard("cannot connect to"):
            self._conn = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT)
        async with self._guard("cannot use") as conn:
            await conn.execute(
                f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (table_name TEXT PRIMARY KEY, "
                "state JSONB NOT NULL, saved_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )

    async def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            failures: tuple[type[BaseException], ...] = (asyncio.CancelledError, *self._errors)
            try:
                await asyncio.wait_for(conn.close(), CONNECT_TIMEOUT)
            except failures:
                conn.terminate()

    async def prepare(self, spec: TableSpec) -> list[str]:
        """Lock the table for this sync, then create it or upgrade an older layout."""
        async with self._guard("cannot use") as conn:
            locked = await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", spec.name)
            if not locked:
                raise DatabaseError(
                    f"{self.display}: another sync of {spec.name} is running; try again "
                    "when it has finished"
                )
            existing = {
                row[0]
                for row in await conn.fetch(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = $1",
                    spec.name,
                )
            }
            wanted = _wanted(spec)
            added: list[str] = []
            async with conn.transaction():
                if not existing:
                    await _create(conn, spec, wanted)
                elif RAW not in existing or spec.key.name not in existing:
                    raise DatabaseError(
                        f"{self.display}: the table {spec.name} exists but was not made by "
                        f"tempo-async (no {RAW} or {spec.key.name} column): rename it or use "
                        "another database"
                    )
                else:
                    added = [name for name, _ in wanted if name not in existing]
                    await _upgrade(conn, spec, dict(wanted), added)
            await conn.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {quote(_stage(spec))} "
                f"(LIKE {quote(spec.name)}) ON COMMIT DELETE ROWS"
            )
            return added

    async def load_state(self, spec: TableSpec) -> dict[str, Any] | None:
        """The table's saved state."""
        async with self._guard("cannot read") as conn:
            text = await conn.fetchval(
                f"SELECT state::text FROM {STATE_TABLE} WHERE table_name = $1", spec.name
            )
        return None if text is None else dict(orjson.loads(text))

    async def save_state(self, spec: TableSpec, state: Mapping[str, Any]) -> None:
        """Save the table's state."""
        async with self._guard() as conn:
            await _save(conn, spec, state)

    async def upsert(
        self, spec: TableSpec, rows: Sequence[Row], state: Mapping[str, Any]
    ) -> UpsertCounts:
        """COPY the new and changed rows in and save the state, in one transaction."""
        key, table = quote(spec.key.name), quote(spec.name)
        async with self._guard() as conn:
            stored = await conn.fetch(
                f"SELECT {key}, {HASH} FROM {table} WHERE {key} = ANY($1::{_key_type(spec)}[])",
                [row.key for row in rows],
            )
            changes = split_rows(rows, {r[0]: r[1] for r in stored})
            try:
                await _write(conn, spec, changes.new, changes.updated, state)
            except UnicodeEncodeError:
                new, updated = storable(changes.new), storable(changes.updated)
                await _write(conn, spec, new, updated, state)
        return changes.counts

    async def delete(
        self, spec: TableSpec, keys: Collection[Any], state: Mapping[str, Any] | None
    ) -> int:
        """Delete the rows of `keys` (and save `state`) in one transaction."""
        async with self._guard() as conn, conn.transaction():
            status = await conn.execute(
                f"DELETE FROM {quote(spec.name)} WHERE {quote(spec.key.name)} = "
                f"ANY($1::{_key_type(spec)}[])",
                list(keys),
            )
            if state is not None:
                await _save(conn, spec, state)
        return _count(status)

    async def delete_missing(
        self,
        spec: TableSpec,
        seen: Collection[Any],
        window: tuple[dt.date, dt.date] | None,
        state: Mapping[str, Any],
    ) -> int:
        """Delete the rows (of the window) not seen, and save `state`, in one transaction."""
        sql = (
            f"DELETE FROM {quote(spec.name)} WHERE NOT "
            f"({quote(spec.key.name)} = ANY($1::{_key_type(spec)}[]))"
        )
        params: list[Any] = [list(seen)]
        if window is not None:
            assert spec.window is not None
            sql += f" AND {quote(spec.window.name)} BETWEEN $2 AND $3"
            params += list(window)
        async with self._guard() as conn, conn.transaction():
            status = await conn.execute(sql, *params)
            await _save(conn, spec, state)
        return _count(status)

    async def raw_rows(self, spec: TableSpec) -> dict[Any, str]:
        """Every row's key and `_raw`."""
        async with self._guard("cannot read") as conn:
            rows = await conn.fetch(f"SELECT {quote(spec.key.name)}, {RAW} FROM {quote(spec.name)}")
        return {row[0]: row[1] for row in rows}


def _key_type(spec: TableSpec) -> str:
    return "bigint" if spec.key.kind is Kind.INTEGER else "text"


def _stage(spec: TableSpec) -> str:
    return f"{spec.name}_stage"


def _wanted(spec: TableSpec) -> list[tuple[str, str]]:
    return declared_columns(spec, _TYPES, json="JSON", timestamp="TIMESTAMPTZ")


def _names(spec: TableSpec) -> list[str]:
    return [*(c.name for c in spec.columns), RAW, HASH, SYNCED_AT]


async def _save(conn: Any, spec: TableSpec, state: Mapping[str, Any]) -> None:
    await conn.execute(
        f"INSERT INTO {STATE_TABLE} (table_name, state, saved_at) VALUES ($1, $2::jsonb, now()) "
        "ON CONFLICT (table_name) DO UPDATE SET state = excluded.state, saved_at = now()",
        spec.name,
        state_json(state),
    )


async def _write(
    conn: Any,
    spec: TableSpec,
    new: Sequence[Row],
    updated: Sequence[Row],
    state: Mapping[str, Any],
) -> None:
    """Insert `new`, update `updated` and save `state`: one transaction."""
    async with conn.transaction():
        if new:
            await _copy(conn, spec.name, spec, new)
        if updated:
            await _update(conn, spec, updated)
        await _save(conn, spec, state)


async def _copy(conn: Any, table: str, spec: TableSpec, rows: Sequence[Row]) -> None:
    """COPY `rows` into `table`."""
    now = dt.datetime.now(dt.timezone.utc)
    await conn.copy_records_to_table(
        table,
        records=[(*row.values, row.raw, row.digest, now) for row in rows],
        columns=_names(spec),
    )


async def _update(conn: Any, spec: TableSpec, rows: Sequence[Row]) -> None:
    """COPY changed `rows` into the staging table, then update the table from it."""
    await _copy(conn, _stage(spec), spec, rows)
    names = _names(spec)
    quoted = ", ".join(map(quote, names))
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != spec.key.name)
    await conn.execute(
        f"INSERT INTO {quote(spec.name)} ({quoted}) SELECT {quoted} FROM {quote(_stage(spec))} "
        f"ON CONFLICT ({quote(spec.key.name)}) DO UPDATE SET {updates}"
    )


async def _create(conn: Any, spec: TableSpec, wanted: list[tuple[str, str]]) -> None:
    definitions = ", ".join(
        f"{quote(name)} {kind}" + (" PRIMARY KEY" if name == spec.key.name else "")
        for name, kind in wanted
    )
    await conn.execute(f"CREATE TABLE {quote(spec.name)} ({definitions})")
    if spec.window is not None:
        await conn.execute(f"CREATE INDEX ON {quote(spec.name)} ({quote(spec.window.name)})")


async def _upgrade(conn: Any, spec: TableSpec, kinds: dict[str, str], added: list[str]) -> None:
    """Add the `added` columns and fill them in from `_raw`, a batch at a time."""
    for name in added:
        await conn.execute(f"ALTER TABLE {quote(spec.name)} ADD COLUMN {quote(name)} {kinds[name]}")
    fill = [name for name in added if name != SYNCED_AT]
    if not fill:
        return
    key = quote(spec.key.name)
    sets = ", ".join(f"{quote(n)} = ${i}" for i, n in enumerate(fill, 2))
    update = f"UPDATE {quote(spec.name)} SET {sets} WHERE {key} = $1"
    select = f"SELECT {key}, {RAW}::text FROM {quote(spec.name)} WHERE {key} > $1 ORDER BY {key} LIMIT 10000"
    after: Any = -(2**63) if spec.key.kind is Kind.INTEGER else ""
    while batch := await conn.fetch(select, after):
        await conn.executemany(update, [(k, *backfill_values(spec, fill, raw)) for k, raw in batch])
        after = batch[-1][0]
