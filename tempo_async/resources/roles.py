"""Team roles (spec section "Roles")."""

from __future__ import annotations

from tempo_async import _params as check
from tempo_async.models import Role, RoleInput
from tempo_async.resources._base import Resource


class Roles(Resource):
    """`/roles`: the roles members hold in teams."""

    __slots__ = ()

    async def list(self) -> list[Role]:
        """Retrieve all roles."""
        return await self._list(("roles",), Role)

    async def create(self, role: RoleInput) -> Role:
        """Creates a new role."""
        return await self._send("POST", ("roles",), Role, check.body("role", role, RoleInput))

    async def get(self, id: int) -> Role:
        """Retrieve an existing role for the given id."""
        return await self._get(("roles", check.ident("id", id)), Role)

    async def update(self, id: int, role: RoleInput) -> Role:
        """Update an existing role for the given id."""
        path = ("roles", check.ident("id", id))
        return await self._send("PUT", path, Role, check.body("role", role, RoleInput))

    async def delete(self, id: int) -> None:
        """Delete an existing role."""
        await self._delete(("roles", check.ident("id", id)))
