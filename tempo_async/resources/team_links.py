"""Team links: declared by the spec (`/team-links/{id} get delete`) without any schema."""

from __future__ import annotations

from tempo_async import _params as check
from tempo_async.models import TeamLink
from tempo_async.resources._base import Resource


class TeamLinks(Resource):
    """`/team-links/{id}`: the links of a team to projects or boards.

    The spec declares GET and DELETE on this path but documents neither, so `TeamLink`
    keeps whatever the server sends in its `extra` mapping.
    """

    __slots__ = ()

    async def get(self, id: int) -> TeamLink:
        """Retrieve a team link (undocumented by the spec; see the class docstring)."""
        return await self._get(("team-links", check.ident("id", id)), TeamLink)

    async def delete(self, id: int) -> None:
        """Delete a team link (undocumented by the spec; 204 expected as for every delete)."""
        await self._delete(("team-links", check.ident("id", id)))
