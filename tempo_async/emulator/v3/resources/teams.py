"""Teams (#34-43), their links (`GET/DELETE /team-links/{id}`, `GET /teams/{id}/links`)
and the users of a permission (`TeamPermission.users.self`)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.resources._common import Resource, blank, path_int
from tempo_async.emulator.v3.state import PERMISSION_KEYS, Record

NOT_FOUND = "Team not found"
LINK_NOT_FOUND = "Team link not found"


class Teams(Resource):
    """/teams, /teams/{id} and the team's members, permissions and links."""

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/teams", self.create),
            Route("GET", "/teams", self.list_all),
            Route("GET", "/teams/{id}", self.get),
            Route("PUT", "/teams/{id}", self.update),
            Route("DELETE", "/teams/{id}", self.delete),
            Route("GET", "/teams/{id}/members", self.members),
            Route("GET", "/teams/{id}/members/{accountId}", self.member),
            Route("GET", "/teams/{id}/members/{accountId}/memberships", self.member_memberships),
            Route("GET", "/teams/{id}/permissions", self.permissions),
            Route("GET", "/teams/{id}/permissions/{key}", self.permission),
            Route("GET", "/teams/{id}/permissions/{key}/users", self.permission_users),
            Route("GET", "/teams/{id}/links", self.links),
            Route("GET", "/team-links/{id}", self.get_link),
            Route("DELETE", "/team-links/{id}", self.delete_link),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.teams.get(path_int(request, "id", NOT_FOUND))
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _record(self, body: dict[str, Any], team_id: int) -> Record:
        state = self.state
        errors = []
        name = body["name"]
        if blank(name):
            errors.append("Team name cannot be blank")
        elif any(t["name"] == name and t["id"] != team_id for t in state.teams.values()):
            errors.append(f"Team with that name ('{name}') already exists")
        lead = body.get("leadAccountId")
        if lead is not None and lead not in state.users:
            errors.append(f"Lead with accountId '{lead}' not found")
        program_id = body.get("programId")
        if program_id is not None and program_id not in state.programs:
            errors.append(f"Program with id '{program_id}' not found")
        if errors:
            raise ApiError(400, *errors)
        record: Record = {"id": team_id, "name": name}
        for field in ("summary", "leadAccountId", "programId", "administrative", "public"):
            if body.get(field) is not None:
                record[field] = body[field]
        return record

    def _store(self, record: Record) -> web.Response:
        state = self.state
        state.teams[record["id"]] = record
        permissions = state.team_permissions.setdefault(record["id"], {})
        for key in PERMISSION_KEYS:
            permissions.setdefault(key, [])
            if record.get("leadAccountId"):
                state.grant_team_permission(record["id"], key, record["leadAccountId"])
        return self._respond(record)

    def _respond(self, record: Record) -> web.Response:
        return self.ctx.respond(render.team(self.state, record), "Team")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new team (its lead gets every team permission)."""
        body = await self.ctx.body(request, "TeamInput")
        return self._store(self._record(body, self.state.next_id("team")))

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve all teams."""
        results = [render.team(self.state, r) for _, r in sorted(self.state.teams.items())]
        return self.ctx.respond_collection(self.state.url("teams"), results, "Team")

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing team for the given id."""
        return self._respond(self._existing(request))

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing team for the given id (the body replaces it)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "TeamInput")
        return self._store(self._record(body, existing["id"]))

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing team, with its memberships, permissions and links."""
        state = self.state
        team_id = self._existing(request)["id"]
        del state.teams[team_id]
        state.team_permissions.pop(team_id, None)
        for membership_id in [m["id"] for m in state.memberships_of_team(team_id)]:
            del state.memberships[membership_id]
        for link_id in [i for i, link in state.team_links.items() if link["teamId"] == team_id]:
            del state.team_links[link_id]
        return no_content()

    def _member_ids(self, team_id: int) -> list[str]:
        return list(dict.fromkeys(m["accountId"] for m in self.state.memberships_of_team(team_id)))

    async def members(self, request: web.Request) -> web.Response:
        """Retrieve all the members for this team with their active membership."""
        team_id = self._existing(request)["id"]
        results = [render.team_member(self.state, team_id, a) for a in self._member_ids(team_id)]
        return self.ctx.respond_collection(
            self.state.url("teams", team_id, "members"), results, "TeamMember"
        )

    def _member(self, request: web.Request) -> tuple[int, str]:
        team_id = self._existing(request)["id"]
        account_id = request.match_info["accountId"]
        if account_id not in self._member_ids(team_id):
            raise ApiError(404, f"User '{account_id}' is not a member of this team")
        return team_id, account_id

    async def member(self, request: web.Request) -> web.Response:
        """Retrieve the member's active membership for this team."""
        team_id, account_id = self._member(request)
        return self.ctx.respond(render.team_member(self.state, team_id, account_id), "TeamMember")

    async def member_memberships(self, request: web.Request) -> web.Response:
        """Retrieve member's memberships for this team."""
        team_id, account_id = self._member(request)
        results = [
            render.member_membership(self.state, m)
            for m in self.state.memberships_of_team(team_id)
            if m["accountId"] == account_id
        ]
        url = self.state.url("teams", team_id, "members", account_id, "memberships")
        return self.ctx.respond_collection(url, results, "TeamMemberMembership")

    async def permissions(self, request: web.Request) -> web.Response:
        """Retrieve all the permissions for this team."""
        team_id = self._existing(request)["id"]
        keys = self.state.team_permissions.get(team_id, {})
        results = [render.team_permission(self.state, team_id, key) for key in keys]
        return self.ctx.respond_collection(
            self.state.url("teams", team_id, "permissions"), results, "TeamPermission"
        )

    def _permission_key(self, request: web.Request) -> tuple[int, str]:
        team_id = self._existing(request)["id"]
        key = request.match_info["key"]
        if key not in self.state.team_permissions.get(team_id, {}):
            raise ApiError(404, f"Permission {key} not found")
        return team_id, key

    async def permission(self, request: web.Request) -> web.Response:
        """Retrieve a specific permission belonging to the team."""
        team_id, key = self._permission_key(request)
        return self.ctx.respond(render.team_permission(self.state, team_id, key), "TeamPermission")

    async def permission_users(self, request: web.Request) -> web.Response:
        """The users holding a team permission (`TeamPermission.users.self`)."""
        team_id, key = self._permission_key(request)
        users = self.state.team_permissions[team_id][key]
        results = [self.state.user_ref(u) for u in users]
        url = self.state.url("teams", team_id, "permissions", key, "users")
        return self.ctx.respond_collection(url, results, "User")

    async def links(self, request: web.Request) -> web.Response:
        """The team's links to Jira projects (`Team.links.self`)."""
        team_id = self._existing(request)["id"]
        results = [
            render.team_link(self.state, link)
            for _, link in sorted(self.state.team_links.items())
            if link["teamId"] == team_id
        ]
        return self.ctx.respond_collection(
            self.state.url("teams", team_id, "links"), results, "TeamLink"
        )

    def _link(self, request: web.Request) -> Record:
        record = self.state.team_links.get(path_int(request, "id", LINK_NOT_FOUND))
        if record is None:
            raise ApiError(404, LINK_NOT_FOUND)
        return record

    async def get_link(self, request: web.Request) -> web.Response:
        """GET /team-links/{id} (declared by the spec without a schema)."""
        return self.ctx.respond(render.team_link(self.state, self._link(request)), "TeamLink")

    async def delete_link(self, request: web.Request) -> web.Response:
        """DELETE /team-links/{id}."""
        del self.state.team_links[self._link(request)["id"]]
        return no_content()
