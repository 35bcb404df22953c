"""Worklogs stored as columns of small integer codes: ~60 bytes a worklog instead of ~1.2 KB.

A worklog is a row. Its ids are 8-byte integers; every other field is a 4-byte code into
an `Interned` table of the field's distinct values (dates, authors, issues, descriptions,
the list of work attribute values...), which a seeded instance draws from small pools.
Rows are never moved: a deleted row is marked dead, an updated one is overwritten in
place, so the sorted indexes (`worklog_store`) can hold row numbers. `WorklogFields`
gives a row back as Python values; the state renders them as the API's bodies.

Rows are appended in increasing worklog id (and Jira worklog id) order, as the state
hands out ids, so an id is found by bisection. A worklog added out of that order
switches that lookup to a dict.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from itertools import compress, pairwise, repeat
from typing import Any, Generic, NamedTuple, TypeVar

import orjson

T = TypeVar("T")
Worklog = dict[str, Any]
#: Stands for a missing Jira worklog id in its column.
_NO_JIRA_ID = -1


class WorklogFields(NamedTuple):
    """The fields a worklog is made of; its bodies (v3, v4) are rendered from them."""

    id: int
    jira_id: int | None
    issue_key: str
    author: str
    start_date: str
    start_time: str
    spent: int | float
    billable: int | float
    description: str
    #: `[{key, value}, ...]`, shared between worklogs: never mutate it.
    attribute_values: list[dict[str, Any]]
    created_at: str
    updated_at: str

    @classmethod
    def of_body(cls, body: Mapping[str, Any]) -> WorklogFields:
        """The fields of a stored (v3) worklog body."""
        return cls(
            body["tempoWorklogId"],
            body.get("jiraWorklogId"),
            body["issue"]["key"],
            body["author"]["accountId"],
            body["startDate"],
            body.get("startTime", "00:00:00"),
            body.get("timeSpentSeconds", 0),
            body.get("billableSeconds", 0),
            body.get("description", ""),
            body.get("attributes", {}).get("values", []),
            body.get("createdAt", body["updatedAt"]),
            body["updatedAt"],
        )


def _number_key(value: int | float) -> Hashable:
    # 1, 1.0 and True are equal as dict keys; their JSON is not.
    return (type(value), value)


def _values_key(values: list[dict[str, Any]]) -> Hashable:
    return orjson.dumps(values)


class Interned(Generic[T]):
    """The distinct values of a column, each stored once, addressed by a code."""

    __slots__ = ("_codes", "_key", "values")

    def __init__(self, key: Callable[[T], Hashable] | None = None) -> None:
        self.values: list[T] = []
        self._codes: dict[Hashable, int] = {}
        self._key = key

    def code(self, value: T) -> int:
        """The code of `value`, added when new."""
        key = value if self._key is None else self._key(value)
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = len(self.values)
            self.values.append(value)
        return code

    def codes(self, values: Sequence[T]) -> list[int]:
        """The code of each of `values` (a pool), in order."""
        return [self.code(value) for value in values]


#: Interned columns, in `WorklogFields` order after the two ids.
CODED_FIELDS = (
    "issue_key",
    "author",
    "start_date",
    "start_time",
    "spent",
    "billable",
    "description",
    "attribute_values",
    "created_at",
    "updated_at",
)


class _IdLookup:
    """Row of an id: bisection over the increasing ids, or a dict once they are not."""

    __slots__ = ("_rows", "ids")

    def __init__(self) -> None:
        self.ids = array("q")
        self._rows: dict[int, int] | None = None

    def append(self, value: int) -> None:
        ids = self.ids
        if self._rows is None and ids and value <= ids[-1]:
            self._rows = {v: r for r, v in enumerate(ids) if v != _NO_JIRA_ID}
        if self._rows is not None and value != _NO_JIRA_ID:
            self._rows[value] = len(ids)
        ids.append(value)

    def extend(self, values: Sequence[int]) -> None:
        increasing = all(a < b for a, b in pairwise(values))
        if self._rows is None and increasing and (not self.ids or values[0] > self.ids[-1]):
            self.ids.extend(values)
            return
        for value in values:
            self.append(value)

    def set(self, row: int, value: int) -> None:
        """Change the id of a row (rare: switches to the dict)."""
        ids = self.ids
        if ids[row] == value:
            return
        if self._rows is None:
            self._rows = {v: r for r, v in enumerate(ids) if v != _NO_JIRA_ID}
        if self._rows.get(ids[row]) == row:
            del self._rows[ids[row]]
        ids[row] = value
        if value != _NO_JIRA_ID:
            self._rows[value] = row

    def row(self, value: int) -> int | None:
        """The row holding `value` (the newest, alive or not)."""
        if self._rows is not None:
            return self._rows.get(value)
        ids = self.ids
        row = bisect_left(ids, value)
        return row if row < len(ids) and ids[row] == value else None


class WorklogColumns:
    """Every worklog as a row of codes; rows are appended, overwritten, marked dead."""

    def __init__(self) -> None:
        self.ids = _IdLookup()
        self.jira_ids = _IdLookup()
        self.tables: dict[str, Interned[Any]] = {name: Interned() for name in CODED_FIELDS}
        self.tables["spent"] = Interned(_number_key)
        self.tables["billable"] = Interned(_number_key)
        self.tables["attribute_values"] = Interned(_values_key)
        self.columns: dict[str, array[int]] = {name: array("I") for name in CODED_FIELDS}
        self.alive = bytearray()
        self.count = 0
        self._converted: dict[tuple[str, Callable[[Any], Any]], list[Any]] = {}

    def __len__(self) -> int:
        """Rows ever written, dead ones included."""
        return len(self.alive)

    def row_of(self, worklog_id: int) -> int | None:
        """The live row of a worklog id."""
        return self._live(self.ids.row(worklog_id))

    def row_of_jira_id(self, jira_id: int) -> int | None:
        """The live row of a Jira worklog id."""
        return self._live(self.jira_ids.row(jira_id))

    def _live(self, row: int | None) -> int | None:
        return row if row is not None and self.alive[row] else None

    def append(self, fields: WorklogFields) -> int:
        """Store a new row; its number."""
        row = len(self.alive)
        self.ids.append(fields.id)
        self.jira_ids.append(_NO_JIRA_ID if fields.jira_id is None else fields.jira_id)
        tables, columns = self.tables, self.columns
        for name in CODED_FIELDS:
            columns[name].append(tables[name].code(getattr(fields, name)))
        self.alive.append(1)
        self.count += 1
        return row

    def extend_pooled(
        self,
        ids: Sequence[int],
        jira_ids: Sequence[int],
        pooled: Mapping[str, tuple[Sequence[Any], Sequence[int]]],
    ) -> range:
        """Append rows given as ids and, per coded field, a pool of values and each row's
        index into it (the seeding fast path); the new rows."""
        first = len(self.alive)
        self.ids.extend(ids)
        self.jira_ids.extend(jira_ids)
        for name in CODED_FIELDS:
            pool, picks = pooled[name]
            if len(picks) != len(ids):
                raise ValueError(f"{name}: {len(picks)} values for {len(ids)} worklogs")
            codes = self.tables[name].codes(pool)
            self.columns[name].extend(map(codes.__getitem__, picks))
        self.alive.extend(b"\x01" * len(ids))
        self.count += len(ids)
        return range(first, len(self.alive))

    def overwrite(self, row: int, fields: WorklogFields) -> None:
        """Replace the fields of a live row (same worklog id)."""
        tables, columns = self.tables, self.columns
        for name in CODED_FIELDS:
            columns[name][row] = tables[name].code(getattr(fields, name))
        self.jira_ids.set(row, _NO_JIRA_ID if fields.jira_id is None else fields.jira_id)

    def kill(self, row: int) -> None:
        """Mark a row dead."""
        self.alive[row] = 0
        self.count -= 1

    def jira_id(self, row: int) -> int | None:
        """The Jira worklog id of a row."""
        value = self.jira_ids.ids[row]
        return None if value == _NO_JIRA_ID else value

    def value(self, name: str, row: int) -> Any:
        """One coded field of a row."""
        return self.tables[name].values[self.columns[name][row]]

    def key_of(self, name: str) -> Callable[[int], Any]:
        """A function giving a coded field of a row (for sorting and bisecting rows)."""
        values, column = self.tables[name].values, self.columns[name]
        return lambda row: values[column[row]]

    def fields(self, row: int) -> WorklogFields:
        """A row's fields."""
        return next(self.fields_many((row,)))

    def fields_many(self, rows: Sequence[int]) -> Iterator[WorklogFields]:
        """The fields of each of `rows` (column by column, at C speed)."""
        columns = [self.field_values(rows, name) for name in CODED_FIELDS]
        ids, jira_ids = self.ids_of(rows), self.jira_ids_of(rows)
        return map(tuple.__new__, repeat(WorklogFields), zip(ids, jira_ids, *columns, strict=True))

    def map_rows(
        self,
        rows: Sequence[int],
        body: Callable[..., T],
        issue: Callable[[str], Any],
        author: Callable[[str], Any],
        values: Callable[[Any], Any] | None = None,
    ) -> list[T]:
        """`body(id, jira_id, issue, spent, billable, start_date, start_time, description,
        created_at, updated_at, author, attribute_values)` of each of `rows`: each column
        read for all rows at once, `issue`, `author` and `values` (converters of the issue
        key, the author's account id and the attribute values) called once a distinct
        value. A page of bodies renders this way several times faster than row by row."""
        field = self.field_values
        return list(
            map(
                body,
                self.ids_of(rows),
                self.jira_ids_of(rows),
                field(rows, "issue_key", issue),
                field(rows, "spent"),
                field(rows, "billable"),
                field(rows, "start_date"),
                field(rows, "start_time"),
                field(rows, "description"),
                field(rows, "created_at"),
                field(rows, "updated_at"),
                field(rows, "author", author),
                field(rows, "attribute_values", values),
            )
        )

    def ids_of(self, rows: Sequence[int]) -> Iterator[int]:
        """The Tempo worklog id of each of `rows`."""
        return map(self.ids.ids.__getitem__, rows)

    def jira_ids_of(self, rows: Sequence[int]) -> Iterator[int | None]:
        """The Jira worklog id (or None) of each of `rows`."""
        return (
            None if value == _NO_JIRA_ID else value
            for value in map(self.jira_ids.ids.__getitem__, rows)
        )

    def field_values(
        self, rows: Sequence[int], name: str, convert: Callable[[Any], Any] | None = None
    ) -> Iterator[Any]:
        """A coded field of each of `rows`, through `convert` when given (called once a
        distinct value, its results cached: it must depend on the value alone)."""
        values = self.tables[name].values
        if convert is not None:
            converted = self._converted.setdefault((name, convert), [])
            if len(converted) < len(values):
                converted += map(convert, values[len(converted) :])
            values = converted
        return map(values.__getitem__, map(self.columns[name].__getitem__, rows))

    def live_rows(self) -> Iterator[int]:
        """Every live row, in worklog id order (as appended)."""
        return compress(range(len(self.alive)), self.alive)

    def ranks(self, name: str) -> list[int]:
        """Per code of a coded (string) field, its rank in the sorted distinct values."""
        values = self.tables[name].values
        rank = [0] * len(values)
        for position, code in enumerate(sorted(range(len(values)), key=values.__getitem__)):
            rank[code] = position
        return rank
