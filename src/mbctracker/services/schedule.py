"""Keep a course's timeline in clinic order inside the caller's write transaction.

After every change to a course's sessions (recorded, re-dated, deleted, restored)
or phases, :func:`settle_course` renumbers the sessions by date, gives each
session the phase in force on its day and re-links the pre-session scores that
follow the clinic's rule (``domain.schedule``). Numbers, phases and links are
derived facts: they are rewritten without a version bump (no open window holds
them as its own edit), and the change log records every rewrite.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import AssessmentId, Phase, SessionId, Timepoint
from ..domain.errors import ValidationError
from ..domain.schedule import (
    PhaseChange,
    SessionDays,
    changes_from_sessions,
    effective_changes,
    link_target,
    numbers_by_date,
    phase_on,
)
from ..domain.settings import ClinicSettings
from ..storage.db import Database
from ..storage.mappers import phase_change, to_local
from ..storage.tables import Assessment, Course, CoursePhaseChange, TreatmentSession
from ._rows import bump, live, soft_delete
from .access import requires
from .validation import calendar_date, not_before, record_id, refuse


def live_sessions(session: Session, course_id: int) -> list[TreatmentSession]:
    """The course's live sessions in date order (recording order for the same minute)."""
    query = (
        select(TreatmentSession)
        .where(TreatmentSession.course_id == course_id, col(TreatmentSession.deleted_at).is_(None))
        .order_by(col(TreatmentSession.performed_at), col(TreatmentSession.id))
    )
    return list(session.exec(query))


def session_times(session: Session, course_id: int) -> list[tuple[int, datetime]]:
    """(id, local time) of the course's live sessions: all the link rule needs.

    Loading every session as a mapped object to link one new score was a fifth of a
    save on a 300-session course.
    """
    table = inspect(TreatmentSession).local_table
    query = (
        core_select(table.c.id, table.c.performed_at)
        .where(table.c.course_id == course_id, table.c.deleted_at.is_(None))
        .order_by(table.c.performed_at, table.c.id)  # same minute: recording order
    )
    return [(found.id, _local(found.performed_at)) for found in session.execute(query)]


def _change_rows(session: Session, course_id: int) -> list[CoursePhaseChange]:
    query = select(CoursePhaseChange).where(
        CoursePhaseChange.course_id == course_id, col(CoursePhaseChange.deleted_at).is_(None)
    )
    return list(session.exec(query.order_by(col(CoursePhaseChange.id))))


def phase_changes(session: Session, course: Course) -> list[PhaseChange]:
    """The course's phase changes; a course without any (an older file) gets its sessions'.

    The changes read back from the sessions are stored, so from then on they are
    the one record.
    """
    assert course.id is not None
    rows = _change_rows(session, course.id)
    if rows:
        return effective_changes([phase_change(r) for r in rows])
    table = inspect(TreatmentSession).local_table  # two columns: the front desk reads no details
    query = (
        core_select(table.c.performed_at, table.c.phase)
        .where(table.c.course_id == course.id, table.c.deleted_at.is_(None))
        .order_by(table.c.performed_at, table.c.id)
    )
    marks = [(to_local(when), Phase(phase)) for when, phase in session.execute(query)]
    changes = changes_from_sessions(course.start_date, marks, Phase(course.phase))
    for change in changes:
        session.add(_row(course.id, change))
    return changes


def _row(course_id: int, change: PhaseChange) -> CoursePhaseChange:
    return CoursePhaseChange(
        course_id=course_id, phase=str(change.phase), started_on=change.started_on
    )


def phase_at(session: Session, course: Course, day: date) -> Phase:
    """The phase in force on ``day``: what a new session on that day defaults to."""
    return phase_on(phase_changes(session, course), day, Phase(course.phase))


def add_phase_change(session: Session, course: Course, phase: Phase, started_on: date) -> None:
    """Record that the course entered ``phase`` on ``started_on`` (replacing that day's).

    Refused before the course start (nothing happens in a course before it).
    """
    assert course.id is not None
    not_before(started_on, course.start_date, "started_on", "Phase start", "the course start")
    changes = phase_changes(session, course)  # an older course stores its sessions' first
    session.flush()
    same_day = [r for r in _change_rows(session, course.id) if r.started_on == started_on]
    if not same_day and phase_on(changes, started_on, phase) == phase:
        return  # already in force that day: nothing to date
    for row in same_day:
        if row.phase == str(phase):
            return
        soft_delete(row)
        session.add(row)
    session.add(_row(course.id, PhaseChange(phase, started_on)))
    session.flush()


def move_phase_change(
    session: Session, course: Course, day: date, phase: Phase, started_on: date
) -> None:
    """Re-date or re-phase the change dated ``day`` (the clinic back-fills phases).

    The phase at the course start is the course's own start: it may change phase
    but not date (the course start is edited with the course). Moving onto another
    change's day is refused rather than silently replacing that change.
    """
    assert course.id is not None
    days = _change_days(session, course, day)
    label = "Phase start"
    if day == course.start_date and started_on != day:
        start = f"{course.start_date:%Y-%m-%d} (the course start; edit the course to move it)"
        refuse("started_on", label, "the first phase starts with the course", start)
    not_before(started_on, course.start_date, "started_on", label, "the course start")
    if started_on != day and started_on in days:
        refuse(
            "started_on",
            label,
            f"another phase change is dated {started_on:%Y-%m-%d}",
            "a day without a phase change, or remove that change first",
        )
    _drop_day(session, course.id, day)
    session.add(_row(course.id, PhaseChange(phase, started_on)))
    session.flush()


def remove_phase_change(session: Session, course: Course, day: date) -> None:
    """Remove the change dated ``day``; its sessions fall back to the phase before it."""
    assert course.id is not None
    _change_days(session, course, day)
    if day == course.start_date:
        refuse(
            "started_on",
            "Phase change",
            "the phase at the course start cannot be removed",
            "change its phase instead, or remove a later change",
        )
    _drop_day(session, course.id, day)
    session.flush()


def _change_days(session: Session, course: Course, day: date) -> set[date]:
    """The days the course's phase changes are dated; refused (listing them) when none
    is dated ``day``."""
    days = [c.started_on for c in phase_changes(session, course)]
    if day not in days:
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in days)
        refuse("started_on", "Phase change", f"none is dated {day:%Y-%m-%d}", shown)
    session.flush()  # an older course's changes, just read back from its sessions
    return set(days)


def _drop_day(session: Session, course_id: int, day: date) -> None:
    for row in _change_rows(session, course_id):
        if row.started_on == day:
            soft_delete(row)
            session.add(row)


def settle_course(session: Session, course: Course) -> None:
    """Numbers by date, phases from the dated changes, automatic links re-applied.

    The course's own phase becomes the latest change's.
    """
    assert course.id is not None
    changes = phase_changes(session, course)
    if changes and course.phase != str(changes[-1].phase):
        course.phase = str(changes[-1].phase)
        session.add(course)
    sessions = live_sessions(session, course.id)
    numbers = numbers_by_date([(s.id, s.performed_at) for s in sessions])
    for row in sessions:
        phase = str(phase_on(changes, to_local(row.performed_at).date(), Phase(course.phase)))
        if (row.number, row.phase) != (numbers[row.id], phase):
            row.number, row.phase = numbers[row.id], phase
            session.add(row)
    session.flush()
    _relink(session, course, sessions)


def _relink(session: Session, course: Course, sessions: list[TreatmentSession]) -> None:
    """Apply the link rule to every pre-session score not linked by hand.

    A hand-made link to a session since deleted goes back to the rule.
    """
    window = ClinicSettings.from_json(course.settings_json).link_window_days
    dated = [(s.id, to_local(s.performed_at)) for s in sessions]
    alive = {s.id for s in sessions}
    days = SessionDays(dated)  # grouped once: a long course has hundreds of scores
    table = inspect(Assessment).local_table
    query = core_select(
        table.c.id, table.c.assessed_at, table.c.session_id, table.c.link_manual, table.c.timepoint
    ).where(table.c.course_id == course.id, table.c.deleted_at.is_(None))
    for found in session.execute(query).all():
        if found.link_manual and (found.session_id is None or found.session_id in alive):
            continue
        target = None
        if found.timepoint == str(Timepoint.PRE_SESSION):
            target = days.target(_local(found.assessed_at), window)
        if (found.session_id, bool(found.link_manual)) != (target, False):
            row = session.get(Assessment, found.id)  # through the ORM: the change log sees it
            assert row is not None
            row.session_id, row.link_manual = target, False
            session.add(row)
    session.flush()


def _local(stored: object) -> datetime:
    """A plain row's UTC timestamp (datetime, or text from SQLite) as local time."""
    value = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return to_local(value)


def apply_link_rule(session: Session, course: Course, row: Assessment) -> None:
    """Link one new or re-dated assessment by the rule, unless its link was set by hand."""
    if row.link_manual:
        return
    assert course.id is not None
    row.session_id = None
    if row.timepoint == str(Timepoint.PRE_SESSION):
        window = ClinicSettings.from_json(course.settings_json).link_window_days
        row.session_id = link_target(
            session_times(session, course.id), to_local(row.assessed_at), window
        )


@requires(Action.RECORD_SCORES)
def link_assessment(
    db: Database,
    assessment_id: AssessmentId,
    session_id: SessionId | None,
    *,
    automatic: bool = False,
    expected_version: int,
) -> None:
    """Link an assessment to a session by hand, unlink it (None), or hand it back to the rule.

    A hand-made link stays as set when sessions change; it must be to a live
    session of the same course, and the assessment must not be dated after the
    session that follows the linked one.
    """
    if session_id is not None:
        session_id = SessionId(record_id(session_id, "session_id", "Session"))
    with db.write() as session:
        row = live(session, Assessment, assessment_id, "assessment")
        course = live(session, Course, row.course_id, "course")
        if session_id is not None and not automatic:
            _check_link(session, row, session_id)
        bump(row, expected_version, "assessment")
        row.session_id, row.link_manual = (None, False) if automatic else (session_id, True)
        session.add(row)
        session.flush()
        settle_course(session, course)


def _check_link(session: Session, row: Assessment, session_id: SessionId) -> None:
    target = live(session, TreatmentSession, session_id, "session")
    if target.course_id != row.course_id:
        raise ValidationError("The linked session belongs to another course", field="session_id")
    sessions = live_sessions(session, row.course_id)
    later = [s for s in sessions if s.performed_at > target.performed_at]
    earlier = [s for s in sessions if s.performed_at < target.performed_at]
    assessed = to_local(row.assessed_at)
    if later and row.assessed_at > later[0].performed_at:
        _refuse_link(assessed, "after", later[0], "that session or a later one")
    if earlier and row.assessed_at < earlier[-1].performed_at:
        _refuse_link(assessed, "before", earlier[-1], "that session or an earlier one")


def _refuse_link(assessed: datetime, side: str, other: TreatmentSession, allowed: str) -> None:
    """Scores belong between the session before and the session after the one they precede."""
    moment = to_local(other.performed_at)
    raise ValidationError(
        f"Session: an assessment of {assessed:%Y-%m-%d %H:%M} comes {side} session "
        f"{other.number} ({moment:%Y-%m-%d %H:%M}); allowed: {allowed}",
        field="session_id",
    )


def set_course_phase(
    session: Session, course: Course, phase: Phase, started_on: date | None
) -> None:
    """Date a phase change (today unless given) and settle the course around it."""
    day = calendar_date(started_on or date.today(), "started_on", "Phase start")
    add_phase_change(session, course, phase, day)
    settle_course(session, course)
