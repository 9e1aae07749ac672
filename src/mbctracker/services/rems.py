"""Esketamine REMS: the patient monitoring record, its form, and the forms still to submit.

REMS expects the patient monitoring form within 7 days of the session
(``ClinicSettings.rems_submit_days``). The Today view lists
:func:`pending_rems_forms` inside its own read session, so that one takes a
session rather than the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import CourseId, Modality, PatientId, SessionId
from ..domain.errors import ValidationError
from ..domain.limits import SHORT_TEXT_MAX
from ..domain.procedure import RemsRecord, check_rems, rems_days_left
from ..domain.settings import ClinicSettings
from ..storage.db import Database
from ..storage.mappers import (
    course_info,
    dumps,
    patient_info,
    rems_record,
    session_record,
    to_local,
    to_utc,
    vital_signs,
)
from ..storage.tables import Course, Patient, RemsRecordRow, TreatmentSession
from ._rows import bump, live
from .access import requires
from .procedure import live_vitals
from .validation import calendar_date, optional_local_datetime, text

if TYPE_CHECKING:
    from ..reports.rems_form import RemsForm

LOT_NUMBER_MAX = 40
"""Characters in a device lot number (printed on the carton; well under this)."""


@dataclass(frozen=True, slots=True)
class RemsResult:
    record: RemsRecord
    warnings: tuple[str, ...]


def _checked(data: RemsRecord) -> RemsRecord:
    if not isinstance(data, RemsRecord):
        raise ValidationError(
            "REMS record: must be a RemsRecord; allowed: RemsRecord(...)", field="rems"
        )
    concomitant = data.concomitant
    if isinstance(concomitant, (str, bytes)) or not isinstance(concomitant, (list, tuple)):
        raise ValidationError(
            "Concomitant medication: must be a list; allowed: a list of the form's choices",
            field="concomitant",
        )
    return replace(
        data,
        lot_number=text(data.lot_number, "lot_number", "Lot number", LOT_NUMBER_MAX),
        monitoring_start=optional_local_datetime(
            data.monitoring_start, "monitoring_start", "Monitoring start"
        ),
        monitoring_end=optional_local_datetime(
            data.monitoring_end, "monitoring_end", "Monitoring end"
        ),
        ready_to_leave_at=optional_local_datetime(
            data.ready_to_leave_at, "ready_to_leave_at", "Ready to leave"
        ),
        respiratory_status=text(
            data.respiratory_status, "respiratory_status", "Respiratory status", SHORT_TEXT_MAX
        ),
        concomitant=tuple(dict.fromkeys(concomitant)),
    )


def _esketamine_session(session: Session, session_id: int) -> tuple[TreatmentSession, Course]:
    row = live(session, TreatmentSession, session_id, "session")
    course = live(session, Course, row.course_id, "course")
    if Modality(course.modality) != Modality.ESKETAMINE:
        raise ValidationError(
            f"REMS record: {Modality(course.modality).label} sessions have none; "
            "allowed: an esketamine session",
            field="rems",
        )
    return row, course


def _stored(session: Session, session_id: int) -> RemsRecordRow | None:
    query = select(RemsRecordRow).where(
        RemsRecordRow.session_id == session_id, col(RemsRecordRow.deleted_at).is_(None)
    )
    return session.exec(query).first()


@requires(Action.REMS)
def save_rems_record(
    db: Database, session_id: SessionId, data: RemsRecord, *, expected_version: int | None = None
) -> RemsResult:
    """Create or correct a session's REMS record; warnings say what REMS would query.

    ``expected_version`` is the version read before editing (None for a new record).
    """
    data = _checked(data)
    with db.write() as session:
        owner, course = _esketamine_session(session, session_id)
        settings = ClinicSettings.from_json(course.settings_json)
        warnings = check_rems(data, settings)
        performed = to_local(owner.performed_at)
        _not_before_session(data, performed)
        row = _stored(session, session_id)
        if row is None:
            assert owner.id is not None
            row = RemsRecordRow(session_id=owner.id, course_id=owner.course_id)
        else:
            bump(row, expected_version, "REMS record")
        _fill(row, data)
        session.add(row)
        session.flush()
        return RemsResult(rems_record(row), tuple(warnings))


def _not_before_session(data: RemsRecord, performed: datetime) -> None:
    """Monitoring starts at dosing; a start hours before the session is a typing error."""
    start = data.monitoring_start
    if start is not None and start < performed - timedelta(hours=1):
        raise ValidationError(
            f"Monitoring start: {start:%Y-%m-%d %H:%M} is before the session "
            f"({performed:%Y-%m-%d %H:%M}); allowed: from the session's time",
            field="monitoring_start",
        )


def _fill(row: RemsRecordRow, data: RemsRecord) -> None:
    def utc(value: datetime | None) -> datetime | None:
        return to_utc(value) if value else None

    row.lot_number = data.lot_number
    row.monitoring_start = utc(data.monitoring_start)
    row.monitoring_end = utc(data.monitoring_end)
    row.ready_to_leave_at = utc(data.ready_to_leave_at)
    row.respiratory_status = data.respiratory_status
    row.concomitant = dumps(list(data.concomitant))


@requires(Action.VIEW_RECORD)
def load_rems_record(db: Database, session_id: SessionId) -> RemsRecord | None:
    with db.read() as session:
        row = _stored(session, session_id)
        return rems_record(row) if row is not None else None


@requires(Action.REMS)
def mark_rems_submitted(
    db: Database, session_id: SessionId, on: date | None, *, expected_version: int
) -> RemsRecord:
    """Mark the session's form submitted on ``on`` (None: not submitted after all)."""
    if on is not None:
        on = calendar_date(on, "submitted_on", "Submitted on")
    with db.write() as session:
        owner, _course = _esketamine_session(session, session_id)
        row = _stored(session, session_id)
        if row is None:
            raise ValidationError(
                "Submitted on: this session has no REMS monitoring record yet; "
                "allowed: fill in the record first",
                field="submitted_on",
            )
        if on is not None and on < to_local(owner.performed_at).date():
            raise ValidationError(
                f"Submitted on: {on:%Y-%m-%d} is before the session; allowed: from "
                f"{to_local(owner.performed_at):%Y-%m-%d}",
                field="submitted_on",
            )
        bump(row, expected_version, "REMS record")
        row.submitted_on = on
        session.add(row)
        session.flush()
        return rems_record(row)


@dataclass(frozen=True, slots=True)
class PendingRemsForm:
    """An esketamine session whose REMS monitoring form is still to be submitted."""

    patient_id: PatientId
    course_id: CourseId
    session_id: SessionId
    performed_at: datetime
    """Local wall-clock time of the session."""
    days_left: int
    """Days left to submit (REMS: within 7 days); 0 is the last day, negative is late."""


def pending_rems_forms(session: Session, today: date) -> list[PendingRemsForm]:
    """Every live esketamine session without a submitted form, most urgent first."""
    submitted = select(RemsRecordRow.session_id).where(
        col(RemsRecordRow.deleted_at).is_(None), col(RemsRecordRow.submitted_on).is_not(None)
    )
    query = (
        core_select(
            col(Course.patient_id),
            col(Course.id),
            col(TreatmentSession.id),
            col(TreatmentSession.performed_at),
            col(Course.settings_json),
        )
        .select_from(TreatmentSession)
        .join(Course, col(Course.id) == TreatmentSession.course_id)
        .join(Patient, col(Patient.id) == Course.patient_id)
        .where(
            col(Course.modality) == str(Modality.ESKETAMINE),
            col(TreatmentSession.deleted_at).is_(None),
            col(Course.deleted_at).is_(None),
            col(Patient.deleted_at).is_(None),
            col(TreatmentSession.id).not_in(submitted),
        )
    )
    found = []
    for patient_id, course_id, session_id, performed, settings_json in session.execute(query):
        when = to_local(performed)
        settings = ClinicSettings.from_json(settings_json)
        found.append(
            PendingRemsForm(
                PatientId(patient_id),
                CourseId(course_id),
                SessionId(session_id),
                when,
                rems_days_left(when.date(), today, settings),
            )
        )
    return sorted(found, key=lambda f: (f.days_left, f.performed_at, f.session_id))


@requires(Action.VIEW_RECORD)
def rems_form(db: Database, session_id: SessionId) -> RemsForm:
    """The form's content: the session's details and vitals plus its REMS record."""
    from ..reports.rems_form import RemsForm  # lazy: reportlab loads only to print

    with db.read() as session:
        owner, course_row = _esketamine_session(session, session_id)
        course = course_info(course_row)
        patient = patient_info(live(session, Patient, course.patient_id, "patient"))
        stored = _stored(session, session_id)
        record = rems_record(stored) if stored is not None else None
        readings = tuple(vital_signs(v) for v in live_vitals(session, session_id))
        return RemsForm(patient, course, session_record(owner), record, readings)


@requires(Action.VIEW_RECORD)
def rems_form_pdf(
    db: Database, session_id: SessionId, settings: ClinicSettings | None = None
) -> bytes:
    """The printable monitoring form (clinic name and paper from ``settings``)."""
    from ..reports.rems_form import render_rems_form

    form = rems_form(db, session_id)
    return render_rems_form(form, settings or form.course.settings)
