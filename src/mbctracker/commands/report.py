"""``mbctracker report``: PDF progress summaries, headless (no display needed)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import resolve_db
from . import add_db_argument

if TYPE_CHECKING:
    from ..storage import Database

USER_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--patient", metavar="MRN", help="the patient's MRN")
    which.add_argument("--all-active", action="store_true", help="every active course")
    parser.add_argument(
        "--course",
        type=int,
        metavar="ID",
        help="course id (default: the active, else the latest course)",
    )
    parser.add_argument("--out", type=Path, metavar="FILE.pdf", help="output file (one patient)")
    parser.add_argument("--out-dir", type=Path, metavar="DIR", help="output folder (--all-active)")
    parser.add_argument("--force", action="store_true", help="replace summaries that already exist")
    parser.add_argument(
        "--generated-at", type=datetime.fromisoformat, default=None, help=argparse.SUPPRESS
    )  # fixed timestamp for reproducible files


def run(args: argparse.Namespace) -> int:
    from ..domain.errors import DomainError
    from ..reports import ReportWriteError
    from ..storage import StorageError, open_database

    try:
        path = resolve_db(getattr(args, "db", None))
        require_database(path)
        db = open_database(path, actor="report command")
        try:
            return _single(db, args) if args.patient else _batch(db, args)
        finally:
            db.dispose()
    except (StorageError, DomainError, ReportWriteError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        after_bar = "\n" if args.all_active else ""  # the progress bar has no line end
        print(f"{after_bar}mbctracker report: {message}", file=sys.stderr)
        return USER_ERROR


def require_database(path: Path | str) -> None:
    """A report reads an existing database: never create one (or its folder) for it.

    A clinic server is checked when it is opened (an empty one is refused there).

    Raises:
        StorageError: no database there (naming a backup when one exists).
    """
    from ..storage import StorageError
    from ..storage.migrate import check_database

    if isinstance(path, str):
        return
    if path.is_file() and path.stat().st_size > 0:
        return
    check_database(path)  # names the newest backup when one exists
    raise StorageError(f"There is no database at {path}; nothing was created.")


def database_files(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it: never to be written over."""
    return [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]


def _single(db: Database, args: argparse.Namespace) -> int:
    from ..domain.course import CourseId
    from ..reports import check_target, write_summary
    from ..services.clinic import load_clinic_settings
    from ..services.patients import get_patient_by_mrn
    from ..services.timeline import latest_course_id, load_timeline
    from ..storage import NotFoundError

    if args.out is None:
        print("mbctracker report: --out FILE.pdf is required with --patient", file=sys.stderr)
        return USER_ERROR
    keep = database_files(db.path)
    check_target(args.out, overwrite=args.force, keep=keep)
    patient = get_patient_by_mrn(db, args.patient)
    course_id = CourseId(args.course) if args.course else latest_course_id(db, patient.id)
    if course_id is None:
        raise NotFoundError("course for patient", args.patient)
    timeline = load_timeline(db, course_id)
    if timeline.patient.id != patient.id:
        raise NotFoundError(f"course {course_id} for patient", args.patient)
    when = args.generated_at or datetime.now()
    out = write_summary(
        timeline,
        args.out,
        generated_at=when,
        settings=load_clinic_settings(db),
        overwrite=args.force,
        keep=keep,
    )
    print(f"Summary written to {out}")
    return 0


def _batch(db: Database, args: argparse.Namespace) -> int:
    from functools import partial

    from ..reports import write_summaries
    from ..services.clinic import load_clinic_settings
    from ..services.courses import active_course_ids
    from ..services.timeline import load_timeline

    if args.out_dir is None:
        print("mbctracker report: --out-dir DIR is required with --all-active", file=sys.stderr)
        return USER_ERROR
    loaders = [partial(load_timeline, db, cid) for cid in active_course_ids(db)]
    written = write_summaries(
        loaders,
        args.out_dir,
        generated_at=args.generated_at or datetime.now(),
        progress=_progress_bar,
        settings=load_clinic_settings(db),
        overwrite=args.force,
        keep=database_files(db.path),
    )
    print(f"\n{len(written)} summaries written to {args.out_dir}")
    return 0


def _progress_bar(done: int, total: int) -> bool:
    width = 30
    filled = width * done // total if total else width
    bar = "#" * filled + "-" * (width - filled)
    print(f"\r  [{bar}] {done}/{total}", end="", file=sys.stderr, flush=True)
    return True
