"""What holiday schemes and workload schemes share: named schemes, one of them the
default, and users assigned to schemes (everyone not assigned belongs to the default).
A subclass names its paths and definitions and adds what its schemes hold."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources._common import path_int
from tempo_async.emulator.v3.state import Record, V3State

__all__ = ["DEFAULT_SCHEME_ID", "Schemes"]

DEFAULT_SCHEME_ID = 1
MAX_LIMIT = 5000


class Schemes:
    """Scheme CRUD, the default scheme and memberships, under `path`."""

    path = ""
    param = "id"
    """The path parameter naming a scheme."""
    what = "scheme"
    input_definition = ""
    definition = ""
    list_definition = ""
    list_paged = False
    members_definition = ""
    default_name = ""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx
        self.schemes: dict[int, Record] = {
            DEFAULT_SCHEME_ID: self.fields({"name": self.default_name}, DEFAULT_SCHEME_ID)
        }
        self.default_id = DEFAULT_SCHEME_ID
        self.members: dict[str, int] = {}
        """Users assigned to a scheme other than the default, by accountId."""

    def routes(self) -> list[Route]:
        """The scheme and membership operations."""
        one = f"{self.path}/{{{self.param}}}"
        return [
            Route("GET", self.path, self.list_all),
            Route("POST", self.path, self.create),
            Route("GET", f"{self.path}/users/{{accountId}}", self.for_user),
            Route("GET", one, self.get),
            Route("PUT", one, self.update),
            Route("DELETE", one, self.delete),
            Route("PUT", one + "/default", self.set_default),
            Route("GET", one + "/members", self.list_members),
            Route("POST", one + "/members", self.set_members),
        ]

    # -- what a subclass adds -------------------------------------------------------------

    def fields(self, body: dict[str, Any], scheme_id: int) -> Record:
        """A scheme record from its input (a subclass adds its own fields)."""
        record: Record = {"id": scheme_id, "name": str(body["name"]).strip()}
        if body.get("description"):
            record["description"] = body["description"]
        return record

    def render(self, scheme: Record) -> Record:
        """The scheme as v4 renders it (a subclass adds its own fields)."""
        scheme_id = scheme["id"]
        default = scheme_id == self.default_id
        assigned = sum(1 for s in self.members.values() if s == scheme_id)
        count = len(self.state.users) - len(self.members) + assigned if default else assigned
        return {
            "id": scheme_id,
            "name": scheme["name"],
            "description": scheme.get("description", ""),
            "defaultScheme": default,
            "memberCount": count,
            "self": self.ctx.url(f"{self.path}/{scheme_id}"),
        }

    def forget(self, scheme_id: int) -> None:
        """Drop what a deleted scheme held besides its record."""

    # -- handlers -------------------------------------------------------------------------

    def _scheme(self, request: web.Request) -> Record:
        message = f"{self.what.capitalize()} not found"
        scheme = self.schemes.get(path_int(request, self.param, message))
        if scheme is None:
            raise ApiError(404, message)
        return scheme

    def _respond(self, scheme: Record) -> web.Response:
        return self.ctx.respond(self.render(scheme), self.definition)

    async def _checked(self, request: web.Request, scheme_id: int) -> Record:
        record = self.fields(await self.ctx.body(request, self.input_definition), scheme_id)
        if any(s["name"] == record["name"] and s["id"] != scheme_id for s in self.schemes.values()):
            raise ApiError(400, f"A {self.what} named '{record['name']}' already exists")
        return record

    async def list_all(self, request: web.Request) -> web.Response:
        """Every scheme."""
        schemes = [self.render(s) for _, s in sorted(self.schemes.items())]
        if self.list_paged:
            return self.ctx.respond_window(
                request, schemes, self.list_definition, max_limit=MAX_LIMIT
            )
        return self.ctx.respond_results(str(request.url), schemes, self.list_definition)

    async def create(self, request: web.Request) -> web.Response:
        """Create a scheme (with no members)."""
        record = await self._checked(request, self.state.next_id(self.path, DEFAULT_SCHEME_ID + 1))
        self.schemes[record["id"]] = record
        return self._respond(record)

    async def get(self, request: web.Request) -> web.Response:
        """A scheme by id."""
        return self._respond(self._scheme(request))

    async def update(self, request: web.Request) -> web.Response:
        """Replace a scheme's name, description and what it holds."""
        record = await self._checked(request, self._scheme(request)["id"])
        self.schemes[record["id"]] = record
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete a scheme other than the default; its members go to the default."""
        scheme_id = self._scheme(request)["id"]
        if scheme_id == self.default_id:
            raise ApiError(400, f"The default {self.what} cannot be deleted")
        del self.schemes[scheme_id]
        self.forget(scheme_id)
        for account_id in [a for a, s in self.members.items() if s == scheme_id]:
            del self.members[account_id]
        return no_content()

    async def set_default(self, request: web.Request) -> web.Response:
        """Make a scheme the default (users without a scheme of their own follow it)."""
        scheme = self._scheme(request)
        self.default_id = scheme["id"]
        return self._respond(scheme)

    async def for_user(self, request: web.Request) -> web.Response:
        """The scheme of a user."""
        account_id = request.match_info["accountId"]
        if account_id not in self.state.users:
            raise ApiError(404, f"User with accountId '{account_id}' not found")
        return self._respond(self.schemes[self.members.get(account_id, self.default_id)])

    async def list_members(self, request: web.Request) -> web.Response:
        """The members of a scheme, paged."""
        scheme_id = self._scheme(request)["id"]
        members = [a for a in self.state.users if self.members.get(a, self.default_id) == scheme_id]
        return self.ctx.respond_window(
            request,
            members,
            "PageableUser",
            max_limit=MAX_LIMIT,
            render=lambda a: {"accountId": a, "self": self.state.user_url(a)},
        )

    async def set_members(self, request: web.Request) -> web.Response:
        """Assign users to a scheme."""
        scheme_id = self._scheme(request)["id"]
        body = await self.ctx.body(request, self.members_definition)
        account_ids = list(body.get("accountIds") or [])
        unknown = [a for a in account_ids if a not in self.state.users]
        if unknown:
            raise ApiError(400, f"Users not found: {', '.join(unknown)}")
        for account_id in account_ids:
            if scheme_id == self.default_id:
                self.members.pop(account_id, None)
            else:
                self.members[account_id] = scheme_id
        return no_content()
