"""What `tempo-async export --api v3` can export: each listing holds the client method that
fetches it (its `route` only names the selection in state files and messages)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tempo_async._paging import Walk
from tempo_async.client import TempoClient

__all__ = ["RESOURCES", "Listing"]

Fetch = Callable[[TempoClient, argparse.Namespace], Awaitable[object]]
"""`fetch(client, args)`: the method call whose raw answer holds the records."""
Pages = Callable[[TempoClient, argparse.Namespace, "dt.date | None", int], Walk[Mapping[str, Any]]]
"""`pages(client, args, updated_from, limit)`: the raw pages of a paged list."""


def _worklog_pages(
    client: TempoClient, args: argparse.Namespace, updated_from: dt.date | None, limit: int
) -> Walk[Mapping[str, Any]]:
    """The raw pages of the worklog list the options select."""
    worklogs = client.worklogs
    common: dict[str, Any] = {
        "from_": args.from_,
        "to": args.to,
        "updated_from": updated_from,
        "limit": limit,
    }
    if args.user is not None:
        paginator = worklogs.for_user(args.user, **common)
    elif args.team is not None:
        paginator = worklogs.for_team(args.team, **common)
    elif args.account is not None:
        paginator = worklogs.for_account(args.account, **common)
    elif args.jira_filter is not None:
        paginator = worklogs.for_jira_filter(args.jira_filter, **common)
    else:
        paginator = worklogs.list(project=args.project, issue=args.issue, **common)
    return paginator.raw_pages()


def _user_schedule(client: TempoClient, args: argparse.Namespace) -> Awaitable[object]:
    if args.user is None:
        return client.user_schedule.get(from_=args.from_, to=args.to)
    return client.user_schedule.for_user(args.user, from_=args.from_, to=args.to)


@dataclass(frozen=True)
class Listing:
    """One exportable collection of the v3 API: what selects it and what its records are."""

    definition: str
    """The schema definition of its records (the CSV columns)."""
    summary: str
    """What `--help` says of it (lines separated by newlines)."""
    route: Callable[[argparse.Namespace], tuple[str, ...]]
    """The path it reads, from the parsed arguments: it names the selection in state files
    and messages, and is never parsed back into a call."""
    fetch: Fetch | None = None
    """The client method call of an un-paged collection (None: `pages`)."""
    options: frozenset[str] = frozenset()
    """The selection options it accepts (argparse dests)."""
    required: tuple[str, ...] = ()
    results_key: str = "results"
    """Where the records are in the raw answer (`periods` answers `{"periods": [...]}`)."""
    pages: Pages | None = None
    """The paged list's raw pages (worklogs)."""

    @property
    def paged(self) -> bool:
        """Whether the records come a page at a time."""
        return self.pages is not None


def _fixed(*path: str) -> Callable[[argparse.Namespace], tuple[str, ...]]:
    return lambda _args: path


def _worklog_route(args: argparse.Namespace) -> tuple[str, ...]:
    if args.user is not None:
        return ("worklogs", "user", args.user)
    if args.team is not None:
        return ("worklogs", "team", str(args.team))
    if args.account is not None:
        return ("worklogs", "account", args.account)
    if args.jira_filter is not None:
        return ("worklogs", "jira", "filter", str(args.jira_filter))
    return ("worklogs",)


def _user_schedule_route(args: argparse.Namespace) -> tuple[str, ...]:
    return ("user-schedule",) if args.user is None else ("user-schedule", args.user)


RESOURCES: dict[str, Listing] = {
    "worklogs": Listing(
        "Worklog",
        "GET /worklogs, paged: --from, --to, --updated-from, --project, --issue\n"
        "or GET /worklogs/user/{accountId} with --user, /worklogs/team/{teamId}\n"
        "with --team, /worklogs/account/{key} with --account or\n"
        "/worklogs/jira/filter/{id} with --jira-filter (with --from, --to,\n"
        "--updated-from); --state for an incremental export",
        _worklog_route,
        options=frozenset(
            {
                "from_",
                "to",
                "updated_from",
                "project",
                "issue",
                "user",
                "team",
                "account",
                "jira_filter",
                "state",
            }
        ),
        pages=_worklog_pages,
    ),
    "accounts": Listing(
        "Account", "GET /accounts", _fixed("accounts"), lambda c, a: c.accounts.list()
    ),
    "account-categories": Listing(
        "Category",
        "GET /account-categories",
        _fixed("account-categories"),
        lambda c, a: c.account_categories.list(),
    ),
    "account-category-types": Listing(
        "CategoryType",
        "GET /account-category-types",
        _fixed("account-category-types"),
        lambda c, a: c.account_category_types.list(),
    ),
    "customers": Listing(
        "Customer", "GET /customers", _fixed("customers"), lambda c, a: c.customers.list()
    ),
    "teams": Listing("Team", "GET /teams", _fixed("teams"), lambda c, a: c.teams.list()),
    "roles": Listing("Role", "GET /roles", _fixed("roles"), lambda c, a: c.roles.list()),
    "programs": Listing(
        "Program", "GET /programs", _fixed("programs"), lambda c, a: c.programs.list()
    ),
    "work-attributes": Listing(
        "WorkAttribute",
        "GET /work-attributes",
        _fixed("work-attributes"),
        lambda c, a: c.work_attributes.list(),
    ),
    "periods": Listing(
        "Period",
        "GET /periods (needs --from, --to)",
        _fixed("periods"),
        lambda c, a: c.periods.list(from_=a.from_, to=a.to),
        frozenset({"from_", "to"}),
        ("from_", "to"),
        results_key="periods",
    ),
    "plans": Listing(
        "Plan",
        "GET /plans/user/{accountId} (needs --user, --from, --to)",
        lambda args: ("plans", "user", args.user),
        lambda c, a: c.plans.for_user(a.user, from_=a.from_, to=a.to, updated_from=a.updated_from),
        frozenset({"user", "from_", "to", "updated_from"}),
        ("user", "from_", "to"),
    ),
    "user-schedule": Listing(
        "DaySchedule",
        "GET /user-schedule (needs --from, --to),\nor GET /user-schedule/{accountId} with --user",
        _user_schedule_route,
        _user_schedule,
        frozenset({"user", "from_", "to"}),
        ("from_", "to"),
    ),
    "timesheet-approvals": Listing(
        "TimesheetApproval",
        "GET /timesheet-approvals/waiting: the timesheets awaiting my approval",
        _fixed("timesheet-approvals", "waiting"),
        lambda c, a: c.timesheet_approvals.waiting(),
    ),
}
"""The v3 collections `tempo-async export --api v3` can export, by name."""
