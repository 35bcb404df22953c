"""Programs (spec section "Programs")."""

from __future__ import annotations

import builtins

from tempo_async import _params as check
from tempo_async.models import Program, ProgramInput, TeamRef
from tempo_async.resources._base import Resource


class Programs(Resource):
    """`/programs`: groups of teams."""

    __slots__ = ()

    async def list(self) -> list[Program]:
        """Retrieve all programs."""
        return await self._list(("programs",), Program)

    async def create(self, program: ProgramInput) -> Program:
        """Creates a new program."""
        body = check.body("program", program, ProgramInput)
        return await self._send("POST", ("programs",), Program, body)

    async def get(self, id: int) -> Program:
        """Retrieve an existing program for the given id."""
        return await self._get(("programs", check.ident("id", id)), Program)

    async def update(self, id: int, program: ProgramInput) -> Program:
        """Update an existing program for the given id."""
        path = ("programs", check.ident("id", id))
        return await self._send("PUT", path, Program, check.body("program", program, ProgramInput))

    async def delete(self, id: int) -> None:
        """Delete an existing program."""
        await self._delete(("programs", check.ident("id", id)))

    async def teams(self, id: int) -> builtins.list[TeamRef]:
        """Retrieve teams associated to this program."""
        return await self._list(("programs", check.ident("id", id), "teams"), TeamRef)
