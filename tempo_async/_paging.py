"""The concurrent paginator of the paged (worklog) lists.

A walk requests the offsets `offset, offset + limit, offset + 2*limit, ...` ahead of the
consumer, at most `concurrency` at a time, and yields pages strictly in offset order. The
number of pages is not known up front (`metadata.count` is not a usable total), so the
walk ends at the first page without `metadata.next`; requests already sent beyond it are
cancelled and their answers discarded.

The first page is fetched alone, and the walk reads ahead only once it links to a next
one: most lists fit in one page of up to 1000 worklogs, and the API allows about 5
requests a second per tenant, which a speculative burst on a one-page list would spend for
nothing.

The paginator never follows `next` links: it only asks `fetch_page(offset, limit)`, so a
link pointing to another host can never receive the token. It is independent of HTTP:
`fetch_page` returns the page's JSON and raises the client's errors itself (retries
included).

Only a missing `next` ends the walk, not a page shorter than `limit`: Tempo silently leaves
out the worklogs the caller may not view, and short pages that still link to a next one
have been seen, so ending there would drop records without a word. (Lists whose pages
carry no links at all, `links=False`, end at the first page shorter than the server's
limit.)

Continuity is checked, not trusted: each page says where the next one starts (the offset
in its `metadata.next`, else the requested offset plus its number of results). A server that serves fewer records per page than asked (it
clamps `limit`) makes the walk re-plan: the requests already sent for offsets that no
longer line up are cancelled, and the walk goes on at the server's own page size. A page
is only ever read at the offset where the previous one ended, so every record comes once,
in order. A page that would not advance the walk fails it (MalformedPageError).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from attrs import define

from tempo_async.errors import TempoTransportError, redact_url

__all__ = [
    "MAX_LIMIT",
    "MalformedPageError",
    "Page",
    "PageSource",
    "Paginator",
    "Walk",
    "continuation",
]

T = TypeVar("T")
X = TypeVar("X")

MAX_LIMIT = 1000
"""The largest `limit` the API accepts on the paged lists."""

FetchPage = Callable[[int, int], Awaitable[Mapping[str, Any]]]
"""`fetch_page(offset, limit)`: one page's JSON, or the client's typed error."""

_RawPage = tuple[int, Mapping[str, Any], list[Any]]
"""(requested offset, page JSON, its `results` list)."""


class MalformedPageError(TempoTransportError):
    """A page cannot be used: no `results` list, or not the offset/limit that was asked."""

    def __init__(self, message: str, page: object, offset: int, limit: int) -> None:
        self_url = page.get("self") if isinstance(page, Mapping) else None
        url = (
            redact_url(self_url) if isinstance(self_url, str) else f"?offset={offset}&limit={limit}"
        )
        super().__init__(message, method="GET", url=url)
        self.offset = offset
        self.limit = limit


@define(frozen=True, slots=True, kw_only=True)
class Page(Generic[T]):
    """One page of a paged list: its items as models and the server's envelope."""

    items: list[T]
    offset: int
    """The offset this page was requested at."""
    limit: int
    """The limit it was requested with (the page may hold fewer items)."""
    metadata: Mapping[str, Any]
    """The server's `metadata` as sent (`count`, `offset`, `limit`, `next`?, `previous`?)."""
    self_url: str | None
    """The server's `self` link of the page."""


def _results(page: object, offset: int, limit: int) -> list[Any]:
    """The page's `results`, after checking the page is one."""
    if not isinstance(page, Mapping):
        raise MalformedPageError("page is not a JSON object", page, offset, limit)
    results = page.get("results")
    if not isinstance(results, list):
        raise MalformedPageError("page has no 'results' list", page, offset, limit)
    if len(results) > limit:
        raise MalformedPageError(
            f"page holds {len(results)} results, more than limit={limit}", page, offset, limit
        )
    return results


def _int_query(link: object, name: str) -> int | None:
    if not isinstance(link, str):
        return None
    values = parse_qs(urlsplit(link).query).get(name)
    if not values:
        return None
    try:
        return int(values[-1])
    except ValueError:
        return None


def continuation(
    page: Mapping[str, Any], offset: int, limit: int, results: list[Any], *, links: bool = True
) -> int | None:
    """Where the list goes on after the page read at `offset`, or None when it ends there.

    With links, a page without `metadata.next` ends the list; the next page starts at the
    offset of that link, else right after this page's results. Without links, a page shorter than the
    server's limit (`metadata.limit`, else the requested one) ends the list. The start is
    never beyond `offset + limit`, so a wrong link cannot skip records.
    """
    metadata = page.get("metadata")
    meta = metadata if isinstance(metadata, Mapping) else {}
    served_limit = meta.get("limit")
    stated = served_limit if isinstance(served_limit, int) and served_limit > 0 else None
    if links:
        link = meta.get("next")
        if not link:
            return None
        start = _int_query(link, "offset")
        if start is None:
            # No offset in the link: go on right after what was served. Trusting a stated
            # `metadata.limit` instead would skip records when it is wrong.
            start = offset + len(results)
    else:
        if not results or len(results) < min(limit, stated or limit):
            return None
        start = offset + len(results)
    return min(start, offset + limit)


def _has_next(page: Mapping[str, Any]) -> bool:
    metadata = page.get("metadata")
    return isinstance(metadata, Mapping) and bool(metadata.get("next"))


class PageSource(Protocol):
    """Where a `Walk` gets its pages: an offset window, or a cursor chain."""

    async def next_page(self) -> _RawPage | None:
        """The next page (its offset or position, JSON and results), or None at the end."""
        ...

    def cancel(self) -> None:
        """Stop: cancel what is running, at once."""
        ...

    async def aclose(self) -> None:
        """Stop and wait until what was running has finished."""
        ...


class _Window:
    """The requests of one walk: a deque of tasks in offset order, filled ahead of the reader.

    Until a page that goes on has arrived, one request at a time; then at most
    `concurrency` requests are requested but not yet read, so memory stays flat however
    long the walk, and at most `concurrency - 1` requests go past the end of the list.
    Each task's done callback notes the end of the list (a last page, a failure, a
    malformed page) as soon as it is known and cancels what was requested beyond it.
    When a page shows that the server serves fewer records than asked, the reader
    re-plans (`_replan`): everything requested after it is cancelled, and the walk goes on
    at the server's page size from where that page ended.
    """

    __slots__ = (
        "_closed",
        "_concurrency",
        "_fetch_page",
        "_generation",
        "_limit",
        "_links",
        "_loop",
        "_next_offset",
        "_on_page",
        "_opened",
        "_queue",
        "_running",
        "_step",
        "_stop",
    )

    def __init__(
        self,
        fetch_page: FetchPage,
        offset: int,
        limit: int,
        concurrency: int,
        on_page: Callable[[int], object] | None,
        links: bool = True,
    ) -> None:
        self._fetch_page = fetch_page
        self._limit = limit
        self._step = limit
        """How far apart speculative requests are: the limit, or the server's page size."""
        self._links = links
        self._concurrency = concurrency
        self._on_page = on_page
        self._next_offset = offset
        self._stop: int | None = None
        """Offset of the last page the walk can need; nothing beyond it is requested."""
        self._generation = 0
        """Bumped by each re-plan: answers to requests of an older plan are ignored."""
        self._queue: deque[tuple[int, asyncio.Task[Mapping[str, Any]]]] = deque()
        """Requested, not yet read pages, in offset order."""
        self._running: set[asyncio.Task[Mapping[str, Any]]] = set()
        """Tasks not yet finished (cancelled ones included until they are)."""
        self._opened = False
        """Whether a page that goes on has arrived, so reading ahead is worth it."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def _fetch(self, offset: int) -> Mapping[str, Any]:
        return await self._fetch_page(offset, self._limit)

    def _fill(self) -> None:
        if self._closed or self._stop is not None or self._loop is None:
            return
        queue, running = self._queue, self._running
        ahead = self._concurrency if self._opened else 1
        while len(running) < ahead and len(queue) < ahead:
            offset = self._next_offset
            self._next_offset = offset + self._step
            task = self._loop.create_task(self._fetch(offset))
            running.add(task)
            queue.append((offset, task))
            task.add_done_callback(functools.partial(self._on_done, offset, self._generation))

    def _on_done(self, offset: int, generation: int, task: asyncio.Task[Mapping[str, Any]]) -> None:
        if self._settle(offset, task, generation):
            self._fill()

    def _settle(self, offset: int, task: asyncio.Task[Mapping[str, Any]], generation: int) -> bool:
        """Account for a finished task, once; False if that was already done.

        Also marks its exception as retrieved, so a failure beyond the end of the list
        (or after the walk was closed, or under an older plan) is dropped silently.
        """
        try:
            self._running.remove(task)
        except KeyError:
            return False
        if task.cancelled():
            return True
        if task.exception() is not None:
            if generation == self._generation:
                self._stop_after(offset)
            return True
        if generation != self._generation:
            return True
        page = task.result()
        try:
            results = _results(page, offset, self._limit)
        except MalformedPageError:
            self._stop_after(offset)
        else:
            if continuation(page, offset, self._limit, results, links=self._links) is None:
                self._stop_after(offset)
            else:
                self._opened = True
        return True

    def _stop_after(self, offset: int) -> None:
        if self._stop is not None and self._stop <= offset:
            return
        self._stop = offset
        queue = self._queue
        while queue and queue[-1][0] > offset:
            queue.pop()[1].cancel()

    def _replan(self, start: int, step: int) -> None:
        """Continue at `start` with requests `step` apart; drop what was planned before."""
        self._generation += 1
        for _offset, task in self._queue:
            task.cancel()
        self._queue.clear()
        self._step = step
        self._next_offset = start
        self._stop = None

    async def next_page(self) -> _RawPage | None:
        """The next page in offset order, or None once the list has ended.

        Raises what fetching or checking that page raised; the caller then closes the
        window (`aclose`).
        """
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._fill()
        queue = self._queue
        if not queue:
            await self.aclose()
            return None
        offset, task = queue[0]
        page = await task
        queue.popleft()
        self._settle(offset, task, self._generation)
        results = _results(page, offset, self._limit)
        start = continuation(page, offset, self._limit, results, links=self._links)
        if start is not None:
            if start <= offset:
                raise MalformedPageError(
                    f"the page at offset {offset} does not advance the list "
                    f"({len(results)} results, next page at offset {start})",
                    page,
                    offset,
                    self._limit,
                )
            planned = queue[0][0] if queue else self._next_offset
            if start != planned:
                self._replan(start, min(self._step, start - offset))
        elif self._stop is None or self._stop > offset:
            self._stop_after(offset)
        self._fill()
        if self._on_page is not None:
            self._on_page(len(results))
        return offset, page, results

    def cancel(self) -> None:
        """Stop the walk: cancel every request still running. Synchronous and idempotent."""
        self._closed = True
        self._queue.clear()
        for task in tuple(self._running):
            task.cancel()

    async def aclose(self) -> None:
        """Cancel every request still running and wait until each has finished."""
        self.cancel()
        if self._running:
            await asyncio.wait(tuple(self._running))


class Walk(Generic[X]):
    """One walk over a paged list, async-iterated once; what it yields depends on the method
    of `Paginator` that started it.

    The requests start at the first `__anext__`. Leaving the walk early cancels every
    outstanding request: `aclose()` (or `async with`, or `contextlib.aclosing`) cancels them
    and waits until they have finished; dropping the walk (a `break` out of `async for`)
    cancels them at once, and they finish on the next turns of the event loop. A failed
    page, or cancelling the consuming task, cancels and awaits them before the exception
    propagates.
    """

    __slots__ = ("_explode", "_items", "_window")

    def __init__(
        self, window: PageSource, explode: Callable[[int, Mapping[str, Any], list[Any]], list[X]]
    ) -> None:
        self._window = window
        self._explode = explode
        self._items: Iterator[X] = iter(())

    def __aiter__(self) -> Walk[X]:
        return self

    async def __anext__(self) -> X:
        try:
            return next(self._items)
        except StopIteration:
            return await self._refill()

    async def _refill(self) -> X:
        window = self._window
        try:
            while True:
                got = await window.next_page()
                if got is None:
                    raise StopAsyncIteration
                items = iter(self._explode(*got))
                for item in items:
                    self._items = items
                    return item
        except BaseException:
            await window.aclose()
            raise

    async def aclose(self) -> None:
        """Stop the walk: cancel outstanding requests and wait until they have finished."""
        self._items = iter(())
        await self._window.aclose()

    async def __aenter__(self) -> Walk[X]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __del__(self) -> None:
        window = getattr(self, "_window", None)
        if window is not None:
            with contextlib.suppress(RuntimeError):  # the event loop is already closed
                window.cancel()


def _check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ValueError(f"{name} must be {bounds}, got {value}")
    return value


class Paginator(Generic[T]):
    """A paged list, fetched concurrently page by page and yielded in order.

    `async for item in paginator` yields models; `pages()` yields `Page`s; `raw()` yields
    the items' JSON without building models; `raw_pages()` yields the pages' JSON;
    `await collect()` returns every model in a list. Each of these starts a fresh walk.

    `fetch_page(offset, limit)` returns one page's JSON and raises the client's typed
    errors (retrying is its job). `structure_items` builds the models of a page's items
    (their JSON, a list the paginator owns). `concurrency` bounds the requests in flight;
    1 is a plain sequential walk. `on_page`, if given, is called with the number of
    records of each page as the page is read, in order (progress reporting). `max_limit`
    is the largest page the API allows (v3: 1000); `links=False` is for lists whose pages
    carry no `next` link (they end at a short page).
    """

    __slots__ = (
        "_concurrency",
        "_fetch_page",
        "_limit",
        "_links",
        "_offset",
        "_on_page",
        "_structure_items",
    )

    def __init__(
        self,
        fetch_page: FetchPage,
        structure_items: Callable[[list[Any]], list[T]],
        *,
        limit: int = MAX_LIMIT,
        offset: int = 0,
        concurrency: int = 1,
        on_page: Callable[[int], object] | None = None,
        max_limit: int = MAX_LIMIT,
        links: bool = True,
    ) -> None:
        self._fetch_page = fetch_page
        self._structure_items = structure_items
        self._links = links
        self._limit = _check_int("limit", limit, 1, max_limit)
        self._offset = _check_int("offset", offset, 0)
        self._concurrency = _check_int("concurrency", concurrency, 1)
        self._on_page = on_page

    @property
    def limit(self) -> int:
        """Records asked for per page."""
        return self._limit

    @property
    def offset(self) -> int:
        """Offset of the first page."""
        return self._offset

    @property
    def concurrency(self) -> int:
        """Most requests in flight at once."""
        return self._concurrency

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(offset={self._offset}, limit={self._limit}, "
            f"concurrency={self._concurrency})"
        )

    def _window(self) -> PageSource:
        return _Window(
            self._fetch_page,
            self._offset,
            self._limit,
            self._concurrency,
            self._on_page,
            self._links,
        )

    def __aiter__(self) -> Walk[T]:
        """A fresh walk yielding the models of every page."""
        structure = self._structure_items
        return Walk(self._window(), lambda _offset, _page, results: structure(results))

    def pages(self) -> Walk[Page[T]]:
        """A fresh walk yielding each page as a `Page` of models."""
        structure, limit = self._structure_items, self._limit

        def explode(offset: int, page: Mapping[str, Any], results: list[Any]) -> list[Page[T]]:
            metadata = page.get("metadata")
            self_url = page.get("self")
            return [
                Page(
                    items=structure(results),
                    offset=offset,
                    limit=limit,
                    metadata=metadata if isinstance(metadata, Mapping) else {},
                    self_url=self_url if isinstance(self_url, str) else None,
                )
            ]

        return Walk(self._window(), explode)

    def raw(self) -> Walk[dict[str, Any]]:
        """A fresh walk yielding each item's JSON as the server sent it (no models built)."""
        return Walk(self._window(), lambda _offset, _page, results: results)

    def raw_pages(self) -> Walk[Mapping[str, Any]]:
        """A fresh walk yielding each page's JSON as the server sent it."""
        return Walk(self._window(), lambda _offset, page, _results: [page])

    async def collect(self) -> list[T]:
        """Walk the whole list and return every model, in order."""
        structure = self._structure_items
        window = self._window()
        items: list[T] = []
        try:
            while (got := await window.next_page()) is not None:
                items.extend(structure(got[2]))
        except BaseException:
            await window.aclose()
            raise
        return items
