"""Entry point of the `tempo-async` command: dispatches to the subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tempo_async._version import __version__
from tempo_async.cli import emulator_command, export_command, sync_command


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="tempo-async",
        description="Tempo REST API from the command line: bulk export, database sync, and a "
        "local emulator.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export_command.register(subcommands)
    sync_command.register(subcommands)
    emulator_command.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
