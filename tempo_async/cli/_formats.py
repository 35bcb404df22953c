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
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import IO, Any, TextIO

import orjson

from tempo_async.cli._csv_page import CsvPage, quoted

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


def _compact_bytes(record: Any) -> bytes:
    """`_compact(record)` as UTF-8, lone surrogates as their `\\udXXX` escapes."""
    return _compact(record).encode("utf-8", "backslashreplace")


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
    """One compact JSON object per line, exactly the objects the server sent.

    orjson's UTF-8 bytes go straight to the binary buffer under the text stream (flushed
    first, never written as text again): encoding them to `str` and back cost more than
    the JSON encoding itself. A record orjson refuses (a lone surrogate the server
    escaped, an integer beyond 64 bits) is written as the stdlib encodes it, its lone
    surrogates as `\\udXXX` escapes, as the text stream's `backslashreplace` did.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        buffer = getattr(stream, "buffer", None)
        self._binary: IO[bytes] | None = None
        if buffer is not None:
            stream.flush()
            self._binary = buffer

    def write(self, records: Sequence[Any]) -> None:
        """Write each record on its own line."""
        if not records:
            return
        binary = self._binary
        if binary is None:
            self._stream.write("\n".join(map(_compact, records)))
            self._stream.write("\n")
            return
        try:
            data = b"\n".join(map(orjson.dumps, records))
        except (TypeError, orjson.JSONEncodeError):
            data = b"\n".join(_compact_bytes(record) for record in records)
        binary.write(data)
        binary.write(b"\n")

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
        self._page = CsvPage(self._columns, _cell)
        self._stream = stream
        self._stream.write(_csv_line(self.header) + _CRLF)

    @property
    def header(self) -> list[str]:
        """The columns: the schema's, then the extra column."""
        return [*self._columns, self._extra]

    def write(self, records: Sequence[Any]) -> None:
        """Flatten the records and write their rows (one write a batch)."""
        if not records:
            return
        lines = [
            _csv_line(self._irregular_row(record)) if line is None else line
            for line, record in zip(self._page.lines(records), records, strict=True)
        ]
        lines.append("")
        self._stream.write(_CRLF.join(lines))

    def _irregular_row(self, record: Any) -> list[str]:
        """The row of a record with fields the schema does not know (or not of the kind
        it says): `_fill` walks it, the unknown cells go to the extra column."""
        width = len(self._index)
        row = [""] * width
        index = self._index.copy()
        if type(record) is dict or isinstance(record, Mapping):
            _fill(record, "", row, index)
        else:
            _put("value", _cell(record), row, index)
        if len(index) == width:
            row.append("")
            return row
        unknown = {name: row[i] for name, i in index.items() if i >= width}
        del row[width:]
        row.append(_compact(unknown))
        return row

    def finish(self) -> None:
        """Nothing is staged: every row was written as it came."""

    def close(self) -> None:
        """Nothing to release."""


_CRLF = "\r\n"


def _csv_line(cells: list[str]) -> str:
    """A CSV line (no terminator) as `csv.writer` writes it (the header, an irregular
    record's row; pages are `CsvPage`'s)."""
    if cells == [""]:
        return '""'  # a lone empty cell would read as an empty line
    return ",".join([quoted(cell) for cell in cells])


def _cell(value: Any) -> str:
    """A scalar as in JSON (null: empty), an array (or object) as compact JSON."""
    kind = type(value)
    if kind is str:
        return str(value)
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    return _compact(value)


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
