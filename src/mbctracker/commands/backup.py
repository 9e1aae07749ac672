"""``mbctracker backup``: a verified copy of the database, made with SQLite's backup API
(a clinic server: ``pg_dump -Fc``, or the CSV interchange without it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..paths import is_server_url, resolve_db, resolve_db_path
from . import add_db_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument(
        "--to",
        metavar="FILE",
        type=Path,
        default=None,
        help="write the copy here (default: the backups folder beside the database)",
    )


def run(args: argparse.Namespace) -> int:
    from ..services.backups import backup_file
    from ..storage import StorageError

    if is_server_url(resolve_db(getattr(args, "db", None))):
        return _server(args)
    path = resolve_db_path(getattr(args, "db", None))
    try:
        dest = backup_file(path, args.to)
    except StorageError as exc:
        print(f"mbctracker backup: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --to under a regular file: NotADirectoryError
        where = exc.filename or args.to
        reason = exc.strerror or str(exc)
        if isinstance(exc, (FileExistsError, NotADirectoryError)):
            reason = "a file is in the way where a folder is needed"
        print(
            f"mbctracker backup: cannot write the backup at {where}: {reason}. "
            "Nothing was backed up; the database was not changed.",
            file=sys.stderr,
        )
        return 2
    print(f"Backed up {path} to {dest} (quick_check passed).")
    return 0


def _server(args: argparse.Namespace) -> int:
    """Errors become one plain line in ``__main__`` (StorageError, ValidationError)."""
    from ..services.server_backups import server_backup
    from ..storage import open_database

    address = str(resolve_db(getattr(args, "db", None)))
    db = open_database(address, actor="backup command", upgrade=False)
    try:
        dest = server_backup(db, args.to)
    finally:
        db.dispose()
    print(f"Backed up {db.path} to {dest} (checked with pg_restore --list).")
    return 0
