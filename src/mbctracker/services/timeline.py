"""Load a course's whole record as a domain :class:`CourseTimeline`.

One loader serves every screen: the course view, the PDF and the services read a
course in full (:data:`FULL`); the patient list reads a page of courses at once
in the lighter :data:`LIST` scope. The scope says what is left out, so a reader
sees why a list row's timeline has no events.
"""

from __future__ import annotations

import functools
from collections import defaultdict, namedtuple
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from ..domain.access import Action
from ..domain.course import CourseId, PatientId, SessionId
from ..domain.errors import ValidationError
from ..domain.procedure import VitalSigns
from ..domain.schedule import PhaseChange
from ..domain.timeline import (
    AssessmentRecord,
    CourseInfo,
    CourseTimeline,
    EventRecord,
    PatientInfo,
    SafetyAction,
    SessionRecord,
)
from ..storage.db import Database
from ..storage.errors import DamagedRecordError
from ..storage.mappers import (
    assessment_record,
    course_info,
    event_record,
    patient_info,
    phase_change,
    safety_action,
    session_record,
    vital_signs,
)
from ..storage.summaries import keep_from
from ..storage.tables import (
    Assessment,
    Course,
    CoursePhaseChange,
    Event,
    Patient,
    SafetyActionRow,
    TreatmentSession,
    VitalSign,
    core_table,
)
from ._rows import live
from .access import requires


@dataclass(frozen=True, slots=True)
class Scope:
    """What a timeline load reads.

    Attributes:
        instruments: the instrument codes to load, or None for all.
        events: read the course events.
        actions: read the safety actions (a record's ``flag_open`` then follows them).
        check: re-score every assessment (``mappers.checked_score``); off only where
            the stored score is enough (the list's latest totals).
        other_flags: read the open flags of the patient's other courses.
        plain_rows: read plain Core rows, without the ORM's per-object cost (a third
            of a 300-session course's read went to building ORM objects); each row
            carries its table's name, so a damaged one is named as before.
        session_details: parse each session's details, side effects and as-needed
            medication, and read their vitals; the list needs only numbers, dates and
            phases (a fifth of a page's time went to that JSON).
    """

    instruments: tuple[str, ...] | None = None
    events: bool = True
    actions: bool = True
    check: bool = True
    other_flags: bool = True
    plain_rows: bool = True
    session_details: bool = True


FULL = Scope()
"""Everything: the course view, the PDF, the services' checks."""


_BOOKKEEPING = frozenset({"created_at", "updated_at", "deleted_at"})
"""Columns no record needs: plain rows skip them (three of four timestamp conversions)."""


def _live_rows(
    session: Session,
    entity: type[SQLModel],
    course_ids: Collection[int],
    order: tuple[str, ...],
    *,
    plain: bool = False,
    instruments: tuple[str, ...] | None = None,
) -> dict[int, list[Any]]:
    """Live rows of one per-course table for some courses, grouped by course, in ``order``.

    ``plain`` reads Core rows (same attributes) instead of mapped objects; ``instruments``
    keeps only those instrument codes (assessments).
    """
    query = _live_query(entity, order, plain, instruments is not None)
    params: dict[str, Any] = {"courses": list(course_ids)}
    if instruments is not None:
        params["instruments"] = list(instruments)
    rows: Iterable[Any]
    if plain:
        rows = map(_plain_row(entity)._make, session.execute(query, params))
    else:
        rows = session.exec(query, params=params).all()
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.course_id].append(row)
    return grouped


@functools.cache
def _live_query(
    entity: type[SQLModel], order: tuple[str, ...], plain: bool, by_instrument: bool
) -> Any:
    """The statement :func:`_live_rows` runs, built once with its values bound at run time.

    Building a statement and its cache key on every read was most of SQLAlchemy's own
    time on a patient switch (nine statements, ~0.13 ms each). A statement is immutable,
    so one serves every thread and both engines.
    """
    table = core_table(entity)
    conditions = [
        table.c.course_id.in_(bindparam("courses", expanding=True)),
        table.c.deleted_at.is_(None),
    ]
    if by_instrument:
        conditions.append(table.c.instrument.in_(bindparam("instruments", expanding=True)))
    ordering = [table.c[name] for name in order]
    if not plain:
        return select(entity).where(*conditions).order_by(*ordering)
    return core_select(*_plain_columns(entity)).where(*conditions).order_by(*ordering)


def _plain_columns(entity: type[SQLModel]) -> list[Any]:
    """The columns a plain row of ``entity`` carries, in the order :func:`_plain_row` names."""
    return [c for c in core_table(entity).c if c.name not in _BOOKKEEPING]


@functools.cache
def _plain_row(entity: type[SQLModel]) -> Any:
    """A named tuple holding one plain row of ``entity``, with its table's name.

    SQLAlchemy's ``Row`` looks an attribute up by key (~0.25 µs); mapping a
    300-session course reads ~12,000 of them, about a fifth of the read. A named
    tuple reads them by index at a tenth of that, and copying the row costs
    ~0.2 µs. ``__tablename__`` lets a damaged row be named as an ORM row is.
    """
    fields = [c.name for c in _plain_columns(entity)]
    base = namedtuple(f"{entity.__name__}Row", fields)  # type: ignore[misc]  # named per table
    return type(base.__name__, (base,), {"__slots__": (), "__tablename__": entity.__tablename__})


def _actions(session: Session, course_ids: Collection[int]) -> dict[int, tuple[SafetyAction, ...]]:
    """Live safety actions by the assessment they answer."""
    grouped: dict[int, list[SafetyAction]] = defaultdict(list)
    rows = _live_rows(session, SafetyActionRow, course_ids, ("taken_at", "id"))
    for row in (r for course in rows.values() for r in course):
        grouped[row.assessment_id].append(safety_action(row))
    return {key: tuple(value) for key, value in grouped.items()}


def _sessions(
    session: Session, course_ids: Collection[int], scope: Scope = FULL
) -> dict[int, list[SessionRecord]]:
    order = ("performed_at", "number")
    rows = _live_rows(session, TreatmentSession, course_ids, order, plain=scope.plain_rows)
    details = scope.session_details
    return {cid: [session_record(r, details=details) for r in found] for cid, found in rows.items()}


def _phase_changes(session: Session, course_ids: Collection[int]) -> dict[int, list[PhaseChange]]:
    rows = _live_rows(session, CoursePhaseChange, course_ids, ("started_on", "id"))
    return {cid: [phase_change(r) for r in found] for cid, found in rows.items()}


def _vitals(session: Session, course_ids: Collection[int]) -> dict[int, list[VitalSigns]]:
    rows = _live_rows(session, VitalSign, course_ids, ("session_id", "taken_at", "id"))
    return {cid: [vital_signs(r) for r in found] for cid, found in rows.items()}


def _events(session: Session, course_ids: Collection[int]) -> dict[int, list[EventRecord]]:
    rows = _live_rows(session, Event, course_ids, ("occurred_on", "id"))
    return {cid: [event_record(r) for r in found] for cid, found in rows.items()}


def _assessments(
    session: Session,
    courses: Mapping[CourseId, CourseInfo],
    sessions: Mapping[int, list[SessionRecord]],
    scope: Scope,
) -> dict[int, list[AssessmentRecord]]:
    """Live assessments of some courses, re-scored and checked unless ``scope`` says not."""
    order = ("assessed_at", "id")
    rows = _live_rows(
        session,
        Assessment,
        courses.keys(),
        order,
        plain=scope.plain_rows,
        instruments=scope.instruments,
    )
    actions = _actions(session, courses.keys()) if scope.actions else {}
    found: dict[int, list[AssessmentRecord]] = {}
    for cid, course_rows in rows.items():
        linked: dict[SessionId, SessionRecord] = {s.id: s for s in sessions.get(cid, ())}
        settings = courses[CourseId(cid)].settings
        found[cid] = [
            assessment_record(r, linked, actions.get(r.id, ()), settings, check=scope.check)
            for r in course_rows
        ]
    return found


def read_timelines(
    session: Session,
    courses: Sequence[CourseInfo],
    patients: Mapping[PatientId, PatientInfo],
    scope: Scope = FULL,
) -> dict[int, CourseTimeline]:
    """Timelines of several courses in a few queries (one per table, whatever the count)."""
    infos = {c.id: c for c in courses}
    if not infos:
        return {}
    sessions = _sessions(session, infos.keys(), scope)
    assessments = _assessments(session, infos, sessions, scope)
    events = _events(session, infos.keys()) if scope.events else {}
    phases = _phase_changes(session, infos.keys())
    vitals = _vitals(session, infos.keys()) if scope.session_details else {}
    timelines: dict[int, CourseTimeline] = {}
    for course in courses:
        others = _other_open_flags(session, course) if scope.other_flags else ((), ())
        timelines[course.id] = CourseTimeline(
            patients[course.patient_id],
            course,
            tuple(sessions.get(course.id, ())),
            tuple(assessments.get(course.id, ())),
            tuple(events.get(course.id, ())),
            *others,
            phase_changes=tuple(phases.get(course.id, ())),
            vitals=tuple(vitals.get(course.id, ())),
        )
    return timelines


def read_timeline(session: Session, course_id: int) -> CourseTimeline:
    """Build one live course's full timeline inside an open session."""
    course = course_info(live(session, Course, course_id, "course"))
    patient = patient_info(live(session, Patient, course.patient_id, "patient"))
    return read_timelines(session, [course], {patient.id: patient})[course.id]


def _other_open_flags(
    session: Session, course: CourseInfo
) -> tuple[tuple[AssessmentRecord, ...], tuple[CourseInfo, ...]]:
    """Open flags of the patient's other live courses: a flag follows the patient."""
    query = select(Course).where(
        Course.patient_id == course.patient_id,
        Course.id != course.id,
        col(Course.deleted_at).is_(None),
    )
    others = {c.id: c for c in (course_info(row) for row in session.exec(query))}
    if not others:
        return (), ()
    # All rows, not only stored-flagged ones: a row whose flag columns were
    # cleared outside the app still flags from its items (checked_score).
    found = _assessments(session, others, _sessions(session, others.keys()), FULL)
    flags: list[AssessmentRecord] = []
    courses: list[CourseInfo] = []
    for cid, other in others.items():
        open_here = [a for a in found.get(cid, ()) if a.flag_open]
        if open_here:
            flags += open_here
            courses.append(other)
    return tuple(flags), tuple(courses)


def read_after_write(session: Session, course_id: int) -> CourseTimeline | None:
    """The course as a write leaves it, read once inside the write's transaction.

    The same read gives the caller its result and the patient list its stored facts
    (``storage.summaries.keep_from``), so the commit hook does not read the course a
    second time. None when a row cannot be read back: the caller reads after the
    commit (which names the damage, as before) and the hook keeps the list's facts.
    """
    session.flush()  # the read must see every change of this write
    try:
        timeline = read_timeline(session, course_id)
    except DamagedRecordError:
        return None
    keep_from(session.connection(), timeline)
    return timeline


@requires(Action.VIEW_RECORD)
def load_timeline(db: Database, course_id: CourseId) -> CourseTimeline:
    with db.read() as session:
        return read_timeline(session, course_id)


@requires(Action.VIEW_PATIENTS)
def latest_course_id(db: Database, patient_id: PatientId) -> CourseId | None:
    """The patient's active course, else the most recent one, else None."""
    with db.read() as session:
        query = (
            select(Course.id, Course.status)
            .where(Course.patient_id == patient_id, col(Course.deleted_at).is_(None))
            .order_by(col(Course.start_date).desc(), col(Course.id).desc())
        )
        rows = list(session.exec(query))
    return current_course_id((CourseId(cid), status) for cid, status in rows if cid is not None)


def current_course_id(newest_first: Iterable[tuple[CourseId, str]]) -> CourseId | None:
    """The course a patient opens on: the active one, else the most recent, else None
    (the patient list's current course follows the same rule, in SQL)."""
    courses = list(newest_first)
    active = [cid for cid, status in courses if status == "active"]
    return active[0] if active else (courses[0][0] if courses else None)


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
