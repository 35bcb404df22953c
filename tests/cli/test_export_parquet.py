"""`tempo-async export --format parquet`: typed columns and the raw JSON, read back with
pyarrow and compared with the JSON Lines export of the same selection."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli._columns import columns_of
from tempo_async.cli._parquet import ParquetWriter
from tempo_async.cli.main import main

pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
pa = pytest.importorskip("pyarrow")

SANDBOX = ["--sandbox", "--sandbox-worklogs", "300", "-q"]


def export(*args: str) -> int:
    return main(["export", *args])


HOST = re.compile(r"http://127\.0\.0\.1:\d+")


def both(tmp_path: Path, *args: str) -> tuple[Any, list[Any]]:
    """The Parquet table and the JSON Lines records of one selection (each run's sandbox
    has a port of its own: links are compared without it)."""
    parquet, jsonl = tmp_path / "out.parquet", tmp_path / "out.jsonl"
    assert export(*args, *SANDBOX, "--format", "parquet", "-o", str(parquet)) == 0
    assert export(*args, *SANDBOX, "-o", str(jsonl)) == 0
    lines = HOST.sub("http://sandbox", jsonl.read_text(encoding="utf-8")).splitlines()
    table = pq.read_table(parquet)
    links = [HOST.sub("http://sandbox", text) for text in table.column("raw").to_pylist()]
    table = table.set_column(table.schema.get_field_index("raw"), "raw", pa.array(links))
    return table, [json.loads(line) for line in lines]


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def test_v4_worklogs_have_typed_columns_and_every_record(tmp_path: Path) -> None:
    table, records = both(tmp_path, "worklogs")
    assert table.num_rows == len(records) == 300
    types = {field.name: field.type for field in table.schema}
    assert types["start_date"] == pa.date32()
    assert types["created_at"] == pa.timestamp("us", tz="UTC")
    assert types["updated_at"] == pa.timestamp("us", tz="UTC")
    assert types["start_time"] == pa.time64("us")
    assert types["time_spent_seconds"] == pa.int64()
    assert types["tempo_worklog_id"] == pa.int64()
    assert types["attributes_values"] == pa.string()
    columns = columns_of("Worklog", "v4")
    for row, record in zip(table.to_pylist(), records, strict=True):
        assert json.loads(row["raw"]) == record
        for column in columns:
            if column.name.endswith("self"):
                continue
            expected = column.value(record)
            assert row[column.name] == expected, column.name
            if isinstance(expected, (dt.date, dt.time)):
                assert _iso(row[column.name]) == record[column.dotted]


def test_v3_worklogs_and_accounts(tmp_path: Path) -> None:
    table, records = both(tmp_path, "worklogs", "--api", "v3")
    assert table.num_rows == len(records) > 0
    assert table.schema.field("issue_key").type == pa.string()
    assert [json.loads(raw) for raw in table.column("raw").to_pylist()] == records
    accounts, account_records = both(tmp_path, "accounts")
    assert accounts.num_rows == len(account_records) > 0
    assert accounts.column("key").to_pylist() == [r["key"] for r in account_records]
    assert accounts.schema.field("global").type == pa.bool_()


def test_parquet_refuses_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert export("worklogs", *SANDBOX, "--format", "parquet") == 2
    assert "--format parquet writes a file" in capsys.readouterr().err


def test_unknown_fields_and_odd_values_are_kept_in_raw() -> None:
    stream = io.BytesIO()
    writer = ParquetWriter(stream, columns_of("Worklog", "v4"))
    odd = {"tempoWorklogId": 1, "startDate": "2026-02-30", "brandNew": [1, 2]}
    writer.write([odd, {"tempoWorklogId": 2, "startDate": "2026-02-28"}])
    writer.finish()
    rows = pq.read_table(io.BytesIO(stream.getvalue())).to_pylist()
    assert rows[0]["start_date"] is None
    assert json.loads(rows[0]["raw"]) == odd
    assert rows[1]["start_date"] == dt.date(2026, 2, 28)
    assert not stream.closed
