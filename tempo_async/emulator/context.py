"""What every handler needs besides its state: links on the emulator's origin, body
validation and JSON responses (validated too, when `validate_responses` is on)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web

from tempo_async.emulator.auth import Principal, current_principal
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.paging import PageRequest, build_page, parse_page_request
from tempo_async.emulator.responses import json_response, read_json
from tempo_async.emulator.validation import SchemaValidator

#: Characters left unescaped in path segments: accountIds (`557058:...`) keep their colon,
#: as in the spec's examples.
_SEGMENT_SAFE = ":@!$'()*+,;=-._~"

#: Pages with more results than this are validated on a sample (first, middle, last).
FULL_PAGE_VALIDATION_LIMIT = 100


def quote_segment(value: str | int) -> str:
    """`value` escaped for use as one path segment."""
    return quote(str(value), safe=_SEGMENT_SAFE)


class ApiContext:
    """Links, validation and responses for the handlers of one API version."""

    def __init__(
        self,
        *,
        origin: str,
        base_path: str,
        validator: SchemaValidator,
        validate_responses: bool,
    ) -> None:
        self.origin = origin
        self.base_path = base_path
        self.base_url = origin + base_path
        self.validator = validator
        self.validate_responses = validate_responses

    def url(self, path: str, query: Iterable[tuple[str, str]] | None = None) -> str:
        """Absolute URL of `path` (already escaped, relative to the base URL)."""
        url = self.base_url + path
        if query is not None:
            encoded = urlencode(list(query), safe=":,")
            if encoded:
                url += "?" + encoded
        return url

    @staticmethod
    def principal(request: web.Request) -> Principal | None:
        """Who the request being handled authenticated as."""
        return current_principal.get()

    async def body(self, request: web.Request, definition: str) -> dict[str, Any]:
        """The request's JSON object, validated against `definition` (400 otherwise)."""
        data = await read_json(request)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ApiError(400, "Request body must be a JSON object")
        self.validator.check_request(definition, data)
        return data

    async def body_list(self, request: web.Request, item_definition: str) -> list[dict[str, Any]]:
        """The request's JSON array, each item validated against `item_definition`."""
        data = await read_json(request)
        if not isinstance(data, list):
            raise ApiError(400, "Request body must be a JSON array")
        for item in data:
            if not isinstance(item, dict):
                raise ApiError(400, "Every item of the request body must be a JSON object")
            self.validator.check_request(item_definition, item)
        return data

    def respond_items(self, items: Sequence[Any], item_definition: str) -> web.Response:
        """A JSON array response, each item checked against `item_definition`."""
        if self.validate_responses:
            for item in items:
                self.validator.check_response(item_definition, item)
        return json_response(list(items))

    def respond(
        self, data: Any, definition: str | None = None, *, status: int = 200
    ) -> web.Response:
        """A JSON response, checked against `definition` in validate_responses mode."""
        if definition is not None and self.validate_responses:
            self.validator.check_response(definition, data)
        return json_response(data, status=status)

    def respond_collection(
        self, self_url: str, results: Sequence[Any], item_definition: str | None
    ) -> web.Response:
        """The unpaged collection envelope `{self, metadata: {count}, results}`."""
        body = {"self": self_url, "metadata": {"count": len(results)}, "results": list(results)}
        if self.validate_responses:
            self.validator.check_response("Collection", body)
            if item_definition is not None:
                for item in results:
                    self.validator.check_response(item_definition, item)
        return json_response(body)

    def respond_results(
        self, self_url: str, results: Sequence[Any], definition: str
    ) -> web.Response:
        """The unpaged collection envelope `{self, metadata: {count}, results}`, validated
        as the envelope `definition` (v4 names one per collection: `HolidayResults`...)."""
        body = {"self": self_url, "metadata": {"count": len(results)}, "results": list(results)}
        return self.respond(body, definition)

    def respond_window(
        self,
        request: web.Request,
        records: Sequence[Any],
        definition: str,
        *,
        max_limit: int,
        render: Callable[[Any], Any] | None = None,
    ) -> web.Response:
        """The page of `records` (all of a list, in order) the request's offset and limit
        select, each rendered by `render` (as they are without one)."""
        page = parse_page_request(request.query, max_limit=max_limit)
        window = records[page.offset : page.offset + page.limit]
        results = list(window) if render is None else [render(r) for r in window]
        has_more = page.offset + len(window) < len(records)
        return self.respond_page(request, page, results, has_more=has_more, definition=definition)

    def respond_page(
        self,
        request: web.Request,
        page: PageRequest,
        results: Sequence[Any],
        *,
        has_more: bool,
        definition: str | None,
    ) -> web.Response:
        """A page of a paged list with absolute self/next/previous links."""
        body = build_page(
            origin=self.origin,
            raw_path=request.rel_url.raw_path,
            query=request.query,
            page=page,
            results=results,
            has_more=has_more,
        )
        if definition is not None and self.validate_responses:
            sample = results
            if len(results) > FULL_PAGE_VALIDATION_LIMIT:
                sample = [results[0], results[len(results) // 2], results[-1]]
            self.validator.check_response(definition, {**body, "results": list(sample)})
        return json_response(body)
