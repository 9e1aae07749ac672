"""Headless sub-commands of ``mbctracker``; each module has ``add_arguments`` and ``run``.

To add one, write ``commands/NAME.py`` and list it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse

COMMANDS: dict[str, str] = {
    "demo": "fill a database with synthetic demo courses",
    "backup": "write a verified copy of the database (SQLite backup API)",
    "restore": "restore a backup, keeping a copy of the current database first",
    "report": "write PDF progress summaries (one patient, or every active course)",
    "rebuild-summaries": "recompute the patient list's stored course summaries from the records",
}


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the sub-command too; SUPPRESS keeps a value given before it."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
