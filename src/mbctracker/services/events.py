"""Record course events: hospitalizations, ED visits, adverse events, dropouts."""

from __future__ import annotations

from datetime import date

from ..domain.course import CourseId, DropoutReason, EventKind
from ..domain.errors import ValidationError
from ..domain.timeline import EventRecord
from ..storage.db import Database
from ..storage.mappers import event_record
from ..storage.tables import Course, Event
from ._rows import live, not_in_future


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
