"""What to export or sync: the selection options checked against the resource (`Plan`),
and the records of a plan, a page at a time, as the server sent them (`record_pages`)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tempo_async.cli._common import MAX_PAGE_SIZE, AnyClient, UsageError
from tempo_async.cli._listings_v3 import RESOURCES, Listing
from tempo_async.cli._listings_v4 import V4_LISTINGS, V4Listing
from tempo_async.client import TempoClient
from tempo_async.errors import TempoTransportError
from tempo_async.v4 import TempoClient as V4Client

__all__ = ["OPTION_NAMES", "Plan", "make_plan", "record_pages"]

OPTION_NAMES = {
    "from_": "--from",
    "to": "--to",
    "updated_from": "--updated-from",
    "project": "--project",
    "issue": "--issue",
    "user": "--user",
    "team": "--team",
    "account": "--account",
    "jira_filter": "--jira-filter",
    "state": "--state",
    "project_id": "--project-id",
    "issue_id": "--issue-id",
    "order_by": "--order-by",
}
_QUERY_NAMES = {"from_": "from", "to": "to", "updated_from": "updatedFrom"}
_WORKLOG_OWNERS = ("user", "team", "account", "jira_filter")


# -- what to export --------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A checked export request."""

    resource: str
    listing: Listing | V4Listing
    path: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    """Query parameters, `updatedFrom` excluded (an incremental run sets it)."""
    updated_from: dt.date | None = None
    api: str = "v4"
    args: argparse.Namespace | None = field(default=None, compare=False, repr=False)
    """The parsed command line (v4 listings read their selection from it)."""

    @property
    def definition(self) -> str:
        """The schema definition of the records (the CSV columns)."""
        return self.listing.definition

    @property
    def selection(self) -> dict[str, Any]:
        """What a state file is tied to, with the server: the path and the filters (JSON)."""
        return {
            "resource": self.resource,
            "path": "/" + "/".join(self.path),
            "params": {key: _json_value(value) for key, value in self.params.items()},
            **({"api": self.api} if self.api != "v3" else {}),
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def make_plan(args: argparse.Namespace) -> Plan:
    """Check the selection options against the resource; UsageError when they do not fit."""
    api = getattr(args, "api", "v3")
    if args.page_size > MAX_PAGE_SIZE[api]:
        raise UsageError(f"--page-size must be at most {MAX_PAGE_SIZE[api]} on {api}")
    if api == "v4":
        return _make_v4_plan(args)
    if getattr(args, "region", None) is not None:
        raise UsageError("--region selects a v4 host; it does not apply to --api v3")
    if isinstance(args.updated_from, dt.datetime):
        raise UsageError("--api v3 filters --updated-from by day: give a date YYYY-MM-DD")
    if args.resource not in RESOURCES:
        raise UsageError(
            f"{args.resource} is a v4 collection; --api v3 exports {', '.join(RESOURCES)}"
        )
    listing = RESOURCES[args.resource]
    _check_options(args, listing.options, listing.required, RESOURCES)
    if args.from_ is not None and args.to is not None and args.from_ > args.to:
        raise UsageError(f"--from {args.from_} is after --to {args.to}")
    if args.resource == "worklogs":
        owners = [dest for dest in _WORKLOG_OWNERS if getattr(args, dest) is not None]
        if len(owners) > 1:
            raise UsageError(
                " and ".join(OPTION_NAMES[dest] for dest in owners)
                + " select different lists: give at most one"
            )
        if owners and (args.project or args.issue):
            raise UsageError(
                f"--project and --issue filter GET /worklogs; they do not combine with "
                f"{OPTION_NAMES[owners[0]]}"
            )
    params: dict[str, Any] = {}
    for dest in ("from_", "to"):
        if dest in listing.options and getattr(args, dest) is not None:
            params[_QUERY_NAMES[dest]] = getattr(args, dest)
    if args.project:
        params["project"] = list(args.project)
    if args.issue:
        params["issue"] = list(args.issue)
    path = listing.route(args)
    return Plan(args.resource, listing, path, params, args.updated_from, "v3", args)


def _check_options(
    args: argparse.Namespace,
    options: frozenset[str],
    required: tuple[str, ...],
    table: Mapping[str, Any],
) -> None:
    given = [dest for dest in OPTION_NAMES if getattr(args, dest, None) not in (None, [], False)]
    for dest in given:
        if dest not in options:
            users = [name for name, other in table.items() if dest in other.options]
            where = f"only to {', '.join(users)}" if users else "to none of them"
            raise UsageError(f"{OPTION_NAMES[dest]} does not apply to {args.resource} ({where})")
    missing = [dest for dest in required if getattr(args, dest, None) is None]
    if missing:
        raise UsageError(
            f"{args.resource} needs {', '.join(OPTION_NAMES[dest] for dest in missing)}"
        )


def _make_v4_plan(args: argparse.Namespace) -> Plan:
    if args.resource not in V4_LISTINGS:
        raise UsageError(
            f"{args.resource} is exported with --api v3; on v4: {', '.join(V4_LISTINGS)}"
        )
    listing = V4_LISTINGS[args.resource]
    for v3_only in ("project", "issue", "jira_filter"):
        if getattr(args, v3_only, None):
            hint = {"project": "--project-id", "issue": "--issue-id"}.get(v3_only)
            instead = f" (v4 selects by id: {hint})" if hint else ""
            raise UsageError(f"{OPTION_NAMES[v3_only]} is a v3 option{instead}")
    _check_options(args, listing.options, listing.required, V4_LISTINGS)
    if args.resource == "plans" and isinstance(args.updated_from, dt.datetime):
        raise UsageError("plans filters --updated-from by day: give a date YYYY-MM-DD")
    if args.from_ is not None and args.to is not None and args.from_ > args.to:
        raise UsageError(f"--from {args.from_} is after --to {args.to}")
    owners = [dest for dest in ("user", "team", "account") if getattr(args, dest) is not None]
    if len(owners) > 1:
        raise UsageError(" and ".join(OPTION_NAMES[d] for d in owners) + ": give at most one")
    if owners and (args.project_id or args.issue_id or args.order_by):
        raise UsageError(f"{OPTION_NAMES[owners[0]]} does not combine with the /4/worklogs filters")
    params: dict[str, Any] = {}
    for dest, name in (
        ("from_", "from"),
        ("to", "to"),
        ("project_id", "projectId"),
        ("issue_id", "issueId"),
        ("order_by", "orderBy"),
        ("user", "user"),
        ("team", "team"),
        ("account", "account"),
    ):
        value = getattr(args, dest, None)
        if value not in (None, []):
            params[name] = value
    path = tuple(listing.path.strip("/").split("/"))
    return Plan(args.resource, listing, path, params, args.updated_from, "v4", args)


async def record_pages(
    client: AnyClient, plan: Plan, page_size: int, updated_from: Any = None
) -> AsyncGenerator[list[Any], None]:
    """The plan's records, a page at a time, as the server sent them.

    `updated_from` (an incremental run's) overrides the plan's `--updated-from`.
    """
    since = plan.updated_from if updated_from is None else updated_from
    assert plan.args is not None
    if isinstance(plan.listing, V4Listing):
        assert isinstance(client, V4Client)
        async for records in plan.listing.pages(client, plan.args, since, page_size):
            yield records
        return
    assert isinstance(client, TempoClient)
    listing = plan.listing
    if listing.pages is not None:
        async with listing.pages(client, plan.args, since, page_size) as walk:
            async for page in walk:
                yield page["results"]
        return
    assert listing.fetch is not None
    # The method checks the arguments and the answer; the records are the JSON the server
    # sent (captured), not rebuilt from the models.
    with client.capture_json() as bodies:
        await listing.fetch(client, plan.args)
    payload = bodies[-1] if bodies else None
    results = payload.get(listing.results_key) if isinstance(payload, Mapping) else None
    if not isinstance(results, list):
        raise TempoTransportError(
            f"malformed response: no '{listing.results_key}' list",
            method="GET",
            url=client.url_of(plan.path, plan.params),
        )
    yield results
