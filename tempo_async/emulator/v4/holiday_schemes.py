"""v4 holiday schemes over the shared state. The default scheme is the emulator's holiday
calendar (`state.holidays`, which v3's user schedules and periods read): its holidays are
that calendar's, so a holiday added to it through v4 shows in every user's schedule.
Other schemes keep holidays of their own, and users assigned to them are their members;
everyone else belongs to the default scheme."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.calendar import YEARLY_HOLIDAYS, holiday, holiday_on
from tempo_async.emulator.v3.resources._common import path_int
from tempo_async.emulator.v3.resources.schedules import Schedules
from tempo_async.emulator.v3.state import Record, V3State
from tempo_async.emulator.v4.schemes import DEFAULT_SCHEME_ID, Schemes

__all__ = ["DEFAULT_SCHEME_ID", "V4HolidaySchemes", "V4Schedules"]

HOLIDAY_NOT_FOUND = "Holiday not found"


class V4HolidaySchemes(Schemes):
    """/4/holiday-schemes...: schemes, their members and their holidays."""

    path = "/holiday-schemes"
    param = "schemeId"
    what = "holiday scheme"
    input_definition = "HolidaySchemeInputBean"
    definition = "HolidayScheme"
    list_definition = "HolidaySchemeResults"
    members_definition = "HolidaySchemeMembersInput"
    default_name = "Default Holiday Scheme"

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        super().__init__(state, ctx)
        self.holidays: dict[int, dict[int, Record]] = {}
        """The holidays of the schemes other than the default, by id."""

    def routes(self) -> list[Route]:
        """The scheme operations, then the holidays of a scheme."""
        base = "/holiday-schemes/{schemeId}/holidays"
        return [
            *super().routes(),
            Route("GET", base, self.list_holidays),
            Route("POST", base, self.create_holiday),
            Route("GET", base + "/floating", self.floating),
            Route("GET", base + "/{holidayId}", self.get_holiday),
            Route("PUT", base + "/{holidayId}", self.update_holiday),
            Route("DELETE", base + "/{holidayId}", self.delete_holiday),
        ]

    def render(self, scheme: Record) -> Record:
        """A v4 HolidayScheme (its description only when it has one)."""
        body = super().render(scheme)
        if not body["description"]:
            del body["description"]
        return body

    def forget(self, scheme_id: int) -> None:
        """A deleted scheme's holidays go with it."""
        self.holidays.pop(scheme_id, None)

    # -- holidays -------------------------------------------------------------------------

    def _calendar_holiday(self, day: date) -> Record | None:
        """The calendar's holiday on `day` (a yearly one or one of `state.holidays`)."""
        found = holiday_on(day, self.state.holidays)
        return None if found is None else {"date": day.isoformat(), "type": "FIXED", **found}

    def _holidays_of(self, scheme_id: int, year: int) -> dict[int, Record]:
        """A scheme's holidays by id; the default's are the emulator's calendar of `year`."""
        if scheme_id != DEFAULT_SCHEME_ID:
            return self.holidays.setdefault(scheme_id, {})
        days = {date(year, month, day) for month, day in YEARLY_HOLIDAYS}
        days |= {date.fromisoformat(d) for d in self.state.holidays if d[:4] == f"{year:04d}"}
        return {_calendar_id(d.isoformat()): self._calendar_holiday(d) or {} for d in days}

    def render_holiday(self, scheme_id: int, holiday_id: int, record: Record) -> Record:
        """A v4 Holiday."""
        return render_holiday(self.ctx, scheme_id, holiday_id, record)

    def _listed(self, request: web.Request, kind: str | None) -> web.Response:
        scheme_id = self._scheme(request)["id"]
        year = request.query.get("year")
        if year is not None and not year.isdigit():
            raise ApiError(400, f"'year' must be a number, got '{year}'")
        if year is None and (kind is None or scheme_id == DEFAULT_SCHEME_ID):
            year = str(self.state.today().year)  # a scheme's holidays: this year's
        held = self._holidays_of(scheme_id, int(year or self.state.today().year))
        results = [
            self.render_holiday(scheme_id, holiday_id, record)
            for holiday_id, record in sorted(held.items())
            if (year is None or record["date"].startswith(year))
            and kind in (None, record.get("type", "FIXED"))
        ]
        return self.ctx.respond_results(str(request.url), results, "HolidayResults")

    async def list_holidays(self, request: web.Request) -> web.Response:
        """The holidays of a scheme in `year` (default: this year)."""
        return self._listed(request, None)

    async def floating(self, request: web.Request) -> web.Response:
        """The floating holidays of a scheme (of `year`, if given)."""
        return self._listed(request, "FLOATING")

    def _holiday(self, request: web.Request) -> tuple[int, int, Record]:
        scheme_id = self._scheme(request)["id"]
        holiday_id = path_int(request, "holidayId", HOLIDAY_NOT_FOUND)
        if scheme_id == DEFAULT_SCHEME_ID:
            day = _calendar_day(holiday_id)
            record = None if day is None else self._calendar_holiday(day)
        else:
            record = self.holidays.get(scheme_id, {}).get(holiday_id)
        if record is None:
            raise ApiError(404, HOLIDAY_NOT_FOUND)
        return scheme_id, holiday_id, record

    def _store(self, scheme_id: int, holiday_id: int | None, body: dict[str, Any]) -> Record:
        """Store a holiday from its input; the stored record with its id."""
        record: Record = {
            "name": body["name"],
            "date": date.fromisoformat(body["date"]).isoformat(),
            "durationSeconds": body["durationSeconds"],
            "type": body["type"],
        }
        if body.get("description"):
            record["description"] = body["description"]
        if scheme_id == DEFAULT_SCHEME_ID:
            calendar = self.state.holidays
            # The calendar holds fixed holidays only: v3's schedules read it as they are.
            calendar[record["date"]] = holiday(
                record["name"], record["durationSeconds"], body.get("description")
            )
            return {"id": _calendar_id(record["date"]), **record, "type": "FIXED"}
        new_id = holiday_id or self.state.next_id("holiday", 1_000_000)
        self.holidays.setdefault(scheme_id, {})[new_id] = record
        return {"id": new_id, **record}

    async def create_holiday(self, request: web.Request) -> web.Response:
        """Add a holiday to a scheme."""
        scheme_id = self._scheme(request)["id"]
        stored = self._store(scheme_id, None, await self.ctx.body(request, "HolidayInput"))
        return self.ctx.respond(self.render_holiday(scheme_id, stored["id"], stored), "Holiday")

    async def get_holiday(self, request: web.Request) -> web.Response:
        """A holiday of a scheme."""
        scheme_id, holiday_id, record = self._holiday(request)
        return self.ctx.respond(self.render_holiday(scheme_id, holiday_id, record), "Holiday")

    async def update_holiday(self, request: web.Request) -> web.Response:
        """Replace a holiday of a scheme (in the default scheme, by its date)."""
        scheme_id, holiday_id, record = self._holiday(request)
        body = await self.ctx.body(request, "HolidayInput")
        if scheme_id == DEFAULT_SCHEME_ID:
            self._own_calendar_day(record)
            self.state.holidays.pop(record["date"], None)
        stored = self._store(scheme_id, holiday_id, body)
        return self.ctx.respond(self.render_holiday(scheme_id, stored["id"], stored), "Holiday")

    def _own_calendar_day(self, record: Record) -> None:
        """400 for a yearly holiday of the calendar: it can be neither moved nor removed."""
        if record["date"] not in self.state.holidays:
            raise ApiError(400, f"{record['name']} is a yearly holiday of the default scheme")

    async def delete_holiday(self, request: web.Request) -> web.Response:
        """Remove a holiday from a scheme."""
        scheme_id, holiday_id, record = self._holiday(request)
        if scheme_id == DEFAULT_SCHEME_ID:
            self._own_calendar_day(record)
            self.state.holidays.pop(record["date"], None)
        else:
            del self.holidays[scheme_id][holiday_id]
        return no_content()


class V4Schedules(Schedules):
    """v3's periods and user schedules with v4's holidays: a holiday of the calendar is
    one of the default scheme's (id, date, scheme, type, link)."""

    def _day(self, day: date) -> dict[str, Any]:
        schedule = super()._day(day)
        found = schedule.get("holiday")
        if found is not None:
            holiday_id = _calendar_id(day.isoformat())
            record = {"date": day.isoformat(), "type": "FIXED", **found}
            schedule["holiday"] = render_holiday(self.ctx, DEFAULT_SCHEME_ID, holiday_id, record)
        return schedule


def render_holiday(ctx: ApiContext, scheme_id: int, holiday_id: int, record: Record) -> Record:
    """A v4 Holiday."""
    body: Record = {
        "id": holiday_id,
        "schemeId": scheme_id,
        "name": record["name"],
        "date": record["date"],
        "durationSeconds": record["durationSeconds"],
        "type": record.get("type", "FIXED"),
        "self": ctx.url(f"/holiday-schemes/{scheme_id}/holidays/{holiday_id}"),
    }
    if record.get("description"):
        body["description"] = record["description"]
    return body


def _calendar_day(holiday_id: int) -> date | None:
    """The day of the calendar holiday `holiday_id` (its date's digits), None if none."""
    try:
        return date(holiday_id // 10_000, holiday_id // 100 % 100, holiday_id % 100)
    except ValueError:
        return None


def _calendar_id(day: str) -> int:
    """The id of the calendar's holiday on `day`: the date's digits (20261225)."""
    return int(day.replace("-", ""))
