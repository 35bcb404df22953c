"""v4 plans over the shared state (`state.plans`, which v3 serves too): v3's rules for a
plan, with v4's input (an assignee and a plan item by id and type, seconds per day or in
total) translated to them, and v4's rendering. A plan of a generic resource (an id the
emulator does not keep records of) is kept with `assigneeType` GENERIC: v3's lists of a
user's plans never show it."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources._common import query_range
from tempo_async.emulator.v3.resources.plans import Plans, occurrences
from tempo_async.emulator.v3.state import Record

__all__ = ["MAX_LIMIT", "V4Plans"]

MAX_LIMIT = 5000
RULES = {"BIWEEKLY": "BI_WEEKLY"}
"""v4's name of a recurrence rule where it differs from the state's (v3's response name)."""


class V4Plans(Plans):
    """POST and GET /4/plans, GET, PUT and DELETE /4/plans/{id}."""

    def routes(self) -> list[Route]:
        """The stateful v4 plan operations."""
        return [
            Route("POST", "/plans", self.create_v4),
            Route("GET", "/plans", self.list_v4),
            Route("GET", "/plans/{id}", self.get),
            Route("PUT", "/plans/{id}", self.update_v4),
            Route("DELETE", "/plans/{id}", self.delete),
            Route("GET", "/plans/generic-resource/{genericResourceId}", self.for_generic),
            Route("POST", "/plans/search", self.search),
        ]

    def _v3_body(self, body: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """v4's PlanInput as the v3 rules read it (400 for what they cannot hold), and the
        generic resource it plans for, if any."""
        assignee, generic = str(body["assigneeId"]), None
        if body["assigneeType"] == "GENERIC":
            if not assignee.isdigit():
                raise ApiError(400, f"Generic resource id '{assignee}' is not a number")
            # v3's rules check a user; a generic resource is none: they check the others.
            generic, assignee = assignee, next(iter(self.state.users))
        item = str(body["planItemId"])
        v3: dict[str, Any] = {"accountId": assignee}
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
        return v3, generic

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
            "assignee": self._assignee(record),
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

    def _assignee(self, record: Record) -> Record:
        assignee = record["accountId"]
        if record.get("assigneeType") == "GENERIC":
            url = self.ctx.url(f"/generic-resources/{assignee}")
            return {"id": assignee, "type": "GENERIC", "self": url}
        return {"id": assignee, "type": "USER", "self": self.state.user_url(assignee)}

    def _store(self, body: dict[str, Any], plan_id: int, created_at: str) -> Record:
        v3_body, generic = self._v3_body(body)
        record = self._record(v3_body, plan_id, created_at)
        if generic is not None:
            record.update(accountId=generic, assigneeType="GENERIC")
        self.state.plans[plan_id] = record
        return record

    def _respond(
        self, record: Record, from_: date | None = None, to: date | None = None
    ) -> web.Response:
        return self.ctx.respond(self.render(record), "Plan")

    async def create_v4(self, request: web.Request) -> web.Response:
        """Create a plan."""
        body = await self.ctx.body(request, "PlanInput")
        return self._respond(self._store(body, self.state.next_id("plan"), self.state.now()))

    async def update_v4(self, request: web.Request) -> web.Response:
        """Replace a plan."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "PlanInput")
        return self._respond(self._store(body, existing["id"], existing["createdAt"]))

    async def list_v4(self, request: web.Request) -> web.Response:
        """The plans with an occurrence in `from`..`to`, paged by id."""
        from_, to = query_range(request, required=True)
        assert from_ is not None and to is not None
        selected = [
            record
            for _, record in sorted(self.state.plans.items())
            if any(first <= to and last >= from_ for first, last in occurrences(record))
        ]
        return self.ctx.respond_window(
            request, selected, "PageablePlan", max_limit=MAX_LIMIT, render=self.render
        )

    async def for_generic(self, request: web.Request) -> web.Response:
        """The plans of a generic resource."""
        resource_id = request.match_info["genericResourceId"]
        results = [
            self.render(record)
            for _, record in sorted(self.state.plans.items())
            if record.get("assigneeType") == "GENERIC" and record["accountId"] == resource_id
        ]
        return self.ctx.respond_results(str(request.url), results, "PlanResults")

    def _matches(self, record: Record, body: dict[str, Any]) -> bool:
        """Whether a plan meets every criterion of a PlanSearchInput."""
        generic = record.get("assigneeType") == "GENERIC"
        item = self.render(record)["planItem"]
        checks = (
            ("planIds", record["id"]),
            ("accountIds", None if generic else record["accountId"]),
            ("genericResourceIds", int(record["accountId"]) if generic else None),
            ("assigneeTypes", "GENERIC" if generic else "USER"),
            ("planItemTypes", item["type"]),
            ("planItemIds", int(item["id"])),
            ("issueIds", int(item["id"]) if item["type"] == "ISSUE" else None),
            ("projectIds", int(item["id"]) if item["type"] == "PROJECT" else None),
        )
        if any(body.get(name) and value not in body[name] for name, value in checks):
            return False
        if body.get("updatedFrom") and record["updatedAt"][:10] < str(body["updatedFrom"])[:10]:
            return False
        first = date.fromisoformat(body["from"]) if body.get("from") else date.min
        last = date.fromisoformat(body["to"]) if body.get("to") else date.max
        return any(start <= last and end >= first for start, end in occurrences(record))

    async def search(self, request: web.Request) -> web.Response:
        """Plans matching a PlanSearchInput, paged by the body's offset and limit."""
        body = await self.ctx.body(request, "PlanSearchInput")
        offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 50)
        if offset < 0 or not 1 <= limit <= MAX_LIMIT:
            raise ApiError(400, f"'offset' must be >= 0 and 'limit' between 1 and {MAX_LIMIT}")
        found = [r for _, r in sorted(self.state.plans.items()) if self._matches(r, body)]
        window = found[offset : offset + limit]
        page = {
            "metadata": {"count": len(window), "offset": offset, "limit": limit},
            "results": [self.render(r) for r in window],
        }
        return self.ctx.respond(page, "PageablePlanBeanWithoutLinks")
