"""Team memberships (#44-47)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, parse_date, path_int
from tempo_async.emulator.v3.state import Record

ALREADY_MEMBER = "User is already a member of this team on this date."


def _overlap(a: Record, b: Record) -> bool:
    low_a, high_a = a.get("from") or "0000-01-01", a.get("to") or "9999-12-31"
    low_b, high_b = b.get("from") or "0000-01-01", b.get("to") or "9999-12-31"
    return low_a <= high_b and low_b <= high_a


class Memberships(Resource):
    """POST /team-memberships and GET/PUT/DELETE /team-memberships/{id}."""

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/team-memberships", self.create),
            Route("GET", "/team-memberships/{id}", self.get),
            Route("PUT", "/team-memberships/{id}", self.update),
            Route("DELETE", "/team-memberships/{id}", self.delete),
        ]

    def _existing(self, request: web.Request) -> Record:
        raw = request.match_info["id"]
        message = f"Membership with id '{raw}' does not exist"
        record = self.state.memberships.get(path_int(request, "id", message))
        if record is None:
            raise ApiError(404, message)
        return record

    def _terms(self, body: dict[str, Any], record: Record, errors: list[str]) -> None:
        """Role, commitment and dates of a MembershipInput/MembershipUpdate into `record`."""
        role_id = body.get("roleId")
        if role_id is None:
            role_id = self.state.default_role_id()
        elif role_id not in self.state.roles:
            errors.append(f"Role with id '{role_id}' not found")
        percent = body.get("commitmentPercent", 100)
        if not 0 <= percent <= 100:
            errors.append("Commitment percent must be between 0 and 100")
        record.update(roleId=role_id, commitmentPercent=percent)
        record.pop("from", None)
        record.pop("to", None)
        for field in ("from", "to"):
            if body.get(field):
                parse_date(body[field], field)
                record[field] = body[field]
        if record.get("from") and record.get("to") and record["from"] > record["to"]:
            errors.append("'from' must not be after 'to'")
        if not errors and any(
            m["id"] != record["id"]
            and m["teamId"] == record["teamId"]
            and m["accountId"] == record["accountId"]
            and _overlap(m, record)
            for m in self.state.memberships.values()
        ):
            errors.append(ALREADY_MEMBER)

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.membership(self.state, record), "Membership")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new membership."""
        body = await self.ctx.body(request, "MembershipInput")
        errors = []
        if body["teamId"] not in self.state.teams:
            errors.append(f"Team with id '{body['teamId']}' not found")
        if body["accountId"] not in self.state.users:
            errors.append(f"User with accountId '{body['accountId']}' not found")
        record: Record = {"id": 0, "teamId": body["teamId"], "accountId": body["accountId"]}
        self._terms(body, record, errors)
        if errors:
            raise ApiError(400, *errors)
        record["id"] = self.state.next_id("membership")
        self.state.memberships[record["id"]] = record
        return self._respond(record)

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing membership for the given id."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing membership (role, commitment and dates)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "MembershipUpdate")
        record = dict(existing)
        errors: list[str] = []
        self._terms(body, record, errors)
        if errors:
            raise ApiError(400, *errors)
        self.state.memberships[record["id"]] = record
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing membership."""
        del self.state.memberships[self._existing(request)["id"]]
        return no_content()
