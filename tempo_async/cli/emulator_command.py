"""`tempo-async emulator`: serve the Tempo REST API v3 emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Any

DEFAULT_PORT = 8080


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `emulator` subcommand."""
    parser = subparsers.add_parser(
        "emulator",
        help="serve a local Tempo REST API v3 emulator",
        description=(
            "Serve the Tempo REST API v3 from memory, with seeded data, until Ctrl-C. "
            "Prints the base URL once listening. Any bearer token is accepted unless "
            "--token pins one."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port to listen on, 0 for any (%(default)s)"
    )
    parser.add_argument(
        "--worklogs", type=int, default=1000, metavar="N", help="worklogs to seed (%(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of the data generator (%(default)s)"
    )
    parser.add_argument(
        "--token", metavar="T", help="accept only this bearer token (and OAuth-issued ones)"
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, metavar="MS", help="delay every API request by MS"
    )
    parser.add_argument(
        "--jitter-ms", type=float, default=0.0, metavar="MS", help="plus a random delay of up to MS"
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        metavar="R",
        help="requests per second; beyond it 429 with Retry-After",
    )
    parser.add_argument(
        "--error-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="share (0-1) of requests answered with a 5xx",
    )
    parser.add_argument(
        "--drop-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="share (0-1) of responses cut off mid-body",
    )
    parser.add_argument(
        "--public-origin", metavar="URL", help="origin to use in self links (e.g. behind a proxy)"
    )
    parser.add_argument(
        "--no-validate-responses",
        dest="validate_responses",
        action="store_false",
        help="skip checking responses against the JSON Schemas",
    )
    parser.set_defaults(handler=run)


async def serve(args: argparse.Namespace) -> int:
    """Start the emulator, print its base URL, wait for SIGINT/SIGTERM, stop."""
    from tempo_async.emulator import Emulator

    emulator = Emulator(
        host=args.host,
        port=args.port,
        worklogs=args.worklogs,
        seed=args.seed,
        token=args.token,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        rate_limit=args.rate_limit,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        validate_responses=args.validate_responses,
        public_origin=args.public_origin,
    )
    try:
        await emulator.start()
    except OSError as exc:
        print(
            f"tempo-async emulator: cannot listen on {args.host}:{args.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        print(emulator.base_url, flush=True)
        print(
            f"Tempo emulator: {args.worklogs} worklogs (seed {args.seed}); API v3 at "
            f"{emulator.base_url}, API v4 at {emulator.v4_base_url} (v4 clients take the host "
            f"{emulator.api_host}); OAuth token endpoint {emulator.oauth_token_url}; "
            "Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await emulator.stop()
    print("stopped", file=sys.stderr, flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    """The subcommand's handler; returns the exit code."""
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except ValueError as exc:
        print(f"tempo-async emulator: {exc}", file=sys.stderr)
        return 2
