"""Worklogs held for fast filtered paging: rows of codes (`worklog_columns`), indexed.

Every index is a `SortedIndex` (`worklog_index`): the rows of some worklogs in
(startDate, id) order, so a from/to filter is two bisections and a page is a slice.
Secondary indexes (issue, project, author, account) hold the same per key. A query over
one index with no extra predicate is served straight from the index; anything else (a
union of several keys, an `updatedFrom` predicate) is materialized once, as an array of
rows, and cached until the next write.

The `updated` index holds every row in (updatedAt, id) order, so the worklogs updated
since a date are a suffix found by bisection. An `updatedFrom` query over all worklogs
whose suffix is short sorts the suffix into (startDate, id) order; any other keeps the
selected rows whose updatedAt code is flagged recent.

Bodies are rendered from a row's `WorklogFields` when asked for, by the `render` function
the store is given (the state's: the v3 body; v4 renders its own from the fields).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, pairwise
from typing import Any, Literal

from tempo_async.emulator.v3.worklog_columns import Worklog as Worklog
from tempo_async.emulator.v3.worklog_columns import WorklogColumns, WorklogFields
from tempo_async.emulator.v3.worklog_index import (
    IndexSelection,
    ListSelection,
    Selection,
    SortedIndex,
    rows_array,
)

#: The work attribute naming the Tempo account a worklog is logged on.
ACCOUNT_ATTRIBUTE = "_Account_"

IndexKind = Literal["issue", "project", "author", "account"]
INDEX_KINDS: tuple[IndexKind, ...] = ("issue", "project", "author", "account")
Predicate = Callable[[WorklogFields], bool]
_CACHE_SIZE = 32
#: An `updatedFrom` query over all worklogs sorts its suffix of the updatedAt index when
#: that is shorter than the selection by this factor (sorting a row costs about that
#: many times flagging one).
_SORT_FACTOR = 12


@dataclass(frozen=True)
class Source:
    """Worklogs of one index key, optionally limited to a date window of their own."""

    kind: IndexKind
    key: str
    from_: str | None = None
    to: str | None = None


def _later(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def _earlier(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def account_of_values(values: Iterable[Mapping[str, Any]]) -> str | None:
    """The account key an `_Account_` work attribute value names."""
    for value in values:
        if value["key"] == ACCOUNT_ATTRIBUTE:
            return str(value["value"])
    return None


def account_of(worklog: Worklog) -> str | None:
    """The account key a worklog body's `_Account_` attribute names."""
    attributes = worklog.get("attributes")
    return account_of_values(attributes["values"]) if attributes else None


class _ById(Mapping[int, Worklog]):
    """The stored worklogs by id, each rendered when read (in id order)."""

    def __init__(self, store: WorklogStore) -> None:
        self._store = store

    def __getitem__(self, worklog_id: int) -> Worklog:
        worklog = self._store.get(worklog_id)
        if worklog is None:
            raise KeyError(worklog_id)
        return worklog

    def __iter__(self) -> Iterator[int]:
        return map(self._store.columns.ids.ids.__getitem__, self._store.columns.live_rows())

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, worklog_id: object) -> bool:
        return isinstance(worklog_id, int) and self._store.columns.row_of(worklog_id) is not None


class WorklogStore:
    """All worklogs as rows, with the sorted indexes the list operations page through.

    Args:
        project_of: the project key of an issue key.
        render: the body served for a worklog's fields (what `add` is given back).
        render_rows: the bodies of rows, as `render` gives them (a page's, column by
            column: several times faster than one `render` a row).
    """

    def __init__(
        self,
        project_of: Callable[[str], str | None],
        render: Callable[[WorklogFields], Worklog],
        render_rows: Callable[[Sequence[int]], list[Worklog]],
    ) -> None:
        self._project_of = project_of
        self._render = render
        self._render_rows = render_rows
        self.columns = columns = WorklogColumns()
        self._date_of = columns.key_of("start_date")
        self._updated_of = columns.key_of("updated_at")
        self.all = SortedIndex(self._date_of)
        self.indexes: dict[IndexKind, dict[str, SortedIndex]] = {kind: {} for kind in INDEX_KINDS}
        self.updated = SortedIndex(self._updated_of)
        self.by_id: Mapping[int, Worklog] = _ById(self)
        self.version = 0
        self._cache: dict[Hashable, Sequence[int]] = {}
        self._cache_version = 0

    def __len__(self) -> int:
        return self.columns.count

    def __iter__(self) -> Iterator[Worklog]:
        """Every worklog's body, in (startDate, id) order."""
        return map(self.body, self.all.rows)

    # -- reading --------------------------------------------------------------------------

    def body(self, row: int) -> Worklog:
        """The body of the worklog in a row."""
        return self._render(self.columns.fields(row))

    def bodies(self, rows: Sequence[int]) -> list[Worklog]:
        """The bodies of the worklogs in `rows`."""
        return self._render_rows(rows)

    def get(self, worklog_id: int) -> Worklog | None:
        """The worklog with this Tempo id."""
        row = self.columns.row_of(worklog_id)
        return None if row is None else self.body(row)

    def fields_of(self, worklog_id: int) -> WorklogFields | None:
        """The fields of the worklog with this Tempo id."""
        row = self.columns.row_of(worklog_id)
        return None if row is None else self.columns.fields(row)

    def get_by_jira_id(self, jira_worklog_id: int) -> Worklog | None:
        """The worklog with this Jira worklog id."""
        row = self.columns.row_of_jira_id(jira_worklog_id)
        return None if row is None else self.body(row)

    def fields_by_jira_id(self, jira_worklog_id: int) -> WorklogFields | None:
        """The fields of the worklog with this Jira worklog id."""
        row = self.columns.row_of_jira_id(jira_worklog_id)
        return None if row is None else self.columns.fields(row)

    def worklogs_of(self, kind: IndexKind, key: str) -> list[Worklog]:
        """The worklogs of one index key, in (startDate, id) order."""
        index = self.indexes[kind].get(key)
        return [] if index is None else self.bodies(index.rows)

    def uses_attribute(self, key: str) -> bool:
        """Whether a stored worklog has a value of the work attribute `key`."""
        table = self.columns.tables["attribute_values"].values
        codes = {c for c, values in enumerate(table) if any(v["key"] == key for v in values)}
        live = compress(self.columns.columns["attribute_values"], self.columns.alive)
        return not codes.isdisjoint(live)

    def time_spent(self, author: str, from_: str, to: str) -> int:
        """Total `timeSpentSeconds` of an author's worklogs dated from `from_` to `to`."""
        index = self.indexes["author"].get(author)
        if index is None:
            return 0
        lo, hi = index.span(from_, to)
        spent = self.columns.key_of("spent")
        return int(sum(map(spent, index.rows[lo:hi])))

    # -- writing --------------------------------------------------------------------------

    def _keys(self, row: int) -> list[tuple[IndexKind, str | None]]:
        value = self.columns.value
        issue = value("issue_key", row)
        return [
            ("issue", issue),
            ("project", self._project_of(issue)),
            ("author", value("author", row)),
            ("account", account_of_values(value("attribute_values", row))),
        ]

    def _index(self, kind: IndexKind, key: str) -> SortedIndex:
        index = self.indexes[kind].get(key)
        if index is None:
            index = self.indexes[kind][key] = SortedIndex(self._date_of)
        return index

    def _insert(self, row: int, keys: Iterable[tuple[IndexKind, str | None]]) -> None:
        for kind, key in keys:
            if key is not None:
                self._index(kind, key).insert(row)

    def _remove(self, row: int, keys: Iterable[tuple[IndexKind, str | None]]) -> None:
        for kind, key in keys:
            if key is not None:
                self.indexes[kind][key].remove(row)

    def add(self, worklog: Worklog) -> None:
        """Store a new worklog (a body as `render` makes them)."""
        fields = WorklogFields.of_body(worklog)
        if self.columns.row_of(fields.id) is not None:
            raise KeyError(f"worklog {fields.id} already exists")
        row = self.columns.append(fields)
        self.all.insert(row)
        self.updated.insert(row)
        self._insert(row, self._keys(row))
        self.version += 1

    def load_sorted(self, worklogs: Iterable[Worklog]) -> None:
        """Bulk-load new worklogs (bodies), indexing them once at the end."""
        columns = self.columns
        first = len(columns)
        for worklog in worklogs:
            fields = WorklogFields.of_body(worklog)
            if columns.row_of(fields.id) is not None:
                raise KeyError(f"worklog {fields.id} already exists")
            columns.append(fields)
        self._index_rows(range(first, len(columns)))

    def load_pooled(
        self,
        ids: Sequence[int],
        jira_ids: Sequence[int],
        pooled: Mapping[str, tuple[Sequence[Any], Sequence[int]]],
    ) -> None:
        """Bulk-load new worklogs given as columns (see `WorklogColumns.extend_pooled`)."""
        self._index_rows(self.columns.extend_pooled(ids, jira_ids, pooled))

    def _index_rows(self, rows: range) -> None:
        """Index rows just appended: one at a time when few, else by rebuilding."""
        self.version += 1
        if len(rows) * 20 < len(self.columns):
            for row in rows:
                self.all.insert(row)
                self.updated.insert(row)
                self._insert(row, self._keys(row))
            return
        columns = self.columns
        live = rows_array(columns.live_rows())
        self.all = SortedIndex(self._date_of, self._sorted_by(live, "start_date"))
        self.updated = SortedIndex(self._updated_of, self._sorted_by(live, "updated_at"))
        for kind, by_key in self._group(self.all.rows).items():
            self.indexes[kind] = {
                key: SortedIndex(self._date_of, group) for key, group in by_key.items()
            }

    def _sorted_by(self, rows: array[int], name: str) -> array[int]:
        """`rows` (increasing) in (field `name`, row) order."""
        rank = self.columns.ranks(name)
        row_rank = rows_array(map(rank.__getitem__, self.columns.columns[name]))
        if all(a <= b for a, b in pairwise(map(row_rank.__getitem__, rows))):
            return rows_array(rows)  # already in order (a copy: each index owns its array)
        return rows_array(sorted(rows, key=row_rank.__getitem__))  # stable: rows stay in order

    def _group(self, ordered: Sequence[int]) -> dict[IndexKind, dict[str, array[int]]]:
        """`ordered` rows split by each index kind's key, order kept."""
        columns = self.columns
        issues = columns.tables["issue_key"].values
        key_of_code: dict[IndexKind, tuple[str, list[str | None]]] = {
            "issue": ("issue_key", list(issues)),
            "project": ("issue_key", [self._project_of(issue) for issue in issues]),
            "author": ("author", list(columns.tables["author"].values)),
            "account": (
                "attribute_values",
                list(map(account_of_values, columns.tables["attribute_values"].values)),
            ),
        }
        groups: dict[IndexKind, dict[str, array[int]]] = {}
        for kind, (name, keys) in key_of_code.items():
            distinct = dict.fromkeys(key for key in keys if key is not None)
            slots = {key: slot for slot, key in enumerate(distinct)}
            by_slot = [rows_array() for _ in range(len(slots) + 1)]  # the last: no key
            appenders = [by_slot[-1 if key is None else slots[key]].append for key in keys]
            column = columns.columns[name]
            for row in ordered:
                appenders[column[row]](row)
            groups[kind] = {key: by_slot[slot] for key, slot in slots.items() if by_slot[slot]}
        return groups

    def remove(self, worklog_id: int) -> Worklog:
        """Delete a worklog and return its body."""
        row = self.columns.row_of(worklog_id)
        if row is None:
            raise KeyError(worklog_id)
        worklog = self.body(row)
        self.all.remove(row)
        self.updated.remove(row)
        self._remove(row, self._keys(row))
        self.columns.kill(row)
        self.version += 1
        return worklog

    def replace(self, worklog: Worklog) -> None:
        """Swap in a new version of a stored worklog (same id), re-indexing only the
        indexes whose key or order it changes."""
        fields = WorklogFields.of_body(worklog)
        row = self.columns.row_of(fields.id)
        if row is None:
            raise KeyError(fields.id)
        old = self.columns.fields(row)
        old_keys = self._keys(row)
        moved = old.start_date != fields.start_date
        restamped = old.updated_at != fields.updated_at
        if moved:
            self.all.remove(row)
            self._remove(row, old_keys)
        if restamped:
            self.updated.remove(row)
        self.columns.overwrite(row, fields)
        new_keys = self._keys(row)
        if moved:
            self.all.insert(row)
            self._insert(row, new_keys)
        else:
            changed = [(a, b) for a, b in zip(old_keys, new_keys, strict=True) if a != b]
            self._remove(row, (a for a, _ in changed))
            self._insert(row, (b for _, b in changed))
        if restamped:
            self.updated.insert(row)
        self.version += 1

    # -- selecting ------------------------------------------------------------------------

    def select(
        self,
        sources: Sequence[Source] | None,
        *,
        from_: str | None = None,
        to: str | None = None,
        updated_from: str | None = None,
        predicate: Predicate | None = None,
        predicate_key: Hashable = None,
    ) -> Selection:
        """The worklogs of the union of `sources` (all worklogs when None), dated from
        `from_` to `to`, updated from `updated_from` on, whose fields pass `predicate`.

        "Updated from" compares strings, `updatedAt >= updated_from`: a date keeps the
        worklogs updated on that day or later. A predicate is only cached under a
        `predicate_key` that identifies it.
        """
        ids = self.columns.ids.ids
        slices: list[tuple[SortedIndex, int, int]] = []
        for source in sources if sources is not None else [None]:
            if source is None:
                index: SortedIndex | None = self.all
                lo_date, hi_date = from_, to
            else:
                index = self.indexes[source.kind].get(source.key)
                lo_date, hi_date = _later(from_, source.from_), _earlier(to, source.to)
            if index is None or (lo_date and hi_date and lo_date > hi_date):
                continue
            lo, hi = index.span(lo_date, hi_date)
            if hi > lo:
                slices.append((index, lo, hi))
        start = 0
        if updated_from is not None:
            start = self.updated.span(updated_from, None)[0]
            if start == len(self.updated):  # none updated since
                slices = []
            elif start == 0:  # every worklog was updated since: nothing to filter out
                updated_from = None
        if predicate is None and updated_from is None and len(slices) == 1:
            return IndexSelection(ids, *slices[0])
        if not slices:
            return ListSelection(ids, ())
        cacheable = predicate is None or predicate_key is not None
        key = (
            tuple(sources) if sources is not None else None,
            from_,
            to,
            updated_from,
            predicate_key,
        )
        if cacheable:
            if self._cache_version != self.version:
                self._cache.clear()
                self._cache_version = self.version
            cached = self._cache.get(key)
            if cached is not None:
                return ListSelection(ids, cached)
        selected = self._materialize(slices, start, updated_from, whole=sources is None)
        if predicate is not None:
            fields = self.columns.fields_many(selected)
            selected = rows_array(compress(selected, map(predicate, fields)))
        if cacheable:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = selected
        return ListSelection(ids, selected)

    def _materialize(
        self,
        slices: list[tuple[SortedIndex, int, int]],
        start: int,
        updated_from: str | None,
        *,
        whole: bool,
    ) -> array[int]:
        """The rows of `slices` in (startDate, id) order, updated since `updated_from`
        (at or after position `start` of the updatedAt index)."""
        selected = sum(hi - lo for _, lo, hi in slices)
        if updated_from is not None and self._plan(selected, start, whole=whole) == "sort":
            ((_, lo, hi),) = slices
            dates = self.all.rows
            return self._sort_updated(start, self._date_of(dates[lo]), self._date_of(dates[hi - 1]))
        if len(slices) == 1:
            index, lo, hi = slices[0]
            rows = index.rows[lo:hi]
        else:
            merged = sorted({row for index, lo, hi in slices for row in index.rows[lo:hi]})
            merged.sort(key=self._date_of)  # stable: rows stay in order within a date
            rows = rows_array(merged)
        if updated_from is None:
            return rows
        values = self.columns.tables["updated_at"].values
        recent = bytes(stamp >= updated_from for stamp in values)
        column = self.columns.columns["updated_at"]
        return rows_array(compress(rows, map(recent.__getitem__, map(column.__getitem__, rows))))

    def _plan(self, selected: int, start: int, *, whole: bool) -> Literal["flag", "sort"]:
        """How to keep the `selected` rows updated since position `start` of the updatedAt
        index: flag each, or (all worklogs only) sort that suffix into date order."""
        suffix = len(self.updated) - start
        return "sort" if whole and suffix * _SORT_FACTOR < selected else "flag"

    def _sort_updated(self, start: int, from_: str, to: str) -> array[int]:
        """The rows at or after position `start` of the updatedAt index, dated from
        `from_` to `to`, in (startDate, id) order."""
        rows = sorted(self.updated.rows[start:])
        date_of = self._date_of
        rows.sort(key=date_of)  # stable: rows stay in order within a date
        lo = bisect_left(rows, from_, key=date_of)
        hi = bisect_right(rows, to, key=date_of)
        return rows_array(rows[lo:hi])
