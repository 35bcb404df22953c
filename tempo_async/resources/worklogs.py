"""Worklogs (spec section "Worklogs")."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import date

from tempo_async import _params as check
from tempo_async._paging import Paginator
from tempo_async.models import WorkAttributeValue, Worklog, WorklogInput
from tempo_async.resources._base import Path, Resource

DateArg = date | str | None


class Worklogs(Resource):
    """`/worklogs`: time logged on Jira issues.

    The seven list operations are paged: they return a `Paginator` at once, which fetches
    up to `concurrency` pages at a time and yields worklogs in the server's order
    (`async for`, `.pages()`, `.raw()`, `await .collect()`).
    """

    __slots__ = ()

    def list(
        self,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        project: str | Iterable[str] | None = None,
        issue: str | Iterable[str] | None = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve worklogs (optionally only of the given projects and issues, by id or key)."""
        extra = {"project": check.keys("project", project), "issue": check.keys("issue", issue)}
        return self._paged(
            ("worklogs",), from_, to, updated_from, limit, offset, concurrency, extra
        )

    async def create(self, worklog: WorklogInput) -> Worklog:
        """Creates a new worklog.

        Never retried once the request may have reached the server, so a create is never
        duplicated: after a timeout, check with `list(updated_from=...)` before retrying.
        """
        body = check.body("worklog", worklog, WorklogInput)
        return await self._send("POST", ("worklogs",), Worklog, body)

    async def get(self, id: int) -> Worklog:
        """Retrieve an existing worklog for the given id (the Tempo worklog id)."""
        return await self._get(("worklogs", check.ident("id", id)), Worklog)

    async def update(self, id: int, worklog: WorklogInput) -> Worklog:
        """Update an existing worklog."""
        path = ("worklogs", check.ident("id", id))
        return await self._send("PUT", path, Worklog, check.body("worklog", worklog, WorklogInput))

    async def delete(self, id: int) -> None:
        """Delete an existing worklog."""
        await self._delete(("worklogs", check.ident("id", id)))

    async def attribute_values(self, id: int) -> builtins.list[WorkAttributeValue]:
        """Retrieve all work attribute values for the worklog."""
        path = ("worklogs", check.ident("id", id), "work-attribute-values")
        return await self._list(path, WorkAttributeValue)

    async def attribute_value(self, id: int, key: str) -> WorkAttributeValue:
        """Retrieve a specific work attribute value for the worklog."""
        path = ("worklogs", check.ident("id", id), "work-attribute-values", check.key("key", key))
        return await self._get(path, WorkAttributeValue)

    async def get_by_jira_id(self, jira_worklog_id: int) -> Worklog:
        """Retrieve an existing worklog for the given JIRA worklog id."""
        return await self._get(
            ("worklogs", "jira", check.ident("jira_worklog_id", jira_worklog_id)), Worklog
        )

    def for_jira_filter(
        self,
        filter_id: int,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve worklogs associated to the given JIRA filter id."""
        path = ("worklogs", "jira", "filter", check.ident("filter_id", filter_id))
        return self._paged(path, from_, to, updated_from, limit, offset, concurrency)

    def for_account(
        self,
        account_key: str,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve all worklogs associated to the given account key."""
        path = ("worklogs", "account", check.key("account_key", account_key))
        return self._paged(path, from_, to, updated_from, limit, offset, concurrency)

    def for_project(
        self,
        project_key: str,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve all worklogs associated to the given project key."""
        path = ("worklogs", "project", check.key("project_key", project_key))
        return self._paged(path, from_, to, updated_from, limit, offset, concurrency)

    def for_team(
        self,
        team_id: int,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve all worklogs of the members of the given team (the spec has no description)."""
        path = ("worklogs", "team", check.ident("team_id", team_id))
        return self._paged(path, from_, to, updated_from, limit, offset, concurrency)

    def for_user(
        self,
        account_id: str,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve all worklogs associated to the given user."""
        path = ("worklogs", "user", check.key("account_id", account_id))
        return self._paged(path, from_, to, updated_from, limit, offset, concurrency)

    def for_issue(
        self,
        issue_key: str,
        *,
        from_: DateArg = None,
        to: DateArg = None,
        updated_from: DateArg = None,
        limit: int = 1000,
        offset: int = 0,
        concurrency: int | None = None,
    ) -> Paginator[Worklog]:
        """Retrieve all worklogs associated to the given issue key."""
        path = ("worklogs", "issue", check.key("issue_key", issue_key))
        return self._paged(path, from_, to, updated_from, limit, offset, concurrency)

    def _paged(
        self,
        path: Path,
        from_: object,
        to: object,
        updated_from: object,
        limit: object,
        offset: object,
        concurrency: object,
        extra: Mapping[str, object] | None = None,
    ) -> Paginator[Worklog]:
        """The paginator of one worklog list; every argument is checked before it returns."""
        start, end = check.date_range(from_, to)
        params: dict[str, object] = {
            "from": start,
            "to": end,
            "updatedFrom": check.optional_date("updated_from", updated_from),
            **(extra or {}),
        }
        page_size = check.limit(limit)
        first = check.offset(offset)
        in_flight = check.concurrency(concurrency)
        return self._offset_pages(
            "GET",
            path,
            Worklog,
            params=params,
            limit=page_size,
            offset=first,
            concurrency=in_flight,
        )
