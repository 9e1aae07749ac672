"""Command line: no sub-command opens the app; sub-commands run headless.

Heavy modules (Qt, reportlab, Alembic) are imported by the chosen command only,
so ``mbctracker demo`` never loads Qt and the app never loads reportlab.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mbctracker",
        description="Measurement-based care tracker for interventional psychiatry.",
    )
    parser.add_argument("--version", action="version", version=f"mbctracker {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: $MBCTRACKER_DB or the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f".commands.{name}", __package__)
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from .app import run_app

        return run_app(args.db)
    module = importlib.import_module(f".commands.{args.command}", __package__)
    result: int = module.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
