"""Around a session: the vitals flowsheet, the weight, "same as last", payer and MT dates.

Each use case is one transaction. The Today view reads
:func:`courses_near_authorised_limit` inside its own read session, so that one
takes a session rather than the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import CourseId, CourseStatus, Modality, PatientId, SessionId
from ..domain.errors import ValidationError
from ..domain.limits import PLANNED_SESSIONS_MAX
from ..domain.procedure import (
    VITALS_MODALITIES,
    DischargeStatus,
    VitalPoint,
    VitalSigns,
    check_vitals,
    discharge_status,
    mt_reminder,
    vital_alerts,
)
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseInfo, SessionRecord
from ..storage.db import Database
from ..storage.jsontext import JsonValue
from ..storage.mappers import course_info, session_record, to_utc, vital_signs
from ..storage.tables import Course, Patient, TreatmentSession, VitalSign
from ._rows import bump, live, soft_delete
from .access import requires
from .courses import set_course_value
from .validation import choice, optional_date, optional_local_datetime, whole_number

# --- vitals flowsheet ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flowsheet:
    """A session's vitals with what the clinic's limits say about them."""

    session_id: SessionId
    readings: tuple[VitalSigns, ...]
    alerts: tuple[dict[str, str], ...]
    """Per reading, the fields outside the clinic's limits (highlighted) and why."""
    discharge: DischargeStatus


def flowsheet(
    session_id: SessionId, readings: Sequence[VitalSigns], settings: ClinicSettings
) -> Flowsheet:
    alerts = tuple(vital_alerts(r, settings) for r in readings)
    return Flowsheet(session_id, tuple(readings), alerts, discharge_status(readings, settings))


def _checked_reading(reading: VitalSigns) -> VitalSigns:
    if not isinstance(reading, VitalSigns):
        raise ValidationError(
            "Vitals: each reading must be a VitalSigns row; allowed: VitalSigns(point, ...)",
            field="vitals",
        )
    point = choice(reading.point, VitalPoint, "point", "Vitals time point")
    at = optional_local_datetime(reading.at, "at", f"{point.label} vitals time")
    checked = replace(reading, point=point, at=at)
    check_vitals(checked)
    return checked


@requires(Action.RECORD_VITALS)
def save_vitals(db: Database, session_id: SessionId, readings: Sequence[VitalSigns]) -> Flowsheet:
    """Replace a session's flowsheet with ``readings`` (empty rows are dropped).

    Rows are matched to the stored ones in order, so a corrected reading is one
    update in the change log (old and new value), not a delete and a create.
    """
    checked = [r for r in (_checked_reading(r) for r in readings) if not r.empty]
    with db.write() as session:
        row = live(session, TreatmentSession, session_id, "session")
        course = live(session, Course, row.course_id, "course")
        if Modality(course.modality) not in VITALS_MODALITIES:
            allowed = ", ".join(sorted(m.label for m in VITALS_MODALITIES))
            raise ValidationError(
                f"Vitals: {Modality(course.modality).label} sessions have no vitals "
                f"flowsheet; allowed: {allowed}",
                field="vitals",
            )
        stored = live_vitals(session, session_id)
        for index, reading in enumerate(checked):
            target = stored[index] if index < len(stored) else None
            _write_reading(session, target, row, reading)
        for extra in stored[len(checked) :]:
            soft_delete(extra)
            session.add(extra)
        session.flush()
        saved = [vital_signs(v) for v in live_vitals(session, session_id)]
        return flowsheet(session_id, saved, ClinicSettings.from_json(course.settings_json))


def _write_reading(
    session: Session, target: VitalSign | None, owner: TreatmentSession, reading: VitalSigns
) -> None:
    assert owner.id is not None
    values: dict[str, Any] = {
        "point": str(reading.point),
        "taken_at": to_utc(reading.at) if reading.at else None,
        "systolic": reading.systolic,
        "diastolic": reading.diastolic,
        "heart_rate": reading.heart_rate,
        "spo2": reading.spo2,
    }
    if target is None:
        session.add(VitalSign(session_id=owner.id, course_id=owner.course_id, **values))
        return
    if any(getattr(target, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(target, key, value)
        target.version += 1
        session.add(target)


def live_vitals(session: Session, session_id: int) -> list[VitalSign]:
    query = (
        select(VitalSign)
        .where(VitalSign.session_id == session_id, col(VitalSign.deleted_at).is_(None))
        .order_by(col(VitalSign.id))
    )
    return list(session.exec(query))


@requires(Action.VIEW_RECORD)
def load_flowsheet(db: Database, session_id: SessionId) -> Flowsheet:
    with db.read() as session:
        row = live(session, TreatmentSession, session_id, "session")
        course = live(session, Course, row.course_id, "course")
        readings = [vital_signs(v) for v in live_vitals(session, session_id)]
        return flowsheet(session_id, readings, ClinicSettings.from_json(course.settings_json))


# --- weight and "same as last" ------------------------------------------------------------


@requires(Action.VIEW_RECORD)
def latest_weight(
    db: Database, patient_id: PatientId, before: datetime | None = None
) -> float | None:
    """The patient's weight at their latest session that recorded one (any course)."""
    weight = func.json_extract(TreatmentSession.details, "$.weight_kg", type_=JsonValue())
    query = (
        select(weight)
        .join(Course, col(Course.id) == TreatmentSession.course_id)
        .where(
            Course.patient_id == patient_id,
            col(Course.deleted_at).is_(None),
            col(TreatmentSession.deleted_at).is_(None),
            weight.is_not(None),
        )
        .order_by(col(TreatmentSession.performed_at).desc(), col(TreatmentSession.id).desc())
    )
    if before is not None:
        query = query.where(col(TreatmentSession.performed_at) < to_utc(before))
    with db.read() as session:
        found = session.exec(query).first()
    return float(found) if isinstance(found, (int, float)) else None


@requires(Action.VIEW_RECORD)
def previous_session(
    db: Database, course_id: CourseId, before: datetime | None = None
) -> SessionRecord | None:
    """The course's latest live session (before ``before``): "same as last" starts from it."""
    query = (
        select(TreatmentSession)
        .where(
            TreatmentSession.course_id == course_id,
            col(TreatmentSession.deleted_at).is_(None),
        )
        .order_by(col(TreatmentSession.performed_at).desc(), col(TreatmentSession.id).desc())
    )
    if before is not None:
        query = query.where(col(TreatmentSession.performed_at) < to_utc(before))
    with db.read() as session:
        row = session.exec(query).first()
        return session_record(row) if row is not None else None


# --- payer authorisation and the motor threshold -------------------------------------------


@requires(Action.EDIT_COURSE)
def set_authorised_sessions(
    db: Database, course_id: CourseId, count: int | None, *, expected_version: int
) -> CourseInfo:
    """Record (or clear) the sessions a payer authorised; editable mid-course."""
    if count is not None:
        count = whole_number(
            count, "authorised_sessions", "Authorised sessions", 1, PLANNED_SESSIONS_MAX
        )
    return set_course_value(
        db, course_id, "authorised_sessions", count, expected_version=expected_version
    )


@requires(Action.RECORD_SESSIONS)
def set_mt_determined_on(
    db: Database, course_id: CourseId, day: date | None, *, expected_version: int
) -> CourseInfo:
    """Record when the TMS motor threshold was (re-)determined."""
    day = optional_date(day, "mt_determined_on", "Motor threshold determined on")
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        if Modality(row.modality) != Modality.TMS:
            raise ValidationError(
                "Motor threshold determined on: only TMS courses have a motor threshold; "
                "allowed: a TMS course",
                field="mt_determined_on",
            )
        if day is not None and day < row.start_date:
            raise ValidationError(
                f"Motor threshold determined on: {day:%Y-%m-%d} is before the course start; "
                f"allowed: from {row.start_date:%Y-%m-%d}",
                field="mt_determined_on",
            )
        bump(row, expected_version, "course")
        row.mt_determined_on = day
        session.add(row)
        session.flush()
        return course_info(row)


def mt_reminder_for(course: CourseInfo, today: date) -> str | None:
    """The motor-threshold reminder of a TMS course (None for other modalities)."""
    if course.modality != Modality.TMS:
        return None
    return mt_reminder(course.mt_determined_on, today, course.settings)


@dataclass(frozen=True, slots=True)
class NearAuthorisedLimit:
    """An active course close to (or past) its payer-authorised session count."""

    patient_id: PatientId
    course_id: CourseId
    authorised: int
    used: int

    @property
    def remaining(self) -> int:
        return self.authorised - self.used


def courses_near_authorised_limit(
    session: Session, remaining_at_most: int
) -> list[NearAuthorisedLimit]:
    """Active courses with at most ``remaining_at_most`` authorised sessions left, fewest first.

    Sessions of every phase count (a payer authorises treatments, not phases).
    """
    remaining_at_most = whole_number(
        remaining_at_most, "remaining_at_most", "Sessions left", 0, PLANNED_SESSIONS_MAX
    )
    used = (
        select(func.count(col(TreatmentSession.id)))
        .where(
            TreatmentSession.course_id == Course.id,
            col(TreatmentSession.deleted_at).is_(None),
        )
        .scalar_subquery()
    )
    authorised = col(Course.authorised_sessions)
    query = (
        select(Course.patient_id, Course.id, authorised, used)
        .select_from(Course)
        .join(Patient, col(Patient.id) == Course.patient_id)
        .where(
            authorised.is_not(None),
            Course.status == str(CourseStatus.ACTIVE),
            col(Course.deleted_at).is_(None),
            col(Patient.deleted_at).is_(None),
            authorised - used <= remaining_at_most,
        )
        .order_by(authorised - used, col(Course.id))
    )
    return [
        NearAuthorisedLimit(PatientId(p), CourseId(int(c or 0)), int(a or 0), int(u))
        for p, c, a, u in session.exec(query)
    ]
