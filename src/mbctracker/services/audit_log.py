"""Read the change log per patient or per course (it is never edited)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, select

from ..domain.course import CourseId, PatientId
from ..storage.db import Database
from ..storage.mappers import to_local
from ..storage.tables import ChangeLog, Course


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


def course_changes(db: Database, course_id: CourseId) -> list[ChangeEntry]:
    """Every change to a course and the records in it, oldest first."""
    with db.read() as session:
        query = (
            select(ChangeLog).where(ChangeLog.course_id == course_id).order_by(col(ChangeLog.id))
        )
        return [_entry(r) for r in session.exec(query)]


def patient_changes(db: Database, patient_id: PatientId) -> list[ChangeEntry]:
    """Every change to a patient and to all their courses, oldest first."""
    with db.read() as session:
        course_ids = list(session.exec(select(Course.id).where(Course.patient_id == patient_id)))
        query = (
            select(ChangeLog)
            .where(
                or_(
                    (col(ChangeLog.table_name) == "patient")
                    & (col(ChangeLog.record_id) == patient_id),
                    col(ChangeLog.course_id).in_(course_ids),
                )
            )
            .order_by(col(ChangeLog.id))
        )
        return [_entry(r) for r in session.exec(query)]
