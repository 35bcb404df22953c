"""Cursor-paged lists: each page hands out the token of the next, so pages come one by one.

Tempo v4 has two shapes: `metadata.nextPageToken` (sent back as the `nextPageToken` query
parameter) and `metadata.lastEvaluatedKey` (sent back as `lastEvaluatedKey`, the audit
events). A cursor cannot be read ahead, so these walks are sequential; they yield what
`Paginator` yields (`async for`, `.pages()`, `.raw()`, `.raw_pages()`, `.collect()`) and
clean up the same way. The paginator only calls `fetch_page(cursor)`; it never follows a
link, so the token never travels to another host. A cursor that comes back again (a
server looping) fails the walk instead of looping forever.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

from tempo_async._paging import MalformedPageError, PageSource, Paginator, _RawPage

__all__ = ["CursorPaginator", "last_evaluated_key", "next_page_token"]

T = TypeVar("T")

FetchCursorPage = Callable[[str | None], Coroutine[Any, Any, Mapping[str, Any]]]
"""`fetch_page(cursor)`: the page at `cursor` (None: the first page)."""


def _metadata(page: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = page.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def next_page_token(page: Mapping[str, Any]) -> str | None:
    """The cursor of `PageableResponseMetadata` pages: `metadata.nextPageToken`."""
    token = _metadata(page).get("nextPageToken")
    return token if isinstance(token, str) and token else None


def last_evaluated_key(page: Mapping[str, Any]) -> str | None:
    """The cursor of `MetadataBean` pages (audit events): `metadata.lastEvaluatedKey`."""
    key = _metadata(page).get("lastEvaluatedKey")
    return key if isinstance(key, str) and key else None


class _CursorChain:
    """The pages of one cursor walk, fetched one after the other as the reader asks."""

    __slots__ = ("_cursor", "_done", "_fetch_page", "_next_cursor", "_position", "_seen", "_task")

    def __init__(
        self, fetch_page: FetchCursorPage, next_cursor: Callable[[Mapping[str, Any]], str | None]
    ) -> None:
        self._fetch_page = fetch_page
        self._next_cursor = next_cursor
        self._seen: set[str | None] = {None}
        self._done = False
        self._position = 0
        self._task: asyncio.Task[Mapping[str, Any]] | None = None
        self._cursor: str | None = None

    async def next_page(self) -> _RawPage | None:
        if self._done:
            return None
        cursor = self._cursor
        self._task = asyncio.get_running_loop().create_task(self._fetch_page(cursor))
        try:
            page = await self._task
        finally:
            self._task = None
        results = page.get("results") if isinstance(page, Mapping) else None
        if not isinstance(results, list):
            raise MalformedPageError("page has no 'results' list", page, self._position, 0)
        following = self._next_cursor(page)
        if following is None:
            self._done = True
        elif following in self._seen:
            raise MalformedPageError(
                "the server handed out a cursor it had handed out before (the list loops)",
                page,
                self._position,
                len(results),
            )
        else:
            self._seen.add(following)
        self._cursor = following
        position = self._position
        self._position += len(results)
        return position, page, results

    def cancel(self) -> None:
        self._done = True
        if self._task is not None:
            self._task.cancel()

    async def aclose(self) -> None:
        task = self._task
        self.cancel()
        if task is not None:
            await asyncio.wait((task,))


class CursorPaginator(Paginator[T]):
    """A cursor-paged list, fetched page after page (a cursor cannot be read ahead).

    `fetch_page(cursor)` returns the page at `cursor` (None for the first) and raises the
    client's typed errors; `next_cursor(page)` reads the next page's cursor from a page
    (`next_page_token`, `last_evaluated_key`), None on the last page. `limit` is the page
    size the caller asked for (reported in `Page.limit`). `Page.offset` is the position of
    the page's first record in the walk.
    """

    __slots__ = ("_fetch_cursor_page", "_next_cursor")

    def __init__(
        self,
        fetch_page: FetchCursorPage,
        structure_items: Callable[[list[Any]], list[T]],
        *,
        next_cursor: Callable[[Mapping[str, Any]], str | None],
        limit: int,
        max_limit: int,
    ) -> None:
        super().__init__(
            _no_offset_pages, structure_items, limit=limit, max_limit=max_limit, concurrency=1
        )
        self._fetch_cursor_page = fetch_page
        self._next_cursor = next_cursor

    def __repr__(self) -> str:
        return f"{type(self).__name__}(limit={self._limit})"

    def _window(self) -> PageSource:
        return _CursorChain(self._fetch_cursor_page, self._next_cursor)


async def _no_offset_pages(offset: int, limit: int) -> Mapping[str, Any]:
    """Never called: a cursor paginator's walks fetch by cursor (`_window`)."""
    raise RuntimeError("a cursor paginator fetches pages by cursor, not by offset")
