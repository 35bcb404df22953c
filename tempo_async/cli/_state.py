"""Incremental worklog export: the state file, and which records a run writes.

Tempo's `updatedFrom` filter is a date, not an instant, so a run cannot ask for exactly
what changed since the previous one. The state file therefore keeps:

- `highWater`: the largest `updatedAt` of any worklog exported so far;
- `seen`: the `[tempoWorklogId, updatedAt]` pairs of the exported worklogs whose
  `updatedAt` is on or after 00:00 UTC two days before the high-water mark's (UTC) day.

The next run asks for `updatedFrom` = the high-water day minus one (one day of overlap,
which also covers the tenant's time zone) and writes every worklog except those whose
(tempoWorklogId, updatedAt) pair is in `seen`: exact duplicates of records already
exported. A worklog changed since has a new `updatedAt` and is written again, so
consumers should upsert by `tempoWorklogId`. Deletions are not reported (the API has no
such feed).

The state also records the selection (server, path and filters) it was made for; using
it for a different selection is refused. It is written atomically, and only after the export's
output was complete.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tempo_async._structure_gen import parse_datetime
from tempo_async.cli._output import OutputError, describe_os_error, write_atomically

__all__ = ["ExportState", "IncrementalRun", "StateError", "load_state", "save_state"]

FORMAT = "tempo-async export state"
VERSION = 1
OVERLAP = dt.timedelta(days=1)
"""How far before the high-water day the next run starts (`updatedFrom`)."""
SEEN_WINDOW = dt.timedelta(days=2)
"""How far before the high-water day the pairs of exported records are kept."""

Pair = tuple[int | str, str]

_SEEN = "\x00seen"
"""Placeholder of the `seen` list while the rest of the state is laid out."""


class StateError(Exception):
    """The state file cannot be used: not a state file, another version, another selection."""


@dataclass(frozen=True)
class ExportState:
    """What an incremental export knows about the previous runs."""

    selection: Mapping[str, Any]
    high_water: str | None = None
    """The largest `updatedAt` exported so far, as the server wrote it."""
    seen: frozenset[Pair] = field(default_factory=frozenset)

    @property
    def updated_from(self) -> dt.date | None:
        """The `updatedFrom` day of the next run: the high-water day minus the overlap."""
        instant = _instant(self.high_water)
        return None if instant is None else instant.date() - OVERLAP

    def to_json(self, *, records: int) -> str:
        """The state file's content."""
        updated_from = self.updated_from
        document = {
            "format": FORMAT,
            "version": VERSION,
            "selection": self.selection,
            "highWater": self.high_water,
            "nextUpdatedFrom": None if updated_from is None else updated_from.isoformat(),
            "lastRun": {
                "finishedAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "records": records,
            },
            "seen": _SEEN,
        }
        text = json.dumps(document, indent=1, ensure_ascii=False)
        pairs = sorted(([id_, at] for id_, at in self.seen), key=_pair_key)
        seen = ",\n  ".join(json.dumps(pair, ensure_ascii=False) for pair in pairs)
        return text.replace(json.dumps(_SEEN), f"[\n  {seen}\n ]" if pairs else "[]") + "\n"


class IncrementalRun:
    """Drops the records a previous run exported, and builds the state of this run."""

    def __init__(self, previous: ExportState | None, selection: Mapping[str, Any]) -> None:
        self.previous = previous
        self.selection = selection
        self._already = previous.seen if previous is not None else frozenset()
        self._high_water = previous.high_water if previous is not None else None
        self._high_instant = _instant(self._high_water)
        self._exported: list[tuple[Pair, dt.datetime]] = []
        self._this_run: set[Pair] = set()

    @property
    def updated_from(self) -> dt.date | None:
        """The `updatedFrom` this run asks for (None: a first, full run)."""
        return None if self.previous is None else self.previous.updated_from

    def keep(self, records: Sequence[Any]) -> list[Any]:
        """The records to write: all but exact duplicates of ones exported before.

        A record this run has already written (a page repeated by the server) is also
        dropped.
        """
        kept = []
        already, this_run = self._already, self._this_run
        for record in records:
            pair = _pair(record)
            if pair is None:
                kept.append(record)
                continue
            if pair in already or pair in this_run:
                continue
            this_run.add(pair)
            kept.append(record)
            instant = _instant(pair[1])
            if instant is None:
                continue
            self._exported.append((pair, instant))
            if self._high_instant is None or instant > self._high_instant:
                self._high_instant, self._high_water = instant, pair[1]
        return kept

    def state(self) -> ExportState:
        """The state after this run: the new high-water mark and the pairs near it."""
        if self._high_instant is None:
            return ExportState(self.selection, self._high_water, frozenset())
        start = _midnight(self._high_instant.date() - SEEN_WINDOW)
        pairs = {pair for pair, instant in self._exported if instant >= start}
        pairs.update(pair for pair in self._already if _at_or_after(pair[1], start))
        return ExportState(self.selection, self._high_water, frozenset(pairs))


def load_state(path: Path, selection: Mapping[str, Any]) -> ExportState | None:
    """The state in `path` (None when the file does not exist yet), checked against `selection`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise describe_os_error("read the state file", str(path), exc) from None
    try:
        document = json.loads(text)
    except ValueError:
        raise StateError(f"state file {path} is not JSON (not written by tempo-async?)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateError(f"state file {path} is not a tempo-async export state file")
    if document.get("version") != VERSION:
        raise StateError(
            f"state file {path} has version {document.get('version')!r}; "
            f"this tempo-async reads version {VERSION}"
        )
    if document.get("selection") != selection:
        raise StateError(
            f"state file {path} was written for another export "
            f"({_describe(document.get('selection'))}, not {_describe(selection)}); "
            "use one state file per export"
        )
    high_water = document.get("highWater")
    if high_water is not None and _instant(high_water) is None:
        raise StateError(f"state file {path}: highWater {high_water!r} is not a date-time")
    return ExportState(selection, high_water, frozenset(_pairs(path, document.get("seen"))))


def save_state(path: Path, state: ExportState, *, records: int) -> None:
    """Write `state` to `path` atomically."""
    try:
        write_atomically(path, state.to_json(records=records))
    except OutputError as exc:
        raise OutputError(f"the export was written, but not the state: {exc}") from None


def _pairs(path: Path, raw: object) -> Iterable[Pair]:
    if not isinstance(raw, list):
        raise StateError(f"state file {path}: 'seen' is not a list")
    for item in raw:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or isinstance(item[0], bool)
            or not isinstance(item[0], (int, str))
            or not isinstance(item[1], str)
        ):
            raise StateError(f"state file {path}: bad entry {item!r} in 'seen'")
        yield item[0], item[1]


def _pair(record: Any) -> Pair | None:
    if not isinstance(record, Mapping):
        return None
    id_ = record.get("tempoWorklogId")
    updated_at = record.get("updatedAt")
    if isinstance(id_, bool) or not isinstance(id_, (int, str)) or not isinstance(updated_at, str):
        return None
    return id_, updated_at


def _instant(text: object) -> dt.datetime | None:
    """An ISO 8601 date-time as an aware datetime (naive ones taken as UTC), or None."""
    if not isinstance(text, str):
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def _at_or_after(text: str, start: dt.datetime) -> bool:
    instant = _instant(text)
    return instant is not None and instant >= start


def _pair_key(pair: list[Any]) -> tuple[str, str]:
    return pair[1], str(pair[0])


def _describe(selection: object) -> str:
    if not isinstance(selection, Mapping):
        return "an unknown export"
    params = selection.get("params")
    query = ""
    if isinstance(params, Mapping) and params:
        query = "?" + "&".join(
            f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in params.items()
        )
    server = selection.get("server")
    return f"{selection.get('path')}{query}" + (f" on {server}" if server else "")
