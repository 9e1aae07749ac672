"""Record, correct and delete course events: hospitalizations, ED visits, adverse events,
dropouts.

A course has at most one live dropout: recording one and then ending the course as
discontinued (or the other way round) keeps that one event, and its reason is the
course's discontinuation reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import CourseId, CourseStatus, DropoutReason, EventId, EventKind
from ..domain.errors import ValidationError
from ..domain.limits import NOTES_MAX
from ..domain.timeline import EventRecord
from ..storage.db import Database
from ..storage.mappers import event_record
from ..storage.tables import Course, Event, Patient
from ._rows import bump, delete_row, live, not_before_birth, restore_row
from .access import requires
from .validation import calendar_date, choice, not_before, optional_choice, refuse, text


@dataclass(frozen=True, slots=True)
class EventInput:
    """An event as entered (a dropout needs a reason category)."""

    kind: EventKind
    when: date
    reason: DropoutReason | None = None
    description: str = ""


def _checked(data: EventInput) -> EventInput:
    kind = choice(data.kind, EventKind, "kind", "Event")
    reason = optional_choice(data.reason, DropoutReason, "reason", "Reason")
    when = calendar_date(data.when, "when", "Event date")
    description = text(data.description, "description", "Description", NOTES_MAX, multiline=True)
    if kind == EventKind.DROPOUT and reason is None:
        allowed = ", ".join(r.label.lower() for r in DropoutReason)
        raise ValidationError(f"A dropout needs a reason: {allowed}", field="reason")
    return EventInput(kind, when, reason, description)


def live_dropout(session: Session, course_id: int, other_than: int | None = None) -> Event | None:
    """The course's live dropout event, if any (``other_than`` excludes one event)."""
    query = select(Event).where(
        Event.course_id == course_id,
        Event.kind == str(EventKind.DROPOUT),
        col(Event.deleted_at).is_(None),
        col(Event.id) != (other_than or 0),
    )
    return session.exec(query).first()


def _refuse_second_dropout(session: Session, course_id: int, own_id: int | None = None) -> None:
    found = live_dropout(session, course_id, own_id)
    if found is not None:
        reason = DropoutReason(found.reason).label.lower() if found.reason else "no reason"
        refuse(
            "kind",
            "Event",
            f"this course already has a dropout ({found.occurred_on:%Y-%m-%d}, {reason})",
            "one dropout per course (correct or delete the one recorded)",
        )


def _check_dates(session: Session, course: Course, when: date) -> None:
    patient = live(session, Patient, course.patient_id, "patient")
    not_before_birth(when, patient.date_of_birth, "when", "Event date")
    not_before(when, course.start_date, "when", "Event date", "the course start")


@requires(Action.RECORD_EVENTS)
def record_event(
    db: Database,
    course_id: CourseId,
    kind: EventKind,
    when: date,
    *,
    reason: DropoutReason | None = None,
    description: str = "",
) -> EventRecord:
    """Save an event; a dropout needs a reason category, and a course has one dropout.

    The date must fall in the course (from its start to today) and in the patient's life.
    """
    data = _checked(EventInput(kind, when, reason, description))
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        _check_dates(session, course, data.when)
        if data.kind == EventKind.DROPOUT:
            _refuse_second_dropout(session, course_id)
        row = Event(
            course_id=course_id,
            kind=str(data.kind),
            occurred_on=data.when,
            reason=str(data.reason) if data.reason else None,
            description=data.description,
        )
        session.add(row)
        session.flush()
        return event_record(row)


@requires(Action.RECORD_EVENTS)
def correct_event(
    db: Database, event_id: EventId, data: EventInput, *, expected_version: int
) -> EventRecord:
    """Correct an event; the change log keeps the old values.

    Correcting the dropout of a discontinued course changes the course's
    discontinuation reason with it, so the two never disagree.
    """
    data = _checked(data)
    with db.write() as session:
        row = live(session, Event, event_id, "event")
        course = live(session, Course, row.course_id, "course")
        _check_dates(session, course, data.when)
        if data.kind == EventKind.DROPOUT:
            _refuse_second_dropout(session, row.course_id, row.id)
        bump(row, expected_version, "event")
        row.kind, row.occurred_on = str(data.kind), data.when
        row.reason = str(data.reason) if data.reason else None
        row.description = data.description
        session.add(row)
        _follow_dropout(session, course, row)
        session.flush()
        return event_record(row)


def _follow_dropout(session: Session, course: Course, row: Event) -> None:
    """A discontinued course takes the reason of its (corrected) dropout event."""
    dropout = row.kind == str(EventKind.DROPOUT) and row.reason
    discontinued = course.status == str(CourseStatus.DISCONTINUED)
    if discontinued and dropout and course.discontinue_reason != row.reason:
        course.discontinue_reason = row.reason
        course.version += 1
        session.add(course)


@requires(Action.RECORD_EVENTS)
def delete_event(db: Database, event_id: EventId, *, expected_version: int) -> None:
    """Soft delete an event recorded in error; restorable, and kept in the change log."""
    delete_row(db, Event, event_id, "event", expected_version)


@requires(Action.RECORD_EVENTS)
def restore_event(db: Database, event_id: EventId) -> EventRecord:
    """Undo a soft delete; refused when the course has another dropout by now."""
    with db.write() as session:
        old = session.get(Event, event_id)
        deleted = old is not None and old.deleted_at is not None
        if deleted and old is not None and old.kind == str(EventKind.DROPOUT):
            _refuse_second_dropout(session, old.course_id, old.id)
        return event_record(restore_row(session, Event, event_id, "event"))
