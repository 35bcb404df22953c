"""Worklogs held for fast filtered paging: sorted by (startDate, id), indexed by key.

Every index is a `SortedIndex`: parallel lists of start dates and ids in (date, id)
order, so a from/to filter is two bisections and a page is a list slice. Secondary
indexes (issue, project, author, account) hold the same structure per key. A query over
one index with no extra predicate is served straight from the index; anything else (a
union of several keys, an `updatedFrom` predicate) is materialized once and cached until
the next write.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

#: The work attribute naming the Tempo account a worklog is logged on.
ACCOUNT_ATTRIBUTE = "_Account_"

IndexKind = Literal["issue", "project", "author", "account"]
Worklog = dict[str, Any]
_CACHE_SIZE = 32


class SortedIndex:
    """Worklog ids in (startDate, id) order, with their start dates alongside."""

    __slots__ = ("dates", "ids")

    def __init__(self) -> None:
        self.dates: list[str] = []
        self.ids: list[int] = []

    def __len__(self) -> int:
        return len(self.ids)

    def _position(self, date: str, worklog_id: int) -> int:
        lo = bisect_left(self.dates, date)
        hi = bisect_right(self.dates, date, lo)
        return bisect_left(self.ids, worklog_id, lo, hi)

    def insert(self, date: str, worklog_id: int) -> None:
        """Add keeping the order."""
        position = self._position(date, worklog_id)
        self.dates.insert(position, date)
        self.ids.insert(position, worklog_id)

    def remove(self, date: str, worklog_id: int) -> None:
        """Remove an entry that is present."""
        position = self._position(date, worklog_id)
        if position >= len(self.ids) or self.ids[position] != worklog_id:
            raise KeyError(worklog_id)
        del self.dates[position]
        del self.ids[position]

    def span(self, from_: str | None, to: str | None) -> tuple[int, int]:
        """Positions `[lo, hi)` of the entries dated from `from_` to `to` inclusive."""
        lo = bisect_left(self.dates, from_) if from_ else 0
        hi = bisect_right(self.dates, to) if to else len(self.dates)
        return lo, max(lo, hi)


class Selection(Protocol):
    """The worklog ids a query selected, in (startDate, id) order."""

    def __len__(self) -> int: ...

    def window(self, offset: int, limit: int) -> list[int]:
        """The ids at positions `[offset, offset + limit)`."""
        ...


@dataclass(frozen=True)
class _IndexSelection:
    index: SortedIndex
    lo: int
    hi: int

    def __len__(self) -> int:
        return self.hi - self.lo

    def window(self, offset: int, limit: int) -> list[int]:
        start = self.lo + offset
        return self.index.ids[start : min(self.hi, start + limit)]


@dataclass(frozen=True)
class _ListSelection:
    ids: list[int]

    def __len__(self) -> int:
        return len(self.ids)

    def window(self, offset: int, limit: int) -> list[int]:
        return self.ids[offset : offset + limit]


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


def account_of(worklog: Worklog) -> str | None:
    """The account key a worklog's `_Account_` attribute names."""
    attributes = worklog.get("attributes")
    if attributes:
        for value in attributes["values"]:
            if value["key"] == ACCOUNT_ATTRIBUTE:
                return str(value["value"])
    return None


class WorklogStore:
    """All worklogs by id, with the sorted indexes the list operations page through.

    The stored dicts are the JSON bodies served; they are replaced, never mutated, so
    nested objects (author, issue) may be shared between worklogs.
    """

    def __init__(self, project_of: Callable[[str], str | None]) -> None:
        self._project_of = project_of
        self.by_id: dict[int, Worklog] = {}
        self.by_jira_id: dict[int, int] = {}
        self.all = SortedIndex()
        self.indexes: dict[IndexKind, dict[str, SortedIndex]] = {
            "issue": {},
            "project": {},
            "author": {},
            "account": {},
        }
        self.version = 0
        self._cache: dict[Hashable, list[int]] = {}
        self._cache_version = 0

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[Worklog]:
        by_id = self.by_id
        return (by_id[i] for i in self.all.ids)

    def _keys(self, worklog: Worklog) -> list[tuple[IndexKind, str | None]]:
        issue = worklog["issue"]["key"]
        return [
            ("issue", issue),
            ("project", self._project_of(issue)),
            ("author", worklog["author"]["accountId"]),
            ("account", account_of(worklog)),
        ]

    def add(self, worklog: Worklog) -> None:
        """Store a new worklog."""
        worklog_id = worklog["tempoWorklogId"]
        if worklog_id in self.by_id:
            raise KeyError(f"worklog {worklog_id} already exists")
        date = worklog["startDate"]
        self.by_id[worklog_id] = worklog
        jira_id = worklog.get("jiraWorklogId")
        if jira_id is not None:
            self.by_jira_id[jira_id] = worklog_id
        for index in self._indexes_of(worklog, create=True):
            index.insert(date, worklog_id)
        self.version += 1

    def load_sorted(self, worklogs: Iterable[Worklog]) -> None:
        """Bulk-load new worklogs that come in (startDate, id) order after every stored one.

        The seeding fast path: appends to the indexes instead of inserting.
        """
        by_id, by_jira_id, indexes = self.by_id, self.by_jira_id, self.indexes
        last_date = self.all.dates[-1] if self.all.dates else ""
        last_id = max(self.by_id, default=0)
        all_dates, all_ids = self.all.dates, self.all.ids
        for worklog in worklogs:
            worklog_id = worklog["tempoWorklogId"]
            date = worklog["startDate"]
            if date < last_date or worklog_id <= last_id:
                raise ValueError(f"worklog {worklog_id} ({date}) is out of order")
            last_date, last_id = date, worklog_id
            by_id[worklog_id] = worklog
            by_jira_id[worklog["jiraWorklogId"]] = worklog_id
            all_dates.append(date)
            all_ids.append(worklog_id)
            for kind, key in self._keys(worklog):
                if key is None:
                    continue
                index = indexes[kind].get(key)
                if index is None:
                    index = indexes[kind][key] = SortedIndex()
                index.dates.append(date)
                index.ids.append(worklog_id)
        self.version += 1

    def _indexes_of(self, worklog: Worklog, *, create: bool) -> Iterator[SortedIndex]:
        yield self.all
        for kind, key in self._keys(worklog):
            if key is None:
                continue
            by_key = self.indexes[kind]
            index = by_key.get(key)
            if index is None:
                if not create:
                    raise KeyError(key)
                index = by_key[key] = SortedIndex()
            yield index

    def remove(self, worklog_id: int) -> Worklog:
        """Delete a worklog and return it."""
        worklog = self.by_id.pop(worklog_id)
        date = worklog["startDate"]
        for index in self._indexes_of(worklog, create=False):
            index.remove(date, worklog_id)
        jira_id = worklog.get("jiraWorklogId")
        if jira_id is not None:
            self.by_jira_id.pop(jira_id, None)
        self.version += 1
        return worklog

    def replace(self, worklog: Worklog) -> None:
        """Swap in a new version of a stored worklog (same id)."""
        self.remove(worklog["tempoWorklogId"])
        self.add(worklog)

    def get(self, worklog_id: int) -> Worklog | None:
        """The worklog with this Tempo id."""
        return self.by_id.get(worklog_id)

    def get_by_jira_id(self, jira_worklog_id: int) -> Worklog | None:
        """The worklog with this Jira worklog id."""
        worklog_id = self.by_jira_id.get(jira_worklog_id)
        return None if worklog_id is None else self.by_id.get(worklog_id)

    def select(
        self,
        sources: Sequence[Source] | None,
        *,
        from_: str | None = None,
        to: str | None = None,
        predicate: Callable[[Worklog], bool] | None = None,
        predicate_key: Hashable = None,
    ) -> Selection:
        """The worklogs of the union of `sources` (all worklogs when None), dated from
        `from_` to `to`, for which `predicate` holds.

        A predicate is only cached under a `predicate_key` that identifies it.
        """
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
        if predicate is None and len(slices) == 1:
            return _IndexSelection(*slices[0])
        if not slices:
            return _ListSelection([])
        cacheable = predicate is None or predicate_key is not None
        key = (tuple(sources) if sources is not None else None, from_, to, predicate_key)
        if cacheable:
            if self._cache_version != self.version:
                self._cache.clear()
                self._cache_version = self.version
            cached = self._cache.get(key)
            if cached is not None:
                return _ListSelection(cached)
        ids = self._materialize(slices, predicate)
        if cacheable:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = ids
        return _ListSelection(ids)

    def _materialize(
        self,
        slices: list[tuple[SortedIndex, int, int]],
        predicate: Callable[[Worklog], bool] | None,
    ) -> list[int]:
        if len(slices) == 1:
            index, lo, hi = slices[0]
            ids = index.ids[lo:hi]
        else:
            pairs: list[tuple[str, int]] = []
            for index, lo, hi in slices:
                pairs.extend(zip(index.dates[lo:hi], index.ids[lo:hi], strict=True))
            pairs.sort()
            ids = []
            last = None
            for _, worklog_id in pairs:
                if worklog_id != last:
                    ids.append(worklog_id)
                    last = worklog_id
        if predicate is not None:
            by_id = self.by_id
            ids = [i for i in ids if predicate(by_id[i])]
        return ids

    def time_spent(self, author: str, from_: str, to: str) -> int:
        """Total `timeSpentSeconds` of an author's worklogs dated from `from_` to `to`."""
        index = self.indexes["author"].get(author)
        if index is None:
            return 0
        lo, hi = index.span(from_, to)
        by_id = self.by_id
        return int(sum(by_id[i]["timeSpentSeconds"] for i in index.ids[lo:hi]))
