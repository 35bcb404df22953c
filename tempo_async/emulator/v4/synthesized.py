"""The v4 operations the emulator models no state for: each answers a response that is
valid against its schema (synthesized from it, the same every time), after checking that
a body, if sent, is JSON. Pages are last pages, so a client's walk ends."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.responses import json_response, read_json
from tempo_async.emulator.server import Route
from tempo_async.emulator.synthesize import Synthesizer
from tempo_async.emulator.v4._operations import OPERATIONS

_CURSORS = ("next", "nextPageToken", "nextPageUrl", "lastEvaluatedKey")


def synthesized_routes(
    ctx: ApiContext, mount: str, served: Iterable[tuple[str, str]]
) -> list[Route]:
    """Routes for every operation of `mount` that is not in `served` (method, path)."""
    taken = set(served)
    missing = [
        (method, path, status, kind, definition)
        for method, where, path, status, kind, definition in OPERATIONS
        if where == mount and (method, path) not in taken
    ]
    # Literal segments first: `/roles/default` must not be taken for `/roles/{id}`.
    missing.sort(key=lambda op: (op[1].count("{"), op[1]))
    return [
        Route(method, path, _handler(ctx, status, kind, definition))
        for method, path, status, kind, definition in missing
    ]


def _handler(
    ctx: ApiContext, status: int, kind: str, definition: str | None
) -> Callable[[web.Request], Any]:
    definitions = ctx.validator.definitions

    async def handle(request: web.Request) -> web.Response:
        if request.can_read_body:
            await read_json(request)  # a 400 when it is not JSON
        if kind == "none" or definition is None:
            if kind == "json":
                return json_response("synthesized", status=status)
            return web.Response(status=204 if status == 204 else status)
        synthesizer = Synthesizer(definitions)
        if kind == "array":
            body: Any = [synthesizer.value(definitions[definition]) for _ in range(2)]
            for item in body:
                ctx.validator.check_response(definition, item)
            return json_response(body, status=status)
        body = synthesizer.value(definitions[definition])
        metadata = body.get("metadata") if isinstance(body, dict) else None
        if isinstance(metadata, dict) and kind in ("page", "cursor"):
            for key in _CURSORS:
                metadata.pop(key, None)
            if "offset" in metadata:
                metadata["offset"] = int(request.query.get("offset", "0") or 0)
            if "count" in metadata:
                metadata["count"] = len(body.get("results", []))
        return ctx.respond(body, definition, status=status)

    return handle
