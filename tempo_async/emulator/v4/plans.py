"""v4 plans over the shared state (`state.plans`, which v3 serves too): v3's rules for a
plan, with v4's input (an assignee and a plan item by id and type, seconds per day or in
total) translated to them, and v4's rendering. Only user assignees are stored: a plan
for a generic resource is refused with a 400 that says so."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.paging import parse_page_request
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources._common import query_range
from tempo_async.emulator.v3.resources.plans import Plans, occurrences
from tempo_async.emulator.v3.state import Record, V3State

__all__ = ["MAX_LIMIT", "V4Plans"]

MAX_LIMIT = 5000
RULES = {"BIWEEKLY": "BI_WEEKLY"}
"""v4's name of a recurrence rule where it differs from the state's (v3's response name)."""


class V4Plans(Plans):
    """POST and GET /4/plans, GET, PUT and DELETE /4/plans/{id}."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        super().__init__(state)
        self.ctx = ctx

    def routes(self) -> list[Route]:
        """The stateful v4 plan operations."""
        return [
            Route("POST", "/plans", self.create_v4),
            Route("GET", "/plans", self.list_v4),
            Route("GET", "/plans/{id}", self.get),
            Route("PUT", "/plans/{id}", self.update_v4),
            Route("DELETE", "/plans/{id}", self.delete),
        ]

    def _v3_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """v4's PlanInput as the v3 rules read it (400 for what they cannot hold)."""
        if body["assigneeType"] != "USER":
            raise ApiError(400, "This emulator stores plans of USER assignees only")
        item = str(body["planItemId"])
        v3: dict[str, Any] = {"accountId": body["assigneeId"]}
        if body["planItemType"] == "ISSUE":
            key = self.state.resolve_issue(item)
            if key is None:
                raise ApiError(400, f"Issue with id '{item}' not found")
            v3["issueKey"] = key
        else:
            key = self.state.resolve_project(item)
            if key is None:
                raise ApiError(400, f"Project with id '{item}' not found")
            v3["projectKey"] = key
        per_day = body.get("plannedSecondsPerDay")
        if per_day is None:
            total = body.get("plannedSeconds")
            if total is None:
                raise ApiError(400, "Give plannedSecondsPerDay or plannedSeconds")
            start, end = date.fromisoformat(body["startDate"]), date.fromisoformat(body["endDate"])
            span = (end - start).days + 1
            per_day = max(1, int(total) // max(1, span))
        v3["plannedPerDaySeconds"] = per_day
        for field in ("startDate", "endDate", "recurrenceEndDate", "description"):
            if body.get(field) is not None:
                v3[field] = body[field]
        v3["includeNonWorkingDays"] = bool(body.get("includeNonWorkingDays", False))
        v3["rule"] = body.get("rule") or "NEVER"
        return v3

    def render(self, record: Record) -> Record:
        """A v4 Plan."""
        state = self.state
        issue_key = record.get("issueKey")
        if issue_key is not None:
            item_id, item_type = state.issues[issue_key]["id"], "ISSUE"
            item_self = state.issue_ref(issue_key)["self"]
        else:
            project_key = str(record["projectKey"])
            item_id, item_type = state.projects[project_key]["id"], "PROJECT"
            item_self = state.project_url(project_key)
        body: Record = {
            "id": record["id"],
            "self": self.ctx.url(f"/plans/{record['id']}"),
            "assignee": {
                "id": record["accountId"],
                "type": "USER",
                "self": state.user_url(record["accountId"]),
            },
            "planItem": {"id": str(item_id), "type": item_type, "self": item_self},
            "startDate": record["startDate"],
            "endDate": record["endDate"],
            "plannedSecondsPerDay": record["plannedPerDaySeconds"],
            "includeNonWorkingDays": record["includeNonWorkingDays"],
            "rule": RULES.get(record["rule"], record["rule"]),
            "recurrenceEndDate": record["recurrenceEndDate"],
            "createdAt": record["createdAt"],
            "updatedAt": record["updatedAt"],
        }
        if record.get("description"):
            body["description"] = record["description"]
        return body

    def _respond(
        self, record: Record, from_: date | None = None, to: date | None = None
    ) -> web.Response:
        return self.ctx.respond(self.render(record), "Plan")

    async def create_v4(self, request: web.Request) -> web.Response:
        """Create a plan."""
        body = self._v3_body(await self.ctx.body(request, "PlanInput"))
        record = self._record(body, self.state.next_id("plan"), self.state.now())
        self.state.plans[record["id"]] = record
        return self._respond(record)

    async def update_v4(self, request: web.Request) -> web.Response:
        """Replace a plan."""
        existing = self._existing(request)
        body = self._v3_body(await self.ctx.body(request, "PlanInput"))
        record = self._record(body, existing["id"], existing["createdAt"])
        self.state.plans[record["id"]] = record
        return self._respond(record)

    async def list_v4(self, request: web.Request) -> web.Response:
        """The plans with an occurrence in `from`..`to`, paged by id."""
        from_, to = query_range(request, required=True)
        assert from_ is not None and to is not None
        selected = [
            record
            for _, record in sorted(self.state.plans.items())
            if any(first <= to and last >= from_ for first, last in occurrences(record))
        ]
        page = parse_page_request(request.query, max_limit=MAX_LIMIT)
        window = selected[page.offset : page.offset + page.limit]
        return self.ctx.respond_page(
            request,
            page,
            [self.render(r) for r in window],
            has_more=page.offset + len(window) < len(selected),
            definition="PageablePlan",
        )
