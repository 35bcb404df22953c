"""Team memberships (spec section "Team - Memberships")."""

from __future__ import annotations

from tempo_async import _params as check
from tempo_async.models import Membership, MembershipInput, MembershipUpdate
from tempo_async.resources._base import Resource


class TeamMemberships(Resource):
    """`/team-memberships`: a user's membership of a team, with role and commitment."""

    __slots__ = ()

    async def create(self, membership: MembershipInput) -> Membership:
        """Creates a new membership."""
        body = check.body("membership", membership, MembershipInput)
        return await self._send("POST", ("team-memberships",), Membership, body)

    async def get(self, id: int) -> Membership:
        """Retrieve an existing membership for the given id."""
        return await self._get(("team-memberships", check.ident("id", id)), Membership)

    async def update(self, id: int, membership: MembershipUpdate) -> Membership:
        """Update an existing membership for the given id."""
        path = ("team-memberships", check.ident("id", id))
        body = check.body("membership", membership, MembershipUpdate)
        return await self._send("PUT", path, Membership, body)

    async def delete(self, id: int) -> None:
        """Delete an existing membership."""
        await self._delete(("team-memberships", check.ident("id", id)))
