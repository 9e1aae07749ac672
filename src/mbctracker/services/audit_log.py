"""Read and export the change log per patient or per course (it is never edited)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, true
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import CourseId, PatientId
from ..fileio import atomic_file
from ..storage.db import Database
from ..storage.mappers import to_local
from ..storage.tables import ChangeLog, Course
from .access import requires


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One audited change: who, when, what, old and new values per field."""

    id: int
    at: datetime
    actor: str
    table: str
    record_id: int
    action: str
    changes: dict[str, list[Any]]

    def describe(self) -> str:
        """One line for a table cell: "total: 14 -> 12; prorated: False -> True"."""
        parts = [f"{name}: {old} -> {new}" for name, (old, new) in sorted(self.changes.items())]
        return "; ".join(parts)


def _entry(row: ChangeLog) -> ChangeEntry:
    assert row.id is not None
    return ChangeEntry(
        row.id,
        to_local(row.at),
        row.actor,
        row.table_name,
        row.record_id,
        row.action,
        json.loads(row.changes),
    )


def _scope(session: Session, patient_id: int | None, course_id: int | None) -> Any:
    """The change-log rows of one course, one patient (and their courses), or all."""
    if course_id is not None:
        return col(ChangeLog.course_id) == course_id
    if patient_id is None:
        return true()
    course_ids = list(session.exec(select(Course.id).where(Course.patient_id == patient_id)))
    return or_(
        (col(ChangeLog.table_name) == "patient") & (col(ChangeLog.record_id) == patient_id),
        col(ChangeLog.course_id).in_(course_ids),
    )


def _rows(
    session: Session, patient_id: int | None = None, course_id: int | None = None
) -> Iterator[ChangeLog]:
    query = select(ChangeLog).where(_scope(session, patient_id, course_id))
    return iter(session.exec(query.order_by(col(ChangeLog.id))))


@requires(Action.VIEW_RECORD)
def course_changes(db: Database, course_id: CourseId) -> list[ChangeEntry]:
    """Every change to a course and the records in it, oldest first."""
    with db.read() as session:
        return [_entry(r) for r in _rows(session, course_id=course_id)]


@requires(Action.VIEW_RECORD)
def patient_changes(db: Database, patient_id: PatientId) -> list[ChangeEntry]:
    """Every change to a patient and to all their courses, oldest first."""
    with db.read() as session:
        return [_entry(r) for r in _rows(session, patient_id=patient_id)]


CSV_COLUMNS = (
    "change_id",
    "at_utc",
    "actor",
    "table",
    "record_id",
    "patient_id",
    "course_id",
    "action",
    "field",
    "old_value",
    "new_value",
)


@requires(Action.VIEW_RECORD)
def export_changes_csv(
    db: Database, out: Path, *, patient_id: int | None = None, course_id: int | None = None
) -> int:
    """Write the change log (one row per changed field) to ``out``; returns rows written.

    For auditors and the paper chart: times are UTC ISO 8601, the file is
    owner-only (it holds clinical data) and written through
    :func:`~mbctracker.fileio.atomic_file` (never half-written, never through a
    symlink), and text that a spreadsheet would run as a formula is quoted.
    Without filters the whole log is exported.
    """
    written = 0
    with db.read() as session, atomic_file(out) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        for row in _rows(session, patient_id, course_id):
            for line in _csv_lines(row):
                writer.writerow(line)
                written += 1
        text.flush()
        text.detach()  # atomic_file fsyncs and closes the file itself
    return written


def _csv_lines(row: ChangeLog) -> Iterator[list[object]]:
    head = [
        row.id,
        _utc(row.at).isoformat(),
        spreadsheet_cell(row.actor),
        row.table_name,
        row.record_id,
        row.patient_id if row.patient_id is not None else "",
        row.course_id if row.course_id is not None else "",
        row.action,
    ]
    changes: dict[str, list[Any]] = json.loads(row.changes)
    if not changes:
        yield [*head, "", "", ""]
    for name, (old, new) in sorted(changes.items()):
        yield [*head, name, spreadsheet_cell(old), spreadsheet_cell(new)]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def spreadsheet_cell(value: object) -> object:
    """Spreadsheet-safe: None as blank, text starting like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
