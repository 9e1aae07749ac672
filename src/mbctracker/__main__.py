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
from .commands import COMMANDS, module_name

USER_ERROR = 2
"""Exit status for an error the user can act on (bad file, full disk, bad value)."""
LANGUAGES = ("en", "es")
"""The window's languages (ui/i18n.py ships their catalogues); named here so that the
headless commands never import Qt just to parse the command line."""


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
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the window (default: this desk's choice, else the system's)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f".commands.{module_name(name)}", __package__)
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from .app import run_app

        return run_app(args.db, args.lang)
    module = importlib.import_module(f".commands.{module_name(args.command)}", __package__)
    try:
        result: int = module.run(args)
    except Exception as exc:
        message = plain_message(exc)
        if message is None:
            raise  # a bug: the traceback is what a developer needs
        print(f"mbctracker {args.command}: {message}", file=sys.stderr)
        return USER_ERROR
    return result


def plain_message(exc: BaseException) -> str | None:
    """One line for an error the user can act on; None for a bug.

    The last line of defence behind each command's own messages: a damaged record,
    a full disk or a folder that is a file must never end in a traceback.
    """
    from .domain.errors import DomainError
    from .storage.errors import StorageError

    if isinstance(exc, (StorageError, DomainError)):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}. Nothing was changed."
    return None


if __name__ == "__main__":
    sys.exit(main())
