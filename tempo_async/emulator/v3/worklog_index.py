"""The sorted indexes of the worklog store and the selections served from them.

An index holds row numbers (4 bytes each, `rows_array`) in the order of a key of the row
(its start date, its updatedAt) then the row itself, so a range of keys is two bisections
and a page is a slice.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


def rows_array(values: Iterable[int] = ()) -> array[int]:
    """Row numbers as a compact array (4 bytes each)."""
    return array("I", values)


class SortedIndex:
    """Rows in (`key`, row) order; `key` gives a row's sort field (its start date)."""

    __slots__ = ("_key", "rows")

    def __init__(self, key: Callable[[int], str], rows: array[int] | None = None) -> None:
        self.rows = rows_array() if rows is None else rows
        self._key = key

    def __len__(self) -> int:
        return len(self.rows)

    def _position(self, value: str, row: int) -> int:
        rows, key = self.rows, self._key
        lo = bisect_left(rows, value, key=key)
        hi = bisect_right(rows, value, lo, key=key)
        return bisect_left(rows, row, lo, hi)

    def insert(self, row: int) -> None:
        """Add a row, keeping the order (by its current key)."""
        self.rows.insert(self._position(self._key(row), row), row)

    def remove(self, row: int) -> None:
        """Remove a row that is present (call before its key changes)."""
        position = self._position(self._key(row), row)
        if position >= len(self.rows) or self.rows[position] != row:
            raise KeyError(row)
        del self.rows[position]

    def span(self, lo_value: str | None, hi_value: str | None) -> tuple[int, int]:
        """Positions `[lo, hi)` of the rows keyed from `lo_value` to `hi_value` inclusive."""
        rows, key = self.rows, self._key
        lo = bisect_left(rows, lo_value, key=key) if lo_value else 0
        hi = bisect_right(rows, hi_value, key=key) if hi_value else len(rows)
        return lo, max(lo, hi)


class Selection(Protocol):
    """The worklogs a query selected, in (startDate, id) order."""

    def __len__(self) -> int: ...

    def rows(self, offset: int, limit: int) -> Sequence[int]:
        """The rows at positions `[offset, offset + limit)`."""
        ...

    def window(self, offset: int, limit: int) -> list[int]:
        """The worklog ids at positions `[offset, offset + limit)`."""
        ...


@dataclass(frozen=True)
class IndexSelection:
    """The rows `[lo, hi)` of an index, served as they are."""

    ids: Sequence[int]
    index: SortedIndex
    lo: int
    hi: int

    def __len__(self) -> int:
        return self.hi - self.lo

    def rows(self, offset: int, limit: int) -> Sequence[int]:
        start = self.lo + offset
        return self.index.rows[start : min(self.hi, start + limit)]

    def window(self, offset: int, limit: int) -> list[int]:
        return list(map(self.ids.__getitem__, self.rows(offset, limit)))


@dataclass(frozen=True)
class ListSelection:
    """Rows materialized for a query (kept in the store's cache until the next write)."""

    ids: Sequence[int]
    selected: Sequence[int]

    def __len__(self) -> int:
        return len(self.selected)

    def rows(self, offset: int, limit: int) -> Sequence[int]:
        return self.selected[offset : offset + limit]

    def window(self, offset: int, limit: int) -> list[int]:
        return list(map(self.ids.__getitem__, self.rows(offset, limit)))
