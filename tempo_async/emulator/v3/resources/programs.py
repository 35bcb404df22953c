"""Programs (#23-28)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, blank, path_int
from tempo_async.emulator.v3.state import Record

NOT_FOUND = "Program not found"


class Programs(Resource):
    """/programs, /programs/{id} and GET /programs/{id}/teams.

    A team belongs to at most one program: `teamIds` moves the listed teams into the
    program. A PUT replaces the program, so teams it does not list leave it.
    """

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/programs", self.list_all),
            Route("POST", "/programs", self.create),
            Route("GET", "/programs/{id}", self.get),
            Route("PUT", "/programs/{id}", self.update),
            Route("DELETE", "/programs/{id}", self.delete),
            Route("GET", "/programs/{id}/teams", self.teams),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.programs.get(path_int(request, "id", NOT_FOUND))
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _apply(self, body: dict[str, Any], program_id: int) -> Record:
        state = self.state
        errors = []
        if blank(body["name"]):
            errors.append("Program name is required")
        manager = body.get("managerAccountId")
        if manager is not None and manager not in state.users:
            errors.append(f"Manager with accountId '{manager}' not found")
        team_ids: list[int] = []
        for raw in body.get("teamIds") or []:
            try:
                team_id = int(raw)
            except (TypeError, ValueError):
                errors.append(f"Invalid team id '{raw}'")
                continue
            if team_id not in state.teams:
                errors.append(f"Team with id '{team_id}' not found")
            team_ids.append(team_id)
        if errors:
            raise ApiError(400, *errors)
        record: Record = {"id": program_id, "name": body["name"]}
        if manager is not None:
            record["managerAccountId"] = manager
        state.programs[program_id] = record
        for team in state.teams.values():
            if team["id"] in team_ids:
                team["programId"] = program_id
            elif team.get("programId") == program_id:
                del team["programId"]
        return record

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.program(self.state, record), "Program")

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve all programs."""
        results = [render.program(self.state, r) for _, r in sorted(self.state.programs.items())]
        return self.ctx.respond_collection(self.state.url("programs"), results, "Program")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new program."""
        body = await self.ctx.body(request, "ProgramInput")
        return self._respond(self._apply(body, self.state.next_id("program")))

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing program for the given id."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing program for the given id."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "ProgramInput")
        return self._respond(self._apply(body, existing["id"]))

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing program; its teams no longer belong to a program."""
        record = self._existing(request)
        del self.state.programs[record["id"]]
        for team in self.state.teams.values():
            if team.get("programId") == record["id"]:
                del team["programId"]
        return no_content()

    async def teams(self, request: web.Request) -> web.Response:
        """Retrieve teams associated to this program."""
        record = self._existing(request)
        results = render.program_teams(self.state, record["id"])
        return self.ctx.respond_collection(
            self.state.url("programs", record["id"], "teams"), results, "TeamRef"
        )
