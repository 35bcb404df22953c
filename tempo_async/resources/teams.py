"""Teams, their members and permissions (spec section "Teams")."""

from __future__ import annotations

import builtins

from tempo_async import _params as check
from tempo_async.models import Team, TeamInput, TeamMember, TeamMemberMembership, TeamPermission
from tempo_async.resources._base import Resource


class Teams(Resource):
    """`/teams`: teams, their members' memberships and the team permissions."""

    __slots__ = ()

    async def create(self, team: TeamInput) -> Team:
        """Creates a new team."""
        return await self._send("POST", ("teams",), Team, check.body("team", team, TeamInput))

    async def list(self) -> list[Team]:
        """Retrieve all teams."""
        return await self._list(("teams",), Team)

    async def get(self, id: int) -> Team:
        """Retrieve an existing team for the given id."""
        return await self._get(("teams", check.ident("id", id)), Team)

    async def update(self, id: int, team: TeamInput) -> Team:
        """Update an existing team for the given id."""
        path = ("teams", check.ident("id", id))
        return await self._send("PUT", path, Team, check.body("team", team, TeamInput))

    async def delete(self, id: int) -> None:
        """Delete an existing team."""
        await self._delete(("teams", check.ident("id", id)))

    async def members(self, id: int) -> builtins.list[TeamMember]:
        """Retrieve all the members for this team with their active membership."""
        return await self._list(("teams", check.ident("id", id), "members"), TeamMember)

    async def member(self, id: int, account_id: str) -> TeamMember:
        """Retrieve the member's active membership for this team."""
        path = ("teams", check.ident("id", id), "members", check.key("account_id", account_id))
        return await self._get(path, TeamMember)

    async def member_memberships(
        self, id: int, account_id: str
    ) -> builtins.list[TeamMemberMembership]:
        """Retrieve member's memberships for this team."""
        member = check.key("account_id", account_id)
        path = ("teams", check.ident("id", id), "members", member, "memberships")
        return await self._list(path, TeamMemberMembership)

    async def permissions(self, id: int) -> builtins.list[TeamPermission]:
        """Retrieve all the permissions for this team."""
        return await self._list(("teams", check.ident("id", id), "permissions"), TeamPermission)

    async def permission(self, id: int, key: str) -> TeamPermission:
        """Retrieve a specific permission belonging to the team (keys look like `tempo.teams.browse.team`)."""
        path = ("teams", check.ident("id", id), "permissions", check.key("key", key))
        return await self._get(path, TeamPermission)
