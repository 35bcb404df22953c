"""How v4 shows a stored worklog: issue by id, no `jiraWorklogId`, the author without a
name, links under `/4`, every work attribute value a string."""

from __future__ import annotations

from collections.abc import Sequence

from tempo_async.emulator.context import ApiContext
from tempo_async.emulator.v3.state import Record, V3State
from tempo_async.emulator.v3.worklog_columns import WorklogFields


class V4WorklogRenderer:
    """Renders stored worklogs (fields, rows or v3 bodies) as v4 bodies."""

    def __init__(self, state: V3State, ctx: ApiContext) -> None:
        self.state = state
        self.ctx = ctx
        self._issues: dict[str, Record] = {}
        self._authors: dict[str, Record] = {}

    def _issue(self, key: str) -> Record:
        issue = self._issues.get(key)
        if issue is None:
            issue_id = int(self.state.issues[key]["id"])
            url = f"{self.state.jira_url}/rest/api/2/issue/{issue_id}"
            issue = self._issues[key] = {"self": url, "id": issue_id}
        return issue

    def _author(self, account_id: str) -> Record:
        author = self._authors.get(account_id)
        if author is None:
            url = self.state.user_ref(account_id)["self"]
            author = self._authors[account_id] = {"self": url, "accountId": account_id}
        return author

    def render(self, stored: WorklogFields) -> Record:
        """The v4 body of a stored worklog (nested issue and author shared, read-only)."""
        return self._body(
            stored.id,
            stored.jira_id,
            self._issue(stored.issue_key),
            stored.spent,
            stored.billable,
            stored.start_date,
            stored.start_time,
            stored.description,
            stored.created_at,
            stored.updated_at,
            self._author(stored.author),
            _values(stored.attribute_values),
        )

    def render_rows(self, rows: Sequence[int]) -> list[Record]:
        """The v4 bodies of stored rows, their nested parts converted once a distinct value."""
        columns = self.state.worklogs.columns
        return columns.map_rows(rows, self._body, self._issue, self._author, _values)

    def _body(
        self,
        worklog_id: int,
        _jira_id: int | None,  # v4 bodies do not show it
        issue: Record,
        spent: float,
        billable: float,
        start_date: str,
        start_time: str,
        description: str,
        created_at: str,
        updated_at: str,
        author: Record,
        values: list[Record],
    ) -> Record:
        url = f"{self.ctx.base_url}/worklogs/{worklog_id}"
        return {
            "self": url,
            "tempoWorklogId": worklog_id,
            "issue": issue,
            "timeSpentSeconds": spent,
            "billableSeconds": billable,
            "startDate": start_date,
            "startTime": start_time,
            "startDateTimeUtc": f"{start_date}T{start_time}Z",
            "description": description,
            "createdAt": created_at,
            "updatedAt": updated_at,
            "author": author,
            "attributes": {"self": url + "/work-attribute-values", "values": values},
        }

    def render_body(self, body: Record) -> Record:
        """The v4 body of a stored (v3) worklog body."""
        return self.render(WorklogFields.of_body(body))


def _values(values: list[Record]) -> list[Record]:
    """v4's work attribute values: every value a string."""
    return [{"key": v["key"], "value": str(v["value"])} for v in values]
