"""The sync runs: how a table is kept in step with Tempo, page by page, resumably.

- v4 worklogs (`sync_v4_worklogs`): incremental. A run lists the worklogs updated since
  the previous run started (less `OVERLAP`, for clock skew between this machine and
  Tempo; everything on the first run), in Tempo's default order (start, then id), and
  upserts each page in a transaction that also saves the run's offset. Deletions come
  from Tempo's audit log of deleted worklogs since the previous run started (less
  `OVERLAP`). A killed run resumes at its saved offset, less the worklogs deleted since
  it started (a deletion before the offset moves later worklogs back by one).
- v3 worklogs (`sync_v3_worklogs`): v3 has no audit log, so each run re-reads the
  worklogs of `--from`..`--to` a month at a time and deletes the rows of the month it
  did not see; a killed run resumes at the month it was in.
- other collections (`sync_mirror`): small; each run re-reads all of them and deletes
  the rows it did not see. A killed run starts again (the rows already written are
  counted unchanged).

Each run's `state` also records the server, the API version and the selection: a table
is never fed from two sources.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tempo_async.cli._columns import Kind
from tempo_async.cli._sync.store import Store, UpsertCounts
from tempo_async.cli._sync.table import TableSpec, utc_now
from tempo_async.client import TempoClient as V3Client
from tempo_async.v4 import TempoClient as V4Client

__all__ = [
    "OVERLAP",
    "SyncConflictError",
    "SyncSummary",
    "Target",
    "month_windows",
    "sync_mirror",
    "sync_v3_worklogs",
    "sync_v4_worklogs",
]

OVERLAP = dt.timedelta(minutes=10)
"""How far before the previous run's start a run looks for changes and deletions."""
AUDIT_PAGE = 1000


class SyncConflictError(Exception):
    """The table was synced from another server, API version or selection."""


@dataclass
class SyncSummary:
    """What a sync did."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    pages: int = 0
    resumed: bool = False
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        """Seconds since the sync started."""
        return time.monotonic() - self.started

    def add(self, counts: UpsertCounts) -> None:
        """Count an upsert."""
        self.inserted += counts.inserted
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.pages += 1


@dataclass
class Target:
    """What a run writes to and how it reports progress."""

    store: Store
    spec: TableSpec
    identity: dict[str, Any]
    """The server, API version and selection the table is tied to."""
    page_size: int
    on_page: Callable[[int], None] = lambda records: None
    summary: SyncSummary = field(default_factory=SyncSummary)

    async def state(self) -> dict[str, Any]:
        """The saved state, after checking it belongs to this identity."""
        state = await self.store.load_state(self.spec) or {}
        for name in ("server", "api", "selection"):
            if name in state and state[name] != self.identity[name]:
                raise SyncConflictError(
                    f"the table {self.spec.name} in {self.store.display} was synced with "
                    f"{name} {_show(state[name])}, not {_show(self.identity[name])}: sync it "
                    "with the same options, or into another --db"
                )
        return state

    def with_state(self, **values: Any) -> dict[str, Any]:
        """The identity with `values`: a state to save."""
        return {**self.identity, **values}

    async def write(self, records: list[Any], state: Mapping[str, Any]) -> list[Any]:
        """Upsert a page of records with `state`; returns their keys."""
        rows = self.spec.rows(records, dates_as_text=self.store.dates_as_text)
        self.summary.add(await self.store.upsert(self.spec, rows, state))
        self.on_page(len(records))
        return [row.key for row in rows]


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "(none)"
    return str(value)


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


async def sync_v4_worklogs(
    client: V4Client, target: Target, from_: dt.date | None, to: dt.date | None
) -> SyncSummary:
    """Bring the worklog table up to date from API v4 (see the module's docstring)."""
    state = await target.state()
    last = state.get("last_started")
    run = state.get("run")
    if run:
        target.summary.resumed = True
        deleted_since = await _count_deleted(client, _instant(run["started"]))
        offset = max(0, int(run["offset"]) - deleted_since)
    else:
        since = None if last is None else _stamp(_instant(last) - OVERLAP)
        run = {"started": _stamp(utc_now()), "updated_from": since, "offset": 0}
        offset = 0
        await target.store.save_state(target.spec, target.with_state(last_started=last, run=run))
    updated_from = None if run["updated_from"] is None else _instant(run["updated_from"])
    paginator = client.worklogs.list(
        from_=from_, to=to, updated_from=updated_from, limit=target.page_size, offset=offset
    )
    async with paginator.raw_pages() as walk:
        async for page in walk:
            results = page["results"]
            metadata = page.get("metadata") or {}
            start = metadata.get("offset", offset)
            offset = (start if isinstance(start, int) else offset) + len(results)
            run = {**run, "offset": offset}
            await target.write(results, target.with_state(last_started=last, run=run))
    deletions_from = _instant(last if last is not None else run["started"]) - OVERLAP
    async for keys in _deleted_keys(client, deletions_from, target.spec):
        target.summary.deleted += await target.store.delete(target.spec, keys, None)
    await target.store.save_state(
        target.spec, target.with_state(last_started=run["started"], run=None)
    )
    return target.summary


async def _deleted_pages(client: V4Client, since: dt.datetime) -> AsyncIterator[list[Any]]:
    paginator = client.audit.deleted_worklogs(updated_from=since, limit=AUDIT_PAGE)
    async with paginator.raw_pages() as walk:
        async for page in walk:
            yield list(page["results"])


async def _deleted_keys(
    client: V4Client, since: dt.datetime, spec: TableSpec
) -> AsyncIterator[list[Any]]:
    """The keys of the worklogs deleted since `since`, a page of the audit log at a time."""
    convert: Callable[[Any], Any] = int if spec.key.kind is Kind.INTEGER else str
    async for events in _deleted_pages(client, since):
        keys = []
        for event in events:
            key = event.get("tempoWorklogId") if isinstance(event, Mapping) else None
            if key is not None:
                keys.append(convert(key))
        yield keys


async def _count_deleted(client: V4Client, since: dt.datetime) -> int:
    count = 0
    async for events in _deleted_pages(client, since):
        count += len(events)
    return count


def month_windows(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """`first`..`last` cut at month ends."""
    windows = []
    start = first
    while start <= last:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = min(last, following - dt.timedelta(days=1))
        windows.append((start, end))
        start = following
    return windows


async def sync_v3_worklogs(
    client: V3Client, target: Target, from_: dt.date, to: dt.date
) -> SyncSummary:
    """Re-read `from_`..`to` a month at a time from API v3, deleting what is gone."""
    state = await target.state()
    run = state.get("run")
    windows = month_windows(from_, to)
    if run:
        target.summary.resumed = True
        resume = dt.date.fromisoformat(run["window"])
        windows = [w for w in windows if w[0] >= resume]
    for index, (start, end) in enumerate(windows):
        run = {"window": start.isoformat()}
        seen: set[Any] = set()
        paginator = client.worklogs.list(from_=start, to=end, limit=target.page_size)
        async with paginator.raw_pages() as walk:
            async for page in walk:
                seen.update(await target.write(page["results"], target.with_state(run=run)))
        following = windows[index + 1][0].isoformat() if index + 1 < len(windows) else None
        after = target.with_state(run={"window": following} if following else None)
        target.summary.deleted += await target.store.delete_missing(
            target.spec, seen, (start, end), after
        )
    if not windows:
        await target.store.save_state(target.spec, target.with_state(run=None))
    return target.summary


async def sync_mirror(target: Target, pages: AsyncIterator[list[Any]]) -> SyncSummary:
    """Re-read a whole collection from `pages` and delete the rows it no longer has."""
    state = await target.state()
    target.summary.resumed = bool(state.get("run"))
    run = {"started": _stamp(utc_now())}
    seen: set[Any] = set()
    async for records in pages:
        seen.update(await target.write(records, target.with_state(run=run)))
    target.summary.deleted += await target.store.delete_missing(
        target.spec, seen, None, target.with_state(run=None)
    )
    return target.summary
