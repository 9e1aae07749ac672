"""``mbctracker import``: a CSV interchange folder in, all or nothing (``--format`` picks).

Every problem in the folder is printed, one ``file:line: column: ...`` line each,
and nothing is written; exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import resolve_db
from . import add_db_argument
from .export import progress_bar
from .fhir import add_mrn_system_argument, import_fhir

if TYPE_CHECKING:
    from ..storage import Database

USER_ERROR = 2


def _csv(db: Database, args: argparse.Namespace) -> str:
    from ..services.interchange.csv_import import import_csv

    result = import_csv(db, args.source, merge=args.merge, progress=progress_bar)
    counts = ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in result.counts.items())
    lines = [f"Imported from {args.source}: {counts}"]
    if result.merged_patients:
        lines.append(f"{result.merged_patients} existing patients received new courses (--merge)")
    if result.unknown_columns:
        lines.append("Ignored unknown columns: " + "; ".join(result.unknown_columns))
    return "\n".join(lines)


IMPORTERS: dict[str, Callable[[Database, argparse.Namespace], str]] = {"csv": _csv}

SELF_CONTAINED: dict[str, Callable[[argparse.Namespace], int]] = {"fhir": import_fhir}
"""Formats whose command function opens the database and reports itself (FHIR)."""
"""Format name -> importer (the main engineer joins ``fhir`` here)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument(
        "source",
        type=Path,
        metavar="SOURCE",
        help="csv: the interchange folder; fhir: a Bundle or QuestionnaireResponse (JSON)",
    )
    parser.add_argument(
        "--format",
        choices=sorted([*IMPORTERS, *SELF_CONTAINED]),
        default="csv",
        help="default csv",
    )
    add_mrn_system_argument(parser)
    parser.add_argument(
        "--merge",
        action="store_true",
        help="add the file's courses to patients whose MRN is already registered",
    )


def run(args: argparse.Namespace) -> int:
    if args.format in SELF_CONTAINED:
        args.file = args.source
        return SELF_CONTAINED[args.format](args)
    from ..domain.errors import DomainError
    from ..services.interchange.csv_import import ImportRefused
    from ..storage import StorageError, open_database

    try:
        db = open_database(resolve_db(getattr(args, "db", None)), actor="import command")
        try:
            line = IMPORTERS[args.format](db, args)
        finally:
            db.dispose()
    except ImportRefused as exc:
        count = len(exc.problems)
        print(
            f"\nmbctracker import: {count} problem{'s' if count != 1 else ''} found; "
            "nothing was imported.",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return USER_ERROR
    except (StorageError, DomainError) as exc:
        print(f"\nmbctracker import: {exc}", file=sys.stderr)
        return USER_ERROR
    print(f"\n{line}")
    return 0
