"""User schedules (spec section "User Schedule")."""

from __future__ import annotations

from datetime import date

from tempo_async import _params as check
from tempo_async.models import DaySchedule
from tempo_async.resources._base import Resource


class UserSchedule(Resource):
    """`/user-schedule`: required working time day by day."""

    __slots__ = ()

    async def get(self, *, from_: date | str, to: date | str) -> list[DaySchedule]:
        """Retrieve user-schedule of the logged-in user (`from_` and `to` are required)."""
        start, end = check.required_dates(from_, to)
        return await self._list(("user-schedule",), DaySchedule, {"from": start, "to": end})

    async def for_user(
        self, account_id: str, *, from_: date | str, to: date | str
    ) -> list[DaySchedule]:
        """Retrieve user-schedule of the user `account_id` (`from_` and `to` are required)."""
        start, end = check.required_dates(from_, to)
        path = ("user-schedule", check.key("account_id", account_id))
        return await self._list(path, DaySchedule, {"from": start, "to": end})
