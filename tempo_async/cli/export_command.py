"""`tempo-async export`: bulk export of one Tempo collection to JSON Lines, CSV or Parquet.

The records are the server's JSON as received (worklogs through the paginator's raw
pages, the other collections through one raw GET each), never rebuilt from models, so
nothing the server sent is dropped. Output goes through `_output` (complete or absent),
progress through `_progress`, incremental state through `_state`. Every expected failure
ends with one message and its own exit code (`ExitCode`), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
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
    date_or_datetime,
    int_at_least,
    make_client,
    non_empty,
    sandbox,
)
from tempo_async.cli._formats import FORMATS, CsvWriter, JsonlWriter, RecordWriter, schema_columns
from tempo_async.cli._listings_v3 import RESOURCES, Listing
from tempo_async.cli._listings_v4 import V4_LISTINGS
from tempo_async.cli._output import (
    STDOUT,
    OutputError,
    Sink,
    check_writable_directory,
    describe_os_error,
    open_sink,
)
from tempo_async.cli._parquet import check_usable, open_parquet
from tempo_async.cli._plan import Plan, make_plan, record_pages
from tempo_async.cli._progress import ExportProgress
from tempo_async.cli._signals import SigtermGuard
from tempo_async.cli._state import (
    IncrementalRun,
    StateError,
    load_state,
    save_state,
)

__all__ = ["RESOURCES", "ExitCode", "Listing", "register", "run"]

PROG = "tempo-async export"
EXIT_CODES_HELP = """\
exit codes:
  0    the export is complete (and the state file, if any, updated)
  1    unexpected internal error (a bug: the traceback is printed; please report it)
  2    bad usage or argument (unknown option, bad date, option that does not apply,
       unusable --state file, invalid base URL)
  3    no credentials: TEMPO_API_TOKEN unset and no --token-file, or an unreadable
       or empty token file
  4    authentication or permission refused by the API (401, 403)
  5    no usable answer from the API: host unreachable, connection failure,
       timeout, malformed or truncated response (after the retries)
  6    any other API error (400, 404, 429 or 5xx after the retries...)
  7    output error: cannot write the output or the state file (missing
       directory, disk full, closed pipe...)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)
On any failure nothing is left at the --output path (a file already there is kept
unchanged; standard output cannot be taken back) and the state file is not touched.
"""

EPILOG = f"""\
records:
  jsonl writes every object exactly as the server sent it, one per line: unknown
  fields and nulls included. csv flattens nested objects to dotted columns
  (author.accountId); arrays are one cell of JSON; the header is every column the
  schema defines for the resource, in schema order, then an extra column: the fields
  the server sent that the schema does not know, as a JSON object (dotted name ->
  cell). Written in one pass. parquet writes typed columns (the sync's:
  dates, timestamps in UTC, integers; snake_case names) and a raw column holding each
  record's JSON, to a file (pip install "tempo-async-client[parquet]").

API version:
  --api v4 (the default) speaks Tempo's live API; --api v3 the retired v3 API (Tempo
  answers it with 410 Gone: use it for v3-compatible servers). The resources and the
  options differ: see above (v4) and --api v3 --help.

credentials:
  TEMPO_API_TOKEN (or --token-file) and optionally TEMPO_BASE_URL (or --base-url): on
  v4 the API host (default https://api.tempo.io; --region eu|us picks
  https://api.eu.tempo.io / https://api.us.tempo.io), on v3 the full base URL (default
  https://api.tempo.io/core/3). --sandbox needs neither: it serves demo data from the
  built-in emulator, in this process.

incremental export (--state FILE, worklogs only):
  A run with a state file that does not exist exports everything (from --updated-from,
  if given) and then writes the state: the highest updatedAt exported (the high-water
  mark H) and the (tempoWorklogId, updatedAt) pairs of the worklogs exported with
  updatedAt on or after 00:00 UTC two days before H's day. The next run asks Tempo for
  updatedFrom = H's day minus one (Tempo filters by day; the day of overlap also
  covers the tenant's time zone) and skips the exact duplicates: worklogs whose
  (tempoWorklogId, updatedAt) pair is in the state. A worklog changed since has a new
  updatedAt and is exported again: load the output by upserting on tempoWorklogId.
  Deleted worklogs are not reported. The state is written atomically, only after the
  output is complete; a state file is tied to its server and filters (another
  selection is refused).

progress:
  A progress bar (records, pages, rate, elapsed time) is drawn on stderr when it is a
  terminal; a summary line (records, pages, requests, retries, seconds) ends a
  successful export; warnings (retries) are printed above the bar. --quiet silences
  all of these; errors are always reported.

{EXIT_CODES_HELP}
examples:
  tempo-async export worklogs --sandbox --output worklogs.jsonl
  tempo-async export worklogs --from 2026-01-01 --to 2026-01-31 --format csv -o jan.csv
  tempo-async export worklogs --project-id 10000 --updated-from 2026-01-01T00:00:00Z -o w.jsonl
  tempo-async export deleted-worklogs --updated-from 2026-01-01 -o deleted.jsonl
  tempo-async export worklogs --api v3 --project PLAT --project WEB -o - | jq .tempoWorklogId
  tempo-async export worklogs --state nightly.state -o changed.jsonl
  tempo-async export plans --user 5b10ac8d82e05b22cc7d4ef5 --from 2026-01-01 --to 2026-12-31
"""


def _description() -> str:
    lines = ["Export one Tempo collection to JSON Lines or CSV, with progress."]
    tables: tuple[tuple[str, dict[str, Any]], ...] = (
        ("resources (API v4, the default):", dict(V4_LISTINGS)),
        ("resources with --api v3:", dict(RESOURCES)),
    )
    for title, table in tables:
        lines += ["", title]
        for name, listing in table.items():
            summary = listing.summary.split("\n")
            lines.append(f"  {name:<24}{summary[0]}")
            lines.extend(f"  {'':<24}{more}" for more in summary[1:])
    return "\n".join(lines)


def register(subcommands: Any) -> argparse.ArgumentParser:
    """Add the `export` subcommand to the `tempo-async` parser's subcommands."""
    parser: argparse.ArgumentParser = subcommands.add_parser(
        "export",
        help="export a collection (worklogs, accounts, ...) to JSON Lines or CSV",
        description=_description(),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "resource",
        metavar="RESOURCE",
        choices=list(dict.fromkeys([*V4_LISTINGS, *RESOURCES])),
        help="what to export (see resources above)",
    )

    output = parser.add_argument_group("output")
    output.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="jsonl",
        help="jsonl (default): the server's objects unchanged; csv: dotted columns; "
        "parquet: typed columns and the raw JSON (needs the parquet extra and --output)",
    )
    output.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        default=STDOUT,
        help="file to write, created only once the export is complete; - (default): stdout",
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary line"
    )

    select = parser.add_argument_group("selection")
    add_date_options(select, applies_to="worklogs, periods, plans, user-schedule")
    select.add_argument(
        "--updated-from",
        metavar="WHEN",
        type=date_or_datetime,
        help="only records updated since this day, or (v4) this date-time with a zone, "
        "e.g. 2026-01-31T18:00:00Z (worklogs, plans, deleted-worklogs)",
    )
    select.add_argument(
        "--project-id",
        metavar="ID",
        action="append",
        type=int_at_least(1),
        help="v4: worklogs (or plans) of this project id; repeatable",
    )
    select.add_argument(
        "--issue-id",
        metavar="ID",
        action="append",
        type=int_at_least(1),
        help="v4: worklogs (or plans) of this issue id; repeatable",
    )
    select.add_argument(
        "--order-by",
        choices=("ID", "START_DATE_TIME", "UPDATED"),
        help="v4 worklogs: order by this field, descending (default: start, then id)",
    )
    select.add_argument(
        "--project",
        metavar="KEY",
        action="append",
        type=non_empty,
        help="v3: worklogs of this project (id or key); repeatable",
    )
    select.add_argument(
        "--issue",
        metavar="KEY",
        action="append",
        type=non_empty,
        help="v3: worklogs of this issue (id or key); repeatable",
    )
    select.add_argument(
        "--user",
        metavar="ACCOUNT_ID",
        type=non_empty,
        help="worklogs (/worklogs/user/...), plans or user-schedule of this user",
    )
    select.add_argument(
        "--team",
        metavar="ID",
        type=int_at_least(0),
        help="worklogs of the members of this team (/worklogs/team/...)",
    )
    select.add_argument(
        "--account",
        metavar="KEY",
        type=non_empty,
        help="worklogs of this Tempo account (/worklogs/account/...)",
    )
    select.add_argument(
        "--jira-filter",
        metavar="ID",
        type=int_at_least(0),
        help="v3: worklogs of this Jira filter (/worklogs/jira/filter/...)",
    )
    select.add_argument(
        "--state",
        metavar="FILE",
        type=Path,
        help="incremental worklog export: read and update this state file (see below)",
    )

    add_connection_options(parser, records="worklog")
    parser.set_defaults(handler=run, export_parser=parser)
    return parser


# -- credentials ----------------------------------------------------------------------


# -- running ---------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the export did, for the summary line."""

    requests: int = 0
    retries: int = 0
    base_url: str = ""
    guard: SigtermGuard | None = None
    """SIGTERM's handler while the export runs."""


def run(args: argparse.Namespace) -> int:
    """Run `tempo-async export`; returns the exit code (after printing any error)."""
    stderr = sys.stderr
    progress: ExportProgress | None = None
    unfinished: Sink | None = None
    """The output while it is not complete: failure messages say what became of it."""
    outcome = Outcome()
    logger = logging.getLogger("tempo_async")
    handler: logging.Handler | None = None
    guard = SigtermGuard()
    outcome.guard = guard
    with guard:
        try:
            plan = make_plan(args)
            if args.format == "parquet":
                check_usable(args.output)
            creds = credentials(args, os.environ)
            client = None if args.sandbox else make_client(args, creds.token, creds.base_url)
            server = "sandbox" if client is None else client.base_url
            incremental = _incremental(args, plan, server)
            progress = ExportProgress(args.resource, stream=stderr, quiet=args.quiet)
            handler = progress.log_handler()
            handler.setLevel(logging.ERROR if args.quiet else logging.WARNING)
            logger.addHandler(handler)
            sink = unfinished = open_sink(args.output)
            _export(args, plan, client, incremental, sink, progress, outcome)
            unfinished = None
            progress.close()
            if incremental is not None:
                save_state(args.state, incremental.state(), records=progress.written)
            if not args.quiet:
                summary = progress.summary(
                    sink.display, requests=outcome.requests, retries=outcome.retries
                )
                print(f"tempo-async: {summary}", file=stderr)
            return ExitCode.OK
        except UsageError as exc:
            parser: argparse.ArgumentParser | None = getattr(args, "export_parser", None)
            if parser is not None and exc.show_usage:
                parser.print_usage(stderr)
            return _fail(ExitCode.USAGE, str(exc), progress, unfinished)
        except OutputError as exc:
            return _fail(ExitCode.OUTPUT, str(exc), progress, unfinished)
        except BaseException as exc:
            failure = command_failure(exc, guard=guard, where=outcome.base_url, action="export")
            if failure is not None:
                return _fail(*failure, progress, unfinished)
            if not isinstance(exc, Exception | asyncio.CancelledError):
                raise
            return _unexpected(progress, unfinished)
        finally:
            if handler is not None:
                logger.removeHandler(handler)


def _incremental(args: argparse.Namespace, plan: Plan, server: str) -> IncrementalRun | None:
    """The incremental run of `--state`, checked against the state of the previous run."""
    if args.state is None:
        return None
    check_writable_directory(args.state, "the state file")
    selection = {"server": server, **plan.selection}
    try:
        previous = load_state(args.state, selection)
    except StateError as exc:
        raise UsageError(str(exc), show_usage=False) from None
    if previous is not None and args.updated_from is not None:
        raise UsageError(
            f"--updated-from does not combine with the existing state file {args.state}: "
            "the state says where to start",
            show_usage=False,
        )
    return IncrementalRun(previous, selection)


def _export(
    args: argparse.Namespace,
    plan: Plan,
    client: AnyClient | None,
    incremental: IncrementalRun | None,
    sink: Sink,
    progress: ExportProgress,
    outcome: Outcome,
) -> None:
    """Fetch everything into `sink` and commit it; on any failure discard it and re-raise."""
    writer: RecordWriter | None = None
    try:
        writer = _writer(args.format, plan, sink)
        asyncio.run(_fetch_all(args, plan, client, incremental, writer, sink, progress, outcome))
        try:
            writer.finish()
        except OSError as exc:
            raise describe_os_error("write", sink.display, exc) from None
        sink.commit()
    except BaseException:
        progress.close()
        if writer is not None:
            writer.close()
        sink.discard()
        raise


def _writer(format: str, plan: Plan, sink: Sink) -> RecordWriter:
    """The writer of `--format` on `sink`."""
    if format == "parquet":
        return open_parquet(sink, plan.definition, plan.api)
    if format == "csv":
        return CsvWriter(sink.stream, schema_columns(plan.definition, plan.api))
    return JsonlWriter(sink.stream)


async def _fetch_all(
    args: argparse.Namespace,
    plan: Plan,
    client: AnyClient | None,
    incremental: IncrementalRun | None,
    writer: RecordWriter,
    sink: Sink,
    progress: ExportProgress,
    outcome: Outcome,
) -> None:
    """The event loop's part: start the sandbox (if any), open the client, fetch.

    SIGTERM cancels it like Ctrl-C does, so the output is discarded either way.
    """
    guard = outcome.guard
    if guard is not None:
        guard.attach(asyncio.get_running_loop(), asyncio.current_task())
    try:
        async with contextlib.AsyncExitStack() as stack:
            if client is None:
                base_url = await stack.enter_async_context(
                    sandbox(args.sandbox_worklogs, quiet=args.quiet, api=plan.api)
                )
                client = make_client(args, SANDBOX_TOKEN, base_url)
            await stack.enter_async_context(client)
            outcome.base_url = client.base_url
            active = client
            progress.request_rate = lambda: active.current_rate
            progress.start()
            try:
                await _fetch(client, plan, args.page_size, incremental, writer, sink, progress)
            finally:
                outcome.requests, outcome.retries = client.requests_sent, client.retries
    finally:
        if guard is not None:
            guard.detach()


async def _fetch(
    client: AnyClient,
    plan: Plan,
    page_size: int,
    incremental: IncrementalRun | None,
    writer: RecordWriter,
    sink: Sink,
    progress: ExportProgress,
) -> None:
    """Fetch the records page by page, writing each page as it arrives."""

    def write(records: list[Any]) -> None:
        kept = records if incremental is None else incremental.keep(records)
        try:
            writer.write(kept)
        except OSError as exc:
            raise describe_os_error("write", sink.display, exc) from None
        progress.page(len(records), len(records) - len(kept))

    updated_from = None if incremental is None else incremental.updated_from
    async with contextlib.aclosing(record_pages(client, plan, page_size, updated_from)) as pages:
        async for records in pages:
            write(records)


# -- failures --------------------------------------------------------------------------


def _fail(code: ExitCode, message: str, progress: ExportProgress | None, sink: Sink | None) -> int:
    if progress is not None:
        progress.close()
    stderr = sys.stderr
    print(f"{PROG}: error: {message}", file=stderr)
    if progress is not None and sink is not None:
        if sink.atomic:
            left = f"nothing was written to {sink.display}"
        else:
            left = f"the output on {sink.display} is incomplete"
        print(f"{PROG}: stopped after {progress.so_far()}; {left}", file=stderr)
    return int(code)


def _unexpected(progress: ExportProgress | None, sink: Sink | None) -> int:
    if progress is not None:
        progress.close()
    traceback.print_exc(file=sys.stderr)
    message = "unexpected internal error (the traceback is above; please report it)"
    return _fail(ExitCode.UNEXPECTED, message, progress, sink)
