"""Team roles (#29-33)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, blank, path_int
from tempo_async.emulator.v3.state import Record

NOT_FOUND = "Role not found"


class Roles(Resource):
    """/roles and /roles/{id}."""

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/roles", self.list_all),
            Route("POST", "/roles", self.create),
            Route("GET", "/roles/{id}", self.get),
            Route("PUT", "/roles/{id}", self.update),
            Route("DELETE", "/roles/{id}", self.delete),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.roles.get(path_int(request, "id", NOT_FOUND))
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _check_name(self, body: dict[str, Any], role_id: int | None) -> str:
        name = body["name"]
        if blank(name):
            raise ApiError(400, "Role name cannot be blank")
        for role in self.state.roles.values():
            if role["id"] != role_id and role["name"].casefold() == name.strip().casefold():
                raise ApiError(400, f"Role with name '{name}' already exists")
        return str(name)

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.role(self.state, record), "Role")

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve all roles."""
        results = [render.role(self.state, r) for _, r in sorted(self.state.roles.items())]
        return self.ctx.respond_collection(self.state.url("roles"), results, "Role")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new role (never the default one)."""
        body = await self.ctx.body(request, "RoleInput")
        name = self._check_name(body, None)
        role_id = self.state.next_id("role")
        record = {"id": role_id, "name": name, "default": False}
        self.state.roles[role_id] = record
        return self._respond(record)

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing role for the given id."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing role for the given id."""
        record = self._existing(request)
        body = await self.ctx.body(request, "RoleInput")
        record["name"] = self._check_name(body, record["id"])
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing role; its memberships move to the default role."""
        record = self._existing(request)
        if record["default"]:
            raise ApiError(400, "The default role cannot be deleted")
        del self.state.roles[record["id"]]
        default = self.state.default_role_id()
        for membership in self.state.memberships.values():
            if membership["roleId"] == record["id"]:
                membership["roleId"] = default
        return no_content()
