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
    "export": "write the record as FHIR R4 (a Bundle file, or Bulk-Data NDJSON)",
    "import": "read patient-reported PHQ-9/GAD-7 FHIR QuestionnaireResponses",
}

MODULES = {"import": "import_"}
"""Sub-commands whose module name differs (``import`` is a Python keyword)."""


def module_name(command: str) -> str:
    return MODULES.get(command, command)


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the sub-command too; SUPPRESS keeps a value given before it."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
