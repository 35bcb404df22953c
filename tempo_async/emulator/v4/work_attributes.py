"""v4 writes of work attributes over the shared state (v3 only reads them): create by
key, update and delete by key, with Tempo's rules: keys unique, a `STATIC_LIST` needs
values and keeps the ones it had (they are immutable: worklogs store them), and an
attribute worklogs still use cannot be deleted."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.state import Record, V3State
from tempo_async.emulator.v4.reference import V4Reference

__all__ = ["V4WorkAttributes"]


class V4WorkAttributes:
    """POST /4/work-attributes, PUT and DELETE /4/work-attributes/{key}."""

    def __init__(self, state: V3State, ctx: ApiContext, reference: V4Reference) -> None:
        self.state = state
        self.ctx = ctx
        self.reference = reference

    def routes(self) -> list[Route]:
        """The stateful v4 work attribute writes."""
        return [
            Route("POST", "/work-attributes", self.create),
            Route("PUT", "/work-attributes/{key}", self.update),
            Route("DELETE", "/work-attributes/{key}", self.delete),
        ]

    def _existing(self, request: web.Request) -> Record:
        key = request.match_info["key"]
        record = self.state.work_attributes.get(key)
        if record is None:
            raise ApiError(404, f"A work attribute with key '{key}' does not exist")
        return record

    def _record(self, body: dict[str, Any], key: str, current: Record | None) -> Record:
        values = list(body.get("values") or [])
        if body["type"] == "STATIC_LIST":
            if current is not None and current.get("type") == "STATIC_LIST":
                gone = [v for v in current.get("values") or [] if v not in values]
                if gone:
                    raise ApiError(400, f"Static list values cannot be removed: {', '.join(gone)}")
            if not values:
                raise ApiError(400, "A STATIC_LIST work attribute needs 'values'")
        record: Record = {
            "key": key,
            "name": body["name"],
            "type": body["type"],
            "required": bool(body.get("required", False)),
        }
        if body["type"] == "STATIC_LIST":
            record["values"] = values
        return record

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(self.reference.render_work_attribute(record), "WorkAttribute")

    async def create(self, request: web.Request) -> web.Response:
        """Create a work attribute."""
        body = await self.ctx.body(request, "CreateWorkAttributeInput")
        if body["key"] in self.state.work_attributes:
            raise ApiError(400, f"A work attribute with key '{body['key']}' already exists")
        record = self._record(body, body["key"], None)
        self.state.work_attributes[record["key"]] = record
        return self._respond(record)

    async def update(self, request: web.Request) -> web.Response:
        """Update a work attribute (its key stays)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "UpdateWorkAttributeInput")
        record = self._record(body, existing["key"], existing)
        self.state.work_attributes[record["key"]] = record
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete a work attribute no worklog uses."""
        record = self._existing(request)
        if self.state.worklogs.uses_attribute(record["key"]):
            raise ApiError(400, f"Work attribute '{record['key']}' is used by worklogs")
        del self.state.work_attributes[record["key"]]
        return no_content()
