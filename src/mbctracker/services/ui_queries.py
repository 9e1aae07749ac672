"""Small read queries the desktop screens need that no other use case does."""

from __future__ import annotations

from sqlalchemy import text

from ..domain.course import PatientId
from ..storage.db import Database
from ..storage.errors import NotFoundError
from .patient_list import _CURRENT_COURSE, PatientListRow, _rows


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
