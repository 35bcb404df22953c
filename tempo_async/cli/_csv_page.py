"""CSV lines of a page of records, built column by column at C speed.

Reading a record's cells one at a time in Python costs more than everything else an
export does to it; here each column is read for the whole page at once (`map` of
`dict.get`), each column's cells are checked for characters that need quotes by
substring searches over their concatenation, and the rows are joined by `zip`. A record that
is not regular (not a dict, a key the columns do not know, an object where a cell
belongs, a nested object that is not one) gets no line: the caller walks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from operator import and_, is_not
from typing import Any

import orjson

#: A character that makes a cell quoted (the csv module's QUOTE_MINIMAL, default dialect).
needs_quotes = re.compile(r'[",\r\n]').search
_EMPTY: Mapping[str, Any] = {}
_get = dict.get


def has_specials(text: str) -> bool:
    """Whether `text` holds a character that needs quotes: four substring searches, each
    far faster than the regex's scan on long text (a page's column)."""
    return '"' in text or "," in text or "\n" in text or "\r" in text


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def quoted(cell: str) -> str:
    """A cell as `csv.writer` writes it: in quotes, its quotes doubled, when it needs."""
    return _quote(cell) if needs_quotes(cell) else cell


def _flags_and(flags: list[bool] | None, more: list[bool] | None) -> list[bool] | None:
    if more is None:
        return flags
    return more if flags is None else list(map(and_, flags, more))


def _dict_flags(objects: list[Any], known: frozenset[str]) -> list[bool] | None:
    """Per object, whether it is a dict of `known` keys; None when all are."""
    if list(map(type, objects)).count(dict) == len(objects):
        if all(map(known.issuperset, objects)):
            return None
        return list(map(known.issuperset, objects))
    return [type(o) is dict and known.issuperset(o) for o in objects]


def _children(objects: list[Any], key: str) -> list[Any]:
    """`o.get(key, {})` of each object (`{}` for one that is not a dict)."""
    try:
        return list(map(_get, objects, repeat(key), repeat(_EMPTY)))
    except TypeError:
        return [o.get(key, _EMPTY) if type(o) is dict else _EMPTY for o in objects]


class CsvPage:
    """Formats pages of records for dotted `columns` then an empty extra cell."""

    def __init__(self, columns: Sequence[str], cell: Callable[[Any], str]) -> None:
        """`cell` gives a scalar's or an array's text (never called with a dict)."""
        self._cell = cell
        known: dict[tuple[str, ...], set[str]] = {(): set()}
        self._leaves: list[tuple[tuple[str, ...], str]] = []
        for dotted in columns:
            path = tuple(dotted.split("."))
            for depth in range(len(path)):
                known.setdefault(path[:depth], set()).add(path[depth])
            self._leaves.append((path[:-1], path[-1]))
        # parents before their children (shorter prefixes first)
        self._objects = [(prefix, frozenset(keys)) for prefix, keys in sorted(known.items())]

    def lines(self, records: Sequence[Any]) -> list[str | None]:
        """Each record's CSV line (no terminator); None for a record that is not regular."""
        objects: dict[tuple[str, ...], list[Any]] = {(): list(records)}
        flags: list[bool] | None = None
        for prefix, keys in self._objects:
            if prefix:
                objects[prefix] = _children(objects[prefix[:-1]], prefix[-1])
            flags = _flags_and(flags, _dict_flags(objects[prefix], keys))
        columns = []
        for parent, key in self._leaves:
            values = _children(objects[parent], key)
            kinds = set(map(type, values))
            if dict in kinds:  # an object where a cell belongs
                flags = _flags_and(flags, list(map(is_not, map(type, values), repeat(dict))))
            columns.append((values, kinds))
        if flags is not None:  # the regular records' values only (and their kinds)
            kept = [list(compress(values, flags)) for values, _ in columns]
            columns = [(values, set(map(type, values))) for values in kept]
        cells = [self._cells(values, kinds) for values, kinds in columns]
        lines = list(map(",".join, zip(*cells, repeat(""))))
        if flags is None:
            return list(lines)
        regular = iter(lines)
        return [next(regular) if ok else None for ok in flags]

    def _cells(self, values: list[Any], kinds: set[type]) -> list[str]:
        """The (quoted where needed) cells of one column, whose values are of `kinds`."""
        if kinds <= {str}:
            return _quoted_where_needed(values) if has_specials("".join(values)) else values
        if kinds == {int}:
            return list(map(int.__repr__, values))
        if kinds == {list}:
            try:  # arrays: their compact JSON, encoded by orjson at once
                return _quoted_where_needed(list(map(bytes.decode, map(orjson.dumps, values))))
            except (TypeError, orjson.JSONEncodeError):
                pass  # what orjson refuses: `cell` knows
        cell = self._cell
        return [quoted(value if type(value) is str else cell(value)) for value in values]


def _quoted_where_needed(cells: list[str]) -> list[str]:
    """`quoted` of each cell, its regex searches made by one `map`."""
    flags = list(map(needs_quotes, cells))
    return [cell if flag is None else _quote(cell) for cell, flag in zip(cells, flags, strict=True)]
