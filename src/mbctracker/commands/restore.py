"""``mbctracker restore FILE``: put a backup in place, keeping the current file first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..paths import is_server_url, resolve_db, resolve_db_path
from . import add_db_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="the backup to restore")
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ..services.backups import restore_backup
    from ..storage import StorageError

    if is_server_url(resolve_db(getattr(args, "db", None))):
        return _server(args)
    path = resolve_db_path(getattr(args, "db", None))
    try:
        kept = restore_backup(args.file, path)
    except StorageError as exc:
        print(f"mbctracker restore: {exc}", file=sys.stderr)
        return 2
    print(f"Restored {args.file} into {path}.")
    if kept is not None:
        print(f"The previous file was kept as {kept}.")
    return 0


def _server(args: argparse.Namespace) -> int:
    """A clinic server: pg_restore a dump, or import a CSV backup folder (docs/clinic-server.md)."""
    from ..services.server_backups import server_restore
    from ..storage import open_database

    db = open_database(str(resolve_db(getattr(args, "db", None))), actor="restore command")
    try:
        server_restore(db, args.file)
    finally:
        db.dispose()
    print(f"Restored {args.file} into {db.path}.")
    return 0
