"""What a database must do for a sync (`Store`), and the counts it reports.

Every write is one transaction that also saves the sync's state (its high-water mark), so
a run killed at any point, SIGKILL included, leaves the table and its state in step: the
next run resumes from the last page written.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from tempo_async.cli._columns import Kind
from tempo_async.cli._sync.table import HASH, RAW, SYNCED_AT, Row, TableSpec, digest

__all__ = [
    "RAW",
    "STATE_TABLE",
    "Changes",
    "DatabaseError",
    "Store",
    "UpsertCounts",
    "backfill_values",
    "declared_columns",
    "quote",
    "split_rows",
    "state_json",
    "storable",
]

STATE_TABLE = "tempo_sync_state"


class DatabaseError(Exception):
    """The database cannot be used: unreachable, read-only, or holding a table of another
    layout. The message names the database (password masked) and the reason."""


@dataclass
class UpsertCounts:
    """What an upsert did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Changes:
    """A page's rows sorted by what they do to the table."""

    new: list[Row]
    updated: list[Row]
    counts: UpsertCounts

    @property
    def written(self) -> list[Row]:
        """The rows to write: new and updated."""
        return self.new + self.updated


def split_rows(rows: Sequence[Row], digests: Mapping[Any, str]) -> Changes:
    """The new rows, the changed ones (by their stored digests) and the counts."""
    counts = UpsertCounts()
    new: list[Row] = []
    updated: list[Row] = []
    for row in rows:
        stored = digests.get(row.key)
        if stored is None:
            new.append(row)
        elif stored != row.digest:
            updated.append(row)
        else:
            counts.unchanged += 1
    counts.inserted, counts.updated = len(new), len(updated)
    return Changes(new, updated, counts)


def _storable(value: Any) -> Any:
    if type(value) is str:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def storable(rows: Sequence[Row]) -> list[Row]:
    """`rows` with every lone surrogate (a `\\udXXX` escape the server sent, which no
    database stores as text) written as that escape: what a write retries with when the
    database driver refuses a row's text."""
    return [
        Row(
            row.key,
            tuple(_storable(value) for value in row.values),
            _storable(row.raw),
            row.digest,
        )
        for row in rows
    ]


def backfill_values(spec: TableSpec, added: Sequence[str], raw: str) -> list[Any]:
    """The values of the `added` columns of a row from its stored `_raw` (an upgrade)."""
    record = orjson.loads(raw)
    by_name = {column.name: column for column in spec.columns}
    values: list[Any] = []
    for name in added:
        if name == HASH:
            values.append(digest(raw))
        elif name in by_name and isinstance(record, Mapping):
            values.append(by_name[name].value(record))
        else:
            values.append(None)
    return values


class Store(abc.ABC):
    """A database the sync writes to; one writer at a time."""

    display: str
    """The database as messages name it (password masked)."""
    dates_as_text: bool = False
    """Whether rows hold dates and times as the server's ISO 8601 text (SQLite)."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect (or create the file); DatabaseError when it cannot."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Disconnect (an open transaction is rolled back)."""

    @abc.abstractmethod
    async def prepare(self, spec: TableSpec) -> list[str]:
        """Create the table, or upgrade an older layout (columns added and filled in from
        `_raw`, nothing dropped); returns the columns added to an existing table."""

    @abc.abstractmethod
    async def load_state(self, spec: TableSpec) -> dict[str, Any] | None:
        """The table's sync state, None before its first sync."""

    @abc.abstractmethod
    async def save_state(self, spec: TableSpec, state: Mapping[str, Any]) -> None:
        """Save the table's sync state (a transaction of its own)."""

    @abc.abstractmethod
    async def upsert(
        self, spec: TableSpec, rows: Sequence[Row], state: Mapping[str, Any]
    ) -> UpsertCounts:
        """Insert the new rows, update the changed ones, and save `state`: one
        transaction. Rows whose digest is unchanged are not written."""

    @abc.abstractmethod
    async def delete(
        self, spec: TableSpec, keys: Collection[Any], state: Mapping[str, Any] | None
    ) -> int:
        """Delete the rows of `keys` (and save `state`, if given): one transaction;
        returns how many rows were deleted."""

    @abc.abstractmethod
    async def delete_missing(
        self,
        spec: TableSpec,
        seen: Collection[Any],
        window: tuple[dt.date, dt.date] | None,
        state: Mapping[str, Any],
    ) -> int:
        """Delete the rows (of the `window` of `spec.window` dates, or all) whose key is
        not in `seen`, and save `state`: one transaction; returns how many."""

    @abc.abstractmethod
    async def raw_rows(self, spec: TableSpec) -> dict[Any, str]:
        """Every row's key and `_raw` (for checks and tests)."""

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def quote(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def declared_columns(
    spec: TableSpec, types: Mapping[Kind, str], *, json: str, timestamp: str
) -> list[tuple[str, str]]:
    """The table's columns and their SQL types (`types` by kind; `json` for `_raw`,
    `timestamp` for `_synced_at`), in order."""
    columns = [(c.name, types[c.kind]) for c in spec.columns]
    return [*columns, (RAW, json), (HASH, "TEXT"), (SYNCED_AT, timestamp)]


def state_json(state: Mapping[str, Any]) -> str:
    """A state as stored."""
    return orjson.dumps(state).decode()
