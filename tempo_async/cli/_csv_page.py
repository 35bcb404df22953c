"""CSV lines of a page of records, built column by column at C speed.

Reading a record's cells one at a time in Python costs more than everything else an
export does to it; here a page is turned into columns at once and the rows are joined by
`zip`. The usual page (one server's records: every dict with the same keys in the same
order) is transposed by `zip` over the dicts' values views; any other page is read a
column at a time (`map` of `dict.get`) with every record checked. A column of strings
is checked for characters that need quotes by substring searches over its concatenation;
a column of arrays is encoded by one orjson call and cut at its `],[`. A record that is
not regular (not a dict, a key the columns do not know, an object where a cell belongs,
a nested object that is not one) gets no line: the caller walks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from operator import and_, contains, is_not
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
        self._paths = [(*parent, key) for parent, key in self._leaves]
        # parents before their children (shorter prefixes first)
        self._objects = [(prefix, frozenset(keys)) for prefix, keys in sorted(known.items())]

    def lines(self, records: Sequence[Any]) -> list[str | None]:
        """Each record's CSV line (no terminator); None for a record that is not regular."""
        columns = self._uniform_columns(records)
        if columns is None:
            return self._lines_checked(records)
        cells = []
        for values in columns:
            try:
                text = "".join(values)  # a column of strings (the most common) in one call
            except TypeError:
                kinds = set(map(type, values))
                if dict in kinds:  # an object where a cell belongs: some records are irregular
                    return self._lines_checked(records)
                cells.append(self._cells(values, kinds))
            else:
                cells.append(_text_cells(values, text))
        return list(map(",".join, zip(*cells, repeat(""))))

    def _uniform_columns(self, records: Sequence[Any]) -> list[Sequence[Any]] | None:
        """The leaf columns of a page whose objects (records, nested objects) are dicts
        holding exactly the keys the columns name, in one order; None for any other page.

        The common page (one server, one key order), read fast: `zip` over the dicts'
        values views turns the page into columns in one call, and `zip` over their keys
        views checks that every dict has its keys in that order (three times the speed of
        a `dict.get` pass per column, which `_lines_checked` needs to find the irregular
        records).
        """
        found: dict[tuple[str, ...], Sequence[Any]] = {(): records}
        for prefix, keys in self._objects:
            objects = found[prefix]
            try:  # not a dict: TypeError
                if set(map(len, objects)) != {len(keys)}:
                    return None
                names = list(zip(*map(dict.keys, objects), strict=True))
                columns = zip(*map(dict.values, objects), strict=True)
            except TypeError:
                return None
            if {column[0] for column in names} != keys or not all(
                column.count(column[0]) == len(column) for column in names
            ):
                return None
            found.update(zip([(*prefix, column[0]) for column in names], columns, strict=True))
        return list(map(found.__getitem__, self._paths))

    def _lines_checked(self, records: Sequence[Any]) -> list[str | None]:
        """`lines` of a page with irregular records: each column read with `dict.get`,
        every record checked."""
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

    def _cells(self, values: Sequence[Any], kinds: set[type]) -> Sequence[str]:
        """The (quoted where needed) cells of one column, whose values are of `kinds`."""
        if kinds <= {str}:
            return _text_cells(values, "".join(values))
        if kinds == {int}:
            return list(map(int.__repr__, values))
        if kinds == {list}:
            cells = _array_cells(values)
            if cells is not None:
                return cells
        cell = self._cell
        return [quoted(value if type(value) is str else cell(value)) for value in values]


def _array_cells(arrays: Sequence[list[Any]]) -> list[str] | None:
    """A column of arrays as cells (their compact JSON, quoted where needed), at C speed:
    orjson encodes the whole column, whose `],[` are the boundaries between the cells
    when there are exactly as many as boundaries; the quotes are doubled in the UTF-8
    bytes (faster than in text). None for what orjson refuses."""
    try:
        body = orjson.dumps(arrays)[1:-1]
    except (TypeError, orjson.JSONEncodeError):
        return None  # `cell` knows what to write
    if body.count(b"],[") == len(arrays) - 1:
        joined = body.replace(b"],[", b"]\0[")  # JSON holds no raw NUL
    else:  # a string in an array holds "],[": one array at a time
        joined = b"\0".join(map(orjson.dumps, arrays))
    cells = joined.decode().split("\0")
    if all(map(contains, cells, repeat('"'))):  # each needs quotes (the usual column)
        doubled = joined.replace(b'"', b'""').replace(b"\0", b'"\0"').decode()
        return f'"{doubled}"'.split("\0")
    return _quoted_where_needed(cells, "\0".join(cells))


def _text_cells(values: Sequence[str], text: str) -> Sequence[str]:
    """A column of strings (`text`: them concatenated) as cells."""
    return _quoted_where_needed(values, "\0".join(values)) if has_specials(text) else values


def _quoted_where_needed(cells: Sequence[str], joined: str) -> list[str]:
    """`quoted` of each cell (`joined`: the cells separated by NULs): the test made by one
    `map` of the regex, the quotes doubled by one `replace` over the column."""
    flags = list(map(needs_quotes, cells))
    doubled: Sequence[str] = cells
    if '"' in joined:
        doubled = joined.replace('"', '""').split("\0")
        if len(doubled) != len(cells):  # a cell holds a NUL: one cell at a time
            doubled = [cell.replace('"', '""') for cell in cells]
    return [
        cell if flag is None else f'"{cell}"' for cell, flag in zip(doubled, flags, strict=True)
    ]
