"""What every resource shares: the transport, the converter and the response shapes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from tempo_async._converter import ModelValidationError, converter
from tempo_async._transport import QueryParams, Transport
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
        structure = converter.structure
        try:
            return [structure(item, model) for item in results]
        except ModelValidationError as error:
            raise self._malformed("GET", path, error) from None

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
