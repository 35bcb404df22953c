"""The export formats: JSON Lines as the server sent it, and CSV flattened to dotted columns.

JSON Lines writes each record the server sent, unchanged: every key (those the schema does
not know included), nulls, key order and number values, one compact object per line.

CSV flattens nested objects to dotted column names (`author.accountId`, `issue.key`);
arrays (`attributes.values`) are one cell holding their compact JSON. Cells: strings as
they are, numbers as in JSON, booleans `true`/`false`, null (or absent) as an empty cell.
The header is stable and written first: every column the API version's schema defines
for the resource, in the schema's order (present even when no record has a value), then
one `extra` column (`_extra` if the schema has an `extra`): the columns the server sent
that the schema does not know, as a compact JSON object of dotted name -> cell (empty
when there are none). So the CSV is written in one pass, as the pages arrive, and nothing
the server sent is dropped.
"""

from __future__ import annotations

import abc
import csv
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, TextIO

import orjson

__all__ = [
    "FORMATS",
    "CsvWriter",
    "JsonlWriter",
    "RecordWriter",
    "flatten",
    "schema_columns",
    "schema_definitions",
]

FORMATS = ("jsonl", "csv", "parquet")


_stdlib_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _compact(record: Any) -> str:
    """A record as compact JSON text: orjson (about 5x the stdlib encoder), or the stdlib
    for what orjson refuses (a lone surrogate the server escaped, a huge integer)."""
    try:
        return orjson.dumps(record).decode()
    except (TypeError, orjson.JSONEncodeError):
        return _stdlib_compact(record)


_spool_encode = json.JSONEncoder(separators=(",", ":")).encode


class RecordWriter(abc.ABC):
    """Writes the records of one export to a text stream."""

    @abc.abstractmethod
    def write(self, records: Sequence[Any]) -> None:
        """Write (or stage) a batch of records, in order."""

    @abc.abstractmethod
    def finish(self) -> None:
        """Write whatever was staged; the stream then holds the complete export."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release what the writer holds (the stream is not closed). Idempotent."""


class JsonlWriter(RecordWriter):
    """One compact JSON object per line, exactly the objects the server sent."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, records: Sequence[Any]) -> None:
        """Write each record on its own line."""
        if records:
            self._stream.write("\n".join(map(_compact, records)))
            self._stream.write("\n")

    def finish(self) -> None:
        """Nothing is staged: every record was written as it came."""

    def close(self) -> None:
        """Nothing to release."""


class CsvWriter(RecordWriter):
    """CSV with dotted columns and a stable header, written in one pass (see the module
    docstring)."""

    def __init__(self, stream: TextIO, schema_columns: Sequence[str]) -> None:
        self._columns = list(dict.fromkeys(schema_columns))
        self._index: dict[str, int] = {name: i for i, name in enumerate(self._columns)}
        self._extra = "_extra" if "extra" in self._index else "extra"
        self._writer = csv.writer(stream)
        self._writer.writerow(self.header)

    @property
    def header(self) -> list[str]:
        """The columns: the schema's, then the extra column."""
        return [*self._columns, self._extra]

    def write(self, records: Sequence[Any]) -> None:
        """Flatten the records and write their rows."""
        base = self._index
        width = len(base)
        rows = []
        for record in records:
            row = [""] * width
            index = base.copy()
            if type(record) is dict or isinstance(record, Mapping):
                _fill(record, "", row, index)
            else:
                _put("value", _cell(record), row, index)
            if len(index) > width:
                unknown = {name: row[i] for name, i in index.items() if i >= width}
                del row[width:]
                row.append(_compact(unknown))
            else:
                row.append("")
            rows.append(row)
        self._writer.writerows(rows)

    def finish(self) -> None:
        """Nothing is staged: every row was written as it came."""

    def close(self) -> None:
        """Nothing to release."""


def flatten(record: Any) -> dict[str, str]:
    """The CSV cells of one record: nested objects as dotted names, arrays as JSON."""
    index: dict[str, int] = {}
    row: list[str] = []
    if isinstance(record, Mapping):
        _fill(record, "", row, index)
    else:
        _put("value", _cell(record), row, index)
    return {name: row[i] for name, i in index.items()}


def _fill(obj: Mapping[str, Any], prefix: str, row: list[str], index: dict[str, int]) -> None:
    """Put the cells of `obj` (names under `prefix`) into `row` at their column index."""
    for key, value in obj.items():
        name = prefix + key
        kind = type(value)
        if kind is str:
            cell = value
        elif kind is dict or (kind is not list and isinstance(value, Mapping)):
            _fill(value, name + ".", row, index)
            continue
        else:
            cell = _cell(value)
        position = index.get(name)
        if position is None or position >= len(row):
            _put(name, cell, row, index)
        else:
            row[position] = cell


def _put(name: str, cell: str, row: list[str], index: dict[str, int]) -> None:
    position = index.setdefault(name, len(index))
    if position >= len(row):
        row.extend([""] * (position + 1 - len(row)))
    row[position] = cell


def _cell(value: Any) -> str:
    """A scalar as in JSON (null: empty), an array as compact JSON."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return str(value)
    if kind is int:
        return int.__repr__(value)
    return _compact(value)


@functools.cache
def schema_definitions(version: str = "v3") -> Mapping[str, Any]:
    """The JSON Schema definitions of API `version`'s models, by name."""
    bundle = f"{version}_schema.json"
    text = resources.files("tempo_async.models").joinpath(bundle).read_text("utf-8")
    definitions: Mapping[str, Any] = json.loads(text)["definitions"]
    return definitions


@functools.cache
def schema_columns(definition: str, version: str = "v3") -> tuple[str, ...]:
    """The dotted CSV columns of `definition` in API `version`'s schema, in its order.

    Objects with properties are expanded; anything else (scalars, enums, arrays, unions)
    is one column. A definition that refers back to itself is not expanded again.
    """
    definitions = schema_definitions(version)
    if definition not in definitions:
        raise KeyError(f"no schema definition {definition!r}")
    columns: list[str] = []

    def walk(schema: Mapping[str, Any], name: str, trail: tuple[str, ...]) -> None:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = ref.rsplit("/", 1)[-1]
            if target in trail or target not in definitions:
                columns.append(name)
                return
            trail = (*trail, target)
            schema = definitions[target]
        properties = schema.get("properties")
        if not isinstance(properties, Mapping) or not properties:
            columns.append(name)
            return
        for key, sub in _items(properties):
            walk(sub, f"{name}.{key}" if name else key, trail)

    walk({"$ref": f"#/definitions/{definition}"}, "", ())
    return tuple(columns)


def _items(properties: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for key, sub in properties.items():
        if isinstance(sub, Mapping):
            yield key, sub
