"""Load a course's whole record as a domain :class:`CourseTimeline`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from ..domain.course import CourseId, PatientId
from ..domain.errors import ValidationError
from ..domain.timeline import (
    AssessmentRecord,
    CourseInfo,
    CourseTimeline,
    SafetyAction,
    SessionRecord,
)
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


def _sessions(session: Session, course_id: int) -> list[SessionRecord]:
    query = (
        select(TreatmentSession)
        .where(TreatmentSession.course_id == course_id, col(TreatmentSession.deleted_at).is_(None))
        .order_by(col(TreatmentSession.performed_at), col(TreatmentSession.number))
    )
    return [session_record(r) for r in session.exec(query)]


def _assessments(
    session: Session, course: CourseInfo, sessions: list[SessionRecord], *, flagged_only: bool
) -> list[AssessmentRecord]:
    """Live assessments of a course, re-scored and checked (see ``mappers.checked_score``)."""
    query = select(Assessment).where(
        Assessment.course_id == course.id, col(Assessment.deleted_at).is_(None)
    )
    if flagged_only:
        query = query.where(col(Assessment.safety_flag))
    rows = session.exec(query.order_by(col(Assessment.assessed_at), col(Assessment.id)))
    by_id = {s.id: s for s in sessions}
    actions = _actions(session, course.id)
    return [assessment_record(r, by_id, actions.get(r.id or 0, ()), course.settings) for r in rows]


def read_timeline(session: Session, course_id: int) -> CourseTimeline:
    """Build the timeline inside an open session (a handful of indexed queries)."""
    course = course_info(live(session, Course, course_id, "course"))
    patient = live(session, Patient, course.patient_id, "patient")
    sessions = _sessions(session, course_id)
    assessments = _assessments(session, course, sessions, flagged_only=False)
    events = [
        event_record(r)
        for r in session.exec(
            select(Event)
            .where(Event.course_id == course_id, col(Event.deleted_at).is_(None))
            .order_by(col(Event.occurred_on), col(Event.id))
        )
    ]
    other_flags, other_courses = _other_open_flags(session, course)
    return CourseTimeline(
        patient_info(patient),
        course,
        tuple(sessions),
        tuple(assessments),
        tuple(events),
        other_flags,
        other_courses,
    )


def _other_open_flags(
    session: Session, course: CourseInfo
) -> tuple[tuple[AssessmentRecord, ...], tuple[CourseInfo, ...]]:
    """Open flags of the patient's other live courses: a flag follows the patient."""
    query = select(Course).where(
        Course.patient_id == course.patient_id,
        Course.id != course.id,
        col(Course.deleted_at).is_(None),
    )
    flags: list[AssessmentRecord] = []
    courses: list[CourseInfo] = []
    for other in (course_info(row) for row in session.exec(query)):
        found = [
            a
            # All rows, not only stored-flagged ones: a row whose flag columns were
            # cleared outside the app still flags from its items (checked_score).
            for a in _assessments(session, other, _sessions(session, other.id), flagged_only=False)
            if a.flag_open
        ]
        if found:
            flags += found
            courses.append(other)
    return tuple(flags), tuple(courses)


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


def refuse_hiding_open_flags(session: Session, course_ids: Sequence[int], what: str) -> None:
    """Deleting a course or patient would hide its open flags: ask for the action first.

    A flag stays visible until an action is recorded; an assessment entered in
    error can still be deleted on its own (that is a decision about that record).
    """
    for course_id in course_ids:
        timeline = read_timeline(session, course_id)
        own = [a for a in timeline.open_flags if a.course_id == course_id]
        if own:
            first = own[0]
            raise ValidationError(
                f"This {what} has {len(own)} open safety flag(s) (first: {first.instrument} "
                f"of {first.when:%Y-%m-%d}). Record the action taken, or delete that "
                f"assessment if it was entered in error, before deleting the {what}.",
                field=what,
            )
