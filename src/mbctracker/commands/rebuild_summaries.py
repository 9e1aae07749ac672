"""``mbctracker rebuild-summaries``: recompute every stored course summary.

The summaries are kept in the same transaction as every write (``storage.summaries``);
this is for a file changed outside the app, or to check after an upgrade.
"""

from __future__ import annotations

import argparse
import sys

from ..paths import resolve_db_path
from . import add_db_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ..services.summaries import rebuild_summaries
    from ..storage import StorageError, open_database

    path = resolve_db_path(getattr(args, "db", None))
    if not path.is_file():
        print(
            f"mbctracker rebuild-summaries: no database at {path}. Nothing was created.",
            file=sys.stderr,
        )
        return 2
    try:
        db = open_database(path, actor="rebuild-summaries")
        try:
            courses = rebuild_summaries(db)
        finally:
            db.dispose()
    except StorageError as exc:
        print(f"mbctracker rebuild-summaries: {exc}", file=sys.stderr)
        return 2
    print(f"Recomputed the summaries of {courses} courses in {path}.")
    return 0
