"""The in-memory state of an emulated Tempo v3 instance.

Everything is held as JSON-ready dicts but worklogs, which are rows of codes rendered as
bodies when read (see `WorklogStore`); the other resources are stored as records keyed the way the API
addresses them (accounts by key, teams by id, ...) and rendered on the way out, so a
renamed category shows in every account that uses it. Jira-side data the API only
references (users, projects, issues, filters) lives here too.

Tests reach it as `emu.state`: the `add_*` helpers create data without HTTP, the
dicts can be read directly. Treat what they return as read-only.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any

from tempo_async.emulator.context import ApiContext, quote_segment
from tempo_async.emulator.v3.calendar import Holiday, holiday
from tempo_async.emulator.v3.worklog_columns import WorklogFields
from tempo_async.emulator.v3.worklog_store import ACCOUNT_ATTRIBUTE, WorklogStore

Record = dict[str, Any]

#: Placeholder Jira Cloud instance of the spec's examples; user, issue and project
#: references point there.
DEFAULT_JIRA_URL = "https://my-cloud-instance.atlassian.net"

PERMISSION_KEYS = (
    "tempo.teams.browse.team",
    "tempo.timesheets.approve.timesheet",
    "tempo.planner.plan.permission",
)
APPROVE_PERMISSION = "tempo.timesheets.approve.timesheet"
CATEGORY_TYPES = ("BILLABLE", "CAPITALIZED", "INTERNAL", "OPERATIONAL")


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(timezone.utc)


def format_datetime(moment: datetime) -> str:
    """The spec's datetime: ISO 8601 in UTC with a `Z`, whole seconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class V3State:
    """Every resource of one emulated Tempo instance."""

    def __init__(
        self,
        context: ApiContext,
        *,
        jira_url: str = DEFAULT_JIRA_URL,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.context = context
        self.jira_url = jira_url.rstrip("/")
        self.clock = clock
        self.users: dict[str, Record] = {}
        self.projects: dict[str, Record] = {}
        self.issues: dict[str, Record] = {}
        self.jira_filters: dict[str, Record] = {}
        self.holidays: dict[str, Holiday] = {}
        self.customers: dict[str, Record] = {}
        self.categories: dict[str, Record] = {}
        self.accounts: dict[str, Record] = {}
        self.account_links: dict[int, Record] = {}
        self.roles: dict[int, Record] = {}
        self.teams: dict[int, Record] = {}
        self.team_permissions: dict[int, dict[str, list[str]]] = {}
        self.team_links: dict[int, Record] = {}
        self.programs: dict[int, Record] = {}
        self.memberships: dict[int, Record] = {}
        self.plans: dict[int, Record] = {}
        self.work_attributes: dict[str, Record] = {}
        self.approvals: dict[tuple[str, str], Record] = {}
        self.worklogs = WorklogStore(self.project_of, self.render_worklog, self.render_worklog_rows)
        #: Deleted worklogs, in the order of deletion: `{tempoWorklogId, jiraWorklogId,
        #: deletedAt}` (the audit log of v4's /papertrail/1/events/deleted/types/worklog).
        self.deleted_worklogs: list[Record] = []
        #: The "logged-in user" of operations such as GET /user-schedule, when the
        #: request's token is not tied to a user.
        self.current_account_id: str | None = None
        self._next_ids: dict[str, int] = {}
        self._user_refs: dict[str, Record] = {}
        self._issue_refs: dict[str, Record] = {}
        self.roles[1] = {"id": 1, "name": "Member", "default": True}
        self._next_ids["role"] = 2

    # -- ids and time ---------------------------------------------------------------------

    def next_id(self, kind: str, start: int = 1) -> int:
        """A fresh id for a new entity of `kind`."""
        value = self._next_ids.get(kind, start)
        self._next_ids[kind] = value + 1
        return value

    def reserve_ids(self, kind: str, above: int) -> None:
        """Make sure later ids of `kind` are greater than `above`."""
        self._next_ids[kind] = max(self._next_ids.get(kind, 1), above + 1)

    def now(self) -> str:
        """The current time as the spec's datetime string."""
        return format_datetime(self.clock())

    def today(self) -> date:
        """Today's date (UTC)."""
        return self.clock().date()

    # -- links and references -------------------------------------------------------------

    def url(self, *segments: str | int, query: Iterable[tuple[str, str]] | None = None) -> str:
        """Absolute Tempo URL of the path made of `segments` (each escaped)."""
        path = "".join("/" + quote_segment(segment) for segment in segments)
        return self.context.url(path, query)

    def user_ref(self, account_id: str) -> Record:
        """The spec's User reference of a Jira user (shared, read-only)."""
        ref = self._user_refs.get(account_id)
        if ref is None:
            user = self.users.get(account_id)
            ref = {
                "self": f"{self.jira_url}/rest/api/2/user?accountId={account_id}",
                "accountId": account_id,
                "displayName": user["displayName"] if user else account_id,
            }
            self._user_refs[account_id] = ref
        return ref

    def user_url(self, account_id: str) -> str:
        """Jira REST v2 URL of a user."""
        return f"{self.jira_url}/rest/api/2/user?accountId={account_id}"

    def issue_ref(self, issue_key: str) -> Record:
        """The `{self, key}` reference of a Jira issue (shared, read-only)."""
        ref = self._issue_refs.get(issue_key)
        if ref is None:
            ref = {"self": f"{self.jira_url}/rest/api/2/issue/{issue_key}", "key": issue_key}
            self._issue_refs[issue_key] = ref
        return ref

    def project_url(self, project_key: str) -> str:
        """Jira REST v2 URL of a project (by id, as the spec's examples show it)."""
        return f"{self.jira_url}/rest/api/2/project/{self.projects[project_key]['id']}"

    def project_of(self, issue_key: str) -> str | None:
        """The project key of an issue."""
        issue = self.issues.get(issue_key)
        return None if issue is None else str(issue["projectKey"])

    def resolve_issue(self, key_or_id: str) -> str | None:
        """An issue key from a key or a numeric id."""
        if key_or_id in self.issues:
            return key_or_id
        if key_or_id.isdigit():
            for issue in self.issues.values():
                if issue["id"] == int(key_or_id):
                    return str(issue["key"])
        return None

    def resolve_project(self, key_or_id: str) -> str | None:
        """A project key from a key or a numeric id."""
        if key_or_id in self.projects:
            return key_or_id
        if key_or_id.isdigit():
            for project in self.projects.values():
                if project["id"] == int(key_or_id):
                    return str(project["key"])
        return None

    # -- Jira-side data -------------------------------------------------------------------

    def add_user(self, display_name: str, account_id: str | None = None) -> Record:
        """Add (or rename) a Jira user; returns the user record."""
        if account_id is None:
            account_id = f"{self.next_id('user', 1):024x}"
        self.users[account_id] = {"accountId": account_id, "displayName": display_name}
        self._user_refs.pop(account_id, None)
        if self.current_account_id is None:
            self.current_account_id = account_id
        return self.users[account_id]

    def add_project(
        self, key: str, name: str | None = None, project_id: int | None = None
    ) -> Record:
        """Add a Jira project."""
        if project_id is None:
            project_id = self.next_id("project", 10_000)
        else:
            self.reserve_ids("project", project_id)
        self.projects[key] = {"id": project_id, "key": key, "name": name or key.title()}
        return self.projects[key]

    def add_issue(
        self, key: str, project_key: str | None = None, issue_id: int | None = None
    ) -> Record:
        """Add a Jira issue; its project (by default the key's prefix) is created if needed."""
        if project_key is None:
            project_key = key.rsplit("-", 1)[0]
        if project_key not in self.projects:
            self.add_project(project_key)
        if issue_id is None:
            issue_id = self.next_id("issue", 10_000)
        else:
            self.reserve_ids("issue", issue_id)
        self.issues[key] = {"id": issue_id, "key": key, "projectKey": project_key}
        return self.issues[key]

    def add_jira_filter(
        self,
        filter_id: int | str,
        *,
        projects: Sequence[str] = (),
        issues: Sequence[str] = (),
        name: str | None = None,
    ) -> Record:
        """Add a saved Jira filter matching the issues of `projects` and the `issues`."""
        record = {
            "id": str(filter_id),
            "name": name or f"Filter {filter_id}",
            "projects": list(projects),
            "issues": list(issues),
        }
        self.jira_filters[str(filter_id)] = record
        return record

    def add_holiday(
        self,
        day: date,
        name: str,
        duration_seconds: int = 28_800,
        description: str | None = None,
    ) -> None:
        """Add a holiday to the (single) holiday scheme."""
        self.holidays[day.isoformat()] = holiday(name, duration_seconds, description)

    # -- team helpers ---------------------------------------------------------------------

    def grant_team_permission(self, team_id: int, key: str, account_id: str) -> None:
        """Give a user a team permission (the API to update permissions was removed)."""
        users = self.team_permissions.setdefault(team_id, {}).setdefault(key, [])
        if account_id not in users:
            users.append(account_id)

    def default_role_id(self) -> int:
        """The id of the default team role."""
        for role in self.roles.values():
            if role["default"]:
                return int(role["id"])
        return min(self.roles)

    def memberships_of_team(self, team_id: int) -> list[Record]:
        """Memberships of a team, by id."""
        return [m for m in self.memberships.values() if m["teamId"] == team_id]

    # -- worklogs -------------------------------------------------------------------------

    def add_worklog(
        self,
        *,
        issue_key: str,
        author_account_id: str,
        start_date: date | str,
        time_spent_seconds: int = 3600,
        start_time: str = "09:00:00",
        description: str = "",
        billable_seconds: int | None = None,
        attributes: Mapping[str, Any] | None = None,
        account_key: str | None = None,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> Record:
        """Store a new worklog without going through HTTP; returns a copy of its body.

        `account_key` sets the `_Account_` work attribute. The issue and the author must
        exist (`KeyError` otherwise).
        """
        if issue_key not in self.issues:
            raise KeyError(f"unknown issue {issue_key!r}")
        if author_account_id not in self.users:
            raise KeyError(f"unknown user {author_account_id!r}")
        values = [{"key": k, "value": v} for k, v in (attributes or {}).items()]
        if account_key is not None:
            values.append({"key": ACCOUNT_ATTRIBUTE, "value": account_key})
        now = self.now()
        worklog = self.worklog_body(
            worklog_id=self.next_id("worklog"),
            issue_key=issue_key,
            author_account_id=author_account_id,
            start_date=start_date if isinstance(start_date, str) else start_date.isoformat(),
            start_time=start_time,
            time_spent_seconds=time_spent_seconds,
            billable_seconds=time_spent_seconds if billable_seconds is None else billable_seconds,
            description=description,
            attribute_values=values,
            created_at=created_at or now,
            updated_at=updated_at or created_at or now,
        )
        self.worklogs.add(worklog)
        return copy.deepcopy(worklog)

    def worklog_body(
        self,
        *,
        worklog_id: int,
        issue_key: str,
        author_account_id: str,
        start_date: str,
        start_time: str,
        time_spent_seconds: int | float,
        billable_seconds: int | float,
        description: str,
        attribute_values: list[Record],
        created_at: str,
        updated_at: str,
        jira_worklog_id: int | None = None,
    ) -> Record:
        """The body of a worklog as the API serves it."""
        if jira_worklog_id is None:
            jira_worklog_id = self.next_id("jira_worklog", 10_000)
        return self.render_worklog(
            WorklogFields(
                worklog_id,
                jira_worklog_id,
                issue_key,
                author_account_id,
                start_date,
                start_time,
                time_spent_seconds,
                billable_seconds,
                description,
                attribute_values,
                created_at,
                updated_at,
            )
        )

    def render_worklog(self, fields: WorklogFields) -> Record:
        """The (v3) body of a worklog's fields; the nested references are shared."""
        return self._worklog_body(
            fields.id,
            fields.jira_id,
            self.issue_ref(fields.issue_key),
            fields.spent,
            fields.billable,
            fields.start_date,
            fields.start_time,
            fields.description,
            fields.created_at,
            fields.updated_at,
            self.user_ref(fields.author),
            fields.attribute_values,
        )

    def render_worklog_rows(self, rows: Sequence[int]) -> list[Record]:
        """The (v3) bodies of stored rows, read column by column; the nested references
        are looked up once a distinct value."""
        return self.worklogs.columns.map_rows(
            rows, self._worklog_body, self.issue_ref, self.user_ref
        )

    def _worklog_body(
        self,
        worklog_id: int,
        jira_id: int | None,
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
        url = f"{self.context.base_url}/worklogs/{worklog_id}"
        return {
            "self": url,
            "tempoWorklogId": worklog_id,
            "jiraWorklogId": jira_id,
            "issue": issue,
            "timeSpentSeconds": spent,
            "billableSeconds": billable,
            "startDate": start_date,
            "startTime": start_time,
            "description": description,
            "createdAt": created_at,
            "updatedAt": updated_at,
            "author": author,
            "attributes": {"self": url + "/work-attribute-values", "values": values},
        }

    def delete_worklog(self, worklog_id: int) -> Record:
        """Remove a worklog and note the deletion in the audit log; the removed body."""
        worklog = self.worklogs.remove(worklog_id)
        self.deleted_worklogs.append(
            {
                "tempoWorklogId": worklog["tempoWorklogId"],
                "jiraWorklogId": worklog.get("jiraWorklogId"),
                "deletedAt": self.now(),
            }
        )
        return worklog

    def get_worklog(self, worklog_id: int) -> Record | None:
        """A copy of the worklog with this Tempo id."""
        worklog = self.worklogs.get(worklog_id)
        return None if worklog is None else copy.deepcopy(worklog)

    def worklog_count(self) -> int:
        """How many worklogs are stored."""
        return len(self.worklogs)
