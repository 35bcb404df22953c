"""What the `tempo-async` commands that talk to Tempo share: exit codes, usage and
credential errors, the argument types, the connection options, the client they build and
the in-process sandbox."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import enum
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tempo_async import _defaults
from tempo_async._params import as_date
from tempo_async.cli._signals import SigtermGuard, Terminated
from tempo_async.client import TempoClient
from tempo_async.errors import (
    ForbiddenError,
    TempoHTTPError,
    TempoTransportError,
    UnauthorizedError,
)
from tempo_async.v4 import TempoClient as V4Client

__all__ = [
    "APIS",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_RATE_LIMIT",
    "DEFAULT_SANDBOX_WORKLOGS",
    "MAX_PAGE_SIZE",
    "SANDBOX_TOKEN",
    "AnyClient",
    "Credentials",
    "CredentialsError",
    "ExitCode",
    "UsageError",
    "add_connection_options",
    "add_date_options",
    "command_failure",
    "credentials",
    "date_or_datetime",
    "int_at_least",
    "iso_date",
    "make_client",
    "non_empty",
    "sandbox",
]

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
    """The exit status of `tempo-async export` and `sync`, one per kind of failure."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    CREDENTIALS = 3
    AUTH = 4
    NETWORK = 5
    API = 6
    OUTPUT = 7
    DATABASE = 8
    INTERRUPTED = 130
    TERMINATED = 143


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


# -- argument types -------------------------------------------------------------------


def iso_date(text: str) -> dt.date:
    try:
        return as_date("date", text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def int_at_least(minimum: int) -> Callable[[str], int]:
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


def page_size(text: str) -> int:
    value = int_at_least(1)(text)
    if value > MAX_PAGE_SIZE["v4"]:
        raise argparse.ArgumentTypeError(
            f"must be at most {MAX_PAGE_SIZE['v4']} (the API's maximum), got {value}"
        )
    return value


def date_or_datetime(text: str) -> dt.date | dt.datetime:
    """YYYY-MM-DD, or an ISO 8601 date-time with a zone (Z or +HH:MM)."""
    if len(text) == 10:
        return iso_date(text)
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


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number >= 0 (0: no limit), got {text}")
    return value


def non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def add_date_options(group: Any, *, applies_to: str) -> None:
    """`--from` and `--to` (dests `from_`, `to`): the days a selection covers."""
    group.add_argument(
        "--from",
        dest="from_",
        metavar="DATE",
        type=iso_date,
        help=f"first day, YYYY-MM-DD ({applies_to})",
    )
    group.add_argument(
        "--to", metavar="DATE", type=iso_date, help=f"last day, inclusive ({applies_to})"
    )


def add_connection_options(parser: argparse.ArgumentParser, *, records: str) -> None:
    """The connection group: API version, host, credentials, sandbox, paging, retries.

    `records` names what pages hold in the help (worklog pages, records).
    """
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
        help="use demo data from the built-in emulator (no account needed)",
    )
    connection.add_argument(
        "--sandbox-worklogs",
        metavar="N",
        type=int_at_least(0),
        default=None,
        help=f"worklogs in the sandbox (default {DEFAULT_SANDBOX_WORKLOGS:,})",
    )
    connection.add_argument(
        "--concurrency",
        metavar="N",
        type=int_at_least(1),
        default=DEFAULT_CONCURRENCY,
        help=f"{records} pages in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    connection.add_argument(
        "--rate-limit",
        metavar="N",
        type=rate,
        default=None,
        help=f"requests per second, 0: no limit (default {DEFAULT_RATE_LIMIT:g},"
        " Tempo Cloud's limit; no limit with --sandbox)",
    )
    connection.add_argument(
        "--page-size",
        metavar="N",
        type=page_size,
        default=1000,
        help="records per page: 1-5000 on v4, 1-1000 on v3 (default 1000)",
    )
    connection.add_argument(
        "--max-retries",
        metavar="N",
        type=int_at_least(0),
        default=3,
        help="retries of a failed request: 429, 502-504, connection failures (default 3)",
    )
    connection.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=seconds,
        default=60.0,
        help="time limit of one request (default 60)",
    )


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


def make_client(args: argparse.Namespace, token: str | None, base_url: str | None) -> AnyClient:
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
async def sandbox(worklogs: int | None, *, quiet: bool, api: str) -> AsyncIterator[str]:
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


# -- failures ---------------------------------------------------------------------------


def command_failure(
    exc: BaseException, *, guard: SigtermGuard, where: str, action: str
) -> tuple[ExitCode, str] | None:
    """The exit code and message of a failure every command meets: credentials, the API,
    the network, Ctrl-C and SIGTERM (None: another kind, the command's own or a bug).

    `where` names the server for network failures, `action` the command (export, sync).
    """
    if isinstance(exc, CredentialsError):
        return ExitCode.CREDENTIALS, str(exc)
    if isinstance(exc, (UnauthorizedError, ForbiddenError)):
        what = "authentication failed" if exc.status == 401 else "permission denied"
        hint = (
            "check the token (TEMPO_API_TOKEN or --token-file)"
            if exc.status == 401
            else f"the token's user lacks a permission this {action} needs"
        )
        return ExitCode.AUTH, f"{what}: {exc} ({hint})"
    if isinstance(exc, TempoTransportError):
        return ExitCode.NETWORK, f"no usable answer from {where or 'the Tempo API'}: {exc}"
    if isinstance(exc, TempoHTTPError):
        return ExitCode.API, f"the Tempo API refused the {action}: {exc}"
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED, "interrupted"
    if isinstance(exc, Terminated) or (
        isinstance(exc, asyncio.CancelledError) and guard.terminated
    ):
        return ExitCode.TERMINATED, "terminated (SIGTERM)"
    return None
