"""`tempo-async sync`: keep a database table in step with a Tempo collection.

The table holds each record's typed columns and its raw JSON, keyed by the record's id
(`_sync.table`); the runs (`_sync.runs`) upsert page by page, each page in a transaction
with the run's high-water mark, and delete what Tempo deleted (v4: from the audit log;
v3 and the small collections: by re-reading and reconciling). SQLite is the default
(`sqlite:///tempo.db`); PostgreSQL through asyncpg.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import sys
import traceback
from typing import Any

from tempo_async.cli._common import (
    SANDBOX_TOKEN,
    AnyClient,
    ExitCode,
    UsageError,
    add_connection_options,
    add_date_options,
    command_failure,
    credentials,
    make_client,
    sandbox,
)
from tempo_async.cli._plan import Plan, make_plan, record_pages
from tempo_async.cli._progress import ExportProgress
from tempo_async.cli._signals import SigtermGuard
from tempo_async.cli._sync.db_url import DEFAULT_DB, DatabaseURLError, parse_db_url
from tempo_async.cli._sync.runs import (
    SyncConflictError,
    SyncSummary,
    Target,
    sync_mirror,
    sync_v3_worklogs,
    sync_v4_worklogs,
)
from tempo_async.cli._sync.store import DatabaseError
from tempo_async.cli._sync.stores import open_store
from tempo_async.cli._sync.table import TableSpec, table_for
from tempo_async.client import TempoClient as V3Client
from tempo_async.v4 import TempoClient as V4Client

__all__ = ["SYNCABLE", "register", "run"]

PROG = "tempo-async sync"

SYNCABLE = {
    "v4": ("worklogs", "accounts", "customers", "teams", "plans", "holiday-schemes"),
    "v3": ("worklogs", "accounts", "customers", "teams", "plans"),
}
"""What `sync` keeps in step, by API version: the exportable collections with an id."""

EPILOG = """\
tables:
  One table per collection (tempo_worklogs, tempo_accounts, ...): a typed column per
  field of the schema (nested objects flattened as the CSV does: author.accountId ->
  author_account_id; dates as dates, seconds as integers, arrays as JSON), then _raw (the
  record exactly as the server sent it), _hash and _synced_at. The primary key is the
  record's id (tempoWorklogId for worklogs). The tool creates the tables; a table of an
  older layout gets the new columns, filled in from _raw: nothing is dropped.

how it keeps the table right:
  worklogs (v4): each run reads the worklogs updated since the previous run started
  (less 10 minutes for clock skew; all of them the first time) and upserts them, then
  deletes the worklogs Tempo's audit log lists as deleted since then. worklogs (v3,
  needs --from): each run re-reads --from..--to a month at a time and deletes the rows
  of the month Tempo no longer has. The other collections are re-read whole and
  reconciled. Each page is written in one transaction with the run's position: a run
  that is killed (even with SIGKILL) resumes where it stopped, and a second run changes
  nothing. A table is tied to its server, API version and selection.

exit codes: as `tempo-async export` (0 done, 2 usage or a bad --db URL, 3 credentials,
  4 auth, 5 network, 6 API error, 130/143 interrupted), and 8: the database cannot be
  used (unreachable, read-only, a table of another program); nothing is half-written.

examples:
  tempo-async sync worklogs --sandbox
  tempo-async sync worklogs --db postgresql://tempo@localhost/warehouse
  tempo-async sync accounts --db sqlite:////var/lib/tempo/tempo.db
  tempo-async sync plans --from 2026-01-01 --to 2026-12-31
"""

_EXPORT_DEFAULTS = {
    "updated_from": None,
    "project": None,
    "issue": None,
    "user": None,
    "team": None,
    "account": None,
    "jira_filter": None,
    "state": None,
    "project_id": None,
    "issue_id": None,
    "order_by": None,
}
"""The export selection options `sync` does not offer (its plans read them)."""


def register(subcommands: Any) -> argparse.ArgumentParser:
    """Add the `sync` subcommand to the `tempo-async` parser's subcommands."""
    parser: argparse.ArgumentParser = subcommands.add_parser(
        "sync",
        help="keep a database table (SQLite, PostgreSQL) in step with a collection",
        description="Keep a database table in step with a Tempo collection: inserts, "
        "updates and deletes, resumable, idempotent.\n\ncollections: v4 (default): "
        f"{', '.join(SYNCABLE['v4'])}; --api v3: {', '.join(SYNCABLE['v3'])}",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "resource",
        metavar="RESOURCE",
        choices=list(dict.fromkeys([*SYNCABLE["v4"], *SYNCABLE["v3"]])),
        help="what to sync (see collections above)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=DEFAULT_DB,
        help=f"sqlite:///FILE or postgresql://USER@HOST:PORT/DBNAME (default {DEFAULT_DB})",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary line"
    )
    select = parser.add_argument_group("selection")
    add_date_options(select, applies_to="worklogs, plans; v3 worklogs need --from")
    add_connection_options(parser, records="worklog")
    parser.set_defaults(handler=run, sync_parser=parser, **_EXPORT_DEFAULTS)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run `tempo-async sync`; returns the exit code (after printing any error)."""
    stderr = sys.stderr
    progress = ExportProgress(args.resource, stream=stderr, quiet=args.quiet, verb="syncing")
    logger = logging.getLogger("tempo_async")
    handler = progress.log_handler()
    handler.setLevel(logging.ERROR if args.quiet else logging.WARNING)
    guard = SigtermGuard()
    where = {"server": ""}
    with guard:
        logger.addHandler(handler)
        try:
            summary = asyncio.run(_main(args, progress, guard, where))
            progress.close()
            if not args.quiet:
                print(f"tempo-async: {_summary_line(args, summary)}", file=stderr)
            return ExitCode.OK
        except UsageError as exc:
            if exc.show_usage:
                args.sync_parser.print_usage(stderr)
            return _fail(ExitCode.USAGE, str(exc), progress)
        except (DatabaseURLError, SyncConflictError) as exc:
            return _fail(ExitCode.USAGE, str(exc), progress)
        except DatabaseError as exc:
            return _fail(ExitCode.DATABASE, str(exc), progress)
        except BaseException as exc:
            failure = command_failure(exc, guard=guard, where=where["server"], action="sync")
            if failure is not None:
                return _fail(*failure, progress)
            if not isinstance(exc, Exception | asyncio.CancelledError):
                raise
            return _unexpected(progress)
        finally:
            logger.removeHandler(handler)


async def _main(
    args: argparse.Namespace,
    progress: ExportProgress,
    guard: SigtermGuard,
    where: dict[str, str],
) -> SyncSummary:
    """Check everything, open the database, then sync (the event loop's part)."""
    guard.attach(asyncio.get_running_loop(), asyncio.current_task())
    try:
        url = parse_db_url(args.db)
        spec, plan = _check(args)
        creds = credentials(args, os.environ)
        async with contextlib.AsyncExitStack() as stack:
            store = await stack.enter_async_context(open_store(url))
            await store.prepare(spec)
            if args.sandbox:
                base_url = await stack.enter_async_context(
                    sandbox(args.sandbox_worklogs, quiet=args.quiet, api=args.api)
                )
                client = make_client(args, SANDBOX_TOKEN, base_url)
            else:
                client = make_client(args, creds.token, creds.base_url)
            await stack.enter_async_context(client)
            where["server"] = client.base_url
            target = Target(
                store,
                spec,
                _identity(args, "sandbox" if args.sandbox else client.base_url),
                args.page_size,
                on_page=progress.page,
            )
            active = client
            progress.request_rate = lambda: active.current_rate
            progress.start()
            return await _sync(args, client, target, plan)
    finally:
        guard.detach()


def _check(args: argparse.Namespace) -> tuple[TableSpec, Plan | None]:
    """The table of the request and, for a collection other than worklogs, its export
    plan (what `record_pages` reads), after checking the options (UsageError)."""
    if args.resource not in SYNCABLE[args.api]:
        raise UsageError(
            f"{args.resource} is not synced on {args.api}; it syncs {', '.join(SYNCABLE[args.api])}"
        )
    if args.from_ is not None and args.to is not None and args.from_ > args.to:
        raise UsageError(f"--from {args.from_} is after --to {args.to}")
    if args.api == "v3" and args.resource == "worklogs" and args.from_ is None:
        raise UsageError(
            "v3 worklogs need --from: v3 has no audit log of deletions, so each run "
            "re-reads --from..--to (default: today) to find them"
        )
    plan = None if args.resource == "worklogs" else make_plan(args)
    definition = "Worklog" if plan is None else plan.definition
    try:
        return table_for(args.resource, definition, args.api), plan
    except ValueError as exc:
        raise UsageError(str(exc), show_usage=False) from None


def _identity(args: argparse.Namespace, server: str) -> dict[str, Any]:
    selection = {
        name: getattr(args, dest).isoformat()
        for name, dest in (("from", "from_"), ("to", "to"))
        if getattr(args, dest) is not None
    }
    return {"server": server, "api": args.api, "selection": selection}


async def _sync(
    args: argparse.Namespace, client: AnyClient, target: Target, plan: Plan | None
) -> SyncSummary:
    if args.resource == "worklogs" and isinstance(client, V4Client):
        return await sync_v4_worklogs(client, target, args.from_, args.to)
    if args.resource == "worklogs" and isinstance(client, V3Client):
        today = dt.datetime.now(dt.timezone.utc).date()
        return await sync_v3_worklogs(client, target, args.from_, args.to or today)
    assert plan is not None
    pages = record_pages(client, plan, args.page_size)
    async with contextlib.aclosing(pages):
        return await sync_mirror(target, pages)


def _summary_line(args: argparse.Namespace, summary: SyncSummary) -> str:
    resumed = " (resumed an interrupted run)" if summary.resumed else ""
    return (
        f"synced {args.resource} into {parse_db_url(args.db).display}{resumed}: "
        f"{summary.inserted:,} inserted, {summary.updated:,} updated, "
        f"{summary.deleted:,} deleted, {summary.unchanged:,} unchanged "
        f"({summary.pages:,} page{'' if summary.pages == 1 else 's'}) in {summary.elapsed:.2f} s"
    )


def _fail(code: ExitCode, message: str, progress: ExportProgress) -> int:
    progress.close()
    print(f"{PROG}: error: {message}", file=sys.stderr)
    if progress.pages:
        print(
            f"{PROG}: stopped after {progress.so_far()}; every page written is committed: "
            "run it again to resume",
            file=sys.stderr,
        )
    return int(code)


def _unexpected(progress: ExportProgress) -> int:
    progress.close()
    traceback.print_exc(file=sys.stderr)
    message = "unexpected internal error (the traceback is above; please report it)"
    return _fail(ExitCode.UNEXPECTED, message, progress)
