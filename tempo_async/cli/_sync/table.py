"""The table a resource is synced into: its typed columns, its key, and the rows built from
the server's records.

Every table has the record's typed columns (`_columns`), then three of its own:
`_raw` (the record as the server sent it, compact JSON: nothing is lost, fields the schema
does not know included), `_hash` (a digest of `_raw`: a row whose digest is unchanged is
not written again) and `_synced_at` (when the row was last written).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tempo_async.cli._columns import Column, Kind, columns_of, row_reader
from tempo_async.cli._formats import _compact

__all__ = ["Row", "TableSpec", "digest", "table_for"]

RAW, HASH, SYNCED_AT = "_raw", "_hash", "_synced_at"

_KEYS = {
    "Worklog": "tempoWorklogId",
    "Account": "id",
    "Customer": "id",
    "Team": "id",
    "Plan": "id",
    "HolidayScheme": "id",
}
"""The field that identifies a record, by schema definition."""


@dataclass(frozen=True)
class Row:
    """One record as a table row."""

    key: Any
    values: tuple[Any, ...]
    """The typed columns' values, in `TableSpec.columns` order."""
    raw: str
    digest: str


@dataclass(frozen=True)
class TableSpec:
    """A resource's table."""

    name: str
    columns: tuple[Column, ...]
    key: Column
    window: Column | None = None
    """The date column a v3 window re-read reconciles by (worklogs: start_date)."""

    @property
    def key_index(self) -> int:
        """The key's position among the columns."""
        return self.columns.index(self.key)

    def rows(self, records: Iterable[Any], *, dates_as_text: bool = False) -> list[Row]:
        """The rows of `records`, one per key (the last record of a key wins); records
        without a key are an error, since they could never be updated or deleted.

        `dates_as_text`: dates and times as the server's text (see `row_reader`)."""
        by_key: dict[Any, Row] = {}
        read = _reader(self.columns, dates_as_text)
        key_at = self.key_index
        for record in records:
            if not isinstance(record, Mapping):
                raise ValueError(f"{self.name}: a record is not an object: {record!r:.80}")
            values = read(record)
            key = values[key_at]
            if key is None:
                raise ValueError(
                    f"{self.name}: a record has no {self.key.dotted}: {_compact(record):.120}"
                )
            raw = _compact(record)
            by_key[key] = Row(key, values, raw, digest(raw))
        return list(by_key.values())


_reader = functools.cache(
    lambda columns, dates_as_text: row_reader(columns, dates_as_text=dates_as_text)
)


def table_for(resource: str, definition: str, version: str) -> TableSpec:
    """The table of `resource`, whose records are `definition` in API `version`."""
    columns = columns_of(definition, version)
    key_name = _KEYS.get(definition)
    key = next((c for c in columns if c.dotted == key_name), None)
    if key is None or key.kind not in (Kind.INTEGER, Kind.TEXT):
        raise ValueError(f"{resource} has no key to sync by ({definition}.{key_name})")
    window = next((c for c in columns if c.dotted == "startDate"), None)
    return TableSpec("tempo_" + resource.replace("-", "_"), columns, key, window)


def utc_now() -> dt.datetime:
    """Now, in UTC (whole seconds: Tempo's date-times have no fractions)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def digest(raw: str) -> str:
    """The `_hash` of a row's `_raw`: a row whose digest is unchanged is not written."""
    return hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
