"""Worklogs (#61-74): CRUD, work attribute values and the seven paged lists."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.paging import parse_page_request
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.resources._common import (
    Resource,
    iso,
    path_int,
    query_date,
    query_range,
)
from tempo_async.emulator.v3.state import Record
from tempo_async.emulator.v3.worklog_store import ACCOUNT_ATTRIBUTE, Predicate, Source, Worklog

NOT_FOUND = "Worklog cannot be found"
_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "CHECKBOX": (bool,),
    "INPUT_NUMERIC": (int, float),
    "INPUT_FIELD": (str,),
    "STATIC_LIST": (str,),
}


class Worklogs(Resource):
    """/worklogs and its sub-resources."""

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/worklogs", self.list_all),
            Route("POST", "/worklogs", self.create),
            Route("GET", "/worklogs/jira/filter/{jirafilterId}", self.for_jira_filter),
            Route("GET", "/worklogs/jira/{jiraWorklogId}", self.get_by_jira_id),
            Route("GET", "/worklogs/account/{accountKey}", self.for_account),
            Route("GET", "/worklogs/project/{projectKey}", self.for_project),
            Route("GET", "/worklogs/team/{teamId}", self.for_team),
            Route("GET", "/worklogs/user/{accountId}", self.for_user),
            Route("GET", "/worklogs/issue/{key}", self.for_issue),
            Route("GET", "/worklogs/{worklogId}", self.get),
            Route("PUT", "/worklogs/{worklogId}", self.update),
            Route("DELETE", "/worklogs/{worklogId}", self.delete),
            Route("GET", "/worklogs/{worklogId}/work-attribute-values", self.attribute_values),
            Route("GET", "/worklogs/{worklogId}/work-attribute-values/{key}", self.attribute_value),
        ]

    # -- single worklogs ------------------------------------------------------------------

    def _existing(self, request: web.Request) -> Worklog:
        worklog = self.state.worklogs.get(path_int(request, "worklogId", NOT_FOUND))
        if worklog is None:
            raise ApiError(404, NOT_FOUND)
        return worklog

    def _attribute_errors(self, values: list[Record]) -> list[str]:
        state = self.state
        errors = []
        seen = set()
        for value in values:
            key = value["key"]
            attribute = state.work_attributes.get(key)
            if attribute is None:
                errors.append(f"Work attribute with key '{key}' does not exist")
                continue
            if key in seen:
                errors.append(f"Work attribute '{key}' is given more than once")
            seen.add(key)
            given = value["value"]
            expected = _VALUE_TYPES.get(attribute["type"], (object,))
            if not isinstance(given, expected) or (
                bool not in expected and isinstance(given, bool)
            ):
                errors.append(f"Invalid value for work attribute '{key}' ({attribute['type']})")
            elif key == ACCOUNT_ATTRIBUTE or attribute.get("accountList"):
                account = state.accounts.get(str(given))
                if account is None:
                    errors.append(f"Account '{given}' not found")
                elif account["status"] != "OPEN":
                    errors.append(f"Account '{given}' is {account['status']}, not open")
            elif attribute["type"] == "STATIC_LIST" and given not in attribute.get("values", []):
                errors.append(f"Invalid value '{given}' for work attribute '{key}'")
        for key, attribute in state.work_attributes.items():
            if attribute["required"] and key not in seen:
                errors.append(f"Work attribute '{attribute['name']}' is required")
        return errors

    def _build(self, body: dict[str, Any], worklog_id: int, previous: Worklog | None) -> Worklog:
        """A worklog body from a WorklogInput, or a 400 listing every problem."""
        state = self.state
        errors = []
        issue_key = body["issueKey"]
        if issue_key not in state.issues:
            errors.append("Issue not found")
        author = body["authorAccountId"]
        if author not in state.users:
            errors.append(f"Author with accountId '{author}' not found")
        spent = body["timeSpentSeconds"]
        if spent <= 0:
            errors.append("Invalid time duration entered")
        billable = body.get("billableSeconds", spent)
        if billable < 0:
            errors.append("Billable seconds must not be negative")
        values = [{"key": v["key"], "value": v["value"]} for v in body.get("attributes") or []]
        errors += self._attribute_errors(values)
        if errors:
            raise ApiError(400, *errors)
        now = state.now()
        return state.worklog_body(
            worklog_id=worklog_id,
            jira_worklog_id=previous["jiraWorklogId"] if previous else None,
            issue_key=issue_key,
            author_account_id=author,
            start_date=body["startDate"],
            start_time=body["startTime"],
            time_spent_seconds=spent,
            billable_seconds=billable,
            description=body.get("description") or "",
            attribute_values=values,
            created_at=previous["createdAt"] if previous else now,
            updated_at=now,
        )

    async def create(self, request: web.Request) -> web.Response:
        """Creates a new worklog."""
        body = await self.ctx.body(request, "WorklogInput")
        worklog = self._build(body, self.state.next_id("worklog"), None)
        self.state.worklogs.add(worklog)
        return self.ctx.respond(worklog, "Worklog")

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve an existing worklog for the given id."""
        return self.ctx.respond(self._existing(request), "Worklog")

    async def update(self, request: web.Request) -> web.Response:
        """Update an existing worklog (the body replaces it)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "WorklogInput")
        worklog = self._build(body, existing["tempoWorklogId"], existing)
        self.state.worklogs.replace(worklog)
        return self.ctx.respond(worklog, "Worklog")

    async def delete(self, request: web.Request) -> web.Response:
        """Delete an existing worklog."""
        self.state.delete_worklog(self._existing(request)["tempoWorklogId"])
        return no_content()

    async def get_by_jira_id(self, request: web.Request) -> web.Response:
        """Retrieve an existing worklog for the given JIRA worklog id."""
        jira_id = path_int(request, "jiraWorklogId", NOT_FOUND)
        worklog = self.state.worklogs.get_by_jira_id(jira_id)
        if worklog is None:
            raise ApiError(404, NOT_FOUND)
        return self.ctx.respond(worklog, "Worklog")

    async def attribute_values(self, request: web.Request) -> web.Response:
        """Retrieve all work attribute values for the worklog."""
        attributes = self._existing(request)["attributes"]
        return self.ctx.respond_collection(
            attributes["self"], attributes["values"], "WorkAttributeValue"
        )

    async def attribute_value(self, request: web.Request) -> web.Response:
        """Retrieve a specific work attribute value for the worklog."""
        key = request.match_info["key"]
        for value in self._existing(request)["attributes"]["values"]:
            if value["key"] == key:
                return self.ctx.respond(value, "WorkAttributeValue")
        raise ApiError(404, "Work attribute value cannot be found")

    # -- paged lists ----------------------------------------------------------------------

    def _page(
        self,
        request: web.Request,
        sources: list[Source] | None,
        *,
        predicate: Predicate | None = None,
        predicate_key: Any = None,
    ) -> web.Response:
        """One page of the worklogs of `sources` (all when None) selected by the query."""
        page = parse_page_request(request.query)
        from_, to = query_range(request)
        store = self.state.worklogs
        selection = store.select(
            sources,
            from_=iso(from_),
            to=iso(to),
            updated_from=iso(query_date(request, "updatedFrom")),
            predicate=predicate,
            predicate_key=predicate_key,
        )
        rows = selection.rows(page.offset, page.limit)
        results = store.bodies(rows)
        has_more = page.offset + len(rows) < len(selection)
        return self.ctx.respond_page(
            request, page, results, has_more=has_more, definition="WorklogPage"
        )

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve worklogs, optionally of some issues and projects (ids or keys)."""
        state = self.state
        issues = [state.resolve_issue(v) for v in request.query.getall("issue", [])]
        projects = [state.resolve_project(v) for v in request.query.getall("project", [])]
        if request.query.getall("issue", []):
            sources = [Source("issue", key) for key in dict.fromkeys(issues) if key]
            if projects:
                wanted = frozenset(p for p in projects if p)
                project_of = state.project_of
                return self._page(
                    request,
                    sources,
                    predicate=lambda w: project_of(w.issue_key) in wanted,
                    predicate_key=("project", wanted),
                )
            return self._page(request, sources)
        if projects:
            return self._page(
                request, [Source("project", key) for key in dict.fromkeys(projects) if key]
            )
        return self._page(request, None)

    async def for_jira_filter(self, request: web.Request) -> web.Response:
        """Retrieve worklogs associated to the given JIRA filter id."""
        filter_id = request.match_info["jirafilterId"]
        jira_filter = self.state.jira_filters.get(filter_id)
        if jira_filter is None:
            raise ApiError(404, f"Jira filter '{filter_id}' not found")
        sources = [Source("project", p) for p in jira_filter["projects"]]
        sources += [Source("issue", i) for i in jira_filter["issues"]]
        return self._page(request, sources)

    async def for_account(self, request: web.Request) -> web.Response:
        """Retrieve all worklogs associated to the given account key."""
        key = request.match_info["accountKey"]
        if key not in self.state.accounts:
            raise ApiError(404, "Account not found")
        return self._page(request, [Source("account", key)])

    async def for_project(self, request: web.Request) -> web.Response:
        """Retrieve all worklogs associated to the given project key (or id)."""
        key = self.state.resolve_project(request.match_info["projectKey"])
        if key is None:
            raise ApiError(404, "Project not found")
        return self._page(request, [Source("project", key)])

    async def for_team(self, request: web.Request) -> web.Response:
        """Worklogs associated to the team: its members' while they were members."""
        team_id = path_int(request, "teamId", "Team not found")
        if team_id not in self.state.teams:
            raise ApiError(404, "Team not found")
        sources = [
            Source("author", m["accountId"], m.get("from"), m.get("to"))
            for m in self.state.memberships_of_team(team_id)
        ]
        return self._page(request, sources)

    async def for_user(self, request: web.Request) -> web.Response:
        """Retrieve all worklogs associated to the given user."""
        return self._page(request, [Source("author", request.match_info["accountId"])])

    async def for_issue(self, request: web.Request) -> web.Response:
        """Retrieve all worklogs associated to the given issue key (or id)."""
        key = self.state.resolve_issue(request.match_info["key"])
        if key is None:
            raise ApiError(404, "Issue not found")
        return self._page(request, [Source("issue", key)])
