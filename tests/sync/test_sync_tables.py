"""The parts of a sync table: typed columns from the schema, the compiled row reader, rows
and their digests, and `--db` URLs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli._columns import Kind, columns_of, row_reader, sql_name
from tempo_async.cli._sync.db_url import DatabaseURLError, parse_db_url
from tempo_async.cli._sync.table import table_for

WORKLOG: dict[str, Any] = {
    "self": "https://api.tempo.io/4/worklogs/7",
    "tempoWorklogId": 7,
    "issue": {"self": "https://x/issues/10001", "id": 10001},
    "timeSpentSeconds": 3600,
    "billableSeconds": 1800,
    "startDate": "2026-03-02",
    "startTime": "09:30:00",
    "startDateTimeUtc": "2026-03-02T08:30:00Z",
    "description": "Review",
    "createdAt": "2026-03-02T10:00:00Z",
    "updatedAt": "2026-03-03T11:00:00Z",
    "author": {"self": "https://x/users/a", "accountId": "a1"},
    "attributes": {"self": "https://x/attrs", "values": [{"key": "_k_", "value": "v"}]},
    "somethingNew": {"nested": True},
}


def test_columns_take_their_kind_from_the_schema() -> None:
    kinds = {c.name: c.kind for c in columns_of("Worklog", "v4")}
    assert kinds["tempo_worklog_id"] is Kind.INTEGER
    assert kinds["start_date"] is Kind.DATE
    assert kinds["updated_at"] is Kind.DATETIME
    assert kinds["start_time"] is Kind.TIME
    assert kinds["author_account_id"] is Kind.TEXT
    assert kinds["attributes_values"] is Kind.JSON
    assert sql_name("author.accountId") == "author_account_id"


def test_typed_values_and_what_does_not_fit() -> None:
    columns = {c.name: c for c in columns_of("Worklog", "v4")}
    assert columns["start_date"].value(WORKLOG) == dt.date(2026, 3, 2)
    assert columns["updated_at"].value(WORKLOG) == dt.datetime(
        2026, 3, 3, 11, tzinfo=dt.timezone.utc
    )
    assert columns["start_time"].value(WORKLOG) == dt.time(9, 30)
    assert columns["attributes_values"].value(WORKLOG) == '[{"key":"_k_","value":"v"}]'
    odd = {**WORKLOG, "startDate": "2026-02-30", "timeSpentSeconds": "3600", "issue": 5}
    assert columns["start_date"].value(odd) is None
    assert columns["time_spent_seconds"].value(odd) is None
    assert columns["issue_id"].value(odd) is None


@pytest.mark.parametrize("version", ["v3", "v4"])
@pytest.mark.parametrize(
    "record",
    [WORKLOG, {}, {"issue": None, "author": "x", "startDate": 5}, {"tempoWorklogId": True}],
)
def test_the_row_reader_reads_what_each_column_reads(version: str, record: Any) -> None:
    columns = columns_of("Worklog", version)
    assert row_reader(columns)(record) == tuple(c.value(record) for c in columns)
    as_text = row_reader(columns, dates_as_text=True)(record)
    for column, value in zip(columns, as_text, strict=True):
        if column.kind in (Kind.DATE, Kind.DATETIME, Kind.TIME):
            expected = record.get(column.dotted)
            assert value == (expected if isinstance(expected, str) else None)
        else:
            assert value == column.value(record)


def test_rows_keep_the_raw_record_and_one_row_per_key() -> None:
    spec = table_for("worklogs", "Worklog", "v4")
    assert spec.name == "tempo_worklogs" and spec.key.name == "tempo_worklog_id"
    changed = {**WORKLOG, "description": "Changed"}
    rows = spec.rows([WORKLOG, {**WORKLOG, "tempoWorklogId": 8}, changed])
    assert [row.key for row in rows] == [7, 8]
    assert '"somethingNew":{"nested":true}' in rows[0].raw
    assert '"Changed"' in rows[0].raw
    again = spec.rows([changed])[0]
    assert again.digest == rows[0].digest
    assert spec.rows([WORKLOG])[0].digest != again.digest
    with pytest.raises(ValueError, match="has no tempoWorklogId"):
        spec.rows([{"description": "no id"}])


def test_db_urls() -> None:
    sqlite = parse_db_url("sqlite:///tempo.db")
    assert sqlite.kind == "sqlite" and sqlite.path == Path("tempo.db")
    assert parse_db_url("sqlite:////var/lib/t.db").path == Path("/var/lib/t.db")
    pg = parse_db_url("postgres://me:pw@db.example:5433/warehouse")
    assert pg.kind == "postgresql"
    assert pg.dsn == "postgresql://me:pw@db.example:5433/warehouse"
    assert pg.display == "postgres://me:***@db.example:5433/warehouse"
    assert "pw" not in repr(pg)
    assert parse_db_url("postgresql://localhost/w").display == "postgresql://localhost/w"
    for bad in ("", "sqlite:///", "redis://x", "postgresql://h/a/b"):
        with pytest.raises(DatabaseURLError):
            parse_db_url(bad)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_text_no_database_stores_is_written_as_its_escape(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A lone surrogate (a `\\udXXX` escape the server sent) and an integer beyond 64 bits
    in a nested array are stored, not a crash: the text as its escape, the raw JSON kept."""
    import asyncio

    from tempo_async.cli._sync.stores import open_store

    url = (
        f"sqlite:///{tmp_path / 't.db'}"
        if kind == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    spec = table_for("worklogs", "Worklog", "v4")
    odd = {
        **WORKLOG,
        "description": "bad \udc80 text",
        "attributes": {"values": [{"key": "_n_", "value": 2**70}]},
    }

    async def go() -> dict[Any, str]:
        async with open_store(parse_db_url(url)) as store:
            await store.prepare(spec)
            rows = spec.rows([odd], dates_as_text=store.dates_as_text)
            counts = await store.upsert(spec, rows, {"run": None})
            assert counts.inserted == 1
            return await store.raw_rows(spec)

    raw = asyncio.run(go())[7]
    assert "\\udc80" in raw and str(2**70) in raw
