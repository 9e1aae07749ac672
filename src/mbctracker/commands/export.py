"""``mbctracker export``: the records out, in the format chosen from :data:`EXPORTERS`.

Each format is one function ``(db, args) -> summary line``, imported only when
chosen; a new format (FHIR, NDJSON) is one more entry in the table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import resolve_db
from . import add_db_argument
from .fhir import add_mrn_system_argument, export_fhir

if TYPE_CHECKING:
    from ..storage import Database

USER_ERROR = 2


def _csv(db: Database, args: argparse.Namespace) -> str:
    from ..services.interchange.csv_export import export_csv

    result = export_csv(db, args.out, overwrite=args.force, progress=progress_bar)
    listed = ", ".join(f"{n} {name}" for name, n in result.rows.items())
    return f"Exported to {result.folder}: {listed}"


def _research(db: Database, args: argparse.Namespace) -> str:
    from ..services.interchange.research import export_research

    result = export_research(
        db,
        args.out,
        key_file=args.key_file,
        days_since_start=args.days_since_start,
        overwrite=args.force,
        progress=progress_bar,
    )
    key = f"; key table in {args.key_file} (0600)" if args.key_file else "; no key table written"
    return f"De-identified extract of {result.patients} patients written to {args.out}{key}"


EXPORTERS: dict[str, Callable[[Database, argparse.Namespace], str]] = {
    "csv": _csv,
    "research": _research,
}
"""Format name -> exporter over an open database."""

SELF_CONTAINED: dict[str, Callable[[argparse.Namespace], int]] = {
    "fhir": export_fhir,
    "ndjson": export_fhir,
}
"""Formats whose command function opens the database and reports itself: ``fhir`` is
one Bundle file, ``ndjson`` a Bulk-Data folder (services/fhir)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument(
        "--format",
        choices=sorted([*EXPORTERS, *SELF_CONTAINED]),
        default="csv",
        help="default csv",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="PATH", help="folder (file for fhir)"
    )
    parser.add_argument("--force", action="store_true", help="replace files that already exist")
    parser.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help="research: write the study id -> MRN key table here (0600); off by default",
    )
    parser.add_argument(
        "--days-since-start",
        action="store_true",
        help="research: add whole days since the course start (not Safe Harbor: needs the "
        "clinic's expert determination or a data use agreement)",
    )
    add_mrn_system_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ..domain.errors import DomainError
    from ..storage import StorageError, open_database
    from .report import require_database

    if args.format != "research" and (args.key_file or args.days_since_start):
        return _fail("--key-file and --days-since-start belong to --format research")
    if args.format in SELF_CONTAINED:
        return SELF_CONTAINED[args.format](args)
    try:
        path = resolve_db(getattr(args, "db", None))
        require_database(path)
        db = open_database(path, actor="export command")
        try:
            line = EXPORTERS[args.format](db, args)
        finally:
            db.dispose()
    except (StorageError, DomainError) as exc:
        return _fail(str(exc), after_bar=True)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}. No file was left half-written.", True)
    print(f"\n{line}")
    return 0


def _fail(message: str, after_bar: bool = False) -> int:
    print(f"{chr(10) if after_bar else ''}mbctracker export: {message}", file=sys.stderr)
    return USER_ERROR


def progress_bar(done: int, total: int) -> bool:
    """A one-line bar on stderr (redrawn in place), so stdout keeps only the result."""
    width = 30
    filled = width * done // total if total else width
    bar = "#" * filled + "-" * (width - filled)
    percent = 100 * done // total if total else 100
    print(f"\r  [{bar}] {percent:3d}%", end="", file=sys.stderr, flush=True)
    return True
