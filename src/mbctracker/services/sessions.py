"""Record and correct treatment sessions, with their pre-session assessments.

Impossible values are refused. Unusual ones (``domain.limits.SESSION_WARNING_RULES``)
are refused too until the caller confirms them with ``acknowledge_warnings=True``
(the form asks the person, naming each one); confirmed warnings are stored with the
session, so the course view and the PDF still show them after Save.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import (
    PRN_MEDICATIONS,
    SIDE_EFFECTS,
    CourseId,
    Modality,
    Phase,
    SessionId,
    check_session_details,
)
from ..domain.errors import ValidationError
from ..domain.limits import (
    NOTES_MAX,
    SESSION_NUMBER_MAX,
    SHORT_TEXT_MAX,
    PlausibilityWarning,
    SessionFacts,
    session_warnings,
)
from ..domain.procedure import complete_dose
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseTimeline, SessionRecord
from ..storage.db import Database
from ..storage.errors import DamagedRecordError
from ..storage.mappers import dumps, session_record, stored_warnings, to_local, to_utc
from ..storage.tables import Course, Patient, TreatmentSession
from ._rows import bump, live, not_before_birth, restore_row, soft_delete
from .access import requires
from .schedule import add_phase_change, live_sessions, phase_at, settle_course
from .timeline import read_after_write
from .validation import (
    local_datetime,
    not_before,
    optional_choice,
    refuse,
    text,
    whole_number,
)


@dataclass(frozen=True, slots=True)
class SessionInput:
    """A session as entered: modality details are keyed by ``SESSION_FIELDS`` keys."""

    when: datetime
    details: Mapping[str, object] = field(default_factory=dict)
    side_effects: Sequence[str] = ()
    side_effects_text: str = ""
    prn_medication: Sequence[str] = ()
    notes: str = ""
    phase: Phase | None = None
    """None: the phase in force on the session's day (the usual case)."""
    number: int | None = None
    """Optional check: the number the session's date must give it."""


@dataclass(frozen=True, slots=True)
class SessionResult:
    record: SessionRecord
    warnings: tuple[str, ...]
    """The texts of the warnings stored with the session (confirmed by the caller)."""
    timeline: CourseTimeline | None = None
    """The course as the save read it inside its transaction (``read_after_write``; None
    when a row could not be read back): the views show it instead of reading it again."""


class UnconfirmedWarningsError(ValidationError):
    """Unusual values the caller has not confirmed; nothing was saved.

    The form names each warning in a question and, when the person confirms,
    saves again with ``acknowledge_warnings=True``; a script does the same.
    """

    def __init__(self, warnings: Sequence[PlausibilityWarning]) -> None:
        self.warnings = tuple(warnings)
        listed = "; ".join(w.text for w in self.warnings)
        super().__init__(
            f"Session: {len(self.warnings)} unusual value(s) need confirming before saving: "
            f"{listed}; allowed: correct the value(s), or confirm them "
            "(acknowledge_warnings=True)",
            field=self.warnings[0].field or None,
        )


def _checked(data: SessionInput) -> SessionInput:
    """The input with its types, sizes and time checked (before any row is read)."""
    if not isinstance(data.details, Mapping):
        refuse("details", "Session details", "must be a mapping of field to value", "a dict")
    details = dict(data.details)
    for key, value in details.items():
        if isinstance(value, str):
            details[key] = text(value, str(key), f"Session detail {key}", SHORT_TEXT_MAX)
    details = complete_dose(details)
    return replace(
        data,
        when=local_datetime(data.when, "when", "Session date"),
        details=details,
        side_effects=_strings(data.side_effects, "side_effects", "Side effects"),
        side_effects_text=text(
            data.side_effects_text, "side_effects_text", "Other side effects", SHORT_TEXT_MAX
        ),
        prn_medication=_strings(data.prn_medication, "prn_medication", "As-needed medication"),
        notes=text(data.notes, "notes", "Session notes", NOTES_MAX, multiline=True),
        phase=optional_choice(data.phase, Phase, "phase", "Phase"),
        number=None
        if data.number is None
        else whole_number(data.number, "number", "Session number", 1, SESSION_NUMBER_MAX),
    )


def _strings(values: object, field: str, label: str) -> tuple[str, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        refuse(field, label, "must be a list of choices", "a list (see the form's choices)")
    return tuple(text(v, field, label, SHORT_TEXT_MAX) for v in values)


def _validate(
    session: Session, course: Course, data: SessionInput
) -> tuple[PlausibilityWarning, ...]:
    """Refuse impossible values; return what the warning rules raise."""
    modality = Modality(course.modality)
    patient = live(session, Patient, course.patient_id, "patient")
    not_before_birth(data.when, patient.date_of_birth, "when", "Session date")
    not_before(data.when, course.start_date, "when", "Session date", "the course start")
    _check_choices(modality, data)
    check_session_details(modality, data.details)
    settings = ClinicSettings.from_json(course.settings_json)
    return session_warnings(SessionFacts(modality, data.details, settings))


def _confirmed(
    found: Sequence[PlausibilityWarning],
    acknowledged: bool,
    stored: Sequence[PlausibilityWarning] = (),
) -> str:
    """The warnings as stored JSON; refuse any not confirmed now or at an earlier save."""
    new = [w for w in found if w not in stored]
    if new and not acknowledged:
        raise UnconfirmedWarningsError(new)
    return dumps([w.to_dict() for w in found])


def _earlier(row: TreatmentSession) -> tuple[PlausibilityWarning, ...]:
    """Warnings confirmed at earlier saves; unreadable ones count as never confirmed."""
    try:
        return stored_warnings(row)
    except DamagedRecordError:
        return ()


def _check_free_time(
    session: Session, course_id: int, when: datetime, own_id: int | None = None
) -> None:
    """Refuse a second live session of the course in the same minute (a double entry)."""
    start = to_utc(when.replace(second=0, microsecond=0))
    query = select(TreatmentSession).where(
        TreatmentSession.course_id == course_id,
        col(TreatmentSession.deleted_at).is_(None),
        col(TreatmentSession.performed_at) >= start,
        col(TreatmentSession.performed_at) < start + timedelta(minutes=1),
        col(TreatmentSession.id) != (own_id or 0),
    )
    taken = session.exec(query).first()
    if taken is not None:
        refuse(
            "when",
            "Session date",
            f"session {taken.number} of this course is already recorded at {when:%Y-%m-%d %H:%M}",
            f"another date or time (or correct session {taken.number})",
        )


def _check_number(session: Session, course: Course, data: SessionInput) -> None:
    """A number given with a new session must be the one its date gives it.

    Sessions are numbered by date (``domain.schedule``); a script that states the
    number it expects is told the real one instead of getting a silent renumber.
    """
    if data.number is None:
        return
    assert course.id is not None
    when = to_utc(data.when)
    before = [s for s in live_sessions(session, course.id) if s.performed_at <= when]
    if data.number != len(before) + 1:
        refuse(
            "number",
            "Session number",
            f"{data.number} does not match the session's date (sessions are numbered by date)",
            f"{len(before) + 1} for a session on {data.when:%Y-%m-%d %H:%M}, or no number",
        )


def _check_choices(modality: Modality, data: SessionInput) -> None:
    for value in data.side_effects:
        if value not in SIDE_EFFECTS[modality]:
            allowed = ", ".join(SIDE_EFFECTS[modality])
            raise ValidationError(
                f"Side effect {value!r} is not listed for {modality.label}; allowed: {allowed} "
                "(describe others in the free text)",
                field="side_effects",
            )
    for value in data.prn_medication:
        if value not in PRN_MEDICATIONS[modality]:
            allowed = ", ".join(PRN_MEDICATIONS[modality])
            raise ValidationError(
                f"As-needed medication {value!r} is not listed; allowed: {allowed}",
                field="prn_medication",
            )


def next_session_number(session: Session, course_id: int) -> int:
    query = select(func.max(TreatmentSession.number)).where(
        TreatmentSession.course_id == course_id, col(TreatmentSession.deleted_at).is_(None)
    )
    return (session.exec(query).one() or 0) + 1


def add_session(
    session: Session, course: Course, data: SessionInput, *, acknowledge_warnings: bool = False
) -> tuple[TreatmentSession, list[str]]:
    """Insert a session row inside the caller's transaction, then settle the course.

    Its number comes from its date; its phase is the one in force on its day unless
    another is chosen, which then dates a phase change to that day. Refused with
    :class:`UnconfirmedWarningsError` when a warning rule fires and
    ``acknowledge_warnings`` is False; a second session in the same minute is refused.
    """
    data = _checked(data)
    warnings = _validate(session, course, data)
    assert course.id is not None
    _check_free_time(session, course.id, data.when)
    _check_number(session, course, data)
    stored = _confirmed(warnings, acknowledge_warnings)
    phase = _dated_phase(session, course, data)
    row = TreatmentSession(
        course_id=course.id,
        number=next_session_number(session, course.id),
        performed_at=to_utc(data.when),
        phase=str(phase),
        details=dumps(dict(data.details)),
        side_effects=dumps(list(data.side_effects)),
        side_effects_text=data.side_effects_text,
        prn_medication=dumps(list(data.prn_medication)),
        notes=data.notes,
        warnings=stored,
    )
    session.add(row)
    session.flush()
    settle_course(session, course)
    return row, [w.text for w in warnings]


def _dated_phase(session: Session, course: Course, data: SessionInput) -> Phase:
    """The session's phase: the one in force on its day, or a chosen one dated from it."""
    in_force = phase_at(session, course, data.when.date())
    if data.phase is not None and data.phase != in_force:
        add_phase_change(session, course, data.phase, data.when.date())
        return data.phase
    return in_force


@requires(Action.RECORD_SESSIONS)
def record_session(
    db: Database, course_id: CourseId, data: SessionInput, *, acknowledge_warnings: bool = False
) -> SessionResult:
    """Record one session; it is numbered by date and the waiting scores are linked to it.

    Refused with :class:`UnconfirmedWarningsError` (nothing saved) when a warning rule
    fires and ``acknowledge_warnings`` is False; with it True the warnings are stored.
    A second session at the same date and time (to the minute) is refused.
    """
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        row, warnings = add_session(
            session, course, data, acknowledge_warnings=acknowledge_warnings
        )
        timeline = read_after_write(session, course_id)
        return SessionResult(session_record(row), tuple(warnings), timeline)


@requires(Action.RECORD_SESSIONS)
def correct_session(
    db: Database,
    session_id: SessionId,
    data: SessionInput,
    *,
    expected_version: int,
    acknowledge_warnings: bool = False,
) -> SessionResult:
    """Correct a past session; the change log keeps the old values and who changed them.

    A new date renumbers the course and re-links the scores around both dates.
    Warnings confirmed at an earlier save stay confirmed; a new one needs
    ``acknowledge_warnings`` like a new session.
    """
    data = _checked(data)
    with db.write() as session:
        row = live(session, TreatmentSession, session_id, "session")
        course = live(session, Course, row.course_id, "course")
        warnings = _validate(session, course, data)
        _check_free_time(session, course.id or 0, data.when, row.id)
        stored = _confirmed(warnings, acknowledge_warnings, _earlier(row))
        bump(row, expected_version, "session")
        row.warnings = stored
        row.performed_at = to_utc(data.when)
        row.details = dumps(dict(data.details))
        row.side_effects = dumps(list(data.side_effects))
        row.side_effects_text, row.notes = data.side_effects_text, data.notes
        row.prn_medication = dumps(list(data.prn_medication))
        session.add(row)
        session.flush()
        row.phase = str(_dated_phase(session, course, data))
        settle_course(session, course)
        timeline = read_after_write(session, row.course_id)
        return SessionResult(session_record(row), tuple(w.text for w in warnings), timeline)


@requires(Action.RECORD_SESSIONS)
def delete_session(db: Database, session_id: SessionId, *, expected_version: int) -> None:
    """Soft delete; the later sessions move up a number and its scores wait for the next."""
    with db.write() as session:
        row = live(session, TreatmentSession, session_id, "session")
        bump(row, expected_version, "session")
        soft_delete(row)
        session.add(row)
        session.flush()
        settle_course(session, live(session, Course, row.course_id, "course"))


@requires(Action.RECORD_SESSIONS)
def restore_session(db: Database, session_id: SessionId) -> SessionRecord:
    """Undo a soft delete; the change log records who restored it.

    The session takes its place by date again (numbers stay unique, none is refused);
    refused when a session recorded since has its date and time (recorded again
    instead of restored).
    """
    with db.write() as session:
        old = session.get(TreatmentSession, session_id)
        if old is not None and old.deleted_at is not None:
            _check_free_time(session, old.course_id, to_local(old.performed_at), old.id)
        row = restore_row(session, TreatmentSession, session_id, "session")
        settle_course(session, live(session, Course, row.course_id, "course"))
        return session_record(row)
