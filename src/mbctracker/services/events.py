"""Record course events: hospitalizations, ED visits, adverse events, dropouts."""

from __future__ import annotations

from datetime import date

from ..domain.course import CourseId, DropoutReason, EventId, EventKind
from ..domain.errors import ValidationError
from ..domain.limits import NOTES_MAX
from ..domain.timeline import EventRecord
from ..storage.db import Database
from ..storage.mappers import event_record
from ..storage.tables import Course, Event, Patient
from ._rows import delete_row, live, not_before_birth, restore_row
from .validation import calendar_date, choice, not_before, optional_choice, text


def record_event(
    db: Database,
    course_id: CourseId,
    kind: EventKind,
    when: date,
    *,
    reason: DropoutReason | None = None,
    description: str = "",
) -> EventRecord:
    """Save an event; a dropout needs a reason category.

    The date must fall in the course (from its start to today) and in the patient's life.
    """
    kind = choice(kind, EventKind, "kind", "Event")
    reason = optional_choice(reason, DropoutReason, "reason", "Reason")
    when = calendar_date(when, "when", "Event date")
    description = text(description, "description", "Description", NOTES_MAX, multiline=True)
    if kind == EventKind.DROPOUT and reason is None:
        allowed = ", ".join(r.label.lower() for r in DropoutReason)
        raise ValidationError(f"A dropout needs a reason: {allowed}", field="reason")
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        patient = live(session, Patient, course.patient_id, "patient")
        not_before_birth(when, patient.date_of_birth, "when", "Event date")
        not_before(when, course.start_date, "when", "Event date", "the course start")
        row = Event(
            course_id=course_id,
            kind=str(kind),
            occurred_on=when,
            reason=str(reason) if reason else None,
            description=description,
        )
        session.add(row)
        session.flush()
        return event_record(row)


def delete_event(db: Database, event_id: EventId, *, expected_version: int) -> None:
    """Soft delete an event recorded in error; restorable, and kept in the change log."""
    delete_row(db, Event, event_id, "event", expected_version)


def restore_event(db: Database, event_id: EventId) -> EventRecord:
    with db.write() as session:
        return event_record(restore_row(session, Event, event_id, "event"))
