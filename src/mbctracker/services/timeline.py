"""Load a course's whole record as a domain :class:`CourseTimeline`."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from ..domain.course import CourseId, PatientId
from ..domain.timeline import CourseTimeline, SafetyAction
from ..storage.db import Database
from ..storage.mappers import (
    assessment_record,
    course_info,
    event_record,
    patient_info,
    safety_action,
    session_record,
)
from ..storage.tables import Assessment, Course, Event, Patient, SafetyActionRow, TreatmentSession
from ._rows import live


def _actions(session: Session, course_id: int) -> dict[int, tuple[SafetyAction, ...]]:
    rows = session.exec(
        select(SafetyActionRow)
        .where(SafetyActionRow.course_id == course_id, col(SafetyActionRow.deleted_at).is_(None))
        .order_by(col(SafetyActionRow.taken_at))
    )
    grouped: dict[int, list[SafetyAction]] = defaultdict(list)
    for row in rows:
        grouped[row.assessment_id].append(safety_action(row))
    return {key: tuple(value) for key, value in grouped.items()}


def read_timeline(session: Session, course_id: int) -> CourseTimeline:
    """Build the timeline inside an open session (five indexed queries)."""
    course = live(session, Course, course_id, "course")
    patient = live(session, Patient, course.patient_id, "patient")
    sessions = [
        session_record(r)
        for r in session.exec(
            select(TreatmentSession)
            .where(
                TreatmentSession.course_id == course_id, col(TreatmentSession.deleted_at).is_(None)
            )
            .order_by(col(TreatmentSession.performed_at), col(TreatmentSession.number))
        )
    ]
    by_id = {s.id: s for s in sessions}
    actions = _actions(session, course_id)
    assessments = [
        assessment_record(r, by_id, actions.get(r.id or 0, ()))
        for r in session.exec(
            select(Assessment)
            .where(Assessment.course_id == course_id, col(Assessment.deleted_at).is_(None))
            .order_by(col(Assessment.assessed_at), col(Assessment.id))
        )
    ]
    events = [
        event_record(r)
        for r in session.exec(
            select(Event)
            .where(Event.course_id == course_id, col(Event.deleted_at).is_(None))
            .order_by(col(Event.occurred_on), col(Event.id))
        )
    ]
    return CourseTimeline(
        patient_info(patient),
        course_info(course),
        tuple(sessions),
        tuple(assessments),
        tuple(events),
    )


def load_timeline(db: Database, course_id: CourseId) -> CourseTimeline:
    with db.read() as session:
        return read_timeline(session, course_id)


def latest_course_id(db: Database, patient_id: PatientId) -> CourseId | None:
    """The patient's active course, else the most recent one, else None."""
    with db.read() as session:
        query = (
            select(Course.id, Course.status)
            .where(Course.patient_id == patient_id, col(Course.deleted_at).is_(None))
            .order_by(col(Course.start_date).desc(), col(Course.id).desc())
        )
        rows = list(session.exec(query))
    active = [cid for cid, status in rows if status == "active"]
    chosen = active[0] if active else (rows[0][0] if rows else None)
    return CourseId(chosen) if chosen is not None else None
