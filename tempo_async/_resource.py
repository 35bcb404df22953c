"""What every resource of every API version shares: the transport, the converter, the
response shapes and paging (offset pages on GET or POST, cursor pages).

A resource method names its path (its version's prefix included) and the model of what
comes back; the helpers here send the request, check the response's shape and build the
models, so no resource handles JSON itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from tempo_async._converter import ModelValidationError, converter
from tempo_async._cursor_paging import CursorPaginator
from tempo_async._paging import MAX_LIMIT, Paginator
from tempo_async._transport import QueryParams, Transport, capturing
from tempo_async.errors import TempoTransportError

M = TypeVar("M")

Path = Sequence[str | int]


class Resource:
    """Base of the resource classes: typed helpers over `Transport.request`."""

    __slots__ = ("_default_concurrency", "_transport")

    def __init__(self, transport: Transport, default_concurrency: Callable[[], int]) -> None:
        self._transport = transport
        self._default_concurrency = default_concurrency

    async def _get(self, path: Path, model: type[M], params: QueryParams | None = None) -> M:
        """GET one entity."""
        payload = await self._transport.request("GET", path, params=params)
        return self._structure(payload, model, "GET", path)

    async def _list(self, path: Path, model: type[M], params: QueryParams | None = None) -> list[M]:
        """GET an unpaged collection `{self, metadata, results}` and return its results."""
        payload = await self._transport.request("GET", path, params=params)
        results = payload.get("results") if isinstance(payload, Mapping) else None
        if not isinstance(results, list):
            raise TempoTransportError(
                "the response is not a collection with a 'results' list",
                method="GET",
                url=str(self._transport.build_url(path)),
            )
        return self._items_structurer(model, "GET", path)(_owned(results))

    async def _send(
        self,
        method: str,
        path: Path,
        model: type[M],
        body: Any,
        params: QueryParams | None = None,
    ) -> M:
        """POST or PUT a JSON body and return the entity the server answers with."""
        payload = await self._transport.request(method, path, params=params, json=body)
        return self._structure(payload, model, method, path)

    async def _delete(self, path: Path) -> None:
        """DELETE; the API answers 204 without a body."""
        await self._transport.request("DELETE", path)

    def _structure(self, payload: Any, model: type[M], method: str, path: Path) -> M:
        """The model of a response body; a body that does not fit is a transport error."""
        if payload is None:
            raise TempoTransportError(
                f"expected a {model.__name__} in the response, got no body",
                method=method,
                url=str(self._transport.build_url(path)),
            )
        try:
            result: M = converter.structure(payload, model)
        except ModelValidationError as error:
            raise self._malformed(method, path, error) from None
        return result

    def _malformed(
        self, method: str, path: Path, error: ModelValidationError
    ) -> TempoTransportError:
        return TempoTransportError(
            f"malformed response: {error}", method=method, url=str(self._transport.build_url(path))
        )

    # -- generic operations (any method, any result shape) -----------------------------

    async def _json(
        self,
        method: str,
        path: Path,
        *,
        params: QueryParams | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request and return its JSON as sent (None for an empty answer)."""
        return await self._transport.request(
            method, path, params=params, json=body, idempotent=idempotent
        )

    async def _model(
        self,
        method: str,
        path: Path,
        model: type[M],
        *,
        params: QueryParams | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> M:
        """Send one request; its answer is one `model`."""
        payload = await self._json(method, path, params=params, body=body, idempotent=idempotent)
        return self._structure(payload, model, method, path)

    async def _models(
        self,
        method: str,
        path: Path,
        model: type[M],
        *,
        params: QueryParams | None = None,
        body: Any = None,
        idempotent: bool | None = None,
        key: str | None = None,
    ) -> list[M]:
        """Send one request; its answer is a JSON array of `model` (or, with `key`, an
        object whose `key` member is that array: an un-paged `results` collection)."""
        payload = await self._json(method, path, params=params, body=body, idempotent=idempotent)
        items = payload.get(key) if key is not None and isinstance(payload, Mapping) else payload
        if not isinstance(items, list):
            where = f"a {key!r} list" if key else "a JSON array"
            raise TempoTransportError(
                f"malformed response: expected {where}",
                method=method,
                url=str(self._transport.build_url(path)),
            )
        return self._items_structurer(model, method, path)(_owned(items))

    async def _no_content(
        self,
        method: str,
        path: Path,
        *,
        params: QueryParams | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> None:
        """Send one request whose answer carries nothing to return (204, or ignored)."""
        await self._json(method, path, params=params, body=body, idempotent=idempotent)

    def _items_structurer(
        self, model: type[M], method: str, path: Path
    ) -> Callable[[list[Any]], list[M]]:
        """Models of a list of items that is ours alone (see `_owned`): each item is freed
        as its model is built. A bad item is a malformed response of the request."""

        def on_error(error: ModelValidationError) -> Exception:
            return self._malformed(method, path, error)

        return converter.list_structurer(model, on_error, consume=True)

    async def _page(
        self, method: str, path: Path, query: QueryParams, body: Any
    ) -> Mapping[str, Any]:
        """One page's JSON object; a page request sent as POST is a read, retried as a GET."""
        transport = self._transport
        idempotent = True if method == "POST" else None
        page = await transport.request(method, path, params=query, json=body, idempotent=idempotent)
        if not isinstance(page, Mapping):
            raise TempoTransportError(
                "malformed response: a page is not a JSON object",
                method=method,
                url=str(transport.build_url(path)),
            )
        results = page.get("results")
        if isinstance(results, list) and results is not (owned := _owned(results)):
            return {**page, "results": owned}
        return page

    def _offset_pages(
        self,
        method: str,
        path: Path,
        model: type[M],
        *,
        params: QueryParams | None = None,
        body: Mapping[str, Any] | None = None,
        limit: int,
        offset: int,
        concurrency: int | None,
        max_limit: int = MAX_LIMIT,
        in_body: bool = False,
        links: bool = True,
    ) -> Paginator[M]:
        """A paginator over an offset-paged list, GET or POST (a search).

        `offset`/`limit` go in the query, or (`in_body`) into the request body. A POST
        page request is a read, so it is retried like a GET.
        """
        base_params = dict(params or {})

        async def fetch_page(page_offset: int, page_limit: int) -> Mapping[str, Any]:
            if in_body:
                page_body: Any = {**(body or {}), "offset": page_offset, "limit": page_limit}
                query: QueryParams = base_params
            else:
                page_body = body
                query = {**base_params, "offset": page_offset, "limit": page_limit}
            return await self._page(method, path, query, page_body)

        return Paginator(
            fetch_page,
            self._items_structurer(model, method, path),
            limit=limit,
            offset=offset,
            concurrency=concurrency or self._default_concurrency(),
            max_limit=max_limit,
            links=links,
        )

    def _cursor_pages(
        self,
        method: str,
        path: Path,
        model: type[M],
        *,
        cursor_param: str,
        next_cursor: Callable[[Mapping[str, Any]], str | None],
        params: QueryParams | None = None,
        body: Any = None,
        limit: int,
        max_limit: int,
    ) -> CursorPaginator[M]:
        """A paginator over a cursor-paged list: the cursor goes back as `cursor_param`."""
        base_params = {**(params or {}), "limit": limit}

        async def fetch_page(cursor: str | None) -> Mapping[str, Any]:
            query = base_params if cursor is None else {**base_params, cursor_param: cursor}
            return await self._page(method, path, query, body)

        return CursorPaginator(
            fetch_page,
            self._items_structurer(model, method, path),
            next_cursor=next_cursor,
            limit=limit,
            max_limit=max_limit,
        )


def _owned(items: list[Any]) -> list[Any]:
    """A response's list of items for structuring, which consumes it: the list itself, or
    a copy when `capture_json` hands the response on too (its models may be built after
    the capture block, so the copy is made when the response arrives)."""
    return list(items) if capturing() else items
