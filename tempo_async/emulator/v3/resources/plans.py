"""Plans (#18-22), with their recurrences expanded into planned periods."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.calendar import add_months, days, required_seconds
from tempo_async.emulator.v3.resources._common import (
    Resource,
    iso,
    path_int,
    query_date,
    query_range,
)
from tempo_async.emulator.v3.state import Record, V3State

NOT_FOUND = "Allocation not found"
#: The request says BI_WEEKLY, the response BIWEEKLY.
RULES_IN_RESPONSE = {
    "NEVER": "NEVER",
    "WEEKLY": "WEEKLY",
    "BI_WEEKLY": "BIWEEKLY",
    "MONTHLY": "MONTHLY",
}
MAX_OCCURRENCES = 1000


def occurrences(record: Record) -> list[tuple[date, date]]:
    """Every (from, to) period of a plan, from its start to its recurrence end."""
    start = date.fromisoformat(record["startDate"])
    length = date.fromisoformat(record["endDate"]) - start
    until = date.fromisoformat(record["recurrenceEndDate"])
    rule = record["rule"]
    result = []
    for n in range(MAX_OCCURRENCES):
        if rule == "WEEKLY":
            first = start + timedelta(weeks=n)
        elif rule == "BIWEEKLY":
            first = start + timedelta(weeks=2 * n)
        elif rule == "MONTHLY":
            first = add_months(start, n)
        else:
            first = start
        if n and (rule == "NEVER" or first > until):
            break
        result.append((first, first + length))
    return result


def render_plan(
    state: V3State, record: Record, from_: date | None, to: date | None
) -> dict[str, Any]:
    """Plan, its recurrences expanded into `dates.values` (those overlapping from/to)."""
    per_day = record["plannedPerDaySeconds"]
    values = []
    for first, last in occurrences(record):
        if (from_ is not None and last < from_) or (to is not None and first > to):
            continue
        counted = sum(
            1
            for day in days(first, last)
            if record.get("includeNonWorkingDays") or required_seconds(day, state.holidays) > 0
        )
        values.append(
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "timePlannedSeconds": per_day * counted,
            }
        )
    if record.get("issueKey"):
        item = {"self": state.issue_ref(record["issueKey"])["self"], "type": "ISSUE"}
    else:
        item = {"self": state.project_url(record["projectKey"]), "type": "PROJECT"}
    body: dict[str, Any] = {
        "self": state.url("plans", record["id"]),
        "id": record["id"],
        "startDate": record["startDate"],
        "endDate": record["endDate"],
    }
    if record.get("description") is not None:
        body["description"] = record["description"]
    body.update(
        createdAt=record["createdAt"],
        updatedAt=record["updatedAt"],
        assignee={"self": state.user_url(record["accountId"]), "type": "USER"},
        planItem=item,
        recurrence={"rule": record["rule"], "recurrenceEndDate": record["recurrenceEndDate"]},
        dates={
            "metadata": {
                "count": len(values),
                "all": state.url(
                    "plans",
                    record["id"],
                    query=[("from", record["startDate"]), ("to", record["recurrenceEndDate"])],
                ),
            },
            "values": values,
        },
    )
    return body


class Plans(Resource):
    """POST /plans, GET/PUT/DELETE /plans/{id}, GET /plans/user/{accountId}."""

    def routes(self) -> list[Route]:
        return [
            Route("POST", "/plans", self.create),
            Route("GET", "/plans/user/{accountId}", self.for_user),
            Route("GET", "/plans/{id}", self.get),
            Route("PUT", "/plans/{id}", self.update),
            Route("DELETE", "/plans/{id}", self.delete),
        ]

    def _existing(self, request: web.Request) -> Record:
        record = self.state.plans.get(path_int(request, "id", NOT_FOUND))
        if record is None:
            raise ApiError(404, NOT_FOUND)
        return record

    def _record(self, body: dict[str, Any], plan_id: int, created_at: str) -> Record:
        state = self.state
        errors = []
        start, end = body["startDate"], body["endDate"]
        if end < start:
            errors.append("End date must not be before the start date")
        if body["plannedPerDaySeconds"] <= 0:
            errors.append("Planned time per day must be positive")
        if body["accountId"] not in state.users:
            errors.append(f"User with accountId '{body['accountId']}' not found")
        issue_key, project_key = body.get("issueKey"), body.get("projectKey")
        if issue_key is not None and project_key is not None:
            errors.append("Give either issueKey or projectKey, not both")
        elif issue_key is not None and issue_key not in state.issues:
            errors.append("Issue not found")
        elif project_key is not None and project_key not in state.projects:
            errors.append("Project not found")
        elif issue_key is None and project_key is None:
            errors.append("Either issueKey or projectKey is required")
        rule = RULES_IN_RESPONSE[body.get("rule") or "NEVER"]
        if rule == "NEVER":
            until = body.get("recurrenceEndDate") or end
        else:
            until = (
                body.get("recurrenceEndDate")
                or add_months(date.fromisoformat(start), 12).isoformat()
            )
        if start <= end and until < start:
            errors.append("Recurrence end date must not be before the start date")
        if errors:
            raise ApiError(400, *errors)
        record: Record = {
            "id": plan_id,
            "startDate": start,
            "endDate": end,
            "plannedPerDaySeconds": body["plannedPerDaySeconds"],
            "includeNonWorkingDays": bool(body.get("includeNonWorkingDays", False)),
            "rule": rule,
            "recurrenceEndDate": until,
            "accountId": body["accountId"],
            "createdAt": created_at,
            "updatedAt": state.now(),
        }
        for field in ("description", "issueKey", "projectKey"):
            if body.get(field) is not None:
                record[field] = body[field]
        return record

    def _respond(
        self, record: Record, from_: date | None = None, to: date | None = None
    ) -> web.Response:
        return self.ctx.respond(render_plan(self.state, record, from_, to), "Plan")

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new plan."""
        body = await self.ctx.body(request, "PlanInput")
        record = self._record(body, self.state.next_id("plan"), self.state.now())
        self.state.plans[record["id"]] = record
        return self._respond(record)

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing plan; `from`/`to` select the expanded recurrences."""
        record = self._existing(request)
        from_, to = query_range(request)
        return self._respond(record, from_, to)

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing plan for the given id."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "PlanInput")
        record = self._record(body, existing["id"], existing["createdAt"])
        self.state.plans[record["id"]] = record
        return self._respond(record)

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing plan."""
        del self.state.plans[self._existing(request)["id"]]
        return no_content()

    async def for_user(self, request: web.Request) -> web.Response:
        """Retrieve plans for user: those with a period from `from` to `to`."""
        account_id = request.match_info["accountId"]
        from_, to = query_range(request, required=True)
        updated_from = iso(query_date(request, "updatedFrom"))
        results = []
        for _, record in sorted(self.state.plans.items()):
            if record["accountId"] != account_id:
                continue
            if updated_from is not None and record["updatedAt"][:10] < updated_from:
                continue
            body = render_plan(self.state, record, from_, to)
            if body["dates"]["values"]:
                results.append(body)
        query = [("from", iso(from_) or ""), ("to", iso(to) or "")]
        if updated_from is not None:
            query.append(("updatedFrom", updated_from))
        url = self.state.url("plans", "user", account_id, query=query)
        return self.ctx.respond_collection(url, results, "Plan")
