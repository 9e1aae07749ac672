"""Export the whole record as FHIR R4: one Bundle (collection) file, or Bulk-Data NDJSON.

Streams: patients are read a page at a time inside one read snapshot and each
resource is written as soon as it is built, so memory stays flat at any clinic
size. Files are owner-only and appear under their names only when complete
(:func:`mbctracker.fileio.atomic_file`).
"""

from __future__ import annotations

import errno
import json
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, NoReturn

from sqlalchemy import func
from sqlmodel import Session, col, select

from ...domain.access import Action
from ...domain.course import PatientId
from ...domain.timeline import CourseInfo, PatientInfo
from ...fileio import atomic_file, unsafe_target
from ...storage.db import Database
from ...storage.mappers import course_info, patient_info
from ...storage.tables import Course, Patient
from ..access import requires
from ..timeline import Scope, read_timelines
from .resources import (
    Context,
    Resource,
    code_systems,
    course_resources,
    full_url,
    patient_resource,
)

EXPORT_SCOPE = Scope(events=False, actions=False, other_flags=False, plain_rows=True)
"""Sessions and re-scored assessments of each course; the rest is not exported."""
PAGE = 250
NDJSON_TYPES = ("CodeSystem", "Patient", "Procedure", "QuestionnaireResponse", "Observation")
Progress = Callable[[int, int], object]


class FhirWriteError(OSError):
    """The export target is unusable (exists, is the database, a symlink, a folder...)."""


def refuse(out: Path, why: str) -> NoReturn:
    raise FhirWriteError(
        errno.EEXIST, f"Not writing the FHIR export to {out}: {why}. Nothing written."
    )


def check_file_target(out: Path, *, overwrite: bool, keep: Collection[Path] = ()) -> None:
    """Never the database or its companions, any SQLite file, a symlink or a folder;
    an existing file only with --force (:func:`fileio.unsafe_target`)."""
    why = unsafe_target(out, overwrite=overwrite, keep=keep)
    if why is not None:
        refuse(out, why)


def resources(db: Database, ctx: Context, progress: Progress | None = None) -> Iterator[Resource]:
    """The local code systems, then every live patient's Patient, Procedures,
    QuestionnaireResponses and Observations."""
    yield from code_systems()
    with db.read() as session:
        total = _count_patients(session)
        done, last = 0, 0
        while page := _patient_page(session, last):
            yield from _page_resources(session, ctx, page)
            done, last = done + len(page), page[-1].id
            if progress is not None:
                progress(done, total)


def _count_patients(session: Session) -> int:
    query = select(func.count()).select_from(Patient).where(col(Patient.deleted_at).is_(None))
    return int(session.exec(query).one())


def _patient_page(session: Session, after: int) -> list[PatientInfo]:
    query = (
        select(Patient)
        .where(col(Patient.deleted_at).is_(None), col(Patient.id) > after)
        .order_by(col(Patient.id))
        .limit(PAGE)
    )
    return [patient_info(row) for row in session.exec(query)]


def _page_resources(
    session: Session, ctx: Context, page: Sequence[PatientInfo]
) -> Iterator[Resource]:
    patients = {p.id: p for p in page}
    query = (
        select(Course)
        .where(col(Course.patient_id).in_(patients.keys()), col(Course.deleted_at).is_(None))
        .order_by(col(Course.patient_id), col(Course.start_date), col(Course.id))
    )
    courses = [course_info(row) for row in session.exec(query)]
    timelines = read_timelines(session, courses, patients, EXPORT_SCOPE)
    by_patient: dict[PatientId, list[CourseInfo]] = {}
    for course in courses:
        by_patient.setdefault(course.patient_id, []).append(course)
    for patient in page:
        yield patient_resource(ctx, patient)
        for course in by_patient.get(patient.id, ()):
            yield from course_resources(ctx, timelines[course.id])


def _line(resource: Resource) -> bytes:
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()


@requires(Action.EXCHANGE)
def write_bundle(
    db: Database,
    out: Path,
    *,
    mrn_system: str,
    overwrite: bool = False,
    keep: Collection[Path] = (),
    progress: Progress | None = None,
) -> Counter[str]:
    """One Bundle of type collection; returns how many resources of each type."""
    check_file_target(out, overwrite=overwrite, keep=keep)
    ctx = Context(mrn_system, bundle=True)
    counts: Counter[str] = Counter()
    with atomic_file(out, overwrite=overwrite) as file:
        file.write(_bundle_head())
        for resource in resources(db, ctx, progress):
            entry = {"fullUrl": full_url(resource), "resource": resource}
            file.write((b",\n" if counts else b"") + _line(entry))
            counts[resource["resourceType"]] += 1
        file.write(b"\n]}\n")
    return counts


def _bundle_head() -> bytes:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    head = {"resourceType": "Bundle", "type": "collection", "timestamp": now}
    return json.dumps(head)[:-1].encode() + b', "entry": [\n'


@requires(Action.EXCHANGE)
def write_ndjson(
    db: Database,
    folder: Path,
    *,
    mrn_system: str,
    overwrite: bool = False,
    keep: Collection[Path] = (),
    progress: Progress | None = None,
) -> Counter[str]:
    """Bulk Data style: ``TYPE.ndjson`` per resource type, one resource a line."""
    targets = {kind: folder / f"{kind}.ndjson" for kind in NDJSON_TYPES}
    _prepare_folder(folder)
    for target in targets.values():
        check_file_target(target, overwrite=overwrite, keep=keep)
    ctx = Context(mrn_system, bundle=False)
    counts: Counter[str] = Counter()
    with ExitStack() as stack:
        files: dict[str, BinaryIO] = {
            kind: stack.enter_context(atomic_file(path, overwrite=overwrite))
            for kind, path in targets.items()
        }
        for resource in resources(db, ctx, progress):
            kind = resource["resourceType"]
            files[kind].write(_line(resource) + b"\n")
            counts[kind] += 1
    return counts


def _prepare_folder(folder: Path) -> None:
    """Created owner-only when missing; a file or a symlink in its place is refused."""
    if folder.is_symlink():
        refuse(folder, "it is a symbolic link; choose a real folder")
    if folder.exists() and not folder.is_dir():
        refuse(folder, "it is a file; --format ndjson writes a folder")
    if not folder.exists():
        os.makedirs(folder, mode=0o700)
