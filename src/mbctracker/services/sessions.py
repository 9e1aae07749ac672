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
from ..domain.settings import ClinicSettings
from ..domain.timeline import SessionRecord
from ..storage.db import Database
from ..storage.errors import DamagedRecordError
from ..storage.mappers import dumps, session_record, stored_warnings, to_local, to_utc
from ..storage.tables import Course, Patient, TreatmentSession
from ._rows import bump, delete_row, live, not_before_birth, restore_row
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
    number: int | None = None


@dataclass(frozen=True, slots=True)
class SessionResult:
    record: SessionRecord
    warnings: tuple[str, ...]
    """The texts of the warnings stored with the session (confirmed by the caller)."""


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


def _check_unique_number(session: Session, course_id: int, number: int) -> None:
    taken = session.exec(
        select(TreatmentSession.id).where(
            TreatmentSession.course_id == course_id,
            TreatmentSession.number == number,
            col(TreatmentSession.deleted_at).is_(None),
        )
    ).first()
    if taken is not None:
        free = next_session_number(session, course_id)
        refuse(
            "number",
            "Session number",
            f"{number} is already used in this course",
            f"a number not yet used (the next is {free})",
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
    """Insert a session row inside the caller's transaction (see :func:`record_session`)."""
    data = _checked(data)
    warnings = _validate(session, course, data)
    assert course.id is not None
    _check_free_time(session, course.id, data.when)
    if data.number is not None:
        _check_unique_number(session, course.id, data.number)
    stored = _confirmed(warnings, acknowledge_warnings)
    row = TreatmentSession(
        course_id=course.id,
        number=data.number or next_session_number(session, course.id),
        performed_at=to_utc(data.when),
        phase=str(data.phase or Phase(course.phase)),
        details=dumps(dict(data.details)),
        side_effects=dumps(list(data.side_effects)),
        side_effects_text=data.side_effects_text,
        prn_medication=dumps(list(data.prn_medication)),
        notes=data.notes,
        warnings=stored,
    )
    session.add(row)
    session.flush()
    return row, [w.text for w in warnings]


def record_session(
    db: Database, course_id: CourseId, data: SessionInput, *, acknowledge_warnings: bool = False
) -> SessionResult:
    """Record one session; numbered next in the course unless a number is given.

    Refused with :class:`UnconfirmedWarningsError` (nothing saved) when a warning rule
    fires and ``acknowledge_warnings`` is False; with it True the warnings are stored.
    A second session at the same date and time (to the minute) is refused.
    """
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        row, warnings = add_session(
            session, course, data, acknowledge_warnings=acknowledge_warnings
        )
        return SessionResult(session_record(row), tuple(warnings))


def correct_session(
    db: Database,
    session_id: SessionId,
    data: SessionInput,
    *,
    expected_version: int,
    acknowledge_warnings: bool = False,
) -> SessionResult:
    """Correct a past session; the change log keeps the old values and who changed them.

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
        if data.phase:
            row.phase = str(data.phase)
        session.add(row)
        session.flush()
        return SessionResult(session_record(row), tuple(w.text for w in warnings))


def delete_session(db: Database, session_id: SessionId, *, expected_version: int) -> None:
    delete_row(db, TreatmentSession, session_id, "session", expected_version)


def restore_session(db: Database, session_id: SessionId) -> SessionRecord:
    """Undo a soft delete; the change log records who restored it.

    Refused when a session recorded since has taken its number (numbers stay unique)
    or its date and time (a session recorded again instead of restored).
    """
    with db.write() as session:
        old = session.get(TreatmentSession, session_id)
        if old is not None and old.deleted_at is not None:
            _check_unique_number(session, old.course_id, old.number)
            _check_free_time(session, old.course_id, to_local(old.performed_at), old.id)
        return session_record(restore_row(session, TreatmentSession, session_id, "session"))
