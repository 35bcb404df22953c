"""Work attributes (spec section "Work Attributes")."""

from __future__ import annotations

from tempo_async import _params as check
from tempo_async.models import WorkAttribute
from tempo_async.resources._base import Resource


class WorkAttributes(Resource):
    """`/work-attributes`: the custom fields of worklogs."""

    __slots__ = ()

    async def list(self) -> list[WorkAttribute]:
        """Retrieve all work attributes."""
        return await self._list(("work-attributes",), WorkAttribute)

    async def get(self, key: str) -> WorkAttribute:
        """Retrieve an existing work attribute for the given key."""
        return await self._get(("work-attributes", check.key("key", key)), WorkAttribute)
