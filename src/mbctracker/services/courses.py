"""Start a course, move it between phases, complete or discontinue it."""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import (
    CourseId,
    CourseStatus,
    DropoutReason,
    EventKind,
    Modality,
    PatientId,
    Phase,
)
from ..domain.errors import ValidationError
from ..domain.limits import NOTES_MAX, PLANNED_SESSIONS_MAX
from ..domain.settings import DEFAULT_SETTINGS, ClinicSettings
from ..domain.timeline import CourseInfo
from ..storage.db import Database
from ..storage.mappers import course_info
from ..storage.tables import Course, Event, Patient
from ._rows import (
    blank,
    bump,
    delete_row,
    hidden_columns,
    leave_out,
    live,
    not_before_birth,
    restore_row,
)
from .access import requires
from .events import live_dropout
from .schedule import (
    add_phase_change,
    move_phase_change,
    remove_phase_change,
    set_course_phase,
    settle_course,
)
from .timeline import refuse_hiding_open_flags
from .validation import (
    calendar_date,
    choice,
    not_before,
    optional_choice,
    refuse,
    text,
    whole_number,
)


@requires(Action.SCHEDULE_COURSE)
def start_course(
    db: Database,
    patient_id: PatientId,
    modality: Modality,
    start_date: date,
    planned_sessions: int,
    settings: ClinicSettings = DEFAULT_SETTINGS,
    notes: str = "",
) -> CourseInfo:
    """Open a new active course; the thresholds in force are stored with it."""
    modality = choice(modality, Modality, "modality", "Modality")
    start_date = calendar_date(start_date, "start_date", "Start date")
    planned_sessions = whole_number(
        planned_sessions, "planned_sessions", "Planned sessions", 1, PLANNED_SESSIONS_MAX
    )
    notes = text(notes, "notes", "Course notes", NOTES_MAX, multiline=True)
    with db.write() as session:
        patient = live(session, Patient, patient_id, "patient", hidden_columns(db, Patient))
        not_before_birth(start_date, patient.date_of_birth, "start_date", "Start date")
        row = Course(
            patient_id=patient_id,
            modality=str(modality),
            start_date=start_date,
            planned_sessions=planned_sessions,
            settings_json=settings.to_json(),
            notes=notes,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        add_phase_change(session, row, Phase.INDUCTION, start_date)
        return course_info(row)


@requires(Action.VIEW_PATIENTS)
def list_courses(db: Database, patient_id: PatientId) -> list[CourseInfo]:
    """All of a patient's courses, newest first; past ones stay readable."""
    with db.read() as session:
        return read_courses(session, db, patient_id)


def read_courses(session: Session, db: Database, patient_id: PatientId) -> list[CourseInfo]:
    """:func:`list_courses` inside an open read."""
    hidden = hidden_columns(db, Course)
    query = (
        select(Course)
        .where(Course.patient_id == patient_id, col(Course.deleted_at).is_(None))
        .order_by(col(Course.start_date).desc(), col(Course.id).desc())
        .options(*leave_out(Course, hidden))
    )
    return [course_info(blank(r, hidden)) for r in session.exec(query)]


@requires(Action.VIEW_PATIENTS)
def get_course(db: Database, course_id: CourseId) -> CourseInfo:
    hidden = hidden_columns(db, Course)
    with db.read() as session:
        return course_info(live(session, Course, course_id, "course", hidden))


@requires(Action.EDIT_COURSE)
def set_phase(
    db: Database,
    course_id: CourseId,
    phase: Phase,
    *,
    expected_version: int,
    started_on: date | None = None,
) -> CourseInfo:
    """Date a phase change (today unless ``started_on``); sessions from then on follow it."""
    phase = choice(phase, Phase, "phase", "Phase")
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        bump(row, expected_version, "course")
        set_course_phase(session, row, phase, started_on)
        session.add(row)
        session.flush()
        return course_info(row)


@requires(Action.EDIT_COURSE)
def redate_phase_change(
    db: Database,
    course_id: CourseId,
    day: date,
    phase: Phase,
    started_on: date,
    *,
    expected_version: int,
) -> CourseInfo:
    """Move the phase change dated ``day`` to ``started_on`` and/or another phase."""
    phase = choice(phase, Phase, "phase", "Phase")
    started_on = calendar_date(started_on, "started_on", "Phase start")
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        bump(row, expected_version, "course")
        move_phase_change(
            session, row, calendar_date(day, "day", "Phase change"), phase, started_on
        )
        settle_course(session, row)
        session.add(row)
        session.flush()
        return course_info(row)


@requires(Action.EDIT_COURSE)
def delete_phase_change(
    db: Database, course_id: CourseId, day: date, *, expected_version: int
) -> CourseInfo:
    """Remove the phase change dated ``day`` (entered in error); the change log keeps it."""
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        bump(row, expected_version, "course")
        remove_phase_change(session, row, calendar_date(day, "day", "Phase change"))
        settle_course(session, row)
        session.add(row)
        session.flush()
        return course_info(row)


@requires(Action.EDIT_COURSE)
def end_course(
    db: Database,
    course_id: CourseId,
    status: CourseStatus,
    end_date: date,
    *,
    expected_version: int,
    reason: DropoutReason | None = None,
    description: str = "",
) -> CourseInfo:
    """Complete or discontinue a course; a discontinuation needs a reason and logs a dropout.

    When the course already has a dropout event (recorded first, as happens when a
    patient calls to stop), that event is the dropout: none is added, and its reason
    is used when none is given (a different one is refused: correct the event).
    """
    status = choice(status, CourseStatus, "status", "Status")
    reason = optional_choice(reason, DropoutReason, "reason", "Reason")
    end_date = calendar_date(end_date, "end_date", "End date")
    description = text(description, "description", "Description", NOTES_MAX, multiline=True)
    if status == CourseStatus.ACTIVE:
        raise ValidationError("Use completed or discontinued to end a course", field="status")
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        dropout = live_dropout(session, course_id)
        if status == CourseStatus.DISCONTINUED:
            reason = _dropout_reason(reason, dropout)
        not_before(end_date, row.start_date, "end_date", "End date", "the course start")
        bump(row, expected_version, "course")
        row.status, row.end_date = str(status), end_date
        row.discontinue_reason = str(reason) if reason else None
        session.add(row)
        if status == CourseStatus.DISCONTINUED and dropout is None:
            session.add(
                Event(
                    course_id=course_id,
                    kind=str(EventKind.DROPOUT),
                    occurred_on=end_date,
                    reason=str(reason),
                    description=description,
                )
            )
        session.flush()
        return course_info(row)


def _dropout_reason(given: DropoutReason | None, dropout: Event | None) -> DropoutReason:
    """The discontinuation reason: as given, else the recorded dropout's; never two."""
    recorded = DropoutReason(dropout.reason) if dropout is not None and dropout.reason else None
    if given is None and recorded is None:
        allowed = ", ".join(r.label.lower() for r in DropoutReason)
        raise ValidationError(f"A discontinuation needs a reason: {allowed}", field="reason")
    if given is not None and recorded is not None and given != recorded and dropout is not None:
        refuse(
            "reason",
            "Reason",
            f"{given.label.lower()} differs from the dropout recorded on "
            f"{dropout.occurred_on:%Y-%m-%d} ({recorded.label.lower()})",
            f"{recorded.label.lower()} (or correct that event first)",
        )
    chosen = given or recorded
    assert chosen is not None
    return chosen


@requires(Action.EDIT_COURSE)
def reopen_course(db: Database, course_id: CourseId, *, expected_version: int) -> CourseInfo:
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        bump(row, expected_version, "course")
        row.status, row.end_date, row.discontinue_reason = str(CourseStatus.ACTIVE), None, None
        session.add(row)
        session.flush()
        return course_info(row)


@requires(Action.VIEW_RECORD)
def active_course_ids(db: Database) -> list[CourseId]:
    """Every active course, for batch reports."""
    with db.read() as session:
        query = select(Course.id).where(
            Course.status == str(CourseStatus.ACTIVE), col(Course.deleted_at).is_(None)
        )
        return [CourseId(i) for i in session.exec(query) if i is not None]


@requires(Action.EDIT_COURSE)
def delete_course(db: Database, course_id: CourseId, *, expected_version: int) -> None:
    """Soft delete a course opened in error; its records stay and it can be restored.

    Refused while the course holds an open safety flag: deleting must never hide one.
    """
    check = partial(refuse_hiding_open_flags, course_ids=[course_id], what="course")
    delete_row(db, Course, course_id, "course", expected_version, check)


@requires(Action.EDIT_COURSE)
def restore_course(db: Database, course_id: CourseId) -> CourseInfo:
    with db.write() as session:
        return course_info(restore_row(session, Course, course_id, "course"))


SESSION_INTERVAL_MAX = 365


@requires(Action.SCHEDULE_COURSE)
def set_session_interval(
    db: Database, course_id: CourseId, days: int | None, *, expected_version: int
) -> CourseInfo:
    """This course's days between sessions (None: the clinic's default for its phase).

    The Today view lists the course as due this many days after its last session.
    """
    if days is not None:
        days = whole_number(
            days, "session_interval_days", "Session interval (days)", 1, SESSION_INTERVAL_MAX
        )
    return set_course_value(
        db, course_id, "session_interval_days", days, expected_version=expected_version
    )


def set_course_value(
    db: Database, course_id: CourseId, name: str, value: object, *, expected_version: int
) -> CourseInfo:
    """Set one course column the caller has already checked: versioned (a stale save is
    refused), change-logged by the session hook, in one transaction."""
    with db.write() as session:
        row = live(session, Course, course_id, "course")
        bump(row, expected_version, "course")
        setattr(row, name, value)
        session.add(row)
        session.flush()
        return course_info(row)
