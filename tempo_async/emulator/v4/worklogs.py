"""v4 worklogs over the shared state: issue ids instead of keys, search, bulk, id maps.

The worklogs live once, in the v3 state's store (as rows of fields); each is rendered as
v4 on the way out (`issue` by id, no `jiraWorklogId`, the author without a name, links
under `/4`). A worklog created here is visible through v3 with its issue key, and the
reverse.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.errors import ApiError
from tempo_async.emulator.paging import parse_page_request
from tempo_async.emulator.responses import no_content
from tempo_async.emulator.server import Route
from tempo_async.emulator.v3.state import Record, V3State
from tempo_async.emulator.v3.worklog_columns import WorklogFields
from tempo_async.emulator.v3.worklog_index import Selection
from tempo_async.emulator.v3.worklog_store import ACCOUNT_ATTRIBUTE, Predicate, Source
from tempo_async.emulator.v4.worklog_render import V4WorklogRenderer

MAX_LIMIT = 5000
"""The largest page v4 serves."""
BULK_MAX = 50
NOT_FOUND = "Worklog not found"
#: How many orderings of selections are kept (until the next write).
ORDER_CACHE_SIZE = 8
#: The stored field of each `orderBy` (None: the id, which is the rows' order).
ORDERS: dict[str, str | None] = {
    "ID": None,
    "START_DATE_TIME": "start_date",
    "UPDATED": "updated_at",
}


class V4Worklogs:
    """The `/4/worklogs` operations, bound to the shared state."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx
        self.renderer = V4WorklogRenderer(state, ctx)
        self._orders: dict[Hashable, tuple[int, array[int]]] = {}

    def routes(self) -> list[Route]:
        """Every route of the worklogs tag that the emulator serves with state."""
        return [
            Route("GET", "/worklogs", self.list_all),
            Route("POST", "/worklogs", self.create),
            Route("POST", "/worklogs/search", self.search),
            Route("POST", "/worklogs/jira-to-tempo", self.jira_to_tempo),
            Route("POST", "/worklogs/tempo-to-jira", self.tempo_to_jira),
            Route("GET", "/worklogs/issue/{issueId}", self.for_issue),
            Route("POST", "/worklogs/issue/{issueId}/bulk", self.bulk_create),
            Route("GET", "/worklogs/project/{projectId}", self.for_project),
            Route("GET", "/worklogs/user/{accountId}", self.for_user),
            Route("GET", "/worklogs/account/{accountKey}", self.for_account),
            Route("GET", "/worklogs/team/{teamId}", self.for_team),
            Route("GET", "/worklogs/{id}", self.get),
            Route("PUT", "/worklogs/{id}", self.update),
            Route("DELETE", "/worklogs/{id}", self.delete),
            Route("GET", "/worklogs/{id}/work-attribute-values", self.attribute_values),
            Route("GET", "/worklogs/{id}/work-attribute-values/{key}", self.attribute_value),
        ]

    # -- single worklogs ------------------------------------------------------------------

    def _existing(self, request: web.Request) -> WorklogFields:
        raw = request.match_info["id"]
        worklog = self.state.worklogs.fields_of(int(raw)) if raw.isdigit() else None
        if worklog is None:
            raise ApiError(404, NOT_FOUND)
        return worklog

    def _issue_key(self, issue_id: object) -> str:
        key = self.state.resolve_issue(str(issue_id))
        if key is None:
            raise ApiError(400, f"Issue with id {issue_id} not found")
        return key

    def _check(self, body: Record) -> None:
        """A 400 listing every unknown reference of a worklog body."""
        state = self.state
        errors = []
        author = body["authorAccountId"]
        if author not in state.users:
            errors.append(f"Author with accountId '{author}' not found")
        for value in body.get("attributes") or []:
            if value["key"] not in state.work_attributes:
                errors.append(f"Work attribute with key '{value['key']}' does not exist")
            elif value["key"] == ACCOUNT_ATTRIBUTE and value["value"] not in state.accounts:
                errors.append(f"Account '{value['value']}' not found")
        if errors:
            raise ApiError(400, *errors)

    def _build(
        self, body: Record, issue_key: str, worklog_id: int, previous: WorklogFields | None
    ) -> Record:
        """The stored (v3) body of a checked worklog input."""
        self._check(body)
        state = self.state
        spent = body["timeSpentSeconds"]
        billable = body.get("billableSeconds")
        if billable is None:
            billable = spent
        values = [{"key": v["key"], "value": v["value"]} for v in body.get("attributes") or []]
        author = body["authorAccountId"]
        now = state.now()
        return state.worklog_body(
            worklog_id=worklog_id,
            jira_worklog_id=previous.jira_id if previous else None,
            issue_key=issue_key,
            author_account_id=author,
            start_date=body["startDate"],
            start_time=body.get("startTime") or "00:00:00",
            time_spent_seconds=spent,
            billable_seconds=billable,
            description=body.get("description") or "",
            attribute_values=values,
            created_at=previous.created_at if previous else now,
            updated_at=now,
        )

    async def create(self, request: web.Request) -> web.Response:
        """Create Worklog."""
        body = await self.ctx.body(request, "WorklogInput")
        key = self._issue_key(body["issueId"])
        worklog = self._build(body, key, self.state.next_id("worklog"), None)
        self.state.worklogs.add(worklog)
        return self.ctx.respond(self.renderer.render_body(worklog), "Worklog")

    async def bulk_create(self, request: web.Request) -> web.Response:
        """Bulk create Worklogs for one issue (1-50 at once)."""
        key = self._issue_key(request.match_info["issueId"])
        data = await self.ctx.body_list(request, "BulkWorklogInput")
        if not 1 <= len(data) <= BULK_MAX:
            raise ApiError(400, f"Please provide between 1 and {BULK_MAX} worklogs")
        for item in data:  # all or nothing: every input is checked before any is created
            self._check(item)
        created = []
        for item in data:
            worklog = self._build(item, key, self.state.next_id("worklog"), None)
            self.state.worklogs.add(worklog)
            created.append(self.renderer.render_body(worklog))
        return self.ctx.respond_items(created, "Worklog")

    async def get(self, request: web.Request) -> web.Response:
        """Retrieve Worklog."""
        return self.ctx.respond(self.renderer.render(self._existing(request)), "Worklog")

    async def update(self, request: web.Request) -> web.Response:
        """Update Worklog (the body replaces it; the issue stays)."""
        existing = self._existing(request)
        body = await self.ctx.body(request, "WorklogUpdate")
        worklog = self._build(body, existing.issue_key, existing.id, existing)
        self.state.worklogs.replace(worklog)
        return self.ctx.respond(self.renderer.render_body(worklog), "Worklog")

    async def delete(self, request: web.Request) -> web.Response:
        """Delete Worklog (it then appears in the audit log of deleted worklogs)."""
        self.state.delete_worklog(self._existing(request).id)
        return no_content()

    async def attribute_values(self, request: web.Request) -> web.Response:
        """Retrieve the work attribute values of a worklog."""
        rendered = self.renderer.render(self._existing(request))
        values = rendered["attributes"]["values"]
        return self.ctx.respond(
            {
                "self": rendered["attributes"]["self"],
                "metadata": {"count": len(values)},
                "results": values,
            },
            "WorkAttributeValueResults",
        )

    async def attribute_value(self, request: web.Request) -> web.Response:
        """Retrieve one work attribute value of a worklog."""
        key = request.match_info["key"]
        for value in self.renderer.render(self._existing(request))["attributes"]["values"]:
            if value["key"] == key:
                return self.ctx.respond(value, "WorkAttributeValue")
        raise ApiError(404, "Work attribute value not found")

    # -- id maps --------------------------------------------------------------------------

    async def jira_to_tempo(self, request: web.Request) -> web.Response:
        """Map Jira worklog ids to Tempo ones."""
        body = await self.ctx.body(request, "JiraWorklogIdList")
        store = self.state.worklogs
        pairs = []
        for jira_id in body["jiraWorklogIds"]:
            worklog = store.fields_by_jira_id(jira_id)
            if worklog is not None:
                pairs.append({"jiraWorklogId": jira_id, "tempoWorklogId": worklog.id})
        return self.ctx.respond_window(
            request, pairs, "PageableWorklogIdMapper", max_limit=MAX_LIMIT
        )

    async def tempo_to_jira(self, request: web.Request) -> web.Response:
        """Map Tempo worklog ids to Jira ones."""
        body = await self.ctx.body(request, "TempoWorklogIdList")
        store = self.state.worklogs
        pairs = []
        for tempo_id in body["tempoWorklogIds"]:
            worklog = store.fields_of(tempo_id)
            if worklog is not None:
                pairs.append({"jiraWorklogId": worklog.jira_id, "tempoWorklogId": tempo_id})
        return self.ctx.respond_window(
            request, pairs, "PageableWorklogIdMapper", max_limit=MAX_LIMIT
        )

    # -- lists ----------------------------------------------------------------------------

    def _query_ids(self, request: web.Request, name: str) -> list[int]:
        values = request.query.getall(name, [])
        if not all(v.isdigit() for v in values):
            raise ApiError(400, f"'{name}' must be numeric ids")
        return [int(v) for v in values]

    def _project_key(self, project_id: int) -> str | None:
        return self.state.resolve_project(str(project_id))

    def _select(
        self,
        request: web.Request,
        sources: list[Source] | None,
        *,
        from_: str | None,
        to: str | None,
        updated_from: str | None,
        order_by: str | None,
        predicate: Predicate | None = None,
        predicate_key: Any = None,
    ) -> web.Response:
        page = parse_page_request(request.query, max_limit=MAX_LIMIT)
        store = self.state.worklogs
        selection = store.select(
            sources,
            from_=from_,
            to=to,
            updated_from=updated_from,
            predicate=predicate,
            predicate_key=predicate_key,
        )
        if order_by in (None, "START_DATE_TIME"):
            rows = selection.rows(page.offset, page.limit)
            total = len(selection)
        else:
            key = None
            if predicate is None or predicate_key is not None:
                query = (tuple(sources or ()), sources is None, from_, to, updated_from)
                key = (*query, predicate_key, order_by)
            every = self._ordered(selection, ORDERS[order_by], key)
            total = len(every)
            rows = every[page.offset : page.offset + page.limit]
        results = self.renderer.render_rows(rows)
        return self.ctx.respond_page(
            request,
            page,
            results,
            has_more=page.offset + len(rows) < total,
            definition="PageableWorklog",
        )

    def _ordered(self, selection: Selection, field: str | None, key: Hashable) -> Sequence[int]:
        """The selection's rows by `field` (then id), latest first; kept until the next
        write under `key` (None: not kept), so paging through a million costs one sort."""
        store = self.state.worklogs
        cached = self._orders.get(key) if key is not None else None
        if cached is not None and cached[0] == store.version:
            return cached[1]
        every = sorted(selection.rows(0, len(selection)))  # rows are in id order
        if field is not None:
            every.sort(key=store.columns.key_of(field))
        every.reverse()
        ordered = array("I", every)
        if key is not None:
            if len(self._orders) >= ORDER_CACHE_SIZE:
                self._orders.pop(next(iter(self._orders)))
            self._orders[key] = (store.version, ordered)
        return ordered

    def _dates(self, request: web.Request) -> tuple[str | None, str | None, str | None]:
        query = request.query
        from_, to = query.get("from"), query.get("to")
        for name, value in (("from", from_), ("to", to)):
            if value is not None and not _is_date(value):
                raise ApiError(400, f"'{name}' must be valid on the format: 'yyyy-MM-dd'")
        if from_ and to and from_ > to:
            raise ApiError(400, "'from' must be before or equal to 'to'")
        updated = query.get("updatedFrom")
        return from_, to, _updated_from(updated)

    def _order(self, value: str | None) -> str | None:
        if value is not None and value not in ORDERS:
            raise ApiError(400, f"'orderBy' must be one of {', '.join(ORDERS)}")
        return value

    def _filtered(
        self,
        request: web.Request,
        issue_ids: Iterable[int],
        project_ids: Iterable[int],
        author_ids: Iterable[str],
        dates: tuple[str | None, str | None, str | None],
        order_by: str | None,
    ) -> web.Response:
        issues = [self.state.resolve_issue(str(i)) for i in issue_ids]
        projects = [self._project_key(p) for p in project_ids]
        authors = list(author_ids)
        from_, to, updated_from = dates
        sources: list[Source] | None = None
        predicates: list[Predicate] = []
        if issues:
            sources = [Source("issue", k) for k in dict.fromkeys(issues) if k]
        if projects:
            wanted = frozenset(p for p in projects if p)
            if sources is None:
                sources = [Source("project", k) for k in sorted(wanted)]
            else:
                project_of = self.state.project_of
                predicates.append(lambda w: project_of(w.issue_key) in wanted)
        if authors:
            chosen = frozenset(authors)
            if sources is None:
                sources = [Source("author", a) for a in sorted(chosen)]
            else:
                predicates.append(lambda w: w.author in chosen)
        predicate = None
        if predicates:

            def predicate(worklog: WorklogFields) -> bool:
                return all(p(worklog) for p in predicates)

        key = ("v4", tuple(projects), tuple(authors)) if predicates else None
        return self._select(
            request,
            sources,
            from_=from_,
            to=to,
            updated_from=updated_from,
            order_by=order_by,
            predicate=predicate,
            predicate_key=key,
        )

    async def list_all(self, request: web.Request) -> web.Response:
        """Retrieve Worklogs (projectId, issueId, from, to, updatedFrom, orderBy)."""
        return self._filtered(
            request,
            self._query_ids(request, "issueId"),
            self._query_ids(request, "projectId"),
            (),
            self._dates(request),
            self._order(request.query.get("orderBy")),
        )

    async def search(self, request: web.Request) -> web.Response:
        """Search Worklogs: the filters in the body, offset/limit in the query."""
        body = await self.ctx.body(request, "WorklogSearchInput")
        orders = body.get("orderBy") or []
        order_by = orders[0]["field"] if orders else None
        from_, to = body.get("from"), body.get("to")
        return self._filtered(
            request,
            body.get("issueIds") or (),
            body.get("projectIds") or (),
            body.get("authorIds") or (),
            (from_, to, _updated_from(body.get("updatedFrom"))),
            self._order(order_by),
        )

    async def for_issue(self, request: web.Request) -> web.Response:
        """Retrieve Worklogs of an issue (by id)."""
        key = self.state.resolve_issue(request.match_info["issueId"])
        if key is None:
            raise ApiError(404, "Issue not found")
        return self._listing(request, [Source("issue", key)])

    async def for_project(self, request: web.Request) -> web.Response:
        """Retrieve Worklogs of a project (by id)."""
        key = self.state.resolve_project(request.match_info["projectId"])
        if key is None:
            raise ApiError(404, "Project not found")
        return self._listing(request, [Source("project", key)])

    async def for_user(self, request: web.Request) -> web.Response:
        """Retrieve Worklogs of a user."""
        return self._listing(request, [Source("author", request.match_info["accountId"])])

    async def for_account(self, request: web.Request) -> web.Response:
        """Retrieve Worklogs logged on an account."""
        key = request.match_info["accountKey"]
        if key not in self.state.accounts:
            raise ApiError(404, "Account not found")
        return self._listing(request, [Source("account", key)])

    async def for_team(self, request: web.Request) -> web.Response:
        """Retrieve Worklogs of a team's members while they were members."""
        raw = request.match_info["teamId"]
        team_id = int(raw) if raw.isdigit() else -1
        if team_id not in self.state.teams:
            raise ApiError(404, "Team not found")
        sources = [
            Source("author", m["accountId"], m.get("from"), m.get("to"))
            for m in self.state.memberships_of_team(team_id)
        ]
        return self._listing(request, sources)

    def _listing(self, request: web.Request, sources: list[Source]) -> web.Response:
        from_, to, updated_from = self._dates(request)
        return self._select(
            request,
            sources,
            from_=from_,
            to=to,
            updated_from=updated_from,
            order_by=self._order(request.query.get("orderBy")),
        )


def _is_date(value: str) -> bool:
    return (
        len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value.replace("-", "").isdigit()
    )


def _updated_from(value: object) -> str | None:
    """`updatedFrom` as the store compares it: a date, or a date-time in UTC
    (`YYYY-MM-DDTHH:MM:SSZ`; one with another offset is converted)."""
    if value is None:
        return None
    if isinstance(value, str) and _is_date(value):
        return value
    try:
        if not isinstance(value, str) or not _is_date(value[:10]) or value[10:11] != "T":
            raise ValueError(value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "'updatedFrom' must be a date (yyyy-MM-dd) or a date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
