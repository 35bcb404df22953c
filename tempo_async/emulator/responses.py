"""JSON in and out: compact response encoding and request body decoding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

from tempo_async.emulator.errors import ApiError, error_body


def dump_json(data: Any) -> bytes:
    """Compact UTF-8 JSON, the encoding of every response body (orjson: a v4 page of 5000
    worklogs encodes in ~6 ms instead of ~32 ms)."""
    return orjson.dumps(data)


def json_response(
    data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response with the given body."""
    return web.Response(
        body=dump_json(data), status=status, headers=headers, content_type="application/json"
    )


def no_content() -> web.Response:
    """204 with no body: the spec's answer to every successful delete."""
    return web.Response(status=204)


def error_response(
    status: int, *messages: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    """An error response; no body when there is no message (the spec's 401)."""
    if not messages:
        return web.Response(status=status, headers=headers)
    return json_response(error_body(*messages), status=status, headers=headers)


async def read_json(request: web.Request) -> Any:
    """The decoded request body; `None` for an empty body, 400 when it is not JSON."""
    raw = await request.read()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
