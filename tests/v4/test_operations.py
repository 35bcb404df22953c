"""Every operation of the v4 spec, through `OPERATIONS`, against a real local HTTP server.

The cases are built from Tempo's OpenAPI document itself: each operation's method is
called with a sample of every path parameter, a schema-valid body and every query
parameter; the server records what arrives (method, path, query, JSON body) and answers
with a schema-valid instance of the operation's success response. The test checks the
request against the spec and the result against the contract of v4-surface.md.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from aiohttp import web

from codegen.naming import model_name, snake_case
from tempo_async import converter
from tempo_async._cursor_paging import CursorPaginator
from tempo_async._paging import Paginator
from tempo_async.emulator.synthesize import Synthesizer
from tempo_async.models import v4 as models
from tempo_async.v4 import OPERATIONS, TempoClient

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.load(
    (ROOT / "schema/v4/tempo-openapi.yaml").read_text(encoding="utf-8"),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
)
BUNDLE = json.loads((ROOT / "tempo_async/models/v4_schema.json").read_text(encoding="utf-8"))
SCHEMAS = SPEC["components"]["schemas"]
REF = "#/components/schemas/"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
DAY = date(2026, 1, 2)
CURSOR_KEYS = ("nextPageToken", "lastEvaluatedKey", "next", "nextPageUrl")


def spec_operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


OPS = spec_operations()


def definition(ref: str) -> dict[str, Any]:
    return BUNDLE["definitions"][model_name(ref.removeprefix(REF))]


def sample(param: dict[str, Any], index: int) -> tuple[Any, list[str]]:
    """A Python value for a parameter and how it must appear on the wire."""
    schema = param.get("schema", {})
    name = param["name"]
    kind = schema.get("type", "string")
    fmt = str(schema.get("format", ""))
    if kind == "array":
        value, wire = sample({"name": name, "schema": schema.get("items", {})}, index)
        return [value, value], wire * 2
    if "enum" in schema:
        return schema["enum"][0], [schema["enum"][0]]
    if kind == "integer":
        return 7 + index, [str(7 + index)]
    if kind == "number":
        return 2.5, ["2.5"]
    if kind == "boolean":
        return True, ["true"]
    if name == "updatedFrom" and fmt != "date" and (fmt == "date-time" or fmt.startswith("yyyy")):
        return WHEN, ["2026-01-02T03:04:05Z"]
    if name in ("from", "to", "date", "day", "updatedFrom") or fmt == "date":
        return DAY, [DAY.isoformat()]
    return f"v-{index}:x/y", [f"v-{index}:x/y"]


@dataclass
class Recorded:
    """What the server saw, and what it answers."""

    requests: list[tuple[str, str, list[tuple[str, str]], Any]] = field(default_factory=list)
    status: int = 200
    payload: Any = None


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Recorded]]:
    recorded = Recorded()

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        recorded.requests.append(
            (
                request.method,
                request.raw_path.split("?", 1)[0],
                list(request.query.items()),
                json.loads(body) if body else None,
            )
        )
        if recorded.status == 204:
            return web.Response(status=204)
        return web.json_response(recorded.payload, status=recorded.status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}", recorded
    await runner.cleanup()


def success(operation: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    for code, response in operation["responses"].items():
        if str(code).startswith("2"):
            for media in response.get("content", {}).values():
                return int(code), media.get("schema")
            return int(code), None
    raise AssertionError("no success response")


def answer_for(schema: dict[str, Any] | None) -> Any:
    """A valid success body; pages are last pages (no link, no cursor)."""
    if schema is None:
        return None
    synth = Synthesizer(BUNDLE["definitions"])
    if "$ref" in schema:
        payload = synth.value(definition(schema["$ref"]), 0)
        if isinstance(payload, dict) and isinstance(payload.get("metadata"), dict):
            for key in CURSOR_KEYS:
                payload["metadata"].pop(key, None)
        return payload
    if schema.get("type") == "array":
        return [synth.value(definition(schema["items"]["$ref"]), 0) for _ in range(2)]
    return "a string"


@dataclass
class Call:
    """How to call one operation with samples, and what must go over the wire."""

    args: list[Any]
    kwargs: dict[str, Any]
    path: str
    query: list[tuple[str, str]]
    body: Any


def build_call(op_id: str) -> Call:
    """Samples for every parameter and a schema-valid body of operation `op_id`."""
    _method, path, operation = OPS[op_id]
    params = operation.get("parameters", [])
    order = [seg[1:-1] for seg in path.split("/") if seg.startswith("{")]
    path_values = {}
    expected_path = path
    for index, param in enumerate(p for p in params if p["in"] == "path"):
        value, wire = sample(param, index)
        path_values[param["name"]] = value
        expected_path = expected_path.replace("{" + param["name"] + "}", quote(wire[0], safe=""))
    args = [path_values[name] for name in order]

    kwargs: dict[str, Any] = {}
    expected_query: list[tuple[str, str]] = []
    for index, param in enumerate(p for p in params if p["in"] == "query"):
        if param["name"] in ("offset", "limit", "nextPageToken", "lastEvaluatedKey"):
            continue
        value, wire = sample(param, 20 + index)
        kwargs[snake_case(param["name"])] = value
        expected_query += [(param["name"], text) for text in wire]

    body_json: Any = None
    request_body = operation.get("requestBody")
    if request_body:
        schema = request_body["content"]["application/json"]["schema"]
        synth = Synthesizer(BUNDLE["definitions"])
        if "$ref" in schema:
            body_json = synth.value(definition(schema["$ref"]), 0)
            model = getattr(models, model_name(schema["$ref"].removeprefix(REF)))
            args.append(converter.structure(body_json, model))
        else:
            item_ref = schema["items"]["$ref"]
            count = max(1, min(2, schema.get("maxItems", 2)))
            body_json = [synth.value(definition(item_ref), 0) for _ in range(count)]
            model = getattr(models, model_name(item_ref.removeprefix(REF)))
            args.append([converter.structure(item, model) for item in body_json])

    return Call(args, kwargs, expected_path, expected_query, body_json)


def resolve(client: TempoClient, dotted: str) -> Any:
    target: Any = client
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def test_every_operation_of_the_spec_is_in_operations() -> None:
    assert set(OPERATIONS) == set(OPS)
    assert len(OPERATIONS) == 254


@pytest.mark.parametrize("op_id", sorted(OPS))
async def test_operation_sends_the_spec_request_and_returns_the_contract_type(
    server: tuple[str, Recorded], op_id: str
) -> None:
    base, recorded = server
    method, _path, operation = OPS[op_id]
    call = build_call(op_id)
    args, kwargs = call.args, call.kwargs
    expected_path, expected_query, body_json = call.path, call.query, call.body
    status, response_schema = success(operation)
    recorded.status = 204 if response_schema is None else status
    recorded.payload = answer_for(response_schema)

    async with TempoClient("t0ken", base_url=base, rate_limit=None, max_retries=0) as tempo:
        result = resolve(tempo, OPERATIONS[op_id])(*args, **kwargs)
        if isinstance(result, Paginator):
            items = await result.collect()
            page_results = recorded.payload["results"]
            assert len(items) == len(page_results)
            item_ref = response_schema["$ref"] if response_schema else ""
            item_schema = SCHEMAS[item_ref.removeprefix(REF)]["properties"]["results"]["items"]
            item_model = getattr(models, model_name(item_schema["$ref"].removeprefix(REF)))
            assert all(isinstance(item, item_model) for item in items)
            paged = True
        else:
            result = await result
            paged = False

    assert len(recorded.requests) == 1
    sent_method, sent_path, sent_query, sent_body = recorded.requests[0]
    assert sent_method == method
    assert sent_path == expected_path
    paging_keys = {"offset", "limit", "nextPageToken", "lastEvaluatedKey"}
    assert [(k, v) for k, v in sent_query if k not in paging_keys] == expected_query
    if paged and isinstance(sent_body, dict) and "offset" in sent_body and body_json is not None:
        assert {k: v for k, v in sent_body.items() if k not in ("offset", "limit")} == {
            k: v for k, v in body_json.items() if k not in ("offset", "limit")
        }
    else:
        assert sent_body == body_json

    if paged:
        if isinstance(result, CursorPaginator):
            assert any(k == "limit" for k, _ in sent_query)
        return
    if response_schema is None:
        assert result is None
    elif "$ref" in response_schema:
        schema = SCHEMAS[response_schema["$ref"].removeprefix(REF)]
        props = schema.get("properties", {})
        if "results" in props and "metadata" in props:  # un-paged collection
            item = props["results"]["items"]["$ref"].removeprefix(REF)
            assert isinstance(result, list)
            assert all(isinstance(r, getattr(models, model_name(item))) for r in result)
        else:
            model = getattr(models, model_name(response_schema["$ref"].removeprefix(REF)))
            assert isinstance(result, model)
            assert converter.unstructure(result) == recorded.payload
    elif response_schema.get("type") == "array":
        model = getattr(models, model_name(response_schema["items"]["$ref"].removeprefix(REF)))
        assert isinstance(result, list) and all(isinstance(r, model) for r in result)
    else:
        assert result == recorded.payload
