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
from tempo_async.emulator.paging import parse_page_request
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.calendar import holiday
from tempo_async.emulator.v3.resources._common import path_int
from tempo_async.emulator.v3.resources.schedules import Schedules
from tempo_async.emulator.v3.state import Record, V3State

__all__ = ["DEFAULT_SCHEME_ID", "V4HolidaySchemes", "V4Schedules"]

DEFAULT_SCHEME_ID = 1
NOT_FOUND = "Holiday scheme not found"
HOLIDAY_NOT_FOUND = "Holiday not found"


class V4HolidaySchemes:
    """/4/holiday-schemes...: schemes, their members and their holidays."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx
        self.schemes: dict[int, Record] = {
            DEFAULT_SCHEME_ID: {"id": DEFAULT_SCHEME_ID, "name": "Default Holiday Scheme"}
        }
        self.default_id = DEFAULT_SCHEME_ID
        self.members: dict[str, int] = {}
        """Users assigned to a scheme other than the default, by accountId."""
        self.holidays: dict[int, dict[int, Record]] = {}
        """The holidays of the schemes other than the default, by id."""

    def routes(self) -> list[Route]:
        """The holiday scheme operations served with state."""
        base = "/holiday-schemes/{schemeId}"
        return [
            Route("GET", "/holiday-schemes", self.list_all),
            Route("POST", "/holiday-schemes", self.create),
            Route("GET", "/holiday-schemes/users/{accountId}", self.for_user),
            Route("GET", base, self.get),
            Route("PUT", base, self.update),
            Route("DELETE", base, self.delete),
            Route("PUT", base + "/default", self.set_default),
            Route("GET", base + "/members", self.list_members),
            Route("POST", base + "/members", self.set_members),
            Route("GET", base + "/holidays", self.list_holidays),
            Route("POST", base + "/holidays", self.create_holiday),
            Route("GET", base + "/holidays/floating", self.floating),
            Route("GET", base + "/holidays/{holidayId}", self.get_holiday),
            Route("PUT", base + "/holidays/{holidayId}", self.update_holiday),
            Route("DELETE", base + "/holidays/{holidayId}", self.delete_holiday),
        ]

    # -- schemes --------------------------------------------------------------------------

    def _scheme(self, request: web.Request) -> Record:
        scheme = self.schemes.get(path_int(request, "schemeId", NOT_FOUND))
        if scheme is None:
            raise ApiError(404, NOT_FOUND)
        return scheme

    def render(self, scheme: Record) -> Record:
        """A v4 HolidayScheme."""
        scheme_id = scheme["id"]
        default = scheme_id == self.default_id
        assigned = sum(1 for s in self.members.values() if s == scheme_id)
        count = len(self.state.users) - len(self.members) + assigned if default else assigned
        body: Record = {
            "id": scheme_id,
            "name": scheme["name"],
            "defaultScheme": default,
            "memberCount": count,
            "self": self.ctx.url(f"/holiday-schemes/{scheme_id}"),
        }
        if scheme.get("description"):
            body["description"] = scheme["description"]
        return body

    def _results(
        self, request: web.Request, results: list[Record], definition: str
    ) -> web.Response:
        body = {"self": str(request.url), "metadata": {"count": len(results)}, "results": results}
        return self.ctx.respond(body, definition)

    async def list_all(self, request: web.Request) -> web.Response:
        """Every holiday scheme."""
        results = [self.render(s) for _, s in sorted(self.schemes.items())]
        return self._results(request, results, "HolidaySchemeResults")

    def _checked(self, body: dict[str, Any], scheme_id: int | None) -> Record:
        name = str(body["name"]).strip()
        if any(s["name"] == name and s["id"] != scheme_id for s in self.schemes.values()):
            raise ApiError(400, f"A holiday scheme named '{name}' already exists")
        record: Record = {"id": scheme_id, "name": name}
        if body.get("description"):
            record["description"] = body["description"]
        return record

    async def create(self, request: web.Request) -> web.Response:
        """Create a holiday scheme (with no members and no holidays)."""
        record = self._checked(await self.ctx.body(request, "HolidaySchemeInputBean"), None)
        record["id"] = self.state.next_id("holiday_scheme", DEFAULT_SCHEME_ID + 1)
        self.schemes[record["id"]] = record
        self.holidays[record["id"]] = {}
        return self.ctx.respond(self.render(record), "HolidayScheme")

    async def get(self, request: web.Request) -> web.Response:
        """A holiday scheme by id."""
        return self.ctx.respond(self.render(self._scheme(request)), "HolidayScheme")

    async def update(self, request: web.Request) -> web.Response:
        """Rename or describe a holiday scheme."""
        scheme = self._scheme(request)
        record = self._checked(await self.ctx.body(request, "HolidaySchemeInputBean"), scheme["id"])
        self.schemes[scheme["id"]] = record
        return self.ctx.respond(self.render(record), "HolidayScheme")

    async def delete(self, request: web.Request) -> web.Response:
        """Delete a holiday scheme other than the default; its members go to the default."""
        scheme = self._scheme(request)
        if scheme["id"] == self.default_id:
            raise ApiError(400, "The default holiday scheme cannot be deleted")
        del self.schemes[scheme["id"]]
        self.holidays.pop(scheme["id"], None)
        for account_id in [a for a, s in self.members.items() if s == scheme["id"]]:
            del self.members[account_id]
        return no_content()

    async def set_default(self, request: web.Request) -> web.Response:
        """Make a scheme the default (users without a scheme of their own follow it)."""
        scheme = self._scheme(request)
        self.default_id = scheme["id"]
        return self.ctx.respond(self.render(scheme), "HolidayScheme")

    async def for_user(self, request: web.Request) -> web.Response:
        """The holiday scheme of a user."""
        account_id = request.match_info["accountId"]
        if account_id not in self.state.users:
            raise ApiError(404, f"User with accountId '{account_id}' not found")
        scheme = self.schemes[self.members.get(account_id, self.default_id)]
        return self.ctx.respond(self.render(scheme), "HolidayScheme")

    # -- members --------------------------------------------------------------------------

    async def list_members(self, request: web.Request) -> web.Response:
        """The members of a scheme, paged."""
        scheme_id = self._scheme(request)["id"]
        members = [a for a in self.state.users if self.members.get(a, self.default_id) == scheme_id]
        page = parse_page_request(request.query, max_limit=5000)
        window = members[page.offset : page.offset + page.limit]
        users = [{"accountId": a, "self": self.state.user_url(a)} for a in window]
        return self.ctx.respond_page(
            request,
            page,
            users,
            has_more=page.offset + len(window) < len(members),
            definition="PageableUser",
        )

    async def set_members(self, request: web.Request) -> web.Response:
        """Assign users to a scheme."""
        scheme_id = self._scheme(request)["id"]
        body = await self.ctx.body(request, "HolidaySchemeMembersInput")
        account_ids = list(body.get("accountIds") or [])
        unknown = [a for a in account_ids if a not in self.state.users]
        if unknown:
            raise ApiError(400, f"Users not found: {', '.join(unknown)}")
        for account_id in account_ids:
            if scheme_id == self.default_id:
                self.members.pop(account_id, None)
            else:
                self.members[account_id] = scheme_id
        return no_content()

    # -- holidays -------------------------------------------------------------------------

    def _holidays_of(self, scheme_id: int) -> dict[int, Record]:
        """A scheme's holidays by id; the default's are the emulator's calendar."""
        if scheme_id != DEFAULT_SCHEME_ID:
            return self.holidays.setdefault(scheme_id, {})
        return {
            _calendar_id(day): {"date": day, "type": "FIXED", **record}
            for day, record in self.state.holidays.items()
        }

    def render_holiday(self, scheme_id: int, holiday_id: int, record: Record) -> Record:
        """A v4 Holiday."""
        body: Record = {
            "id": holiday_id,
            "schemeId": scheme_id,
            "name": record["name"],
            "date": record["date"],
            "durationSeconds": record["durationSeconds"],
            "type": record.get("type", "FIXED"),
            "self": self.ctx.url(f"/holiday-schemes/{scheme_id}/holidays/{holiday_id}"),
        }
        if record.get("description"):
            body["description"] = record["description"]
        return body

    def _listed(self, request: web.Request, kind: str | None) -> web.Response:
        scheme_id = self._scheme(request)["id"]
        year = request.query.get("year")
        if year is not None and not year.isdigit():
            raise ApiError(400, f"'year' must be a number, got '{year}'")
        if year is None and kind is None:
            year = str(self.state.today().year)  # a scheme's holidays: this year's
        results = [
            self.render_holiday(scheme_id, holiday_id, record)
            for holiday_id, record in sorted(self._holidays_of(scheme_id).items())
            if (year is None or record["date"].startswith(year))
            and kind in (None, record.get("type", "FIXED"))
        ]
        return self._results(request, results, "HolidayResults")

    async def list_holidays(self, request: web.Request) -> web.Response:
        """The holidays of a scheme in `year` (default: this year)."""
        return self._listed(request, None)

    async def floating(self, request: web.Request) -> web.Response:
        """The floating holidays of a scheme (of `year`, if given)."""
        return self._listed(request, "FLOATING")

    def _holiday(self, request: web.Request) -> tuple[int, int, Record]:
        scheme_id = self._scheme(request)["id"]
        holiday_id = path_int(request, "holidayId", HOLIDAY_NOT_FOUND)
        record = self._holidays_of(scheme_id).get(holiday_id)
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
            self.state.holidays.pop(record["date"], None)
        stored = self._store(scheme_id, holiday_id, body)
        return self.ctx.respond(self.render_holiday(scheme_id, stored["id"], stored), "Holiday")

    async def delete_holiday(self, request: web.Request) -> web.Response:
        """Remove a holiday from a scheme."""
        scheme_id, holiday_id, record = self._holiday(request)
        if scheme_id == DEFAULT_SCHEME_ID:
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
            schedule["holiday"] = {
                **found,
                "id": holiday_id,
                "date": day.isoformat(),
                "schemeId": DEFAULT_SCHEME_ID,
                "type": "FIXED",
                "self": self.ctx.url(f"/holiday-schemes/{DEFAULT_SCHEME_ID}/holidays/{holiday_id}"),
            }
        return schedule


def _calendar_id(day: str) -> int:
    """The id of the calendar's holiday on `day`: the date's digits (20261225)."""
    return int(day.replace("-", ""))
