"""Entry point of the `tempo-async` command: dispatches to the subcommands."""

from __future__ import annotations

import argparse
import gc
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
    """Run the command line (`sys.argv` when `argv` is None: the program's own process);
    returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None:
        # The program's own process: what is loaded by now (modules, the models' classes,
        # ~60,000 objects) lives as long as it. Each of the collector's full passes, which
        # the pages of a large export set off every few seconds, walked it all: 20% of an
        # export's CPU. Frozen, they skip it. A page's ~30,000 decoded objects, alive
        # until written, also set off ~10 young collections each (another ~10%); a
        # larger first threshold lets pages come and go between them. (Only here: not
        # when called in-process with `argv`.)
        gc.freeze()
        gc.set_threshold(20_000, 10, 10)
    handler = args.handler
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
