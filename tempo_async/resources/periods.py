"""Periods (spec section "Periods")."""

from __future__ import annotations

from datetime import date

from tempo_async import _params as check
from tempo_async.models import Period, PeriodList
from tempo_async.resources._base import Resource


class Periods(Resource):
    """`/periods`: the timesheet periods of the instance."""

    __slots__ = ()

    async def list(self, *, from_: date | str, to: date | str) -> list[Period]:
        """Retrieve all periods for a given date range (`from_` and `to` are required)."""
        start, end = check.required_dates(from_, to)
        answer = await self._get(("periods",), PeriodList, {"from": start, "to": end})
        return answer.periods
