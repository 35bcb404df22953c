"""`--format parquet`: typed columns in a Parquet file, for loading into a warehouse.

The columns are the sync's (`_columns`: nested objects flattened, snake_case names,
int64 / float64 / bool / date32 / timestamp[us, UTC] / time64[us] / string, arrays as
JSON text), then `raw`: each record's compact JSON, so a field the schema does not know
is never lost. Each page becomes an Arrow batch as it arrives, and row groups of `ROW_GROUP` rows are
written out: memory stays flat however many records there are. pyarrow is an optional extra, imported only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from tempo_async.cli._columns import Column, Kind, row_reader
from tempo_async.cli._formats import RecordWriter, _compact

__all__ = ["MISSING_PYARROW", "ROW_GROUP", "ParquetWriter", "require_pyarrow"]

ROW_GROUP = 32_768
MISSING_PYARROW = '--format parquet needs pyarrow: pip install "tempo-async-client[parquet]"'


def require_pyarrow() -> Any:
    """The pyarrow.parquet module; ImportError (with `MISSING_PYARROW`) without it."""
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError(MISSING_PYARROW) from None
    return pq


def _arrow_type(kind: Kind) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    return {
        Kind.INTEGER: pa.int64(),
        Kind.NUMBER: pa.float64(),
        Kind.BOOLEAN: pa.bool_(),
        Kind.DATE: pa.date32(),
        Kind.DATETIME: pa.timestamp("us", tz="UTC"),
        Kind.TIME: pa.time64("us"),
        Kind.TEXT: pa.string(),
        Kind.JSON: pa.string(),
    }[kind]


class ParquetWriter(RecordWriter):
    """Writes records as typed Parquet row groups to a binary stream."""

    def __init__(self, stream: IO[bytes], columns: tuple[Column, ...]) -> None:
        import pyarrow as pa

        pq = require_pyarrow()
        self._columns = columns
        self._read = row_reader(columns)
        fields = [pa.field(c.name, _arrow_type(c.kind)) for c in columns]
        self._schema = pa.schema([*fields, pa.field("raw", pa.string())])
        self._writer: Any = pq.ParquetWriter(stream, self._schema, compression="zstd")
        self._batches: list[Any] = []
        """Pages already converted to Arrow (compact), waiting for a full row group."""
        self._staged = 0

    def write(self, records: Sequence[Any]) -> None:
        """Convert the records to an Arrow batch; a full row group is written out."""
        import pyarrow as pa

        if not records:
            return
        read = self._read
        width = len(self._columns)
        empty = (None,) * width
        rows = [read(r) if isinstance(r, dict) else empty for r in records]
        arrays = [
            pa.array([row[i] for row in rows], type=self._schema.field(i).type)
            for i in range(width)
        ]
        arrays.append(pa.array([_compact(r) for r in records], type=pa.string()))
        self._batches.append(pa.RecordBatch.from_arrays(arrays, schema=self._schema))
        self._staged += len(records)
        if self._staged >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._batches:
            self._writer.write_table(pa.Table.from_batches(self._batches))
        self._batches, self._staged = [], 0

    def finish(self) -> None:
        """Write the last row group and the file's footer."""
        self._flush()
        self._writer.close()

    def close(self) -> None:
        """Drop what is staged (the file is discarded by its sink)."""
        self._batches, self._staged = [], 0
