"""Worklogs held for fast filtered paging: sorted by (startDate, id), indexed by key.

Every index is a `SortedIndex`: parallel lists of start dates and ids in (date, id)
order, so a from/to filter is two bisections and a page is a list slice. Secondary
indexes (issue, project, author, account) hold the same structure per key. A query over
one index with no extra predicate is served straight from the index; anything else (a
union of several keys, an `updatedFrom` predicate) is materialized once and cached until
the next write.

An `UpdatedIndex` holds every worklog in (updatedAt, id) order, so the worklogs updated
since a date are a suffix found by bisection. An `updatedFrom` query is materialized in
whichever of three ways costs least for the sizes at hand (see `_plan`): filtering each
selected worklog by its updatedAt (the only way without the index), keeping the selected
ids that are in the set of the suffix's ids, or (all worklogs, maybe from/to) sorting the
suffix into (startDate, id) order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import not_
from typing import Any, Literal, Protocol

#: The work attribute naming the Tempo account a worklog is logged on.
ACCOUNT_ATTRIBUTE = "_Account_"

IndexKind = Literal["issue", "project", "author", "account"]
Worklog = dict[str, Any]
_CACHE_SIZE = 32

# Relative costs per worklog of the ways to materialize an `updatedFrom` query (~10 ns a
# unit), measured with 1,000,000 seeded worklogs where touching memory dominates: through
# the all-worklogs index, whose ids and worklogs lie in memory in its order, it is cheaper.
#: Filtering a selected worklog by its updatedAt (in a keyed index, in the all index).
_SCAN_COST, _SCAN_ALL_COST = 80, 15
#: Putting an id of the updatedAt index in a set.
_SET_COST = 4
#: Looking a selected id up in that set (in a keyed index, in the all index).
_PROBE_COST, _PROBE_ALL_COST = 20, 4
#: Sorting an id of the updatedAt index into (startDate, id) order.
_SORT_COST = 14
#: Merging a selected id of several slices into (startDate, id) order.
_MERGE_COST = 25


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


class UpdatedIndex:
    """Worklog ids in (updatedAt, id) order, with their updatedAt and start dates alongside."""

    __slots__ = ("dates", "ids", "stamps")

    def __init__(self) -> None:
        self.stamps: list[str] = []
        self.ids: list[int] = []
        self.dates: list[str] = []

    def __len__(self) -> int:
        return len(self.ids)

    def _position(self, stamp: str, worklog_id: int) -> int:
        lo = bisect_left(self.stamps, stamp)
        hi = bisect_right(self.stamps, stamp, lo)
        return bisect_left(self.ids, worklog_id, lo, hi)

    def insert(self, stamp: str, worklog_id: int, date: str) -> None:
        """Add keeping the order."""
        position = self._position(stamp, worklog_id)
        self.stamps.insert(position, stamp)
        self.ids.insert(position, worklog_id)
        self.dates.insert(position, date)

    def remove(self, stamp: str, worklog_id: int) -> None:
        """Remove an entry that is present."""
        position = self._position(stamp, worklog_id)
        if position >= len(self.ids) or self.ids[position] != worklog_id:
            raise KeyError(worklog_id)
        del self.stamps[position]
        del self.ids[position]
        del self.dates[position]

    def extend(self, stamps: list[str], ids: list[int], dates: list[str]) -> None:
        """Add entries (parallel lists) whose ids are greater than every stored one."""
        if not ids:
            return
        if self.ids:
            stamps, ids, dates = self.stamps + stamps, self.ids + ids, self.dates + dates
        # Stable: entries with equal stamps keep their (increasing) id order.
        order = sorted(range(len(stamps)), key=stamps.__getitem__)
        self.stamps = [stamps[i] for i in order]
        self.ids = [ids[i] for i in order]
        self.dates = [dates[i] for i in order]

    def since(self, stamp: str) -> int:
        """Position of the first entry whose updatedAt is `>= stamp` (as strings)."""
        return bisect_left(self.stamps, stamp)


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
        self.updated = UpdatedIndex()
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
        date, stamp = worklog["startDate"], worklog["updatedAt"]
        self.by_id[worklog_id] = worklog
        jira_id = worklog.get("jiraWorklogId")
        if jira_id is not None:
            self.by_jira_id[jira_id] = worklog_id
        for index in self._indexes_of(worklog, create=True):
            index.insert(date, worklog_id)
        self.updated.insert(stamp, worklog_id, date)
        self.version += 1

    def load_sorted(self, worklogs: Iterable[Worklog]) -> None:
        """Bulk-load new worklogs that come in (startDate, id) order after every stored one.

        The seeding fast path: appends to the indexes instead of inserting.
        """
        by_id, by_jira_id, indexes = self.by_id, self.by_jira_id, self.indexes
        last_date = self.all.dates[-1] if self.all.dates else ""
        last_id = max(self.by_id, default=0)
        all_dates, all_ids = self.all.dates, self.all.ids
        first = len(all_ids)
        stamps: list[str] = []
        try:
            for worklog in worklogs:
                worklog_id = worklog["tempoWorklogId"]
                date, stamp = worklog["startDate"], worklog["updatedAt"]
                if date < last_date or worklog_id <= last_id:
                    raise ValueError(f"worklog {worklog_id} ({date}) is out of order")
                last_date, last_id = date, worklog_id
                by_id[worklog_id] = worklog
                by_jira_id[worklog["jiraWorklogId"]] = worklog_id
                all_dates.append(date)
                all_ids.append(worklog_id)
                stamps.append(stamp)
                for kind, key in self._keys(worklog):
                    if key is None:
                        continue
                    index = indexes[kind].get(key)
                    if index is None:
                        index = indexes[kind][key] = SortedIndex()
                    index.dates.append(date)
                    index.ids.append(worklog_id)
        finally:
            if first:
                self.updated.extend(stamps, all_ids[first:], all_dates[first:])
            else:
                self.updated.extend(stamps, all_ids, all_dates)
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
        self.updated.remove(worklog["updatedAt"], worklog_id)
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
        updated_from: str | None = None,
        predicate: Callable[[Worklog], bool] | None = None,
        predicate_key: Hashable = None,
    ) -> Selection:
        """The worklogs of the union of `sources` (all worklogs when None), dated from
        `from_` to `to`, updated from `updated_from` on, for which `predicate` holds.

        "Updated from" compares strings, `updatedAt >= updated_from`: a date keeps the
        worklogs updated on that day or later, selected through the updatedAt index. A
        predicate is only cached under a `predicate_key` that identifies it.
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
        # `scan` is the whole predicate; `rest` what an updatedAt suffix still has to pass.
        scan, rest = predicate, predicate
        if updated_from is not None:
            scan = _updated_since(updated_from, predicate)
        start = 0
        if updated_from is not None:
            start = self.updated.since(updated_from)
            if start == len(self.updated):  # none updated since
                slices = []
            elif start == 0:  # every worklog was updated since: nothing to filter out
                scan, updated_from = rest, None
        if scan is None and len(slices) == 1:
            return _IndexSelection(*slices[0])
        if not slices:
            return _ListSelection([])
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
                return _ListSelection(cached)
        if updated_from is None:
            ids = self._materialize(slices, scan)
        else:
            plan = self._plan(slices, start, whole=sources is None)
            if plan == "scan":
                ids = self._materialize(slices, scan)
            elif plan == "probe":
                ids = self._probe_updated(slices, start, rest)
            else:
                ids = self._sort_updated(start, from_, to, rest)
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
            ids = _merge((index.dates[lo:hi], index.ids[lo:hi]) for index, lo, hi in slices)
        if predicate is not None:
            by_id = self.by_id
            ids = [i for i in ids if predicate(by_id[i])]
        return ids

    def _plan(
        self, slices: list[tuple[SortedIndex, int, int]], start: int, *, whole: bool
    ) -> Literal["scan", "probe", "sort"]:
        """The cheapest way to keep the worklogs of `slices` that are at or after position
        `start` of the updatedAt index; `whole` when the slices are one of all worklogs."""
        selected = sum(hi - lo for _, lo, hi in slices)
        total = len(self.updated)
        suffix = total - start
        kept = selected * suffix // max(1, total)  # estimated
        merge = _MERGE_COST if len(slices) > 1 else 0
        scan = selected * ((_SCAN_ALL_COST if whole else _SCAN_COST) + merge)
        probe = (
            min(start, suffix) * _SET_COST
            + selected * (_PROBE_ALL_COST if whole else _PROBE_COST)
            + kept * merge
        )
        plans: list[tuple[int, Literal["scan", "probe", "sort"]]] = [
            (scan, "scan"),
            (probe, "probe"),
        ]
        if whole:
            plans.append((suffix * _SORT_COST, "sort"))
        return min(plans, key=lambda plan: plan[0])[1]

    def _probe_updated(
        self,
        slices: list[tuple[SortedIndex, int, int]],
        start: int,
        predicate: Callable[[Worklog], bool] | None,
    ) -> list[int]:
        """The ids of `slices` that are also at or after position `start` of the updatedAt
        index, in (startDate, id) order, for which `predicate` holds.

        Looks the ids up in a set of the smaller side of `start`."""
        by_update = self.updated.ids
        if start <= len(by_update) - start:
            older = set(by_update[:start]).__contains__

            def keep(ids: list[int]) -> Iterable[bool]:
                return map(not_, map(older, ids))
        else:
            recent = set(by_update[start:]).__contains__

            def keep(ids: list[int]) -> Iterable[bool]:
                return map(recent, ids)

        if len(slices) == 1:
            index, lo, hi = slices[0]
            ids = index.ids[lo:hi]
            ids = list(compress(ids, keep(ids)))
        else:
            runs = []
            for index, lo, hi in slices:
                ids = index.ids[lo:hi]
                flags = list(keep(ids))
                runs.append((compress(index.dates[lo:hi], flags), compress(ids, flags)))
            ids = _merge(runs)
        if predicate is not None:
            by_id = self.by_id
            ids = [i for i in ids if predicate(by_id[i])]
        return ids

    def _sort_updated(
        self,
        start: int,
        from_: str | None,
        to: str | None,
        predicate: Callable[[Worklog], bool] | None,
    ) -> list[int]:
        """The ids at or after position `start` of the updatedAt index, dated from `from_`
        to `to`, in (startDate, id) order, for which `predicate` holds."""
        updated = self.updated
        ids = updated.ids[start:]
        date_of = dict(zip(ids, updated.dates[start:], strict=True)).__getitem__
        ids.sort()
        ids.sort(key=date_of)  # stable: ids stay in order within a date
        lo = bisect_left(ids, from_, key=date_of) if from_ else 0
        hi = bisect_right(ids, to, key=date_of) if to else len(ids)
        ids = ids[lo:hi]
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


def _merge(runs: Iterable[tuple[Iterable[str], Iterable[int]]]) -> list[int]:
    """The ids of several runs of (start dates, ids), in (startDate, id) order, each once."""
    date_of: dict[int, str] = {}
    for dates, ids in runs:
        date_of.update(zip(ids, dates, strict=True))
    merged = sorted(date_of)
    merged.sort(key=date_of.__getitem__)  # stable: ids stay in order within a date
    return merged


def _updated_since(
    updated_from: str, predicate: Callable[[Worklog], bool] | None
) -> Callable[[Worklog], bool]:
    """`predicate` (when given) and "updatedAt >= `updated_from`"."""
    if predicate is None:
        return lambda worklog: bool(worklog["updatedAt"] >= updated_from)
    inner = predicate
    return lambda worklog: bool(worklog["updatedAt"] >= updated_from) and inner(worklog)
