"""``mbctracker outcomes``: the clinic outcome analyses, headless (JSON and PDF)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..paths import resolve_db
from . import add_db_argument
from .report import database_files

USER_ERROR = 2


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; allowed: YYYY-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument(
        "--from",
        dest="date_from",
        type=_iso_date,
        metavar="DATE",
        help="courses starting on or after DATE (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        type=_iso_date,
        metavar="DATE",
        help="courses starting on or before DATE (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--modality",
        metavar="M",
        help="one modality (iv_ketamine, im_ketamine, esketamine, tms, ect)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--pdf", type=Path, metavar="FILE", help="write the clinic outcomes PDF")
    parser.add_argument(
        "--force", action="store_true", help="replace a JSON or PDF file that already exists"
    )
    parser.add_argument(
        "--mixed-model", action="store_true", help="also fit the linear mixed-effects models (slow)"
    )


def run(args: argparse.Namespace) -> int:
    from ..domain.errors import DomainError
    from ..reports import ReportWriteError
    from ..storage import StorageError, open_database
    from .report import require_database

    if args.json is None and args.pdf is None:
        print(
            "mbctracker outcomes: give --json FILE and/or --pdf FILE; nothing was written.",
            file=sys.stderr,
        )
        return USER_ERROR
    try:
        path = resolve_db(getattr(args, "db", None))
        require_database(path)
        db = open_database(path, actor="outcomes command")
        try:
            return _run(db, args)
        finally:
            db.dispose()
    except (StorageError, DomainError, ReportWriteError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"\nmbctracker outcomes: {message}", file=sys.stderr)
        return USER_ERROR


def _run(db: object, args: argparse.Namespace) -> int:
    from ..reports import check_target
    from ..services.clinic import load_clinic_settings
    from ..services.outcomes import OutcomeFilters, run_clinic_outcomes, write_outcomes_json
    from ..storage import Database

    assert isinstance(db, Database)
    filters = OutcomeFilters(args.date_from, args.date_to, args.modality)
    filters.check()
    keep = database_files(db.path)
    for target in (args.json, args.pdf):
        if target is not None:  # refused before minutes of work, not after
            check_target(target, overwrite=args.force, keep=keep)
    result = run_clinic_outcomes(db, filters, _progress, mixed_model=args.mixed_model)
    print("", file=sys.stderr)
    if args.json is not None:
        written = write_outcomes_json(result, args.json, overwrite=args.force)
        print(f"Outcomes written to {written}")
    if args.pdf is not None:
        from ..reports.outcomes import write_outcomes_pdf

        settings = load_clinic_settings(db)
        written = write_outcomes_pdf(result, args.pdf, settings, overwrite=args.force)
        print(f"Outcomes PDF written to {written}")
    return 0


def _progress(stage: str, fraction: float) -> None:
    print(f"\r  {stage:<40} {fraction:4.0%}", end="", file=sys.stderr, flush=True)
