"""Small read queries the desktop screens need that no other use case does."""

from __future__ import annotations

from ..domain.access import Action
from ..domain.course import PatientId
from ..storage.db import Database
from ..storage.errors import NotFoundError
from .access import requires
from .patient_list import PatientListRow, timeline_row
from .patient_list import patient_row as _patient_row

__all__ = ["patient_row", "timeline_row"]


@requires(Action.VIEW_PATIENTS)
def patient_row(db: Database, patient_id: PatientId) -> PatientListRow:
    """One patient's list row, so a save refreshes a single line instead of the whole page.

    Raises:
        NotFoundError: the patient is deleted or unknown.
    """
    row = _patient_row(db, patient_id)
    if row is None:
        raise NotFoundError("patient", patient_id)
    return row
