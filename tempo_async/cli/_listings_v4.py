"""What `tempo-async export` can export from API v4: each listing holds the client method
that fetches it (no paths here: the v4 client owns them), the options it takes and the
schema definition of its records (the CSV columns)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from tempo_async.errors import TempoTransportError
from tempo_async.v4 import TempoClient

__all__ = ["V4_LISTINGS", "V4Listing"]

Pages = Callable[[TempoClient, argparse.Namespace, Any, int], AsyncIterator[list[Any]]]
"""`pages(client, args, updated_from, page_size)`: the raw records, a page at a time."""


@dataclass(frozen=True)
class V4Listing:
    """One exportable v4 collection."""

    definition: str
    """The v4 schema definition of its records (the CSV columns)."""
    summary: str
    """What `--help` says of it."""
    pages: Pages
    options: frozenset[str] = frozenset()
    required: tuple[str, ...] = ()
    path: str = ""
    """The operation's path, for the state file's selection and messages."""


async def _walk(paginator: Any) -> AsyncIterator[list[Any]]:
    async with paginator.raw_pages() as walk:
        async for page in walk:
            yield page["results"]


def _worklogs(
    client: TempoClient, args: argparse.Namespace, updated_from: Any, page_size: int
) -> AsyncIterator[list[Any]]:
    worklogs = client.worklogs
    common: dict[str, Any] = {
        "from_": args.from_,
        "to": args.to,
        "updated_from": updated_from,
        "limit": page_size,
    }
    if args.user is not None:
        return _walk(worklogs.for_user(args.user, **common))
    if args.team is not None:
        return _walk(worklogs.for_team(args.team, **common))
    if args.account is not None:
        return _walk(worklogs.for_account(args.account, **common))
    return _walk(
        worklogs.list(
            project_id=args.project_id or None,
            issue_id=args.issue_id or None,
            order_by=args.order_by,
            **common,
        )
    )


def _paged(name: str) -> Pages:
    def pages(
        client: TempoClient, args: argparse.Namespace, updated_from: Any, page_size: int
    ) -> AsyncIterator[list[Any]]:
        return _walk(getattr(client, name).list(limit=page_size))

    return pages


def _plans(
    client: TempoClient, args: argparse.Namespace, updated_from: Any, page_size: int
) -> AsyncIterator[list[Any]]:
    return _walk(
        client.plans.list(
            from_=args.from_,
            to=args.to,
            updated_from=updated_from,
            limit=page_size,
            project_ids=args.project_id or None,
            issue_ids=args.issue_id or None,
        )
    )


async def _holiday_schemes(
    client: TempoClient, args: argparse.Namespace, updated_from: Any, page_size: int
) -> AsyncIterator[list[Any]]:
    # The method checks the answer; the records are the JSON the server sent (captured).
    with client.capture_json() as bodies:
        await client.holiday_schemes.list()
    payload = bodies[-1] if bodies else None
    results = payload.get("results") if isinstance(payload, dict) else None
    if not isinstance(results, list):
        raise TempoTransportError(
            "malformed response: no 'results' list",
            method="GET",
            url=client.url_of(("4", "holiday-schemes")),
        )
    yield results


def _deleted_worklogs(
    client: TempoClient, args: argparse.Namespace, updated_from: Any, page_size: int
) -> AsyncIterator[list[Any]]:
    since = updated_from
    if isinstance(since, dt.date) and not isinstance(since, dt.datetime):
        since = dt.datetime.combine(since, dt.time(), tzinfo=dt.timezone.utc)
    return _walk(client.audit.deleted_worklogs(updated_from=since, limit=min(page_size, 1000)))


_WORKLOG_OPTIONS = frozenset(
    {
        "from_",
        "to",
        "updated_from",
        "project_id",
        "issue_id",
        "order_by",
        "user",
        "team",
        "account",
        "state",
    }
)

V4_LISTINGS: dict[str, V4Listing] = {
    "worklogs": V4Listing(
        "Worklog",
        "GET /4/worklogs, paged: --from, --to, --updated-from, --project-id,\n"
        "--issue-id, --order-by; or /4/worklogs/user/{accountId} with --user,\n"
        "/4/worklogs/team/{id} with --team, /4/worklogs/account/{key} with\n"
        "--account; --state for an incremental export",
        _worklogs,
        _WORKLOG_OPTIONS,
        path="/4/worklogs",
    ),
    "accounts": V4Listing(
        "Account", "GET /4/accounts, paged", _paged("accounts"), path="/4/accounts"
    ),
    "customers": V4Listing(
        "Customer", "GET /4/customers, paged", _paged("customers"), path="/4/customers"
    ),
    "teams": V4Listing("Team", "GET /4/teams, paged", _paged("teams"), path="/4/teams"),
    "plans": V4Listing(
        "Plan",
        "GET /4/plans, paged (needs --from, --to; --updated-from, --project-id, --issue-id)",
        _plans,
        frozenset({"from_", "to", "updated_from", "project_id", "issue_id"}),
        ("from_", "to"),
        path="/4/plans",
    ),
    "holiday-schemes": V4Listing(
        "HolidayScheme",
        "GET /4/holiday-schemes",
        _holiday_schemes,
        path="/4/holiday-schemes",
    ),
    "deleted-worklogs": V4Listing(
        "DeletedWorklogBean",
        "GET /papertrail/1/events/deleted/types/worklog: the audit log of deleted\n"
        "worklogs (needs --updated-from), cursor pages",
        _deleted_worklogs,
        frozenset({"updated_from"}),
        ("updated_from",),
        path="/papertrail/1/events/deleted/types/worklog",
    ),
}
"""The v4 collections `tempo-async export` can export, by name."""
