"""Small read queries the desktop screens need that no other use case does."""

from __future__ import annotations

from sqlalchemy import text

from ..domain.course import PatientId
from ..domain.timeline import CourseTimeline
from ..storage.db import Database
from ..storage.errors import NotFoundError
from .patient_list import _CURRENT_COURSE, PatientListRow, _open_flags, _row, _rows


def patient_row(db: Database, patient_id: PatientId) -> PatientListRow:
    """One patient's list row, so a save refreshes a single line instead of the whole page."""
    sql = text(
        f"SELECT p.id, {_CURRENT_COURSE} AS course_id FROM patient p "
        "WHERE p.id = :pid AND p.deleted_at IS NULL"
    )
    with db.read() as session:
        pairs = session.execute(sql, {"pid": patient_id}).all()
        if not pairs:
            raise NotFoundError("patient", patient_id)
        return _rows(session, [(int(p), c) for p, c in pairs])[0]


def timeline_row(db: Database, timeline: CourseTimeline) -> PatientListRow:
    """The list row of a patient whose current course a save has just read.

    Only the open-flag count (across all the patient's courses) is read; the
    rest comes from ``timeline``.
    """
    with db.read() as session:
        flags = _open_flags(session, [timeline.patient.id])
    return _row(timeline.patient, timeline, flags.get(timeline.patient.id, 0))
