"""`tempo-async export`: bulk export of one Tempo collection to JSON Lines or CSV.

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
import datetime as dt
import enum
import logging
import os
import sys
import time
import traceback
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tempo_async import _defaults
from tempo_async._params import as_date
from tempo_async.cli._formats import FORMATS, CsvWriter, JsonlWriter, RecordWriter, schema_columns
from tempo_async.cli._listings_v3 import RESOURCES, Listing
from tempo_async.cli._listings_v4 import V4_LISTINGS, V4Listing
from tempo_async.cli._output import (
    STDOUT,
    AtomicFile,
    OutputError,
    Sink,
    check_writable_directory,
    describe_os_error,
    open_sink,
)
from tempo_async.cli._progress import ExportProgress
from tempo_async.cli._signals import SigtermGuard, Terminated
from tempo_async.cli._state import (
    IncrementalRun,
    StateError,
    load_state,
    save_state,
)
from tempo_async.client import TempoClient
from tempo_async.errors import (
    ForbiddenError,
    TempoHTTPError,
    TempoTransportError,
    UnauthorizedError,
)
from tempo_async.v4 import TempoClient as V4Client

__all__ = ["RESOURCES", "ExitCode", "Listing", "register", "run"]

PROG = "tempo-async export"
DEFAULT_RATE_LIMIT = _defaults.RATE_LIMIT
DEFAULT_CONCURRENCY = 4
"""Pages in flight: fewer than the client's default, since at Tempo's 5 requests/second a
fifth page of 1000 rarely arrives sooner and each one held costs memory."""
DEFAULT_SANDBOX_WORKLOGS = 10_000
APIS = ("v4", "v3")
"""`--api`: v4 (the live API, the default) or v3 (retired by Tempo; v3-compatible servers)."""
MAX_PAGE_SIZE = {"v3": 1000, "v4": 5000}
SANDBOX_TOKEN = "sandbox"


class ExitCode(enum.IntEnum):
    """The exit status of `tempo-async export`, one per kind of failure."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    CREDENTIALS = 3
    AUTH = 4
    NETWORK = 5
    API = 6
    OUTPUT = 7
    INTERRUPTED = 130
    TERMINATED = 143


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
  (author.accountId); arrays are one cell of JSON; the header is every column the v3
  schema defines for the resource, in schema order, then columns the server sent
  that the schema does not know, sorted.

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


_OPTION_NAMES = {
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


AnyClient = TempoClient | V4Client
"""The client of either API version."""


class UsageError(Exception):
    """The arguments do not make a valid export (exit 2).

    `show_usage` is False for problems with something other than the command line's
    shape (a state file, the base URL).
    """

    def __init__(self, message: str, *, show_usage: bool = True) -> None:
        super().__init__(message)
        self.show_usage = show_usage


class CredentialsError(Exception):
    """No token to authenticate with (exit 3)."""


# -- arguments ---------------------------------------------------------------------------


def _iso_date(text: str) -> dt.date:
    try:
        return as_date("date", text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def _page_size(text: str) -> int:
    value = _int_at_least(1)(text)
    if value > MAX_PAGE_SIZE["v4"]:
        raise argparse.ArgumentTypeError(
            f"must be at most {MAX_PAGE_SIZE['v4']} (the API's maximum), got {value}"
        )
    return value


def _date_or_datetime(text: str) -> dt.date | dt.datetime:
    """YYYY-MM-DD, or an ISO 8601 date-time with a zone (Z or +HH:MM)."""
    if len(text) == 10:
        return _iso_date(text)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date YYYY-MM-DD or a date-time such as 2026-01-31T18:00:00Z: {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"a date-time needs its zone (Z or +HH:MM), e.g. {text}Z: {text!r}"
        )
    return moment


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number >= 0 (0: no limit), got {text}")
    return value


def _non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


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
        help="jsonl (default): the server's objects unchanged; csv: dotted columns",
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
    select.add_argument(
        "--from",
        dest="from_",
        metavar="DATE",
        type=_iso_date,
        help="first day, YYYY-MM-DD (worklogs, periods, plans, user-schedule)",
    )
    select.add_argument(
        "--to",
        metavar="DATE",
        type=_iso_date,
        help="last day, inclusive (worklogs, periods, plans, user-schedule)",
    )
    select.add_argument(
        "--updated-from",
        metavar="WHEN",
        type=_date_or_datetime,
        help="only records updated since this day, or (v4) this date-time with a zone, "
        "e.g. 2026-01-31T18:00:00Z (worklogs, plans, deleted-worklogs)",
    )
    select.add_argument(
        "--project-id",
        metavar="ID",
        action="append",
        type=_int_at_least(1),
        help="v4: worklogs (or plans) of this project id; repeatable",
    )
    select.add_argument(
        "--issue-id",
        metavar="ID",
        action="append",
        type=_int_at_least(1),
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
        type=_non_empty,
        help="v3: worklogs of this project (id or key); repeatable",
    )
    select.add_argument(
        "--issue",
        metavar="KEY",
        action="append",
        type=_non_empty,
        help="v3: worklogs of this issue (id or key); repeatable",
    )
    select.add_argument(
        "--user",
        metavar="ACCOUNT_ID",
        type=_non_empty,
        help="worklogs (/worklogs/user/...), plans or user-schedule of this user",
    )
    select.add_argument(
        "--team",
        metavar="ID",
        type=_int_at_least(0),
        help="worklogs of the members of this team (/worklogs/team/...)",
    )
    select.add_argument(
        "--account",
        metavar="KEY",
        type=_non_empty,
        help="worklogs of this Tempo account (/worklogs/account/...)",
    )
    select.add_argument(
        "--jira-filter",
        metavar="ID",
        type=_int_at_least(0),
        help="v3: worklogs of this Jira filter (/worklogs/jira/filter/...)",
    )
    select.add_argument(
        "--state",
        metavar="FILE",
        type=Path,
        help="incremental worklog export: read and update this state file (see below)",
    )

    connection = parser.add_argument_group("connection")
    connection.add_argument(
        "--api",
        choices=APIS,
        default="v4",
        help="API version: v4 (default, Tempo's live API) or v3 (retired by Tempo)",
    )
    connection.add_argument(
        "--region",
        choices=("eu", "us"),
        help="v4: use Tempo's regional host (api.eu.tempo.io, api.us.tempo.io)",
    )
    connection.add_argument(
        "--token-file",
        metavar="PATH",
        type=Path,
        help="read the API token from this file instead of TEMPO_API_TOKEN",
    )
    connection.add_argument(
        "--base-url",
        metavar="URL",
        help="v4: the API host (default: TEMPO_BASE_URL, else https://api.tempo.io); "
        "v3: the full base URL (default https://api.tempo.io/core/3)",
    )
    connection.add_argument(
        "--sandbox",
        action="store_true",
        help="export demo data from the built-in emulator (no account needed)",
    )
    connection.add_argument(
        "--sandbox-worklogs",
        metavar="N",
        type=_int_at_least(0),
        default=None,
        help=f"worklogs in the sandbox (default {DEFAULT_SANDBOX_WORKLOGS:,})",
    )
    connection.add_argument(
        "--concurrency",
        metavar="N",
        type=_int_at_least(1),
        default=DEFAULT_CONCURRENCY,
        help=f"worklog pages in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    connection.add_argument(
        "--rate-limit",
        metavar="N",
        type=_rate,
        default=None,
        help=f"requests per second, 0: no limit (default {DEFAULT_RATE_LIMIT:g},"
        " Tempo Cloud's limit; no limit with --sandbox)",
    )
    connection.add_argument(
        "--page-size",
        metavar="N",
        type=_page_size,
        default=1000,
        help="records per page: 1-5000 on v4, 1-1000 on v3 (default 1000)",
    )
    connection.add_argument(
        "--max-retries",
        metavar="N",
        type=_int_at_least(0),
        default=3,
        help="retries of a failed request: 429, 502-504, connection failures (default 3)",
    )
    connection.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=60.0,
        help="time limit of one request (default 60)",
    )
    parser.set_defaults(handler=run, export_parser=parser)
    return parser


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
                " and ".join(_OPTION_NAMES[dest] for dest in owners)
                + " select different lists: give at most one"
            )
        if owners and (args.project or args.issue):
            raise UsageError(
                f"--project and --issue filter GET /worklogs; they do not combine with "
                f"{_OPTION_NAMES[owners[0]]}"
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
    given = [dest for dest in _OPTION_NAMES if getattr(args, dest, None) not in (None, [], False)]
    for dest in given:
        if dest not in options:
            users = [name for name, other in table.items() if dest in other.options]
            where = f"only to {', '.join(users)}" if users else "to none of them"
            raise UsageError(f"{_OPTION_NAMES[dest]} does not apply to {args.resource} ({where})")
    missing = [dest for dest in required if getattr(args, dest, None) is None]
    if missing:
        raise UsageError(
            f"{args.resource} needs {', '.join(_OPTION_NAMES[dest] for dest in missing)}"
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
            raise UsageError(f"{_OPTION_NAMES[v3_only]} is a v3 option{instead}")
    _check_options(args, listing.options, listing.required, V4_LISTINGS)
    if args.resource == "plans" and isinstance(args.updated_from, dt.datetime):
        raise UsageError("plans filters --updated-from by day: give a date YYYY-MM-DD")
    if args.from_ is not None and args.to is not None and args.from_ > args.to:
        raise UsageError(f"--from {args.from_} is after --to {args.to}")
    owners = [dest for dest in ("user", "team", "account") if getattr(args, dest) is not None]
    if len(owners) > 1:
        raise UsageError(" and ".join(_OPTION_NAMES[d] for d in owners) + ": give at most one")
    if owners and (args.project_id or args.issue_id or args.order_by):
        raise UsageError(
            f"{_OPTION_NAMES[owners[0]]} does not combine with the /4/worklogs filters"
        )
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


# -- credentials ----------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """Where to send requests and with what token (the sandbox's: filled in later)."""

    token: str | None
    base_url: str | None


def credentials(args: argparse.Namespace, environ: Mapping[str, str]) -> Credentials:
    """The token and base URL from the options and the environment."""
    if args.sandbox:
        if args.base_url is not None or args.token_file is not None:
            raise UsageError("--sandbox runs its own server: no --base-url or --token-file")
        return Credentials(None, None)
    if args.sandbox_worklogs is not None:
        raise UsageError("--sandbox-worklogs needs --sandbox")
    base_url = args.base_url or environ.get("TEMPO_BASE_URL") or None
    if args.token_file is not None:
        try:
            token = args.token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CredentialsError(
                f"cannot read the token file {args.token_file}: {reason}"
            ) from None
        if not token:
            raise CredentialsError(f"the token file {args.token_file} is empty")
        return Credentials(token, base_url)
    token = environ.get("TEMPO_API_TOKEN", "").strip()
    if not token:
        raise CredentialsError(
            "no API token: set TEMPO_API_TOKEN (Tempo > Settings > API integration), "
            "pass --token-file, or use --sandbox to try it on demo data"
        )
    return Credentials(token, base_url)


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
            creds = credentials(args, os.environ)
            client = None if args.sandbox else _client(args, creds.token, creds.base_url)
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
        except CredentialsError as exc:
            return _fail(ExitCode.CREDENTIALS, str(exc), progress, unfinished)
        except (UnauthorizedError, ForbiddenError) as exc:
            what = "authentication failed" if exc.status == 401 else "permission denied"
            hint = (
                "check the token (TEMPO_API_TOKEN or --token-file)"
                if exc.status == 401
                else "the token's user lacks a permission this export needs"
            )
            return _fail(ExitCode.AUTH, f"{what}: {exc} ({hint})", progress, unfinished)
        except TempoTransportError as exc:
            where = outcome.base_url or "the Tempo API"
            message = f"no usable answer from {where}: {exc}"
            return _fail(ExitCode.NETWORK, message, progress, unfinished)
        except TempoHTTPError as exc:
            message = f"the Tempo API refused the export: {exc}"
            return _fail(ExitCode.API, message, progress, unfinished)
        except OutputError as exc:
            return _fail(ExitCode.OUTPUT, str(exc), progress, unfinished)
        except KeyboardInterrupt:
            return _fail(ExitCode.INTERRUPTED, "interrupted", progress, unfinished)
        except Terminated:
            return _fail(ExitCode.TERMINATED, "terminated (SIGTERM)", progress, unfinished)
        except asyncio.CancelledError:
            if guard.terminated:
                return _fail(ExitCode.TERMINATED, "terminated (SIGTERM)", progress, unfinished)
            return _unexpected(progress, unfinished)
        except Exception:
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
        if args.format == "csv":
            spool_dir = sink.path.parent if isinstance(sink, AtomicFile) else None
            try:
                writer = CsvWriter(
                    sink.stream, schema_columns(plan.definition, plan.api), spool_dir=spool_dir
                )
            except OSError as exc:
                raise describe_os_error("create a temporary file for", sink.display, exc) from None
        else:
            writer = JsonlWriter(sink.stream)
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
                    _sandbox(args.sandbox_worklogs, quiet=args.quiet, api=plan.api)
                )
                client = _client(args, SANDBOX_TOKEN, base_url)
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


def _client(args: argparse.Namespace, token: str | None, base_url: str | None) -> AnyClient:
    """The client of the export; no rate limit against the sandbox unless asked for."""
    rate_limit = args.rate_limit
    if rate_limit is None:
        rate_limit = None if args.sandbox else DEFAULT_RATE_LIMIT
    kwargs: dict[str, Any] = {} if base_url is None else {"base_url": base_url}
    api = getattr(args, "api", "v3")
    if api == "v4" and getattr(args, "region", None) is not None and not args.sandbox:
        kwargs["region"] = args.region
    client_class: type[AnyClient] = V4Client if api == "v4" else TempoClient
    try:
        return client_class(
            token,
            rate_limit=rate_limit or None,
            concurrency=args.concurrency,
            max_retries=args.max_retries,
            timeout=args.timeout,
            connect_timeout=min(10.0, args.timeout),
            connection_limit=max(10, args.concurrency),
            **kwargs,
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc), show_usage=False) from None


@contextlib.asynccontextmanager
async def _sandbox(worklogs: int | None, *, quiet: bool, api: str) -> AsyncIterator[str]:
    """Run the emulator with demo data in this process; yields the base URL of `api`
    (the host for v4)."""
    from tempo_async.emulator import Emulator

    count = DEFAULT_SANDBOX_WORKLOGS if worklogs is None else worklogs
    started = time.monotonic()
    async with Emulator(worklogs=count) as emulator:
        base_url = emulator.api_host if api == "v4" else emulator.base_url
        if not quiet:
            print(
                f"tempo-async: sandbox: the built-in emulator serves {count:,} demo worklogs "
                f"at {base_url} (API {api}; ready in {time.monotonic() - started:.1f} s)",
                file=sys.stderr,
            )
        yield base_url


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

    if isinstance(plan.listing, V4Listing):
        assert isinstance(client, V4Client)
        updated_from_v4: Any = plan.updated_from
        if incremental is not None and incremental.updated_from is not None:
            updated_from_v4 = incremental.updated_from
        assert plan.args is not None
        pages = plan.listing.pages(client, plan.args, updated_from_v4, page_size)
        async for records in pages:
            write(records)
        return
    assert isinstance(client, TempoClient)
    assert plan.args is not None
    listing = plan.listing
    if listing.pages is not None:
        updated_from = plan.updated_from
        if incremental is not None and incremental.updated_from is not None:
            updated_from = incremental.updated_from
        async with listing.pages(client, plan.args, updated_from, page_size) as walk:
            async for page in walk:
                write(page["results"])
        return
    assert listing.fetch is not None
    # The method checks the arguments and the answer; the records written are the JSON
    # the server sent (captured), not rebuilt from the models.
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
    write(results)


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
