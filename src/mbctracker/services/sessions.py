"""Record and correct treatment sessions, with their pre-session assessments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

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
from ..domain.limits import NOTES_MAX, SESSION_NUMBER_MAX, SHORT_TEXT_MAX
from ..domain.procedure import complete_dose, procedure_warnings
from ..domain.settings import ClinicSettings
from ..domain.timeline import SessionRecord
from ..storage.db import Database
from ..storage.mappers import dumps, session_record, to_utc
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


def _validate(session: Session, course: Course, data: SessionInput) -> list[str]:
    """Refuse impossible values; return plausibility warnings to show the user."""
    modality = Modality(course.modality)
    patient = live(session, Patient, course.patient_id, "patient")
    not_before_birth(data.when, patient.date_of_birth, "when", "Session date")
    not_before(data.when, course.start_date, "when", "Session date", "the course start")
    _check_choices(modality, data)
    warnings = check_session_details(modality, data.details)
    settings = ClinicSettings.from_json(course.settings_json)
    return warnings + procedure_warnings(modality, data.details, settings)


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
    session: Session, course: Course, data: SessionInput
) -> tuple[TreatmentSession, list[str]]:
    """Insert a session row inside the caller's transaction."""
    data = _checked(data)
    warnings = _validate(session, course, data)
    assert course.id is not None
    if data.number is not None:
        _check_unique_number(session, course.id, data.number)
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
    )
    session.add(row)
    session.flush()
    return row, warnings


def record_session(db: Database, course_id: CourseId, data: SessionInput) -> SessionResult:
    """Record one session; numbered next in the course unless a number is given."""
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        row, warnings = add_session(session, course, data)
        return SessionResult(session_record(row), tuple(warnings))


def correct_session(
    db: Database, session_id: SessionId, data: SessionInput, *, expected_version: int
) -> SessionResult:
    """Correct a past session; the change log keeps the old values and who changed them."""
    data = _checked(data)
    with db.write() as session:
        row = live(session, TreatmentSession, session_id, "session")
        course = live(session, Course, row.course_id, "course")
        warnings = _validate(session, course, data)
        bump(row, expected_version, "session")
        row.performed_at = to_utc(data.when)
        row.details = dumps(dict(data.details))
        row.side_effects = dumps(list(data.side_effects))
        row.side_effects_text, row.notes = data.side_effects_text, data.notes
        row.prn_medication = dumps(list(data.prn_medication))
        if data.phase:
            row.phase = str(data.phase)
        session.add(row)
        session.flush()
        return SessionResult(session_record(row), tuple(warnings))


def delete_session(db: Database, session_id: SessionId, *, expected_version: int) -> None:
    delete_row(db, TreatmentSession, session_id, "session", expected_version)


def restore_session(db: Database, session_id: SessionId) -> SessionRecord:
    """Undo a soft delete; the change log records who restored it.

    Refused when a session recorded since has taken its number (numbers stay unique).
    """
    with db.write() as session:
        old = session.get(TreatmentSession, session_id)
        if old is not None and old.deleted_at is not None:
            _check_unique_number(session, old.course_id, old.number)
        return session_record(restore_row(session, TreatmentSession, session_id, "session"))
