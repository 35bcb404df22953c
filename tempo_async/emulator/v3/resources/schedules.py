"""Periods (#48), user schedules (#57-58) and work attributes (#59-60)."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3 import render
from tempo_async.emulator.v3.calendar import day_schedule, days, periods
from tempo_async.emulator.v3.resources._common import Resource, query_range

#: The longest from/to range the schedule and period operations serve.
MAX_RANGE_DAYS = 3 * 366


def _range(request: web.Request) -> tuple[date, date]:
    from_, to = query_range(request, required=True)
    assert from_ is not None and to is not None
    if (to - from_).days > MAX_RANGE_DAYS:
        raise ApiError(400, f"The range from 'from' to 'to' must not exceed {MAX_RANGE_DAYS} days")
    return from_, to


class Schedules(Resource):
    """GET /periods, GET /user-schedule[/{accountId}], GET /work-attributes[/{key}]."""

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/periods", self.periods),
            Route("GET", "/user-schedule", self.my_schedule),
            Route("GET", "/user-schedule/{accountId}", self.user_schedule),
            Route("GET", "/work-attributes", self.work_attributes),
            Route("GET", "/work-attributes/{key}", self.work_attribute),
        ]

    async def periods(self, request: web.Request) -> web.Response:
        """Retrieve all periods for a given date range (calendar months)."""
        from_, to = _range(request)
        body = {
            "periods": [
                {"from": first.isoformat(), "to": last.isoformat()}
                for first, last in periods(from_, to)
            ]
        }
        return self.ctx.respond(body, "PeriodList")

    def _schedule(self, request: web.Request, account_id: str | None) -> web.Response:
        from_, to = _range(request)
        segments: tuple[str, ...] = ("user-schedule",)
        if account_id is not None:
            if account_id not in self.state.users:
                raise ApiError(404, f"User with accountId '{account_id}' not found")
            segments += (account_id,)
        results = [self._day(day) for day in days(from_, to)]
        url = self._api_url(*segments, query=[("from", from_.isoformat()), ("to", to.isoformat())])
        return self.ctx.respond_collection(url, results, "DaySchedule")

    def _day(self, day: date) -> dict[str, Any]:
        """One day of a user schedule (v4 serves these handlers with its own)."""
        return day_schedule(day, self.state.holidays)

    async def my_schedule(self, request: web.Request) -> web.Response:
        """Retrieve user-schedule of the logged-in user."""
        return self._schedule(request, None)

    async def user_schedule(self, request: web.Request) -> web.Response:
        """Retrieve user-schedule (of the given user)."""
        return self._schedule(request, request.match_info["accountId"])

    async def work_attributes(self, request: web.Request) -> web.Response:
        """Retrieve all work attributes."""
        results = [
            render.work_attribute(self.state, r) for r in self.state.work_attributes.values()
        ]
        return self.ctx.respond_collection(
            self.state.url("work-attributes"), results, "WorkAttribute"
        )

    async def work_attribute(self, request: web.Request) -> web.Response:
        """Retrieve an existing work attribute for the given key."""
        key = request.match_info["key"]
        record = self.state.work_attributes.get(key)
        if record is None:
            raise ApiError(404, f"A work attribute with key '{key}' does not exist")
        return self.ctx.respond(render.work_attribute(self.state, record), "WorkAttribute")
