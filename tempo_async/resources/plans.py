"""Plans (spec section "Plans")."""

from __future__ import annotations

from datetime import date

from tempo_async import _params as check
from tempo_async.models import Plan, PlanInput
from tempo_async.resources._base import Resource


class Plans(Resource):
    """`/plans`: planned time of users on issues and projects."""

    __slots__ = ()

    async def create(self, plan: PlanInput) -> Plan:
        """Creates a new plan."""
        return await self._send("POST", ("plans",), Plan, check.body("plan", plan, PlanInput))

    async def get(
        self, id: int, *, from_: date | str | None = None, to: date | str | None = None
    ) -> Plan:
        """Retrieve an existing plan for the given id. Add from and to query params to expand recurrences."""
        start, end = check.date_range(from_, to)
        return await self._get(("plans", check.ident("id", id)), Plan, {"from": start, "to": end})

    async def update(self, id: int, plan: PlanInput) -> Plan:
        """Update an existing plan for the given id."""
        path = ("plans", check.ident("id", id))
        return await self._send("PUT", path, Plan, check.body("plan", plan, PlanInput))

    async def delete(self, id: int) -> None:
        """Delete an existing plan."""
        await self._delete(("plans", check.ident("id", id)))

    async def for_user(
        self,
        account_id: str,
        *,
        from_: date | str,
        to: date | str,
        updated_from: date | str | None = None,
    ) -> list[Plan]:
        """Retrieve plans for user (`from_` and `to` are required)."""
        start, end = check.required_dates(from_, to)
        params = {
            "from": start,
            "to": end,
            "updatedFrom": check.optional_date("updated_from", updated_from),
        }
        return await self._list(
            ("plans", "user", check.key("account_id", account_id)), Plan, params
        )
