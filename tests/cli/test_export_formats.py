"""The export formats: JSON Lines unchanged, CSV flattened with a stable header."""

from __future__ import annotations

import csv
import io
import json
import random
from typing import Any

import pytest

from tempo_async.cli._formats import CsvWriter, JsonlWriter, _csv_line, flatten, schema_columns

WORKLOG: dict[str, Any] = {
    "self": "https://api.tempo.io/core/3/worklogs/126",
    "tempoWorklogId": 126,
    "jiraWorklogId": None,
    "issue": {"self": "https://x.atlassian.net/rest/api/2/issue/DUM-1", "key": "DUM-1"},
    "timeSpentSeconds": 3600.0,
    "startDate": "2026-01-05",
    "startTime": "09:00:00",
    "description": 'Tést, with "quotes"\nand a newline',
    "createdAt": "2026-01-05T09:00:00Z",
    "updatedAt": "2026-01-05T09:00:00Z",
    "author": {"self": "u", "accountId": "557058:abc", "displayName": "Erica"},
    "attributes": {"self": "a", "values": [{"key": "_COLOR_", "value": "red"}]},
    "unknownField": {"nested": True, "deeper": {"x": 1}},
}


def test_jsonl_writes_the_objects_unchanged_one_per_line() -> None:
    stream = io.StringIO()
    writer = JsonlWriter(stream)
    writer.write([WORKLOG, {"b": 1, "a": None}])
    writer.write([])
    writer.finish()
    lines = stream.getvalue().split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == [WORKLOG, {"b": 1, "a": None}]
    assert list(json.loads(lines[0])) == list(WORKLOG)  # key order kept
    assert '"timeSpentSeconds":3600.0' in lines[0]  # numbers as sent
    assert "Tést" in lines[0]  # readable UTF-8, not \\u escapes


def test_jsonl_keeps_a_lone_surrogate_as_its_json_escape() -> None:
    record = json.loads('{"description": "broken \\ud800 text"}')
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", newline="")
    JsonlWriter(stream).write([record])
    stream.flush()
    assert json.loads(raw.getvalue().decode("utf-8")) == record


def test_flatten_uses_dotted_names_json_arrays_and_json_scalars() -> None:
    cells = flatten(WORKLOG)
    assert cells["issue.key"] == "DUM-1"
    assert cells["author.accountId"] == "557058:abc"
    assert cells["attributes.values"] == '[{"key":"_COLOR_","value":"red"}]'
    assert cells["jiraWorklogId"] == ""
    assert cells["timeSpentSeconds"] == "3600.0"
    assert cells["tempoWorklogId"] == "126"
    assert cells["unknownField.nested"] == "true"
    assert cells["unknownField.deeper.x"] == "1"
    assert "issue" not in cells


def test_schema_columns_follow_the_schema_order() -> None:
    assert schema_columns("Worklog") == (
        "self",
        "tempoWorklogId",
        "jiraWorklogId",
        "issue.self",
        "issue.key",
        "timeSpentSeconds",
        "billableSeconds",
        "startDate",
        "startTime",
        "description",
        "createdAt",
        "updatedAt",
        "author.self",
        "author.accountId",
        "author.displayName",
        "attributes.self",
        "attributes.values",
    )
    assert schema_columns("Period") == ("from", "to")


def test_csv_header_is_the_schema_then_extra_with_the_unknown_columns() -> None:
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, schema_columns("Worklog"))
    assert stream.getvalue().startswith("self,tempoWorklogId,")  # written first: one pass
    second = {"tempoWorklogId": 127, "zeta": 1, "alpha": {"b": "x"}}
    writer.write([WORKLOG])
    writer.write([second])
    writer.finish()
    rows = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    header = rows[0]
    assert tuple(header[:-1]) == schema_columns("Worklog")
    assert header[-1] == "extra"
    cells = flatten(WORKLOG)
    first = dict(zip(header, rows[1], strict=True))
    assert {name: first[name] for name in header[:-1]} == {
        name: cells.get(name, "") for name in header[:-1]
    }
    assert json.loads(first["extra"]) == {
        "unknownField.nested": "true",
        "unknownField.deeper.x": "1",
    }
    assert first["description"] == WORKLOG["description"]  # quotes and newline survive
    last = dict(zip(header, rows[2], strict=True))
    assert json.loads(last["extra"]) == {"zeta": "1", "alpha.b": "x"}
    assert last["issue.key"] == ""
    assert len(rows) == 3


def test_a_record_with_no_unknown_field_has_an_empty_extra_cell() -> None:
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, ["id", "extra"])
    writer.write([{"id": 1, "extra": "mine"}, {"id": 2, "other": None}])
    rows = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    assert rows == [["id", "extra", "_extra"], ["1", "mine", ""], ["2", "", '{"other":""}']]


def test_csv_of_an_empty_export_is_the_schema_header() -> None:
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, schema_columns("Role"))
    writer.finish()
    assert stream.getvalue() == "self,id,name,default,extra\r\n"


MIXED_RECORDS: list[Any] = [
    WORKLOG,
    {k: v for k, v in WORKLOG.items() if k != "unknownField"},
    {"tempoWorklogId": 1, "issue": None, "author": "not an object"},
    {"tempoWorklogId": 2, "description": {"nested": "where a string belongs"}},
    {"tempoWorklogId": 3, "issue": {"key": "A-1", "surprise": [1, 2]}},
    {"tempoWorklogId": 4, "billableSeconds": 1.5, "startTime": False, "self": None},
    {},
    ["not", "an", "object"],
]


@pytest.mark.parametrize("record", MIXED_RECORDS)
def test_csv_rows_are_flatten_under_the_header_whatever_the_record(record: Any) -> None:
    """The columns of a page (regular records) and the walk (the rest) agree with
    `flatten`: the schema's cells, then the unknown ones in the extra column."""
    columns = schema_columns("Worklog")
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, columns)
    writer.write([record])
    rows = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    cells = flatten(record)
    unknown = {name: cell for name, cell in cells.items() if name not in columns}
    assert rows[1][:-1] == [cells.get(name, "") for name in columns]
    assert (json.loads(rows[1][-1]) if rows[1][-1] else {}) == unknown


def test_a_page_of_mixed_records_is_each_record_written_alone() -> None:
    """Pages are formatted column by column; irregular records in them are walked one
    by one: the page's text is the records' texts, quoted as the csv module quotes."""
    plain = {k: v for k, v in WORKLOG.items() if k != "unknownField"}
    records = [
        *MIXED_RECORDS,
        {**plain, "attributes": {"self": "a", "values": []}},  # "[]": no quotes
        {**plain, "attributes": {"self": "a", "values": ["\ud800"]}},  # orjson refuses
        {**plain, "description": None, "timeSpentSeconds": True, "startTime": 1.25},
        {**plain, "description": "plain text", "issue": {"key": "A-2"}},
    ]
    columns = schema_columns("Worklog")
    rng = random.Random(7)
    for _ in range(20):
        page = rng.sample(records * 3, k=rng.randint(1, 3 * len(records)))
        alone = []
        for record in page:
            stream = io.StringIO(newline="")
            CsvWriter(stream, columns).write([record])
            alone.append(stream.getvalue().split("\r\n", 1)[1])
        stream = io.StringIO(newline="")
        CsvWriter(stream, columns).write(page)
        _header, body = stream.getvalue().split("\r\n", 1)
        assert body == "".join(alone)
        rewritten = io.StringIO()
        csv.writer(rewritten).writerows(csv.reader(io.StringIO(body, newline="")))
        assert rewritten.getvalue() == body


def test_csv_lines_are_what_the_csv_module_writes() -> None:
    # the writer builds its lines itself (4x faster): every quoting case must match
    rng = random.Random(16)
    alphabet = ["a", ",", '"', "\r", "\n", " ", "é", "\t", "", "\\", "'"]
    for _ in range(5000):
        cells = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(1, 5))
        ]
        expected = io.StringIO()
        csv.writer(expected).writerow(cells)
        written = io.StringIO()
        writer = CsvWriter(written, cells[:-1] if len(cells) > 1 else ["value"])
        header_line = written.getvalue()
        assert header_line == _csv_module_line(writer.header)
        assert _csv_line(cells) + "\r\n" == expected.getvalue(), cells


def _csv_module_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()


def test_a_page_of_complete_records_is_read_a_record_at_a_time() -> None:
    # every column present, and one irregular record among regular ones
    columns = schema_columns("Worklog")
    records = []
    for n in range(5):
        record: dict[str, Any] = {}
        for dotted in columns:
            *parents, leaf = dotted.split(".")
            target = record
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = (
                [n, "a,b"] if leaf == "values" else n if leaf.endswith("Id") else f'{n} "x"'
            )
        records.append(record)
    records.append({**records[0], "unknown": 1})  # one irregular record among them
    stream = io.StringIO(newline="")
    CsvWriter(stream, columns).write(records)
    rows = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    for row, record in zip(rows[1:], records, strict=True):
        cells = flatten(record)
        assert row[:-1] == [cells.get(name, "") for name in columns]
    assert rows[-1][-1] == '{"unknown":"1"}'


def _random_cell(rng: random.Random, leaf: str) -> Any:
    """A value for a leaf column: the kinds a page of one server's records holds, with
    every character CSV quotes and the cases the column-wise fast paths must not miss."""
    text = "".join(rng.choice(["a", ",", '"', "\r\n", "é", "\x00", "],[", ""]) for _ in range(3))
    if leaf == "values":
        return rng.choice(
            [[], [1], [None], [text], [{"key": "_A_", "value": text}, {"key": "_B_"}], [[1], [2]]]
        )
    if leaf.endswith(("Id", "Seconds")) or leaf == "id":
        return rng.randint(-5, 10**12)
    return rng.choice([text, text, "plain", ""])


def test_pages_of_one_servers_records_are_what_the_csv_module_writes() -> None:
    # Records with every column, in one key order: the page is read column-wise at C speed
    # (values views, the arrays column encoded at once). Sometimes one record's keys come
    # in another order, or one lacks a key: that page is read record by record instead.
    columns = schema_columns("Worklog", "v4")
    rng = random.Random(4)
    for _ in range(300):
        records = []
        for _ in range(rng.randint(1, 6)):
            record: dict[str, Any] = {}
            for dotted in columns:
                *parents, leaf = dotted.split(".")
                target = record
                for parent in parents:
                    target = target.setdefault(parent, {})
                target[leaf] = _random_cell(rng, leaf)
            records.append(record)
        if rng.random() < 0.2:
            records[-1] = dict(reversed(records[-1].items()))
        if rng.random() < 0.1:
            records[0].pop("description")
        stream = io.StringIO(newline="")
        CsvWriter(stream, columns).write(records)
        expected = io.StringIO(newline="")
        out = csv.writer(expected)
        out.writerow([*columns, "extra"])
        for record in records:
            cells = flatten(record)
            out.writerow([cells.get(name, "") for name in columns] + [""])
        assert stream.getvalue() == expected.getvalue(), records
