"""`tempo-async export --format parquet`: typed columns and the raw JSON, read back with
pyarrow and compared with the JSON Lines export of the same selection."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tempo_async.cli import _parquet
from tempo_async.cli._columns import columns_of
from tempo_async.cli._parquet import MISSING_PYARROW, ParquetWriter
from tempo_async.cli.main import main

pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
pa = pytest.importorskip("pyarrow")

SANDBOX = ["--sandbox", "--sandbox-worklogs", "300", "-q"]


def export(*args: str) -> int:
    return main(["export", *args])


HOST = re.compile(r"http://127\.0\.0\.1:\d+")


def unhosted(value: Any) -> Any:
    """Each run's sandbox has a port of its own: links are compared without it."""
    return HOST.sub("http://sandbox", value) if isinstance(value, str) else value


def both(tmp_path: Path, *args: str) -> tuple[Any, list[str]]:
    """The Parquet table and the JSON Lines lines of one selection, links unhosted."""
    parquet, jsonl = tmp_path / "out.parquet", tmp_path / "out.jsonl"
    assert export(*args, *SANDBOX, "--format", "parquet", "-o", str(parquet)) == 0
    assert export(*args, *SANDBOX, "-o", str(jsonl)) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "out.parquet"]
    lines = unhosted(jsonl.read_text(encoding="utf-8")).splitlines()
    return pq.read_table(parquet), lines


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def test_v4_worklogs_have_typed_columns_and_every_record(tmp_path: Path) -> None:
    table, lines = both(tmp_path, "worklogs")
    assert table.num_rows == len(lines) == 300
    types = {field.name: field.type for field in table.schema}
    assert types["start_date"] == pa.date32()
    assert types["created_at"] == pa.timestamp("us", tz="UTC")
    assert types["updated_at"] == pa.timestamp("us", tz="UTC")
    assert types["start_time"] == pa.time64("us")
    assert types["time_spent_seconds"] == pa.int64()
    assert types["tempo_worklog_id"] == pa.int64()
    assert types["attributes_values"] == pa.string()
    assert table.schema.names[-1] == "raw"
    columns = columns_of("Worklog", "v4")
    assert table.schema.names == [c.name for c in columns] + ["raw"]
    for row, line in zip(table.to_pylist(), lines, strict=True):
        assert unhosted(row["raw"]) == line  # the JSON Lines export's text, byte for byte
        record = json.loads(line)
        for column in columns:
            expected = column.value(record)
            assert unhosted(row[column.name]) == expected, column.name
            if isinstance(expected, (dt.date, dt.time)):
                assert _iso(row[column.name]) == record[column.dotted]
    assert all(row["tempo_worklog_id"] is not None for row in table.to_pylist())


def test_v3_worklogs_and_accounts(tmp_path: Path) -> None:
    table, lines = both(tmp_path, "worklogs", "--api", "v3")
    assert table.num_rows == len(lines) > 0
    assert table.schema.field("issue_key").type == pa.string()
    assert table.schema.field("start_date").type == pa.date32()
    assert [unhosted(raw) for raw in table.column("raw").to_pylist()] == lines
    records = [json.loads(line) for line in lines]
    assert table.column("issue_key").to_pylist() == [r["issue"]["key"] for r in records]
    accounts, account_lines = both(tmp_path, "accounts")
    account_records = [json.loads(line) for line in account_lines]
    assert accounts.num_rows == len(account_records) > 0
    assert accounts.column("key").to_pylist() == [r["key"] for r in account_records]
    assert accounts.schema.field("global").type == pa.bool_()
    assert accounts.column("global").to_pylist() == [r.get("global") for r in account_records]


@pytest.mark.parametrize(
    "output", [[], ["-o", "-"], ["-o", "/dev/null"]], ids=["no-output", "dash", "device"]
)
def test_parquet_refuses_standard_output(
    capsys: pytest.CaptureFixture[str], output: list[str]
) -> None:
    assert export("worklogs", *SANDBOX, "--format", "parquet", *output) == 2
    err = capsys.readouterr().err
    assert "error: --format parquet writes a file: give --output PATH" in err
    assert "stopped after" not in err  # refused before anything started


def test_without_pyarrow_the_error_names_the_extra_before_any_request(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("pyarrow", "pyarrow.parquet"):
        monkeypatch.setitem(sys.modules, name, None)  # `import pyarrow` now fails
    monkeypatch.setenv("TEMPO_API_TOKEN", "test-token")
    monkeypatch.setenv("TEMPO_BASE_URL", "http://127.0.0.1:9")  # a request would fail: 5
    out = tmp_path / "w.parquet"
    assert export("worklogs", "-q", "--format", "parquet", "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert MISSING_PYARROW in err
    assert 'pip install "tempo-async-client[parquet]"' in err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing_and_no_pyarrow_complaint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    write = ParquetWriter.write
    calls: list[int] = []

    def second_write_fails(self: ParquetWriter, records: Any) -> None:
        calls.append(len(records))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, records)

    monkeypatch.setattr(ParquetWriter, "write", second_write_fails)
    out = tmp_path / "w.parquet"
    code = export("worklogs", *SANDBOX, "--page-size", "100", "--format", "parquet", "-o", str(out))
    gc.collect()
    assert code == 7
    assert "no space left on the device" in capsys.readouterr().err
    assert calls == [100, 100]
    assert list(tmp_path.iterdir()) == []
    assert unraisable == []


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


def test_row_groups_are_written_as_pages_arrive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parquet, "ROW_GROUP", 100)
    stream = io.BytesIO()
    writer = ParquetWriter(stream, columns_of("Worklog", "v4"))
    pages = [[{"tempoWorklogId": n} for n in range(start, start + 60)] for start in (0, 60, 120)]
    sizes = []
    for page in pages:
        writer.write(page)
        sizes.append(len(stream.getvalue()))
    assert sizes[1] > sizes[0]  # the first 120 rows are on disk before the end
    writer.finish()
    parquet = pq.ParquetFile(io.BytesIO(stream.getvalue()))
    groups = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
    assert groups == [120, 60]
    assert parquet.read().column("tempo_worklog_id").to_pylist() == list(range(180))


def test_values_arrow_cannot_hold_are_null_or_escaped() -> None:
    stream = io.BytesIO()
    writer = ParquetWriter(stream, columns_of("Worklog", "v4"))
    huge = {"tempoWorklogId": 2**70, "description": "a\ud800b"}
    nested = {"tempoWorklogId": 3, "attributes": {"values": [{"key": "k", "value": 2**70}]}}
    writer.write([huge, nested])
    writer.finish()
    rows = pq.read_table(io.BytesIO(stream.getvalue())).to_pylist()
    assert rows[0]["tempo_worklog_id"] is None
    assert rows[0]["description"] == "a\\ud800b"  # as the JSON Lines file writes it
    assert json.loads(rows[0]["raw"]) == huge
    assert rows[1]["tempo_worklog_id"] == 3
    assert json.loads(rows[1]["attributes_values"]) == nested["attributes"]["values"]
    assert json.loads(rows[1]["raw"]) == nested


def test_close_without_finish_leaves_pyarrow_nothing_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An interrupted export: `close()`, then the sink closes the stream; collecting the
    writer later must not make pyarrow write its footer to the closed stream."""
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(_parquet, "ROW_GROUP", 10)
    stream = io.BytesIO()
    writer = ParquetWriter(stream, columns_of("Worklog", "v4"))
    writer.write([{"tempoWorklogId": n} for n in range(20)])
    writer.close()
    writer.close()
    assert len(stream.getvalue()) > 0
    stream.close()
    del writer
    gc.collect()
    assert unraisable == []
