"""Edit a course after it started: plan, start date, thresholds (with a reason), record.

The record (diagnosis, current medications, prior treatment trials, prescriber) is
what a payer or referral letter asks for; it is printed on the PDF summary. A
change of thresholds re-classifies the course's past scores, so it needs a reason,
kept on the course and, with the old and new values, in the change log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import CourseId
from ..domain.limits import NAME_MAX, NOTES_MAX, PLANNED_SESSIONS_MAX, SHORT_TEXT_MAX
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseInfo, CourseRecord
from ..storage.db import Database
from ..storage.mappers import course_info, to_local
from ..storage.tables import Assessment, Course, Event, Patient, TreatmentSession
from ._rows import bump, live, not_before_birth
from .access import requires
from .validation import calendar_date, refuse, text, whole_number


@dataclass(frozen=True, slots=True)
class CourseEdit:
    """The editable parts of a course, as the edit form holds them (all replaced).

    ``settings`` None keeps the thresholds; a different copy needs ``threshold_reason``.
    """

    start_date: date
    planned_sessions: int
    record: CourseRecord = field(default_factory=CourseRecord)
    notes: str = ""
    settings: ClinicSettings | None = None
    threshold_reason: str = ""


def checked_record(record: CourseRecord) -> CourseRecord:
    """The record's texts trimmed and within their limits (names the field otherwise)."""
    if not isinstance(record, CourseRecord):
        refuse("record", "Course record", "must be a CourseRecord", "a CourseRecord")
    return CourseRecord(
        diagnosis=text(record.diagnosis, "diagnosis", "Diagnosis", SHORT_TEXT_MAX, multiline=True),
        current_medications=text(
            record.current_medications,
            "current_medications",
            "Current medications",
            NOTES_MAX,
            multiline=True,
        ),
        prior_treatments=text(
            record.prior_treatments,
            "prior_treatments",
            "Prior treatment trials",
            NOTES_MAX,
            multiline=True,
        ),
        prescriber=text(record.prescriber, "prescriber", "Prescriber", NAME_MAX),
    )


def _checked(data: CourseEdit) -> CourseEdit:
    if data.settings is not None and not isinstance(data.settings, ClinicSettings):
        refuse("settings", "Thresholds", "must be a ClinicSettings", "a ClinicSettings or None")
    return CourseEdit(
        start_date=calendar_date(data.start_date, "start_date", "Start date"),
        planned_sessions=whole_number(
            data.planned_sessions, "planned_sessions", "Planned sessions", 1, PLANNED_SESSIONS_MAX
        ),
        record=checked_record(data.record),
        notes=text(data.notes, "notes", "Course notes", NOTES_MAX, multiline=True),
        settings=data.settings,
        threshold_reason=text(
            data.threshold_reason, "threshold_reason", "Reason for the change", SHORT_TEXT_MAX
        ),
    )


@requires(Action.EDIT_COURSE)
def edit_course(
    db: Database, course_id: CourseId, data: CourseEdit, *, expected_version: int
) -> CourseInfo:
    """Save the edited course in one transaction; the change log keeps the old values."""
    data = _checked(data)
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        _check_start(session, row, data.start_date)
        settings_json = _new_settings(row, data)
        bump(row, expected_version, "course")
        if settings_json != row.settings_json:
            row.settings_json, row.threshold_change_reason = settings_json, data.threshold_reason
        row.start_date, row.planned_sessions, row.notes = (
            data.start_date,
            data.planned_sessions,
            data.notes,
        )
        _set_record(row, data.record)
        session.add(row)
        session.flush()
        return course_info(row)


def _set_record(row: Course, record: CourseRecord) -> None:
    row.diagnosis, row.current_medications = record.diagnosis, record.current_medications
    row.prior_treatments, row.prescriber = record.prior_treatments, record.prescriber


def _new_settings(row: Course, data: CourseEdit) -> str:
    """The thresholds to store; a change without a reason is refused."""
    new = data.settings.to_json() if data.settings is not None else None
    if new is None or new == ClinicSettings.from_json(row.settings_json).to_json():
        return row.settings_json
    if not data.threshold_reason:
        refuse(
            "threshold_reason",
            "Reason for the change",
            "is required when the thresholds change (they re-classify past scores)",
            f"1-{SHORT_TEXT_MAX} characters",
        )
    return new


def _check_start(session: Session, row: Course, start: date) -> None:
    """The start may move, but never past a record of the course or its end."""
    patient = live(session, Patient, row.patient_id, "patient")
    not_before_birth(start, patient.date_of_birth, "start_date", "Start date")
    latest = _latest_start(session, row)
    if latest is not None and start > latest[0]:
        shown = f"{latest[0]:%Y-%m-%d}"
        refuse(
            "start_date",
            "Start date",
            f"{start:%Y-%m-%d} is after {latest[1]} ({shown})",
            f"a date up to {shown}",
        )


def _latest_start(session: Session, row: Course) -> tuple[date, str] | None:
    """The latest start date the course's records allow, and what sets it."""
    limits: list[tuple[date, str]] = []
    if row.end_date is not None:
        limits.append((row.end_date, "the course end"))
    first = _first(session, TreatmentSession.performed_at, TreatmentSession, row.id)
    if isinstance(first, datetime):
        limits.append((to_local(first).date(), "the first session"))
    event = _first(session, Event.occurred_on, Event, row.id)
    if isinstance(event, date):
        limits.append((event, "the first event"))
    assessed = _first(session, Assessment.assessed_at, Assessment, row.id)
    if isinstance(assessed, datetime):
        days = ClinicSettings.from_json(row.settings_json).baseline_window_days
        window = to_local(assessed).date() + timedelta(days=days)
        limits.append((window, f"the first assessment plus the {days}-day baseline window"))
    return min(limits, key=lambda pair: pair[0]) if limits else None


def _first(
    session: Session, column: Any, table: type[TreatmentSession | Event | Assessment], course: Any
) -> object:
    """The smallest value of ``column`` among the course's live rows of ``table``."""
    query = select(func.min(column)).where(
        col(table.course_id) == course, col(table.deleted_at).is_(None)
    )
    return session.exec(query).one()
