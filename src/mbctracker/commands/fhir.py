"""FHIR R4 export (Bundle or Bulk-Data NDJSON) and import of QuestionnaireResponses.

Called by the ``export`` and ``import`` sub-commands for their FHIR formats.
Errors a user can act on end with plain lines and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import resolve_db
from .report import database_files, require_database

if TYPE_CHECKING:
    from ..storage import Database

USER_ERROR = 2


def add_mrn_system_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mrn-system",
        metavar="URI",
        help="Identifier.system of the clinic's MRNs (default: the clinic settings' value)",
    )


def export_fhir(args: argparse.Namespace) -> int:
    """``export --format fhir --out FILE.json`` or ``--format ndjson --out FOLDER``."""
    from ..services.fhir.export import write_bundle, write_ndjson

    db = _open(args, "export command")
    try:
        system = _mrn_system(db, args)
        writer = write_bundle if args.format == "fhir" else write_ndjson
        counts = writer(
            db,
            Path(args.out),
            mrn_system=system,
            overwrite=args.force,
            keep=database_files(db.path),
            progress=_progress_bar,
        )
    finally:
        db.dispose()
    what = "FHIR Bundle" if args.format == "fhir" else "FHIR NDJSON files"
    print(f"\n{what} written to {args.out}: {_counted(counts)}")
    return 0


def import_fhir(args: argparse.Namespace) -> int:
    """``import --format fhir FILE``: PHQ-9/GAD-7 QuestionnaireResponses, all or nothing."""
    from ..services.fhir.importer import FhirImportError, import_document, read_document

    db = _open(args, "import command")
    try:
        system = _mrn_system(db, args)
        try:
            result = import_document(db, read_document(Path(args.file)), mrn_system=system)
        except FhirImportError as exc:
            print(f"mbctracker import: {exc}", file=sys.stderr)
            return USER_ERROR
    finally:
        db.dispose()
    by_instrument = _counted(Counter(s.instrument for s in result.saved))
    print(f"Imported {len(result.saved)} questionnaire responses ({by_instrument}).")
    if result.skipped:
        print(f"Skipped {len(result.skipped)} already in the record (same time and answers).")
    if result.ignored:
        print(f"Ignored (not questionnaire responses): {_counted(Counter(result.ignored))}.")
    for item in (s for s in result.saved if s.flagged):
        print(
            f"SAFETY FLAG: {item.where} ({item.instrument}, total {item.total}): open the "
            "patient to record the action taken."
        )
    return 0


def _open(args: argparse.Namespace, actor: str) -> Database:
    from ..storage import open_database

    path = resolve_db(getattr(args, "db", None))
    require_database(path)
    return open_database(path, actor=actor)


def _mrn_system(db: Database, args: argparse.Namespace) -> str:
    from ..services.clinic import load_clinic_settings

    given: str | None = args.mrn_system
    return given or load_clinic_settings(db).mrn_identifier_system


def _counted(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"


def _progress_bar(done: int, total: int) -> bool:
    width = 30
    filled = width * done // total if total else width
    bar = "#" * filled + "-" * (width - filled)
    print(f"\r  [{bar}] {done}/{total} patients", end="", file=sys.stderr, flush=True)
    return True
