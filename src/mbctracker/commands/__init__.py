"""Headless sub-commands of ``mbctracker``; each module has ``add_arguments`` and ``run``.

To add one, write ``commands/NAME.py`` and list it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import keyword

COMMANDS: dict[str, str] = {
    "demo": "fill a database with synthetic demo courses",
    "backup": "write a verified copy of the database (SQLite backup API)",
    "restore": "restore a backup, keeping a copy of the current database first",
    "report": "write PDF progress summaries (one patient, or every active course)",
    "export": "write the record out: CSV interchange, research extract, FHIR R4 Bundle/NDJSON",
    "import": "read a CSV interchange folder, or FHIR PHQ-9/GAD-7 QuestionnaireResponses",
    "outcomes": "clinic outcome analyses over the whole record (JSON and PDF)",
    "rebuild-summaries": "recompute the patient list's stored course summaries from the records",
    "server-init": "set up a clinic's PostgreSQL database: schema and roles (idempotent)",
    "user-add": "add a person who signs in to the clinic server, with a role (administrators)",
}


def module_name(command: str) -> str:
    """The module of a sub-command: ``import`` is a keyword, so its module is ``import_``;
    a hyphen becomes an underscore (``rebuild-summaries``)."""
    name = command.replace("-", "_")
    return f"{name}_" if keyword.iskeyword(name) else name


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the sub-command too; SUPPRESS keeps a value given before it."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file or postgresql:// address",
    )
