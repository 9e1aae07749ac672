"""Record course events: hospitalizations, ED visits, adverse events, dropouts."""

from __future__ import annotations

from datetime import date

from ..domain.course import CourseId, DropoutReason, EventId, EventKind
from ..domain.errors import ValidationError
from ..domain.timeline import EventRecord
from ..storage.db import Database
from ..storage.mappers import event_record
from ..storage.tables import Course, Event
from ._rows import delete_row, live, not_in_future, restore_row


def record_event(
    db: Database,
    course_id: CourseId,
    kind: EventKind,
    when: date,
    *,
    reason: DropoutReason | None = None,
    description: str = "",
) -> EventRecord:
    """Save an event; a dropout needs a reason category."""
    kind = EventKind(kind)
    if kind == EventKind.DROPOUT and reason is None:
        allowed = ", ".join(r.label.lower() for r in DropoutReason)
        raise ValidationError(f"A dropout needs a reason: {allowed}", field="reason")
    not_in_future(when, "when", "Event date")
    with db.write() as session:
        live(session, Course, course_id, "course")
        row = Event(
            course_id=course_id,
            kind=str(kind),
            occurred_on=when,
            reason=str(DropoutReason(reason)) if reason else None,
            description=description.strip(),
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
