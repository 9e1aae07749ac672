"""Register, find, update and (soft-)delete patients."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain.access import Action, require
from ..domain.course import Comorbidity, PatientId, Sex
from ..domain.errors import ValidationError
from ..domain.limits import MRN_MAX, NAME_MAX, NOTES_MAX
from ..domain.text import clean_mrn, mrn_key
from ..domain.timeline import PatientInfo
from ..storage.db import Database
from ..storage.errors import NotFoundError
from ..storage.mappers import dumps, patient_info
from ..storage.search_text import fold, search_key
from ..storage.tables import Course, Patient
from ._rows import blank, bump, delete_row, hidden_columns, leave_out, live, restore_row
from .access import may, requires
from .timeline import refuse_hiding_open_flags
from .validation import choice, choices, optional_date, text


@dataclass(frozen=True, slots=True)
class PatientInput:
    """What a person types on the patient form."""

    mrn: str
    name: str
    date_of_birth: date | None = None
    sex: Sex | None = Sex.UNKNOWN
    """None = not chosen (the form has no default): refused, naming the field."""
    comorbidities: Sequence[Comorbidity] = ()
    notes: str = ""


class PossibleDuplicateError(ValidationError):
    """A live patient has the same name (folded as search folds it) and date of birth.

    Raised before anything is saved; the caller asks the person and, if they
    confirm it is someone else, calls again with ``confirm_duplicate=True``.
    """

    def __init__(self, mrns: Sequence[str]) -> None:
        self.mrns = tuple(mrns)
        listed = ", ".join(self.mrns)
        super().__init__(
            f"A patient with the same name and date of birth is already registered "
            f"(MRN {listed}). Register this person as a new, different patient?",
            field="name",
        )


def _validate(data: PatientInput) -> PatientInput:
    mrn = clean_mrn(text(data.mrn, "mrn", "MRN", MRN_MAX))
    name = text(data.name, "name", "Name", NAME_MAX)
    if not mrn:
        raise ValidationError(
            "MRN is required (the clinic identifier, e.g. MRN-000123)", field="mrn"
        )
    if not name:
        raise ValidationError("Name is required", field="name")
    born = optional_date(data.date_of_birth, "date_of_birth", "Date of birth")
    sex = _sex(data.sex)
    comorbidities = choices(data.comorbidities, Comorbidity, "comorbidities", "Comorbidities")
    notes = text(data.notes, "notes", "Notes", NOTES_MAX, multiline=True)
    return replace(
        data,
        mrn=mrn,
        name=name,
        date_of_birth=born,
        sex=sex,
        comorbidities=comorbidities,
        notes=notes,
    )


def _sex(value: Sex | str | None) -> Sex:
    """The chosen sex; "unknown" is stored only when chosen (scripts default to it)."""
    if value is None:
        allowed = ", ".join(s.label for s in Sex)
        raise ValidationError(f"Sex must be chosen: one of {allowed}", field="sex")
    return choice(value, Sex, "sex", "Sex")


def _mrn_taken(mrn: str, state: str = "") -> ValidationError:
    return ValidationError(f"MRN {mrn} is already used by another patient{state}", field="mrn")


def _check_unique_mrn(session: Session, mrn: str, own_id: int | None = None) -> None:
    query = select(Patient.id, Patient.deleted_at).where(Patient.mrn_key == mrn_key(mrn))
    found = session.exec(query).first()  # two columns: any role that registers may read them
    if found is not None and found[0] != own_id:
        state = " (a deleted record: restore it instead)" if found[1] else ""
        raise _mrn_taken(mrn, state)


@contextmanager
def _unique_mrn_guard(mrn: str) -> Iterator[None]:
    """The unique index is the last word (a race with another workstation): same message.

    ``from None``: the IntegrityError's text carries the row's values, which
    must not travel on to a crash report or the log.
    """
    try:
        yield
    except IntegrityError as exc:
        if "patient.mrn" not in str(exc.orig):
            raise
        raise _mrn_taken(mrn) from None


def _check_possible_duplicate(
    session: Session, data: PatientInput, own_id: int | None = None
) -> None:
    """Refuse with :class:`PossibleDuplicateError` if the name and birth date match."""
    name = fold(data.name)
    prefix = _escape_like(name) + " %"
    where = [
        col(Patient.deleted_at).is_(None),
        col(Patient.date_of_birth).is_(None)
        if data.date_of_birth is None
        else col(Patient.date_of_birth) == data.date_of_birth,
        col(Patient.search_key).like(prefix, escape="\\"),
    ]
    if own_id is not None:
        where.append(col(Patient.id) != own_id)
    query = select(Patient.mrn, Patient.name).where(*where)
    mrns = [mrn for mrn, other in session.exec(query) if fold(other) == name]
    if mrns:
        raise PossibleDuplicateError(mrns)


@requires(Action.EDIT_DEMOGRAPHICS)
def register_patient(
    db: Database, data: PatientInput, *, confirm_duplicate: bool = False
) -> PatientInfo:
    """Add a patient; the MRN must be present and unique (by its normalised key).

    Raises:
        PossibleDuplicateError: a live patient has the same name and date of birth
            (unless ``confirm_duplicate``: the person said it is someone else).
    """
    clean = _validate(data)
    notes = _notes_to_store(db, clean.notes, "")
    with _unique_mrn_guard(clean.mrn), db.write() as session:
        _check_unique_mrn(session, clean.mrn)
        if not confirm_duplicate:
            _check_possible_duplicate(session, clean)
        row = Patient(
            mrn=clean.mrn,
            mrn_key=mrn_key(clean.mrn),
            name=clean.name,
            search_key=search_key(clean.name, clean.mrn),
            date_of_birth=clean.date_of_birth,
            sex=str(clean.sex),
            comorbidities=dumps([str(c) for c in clean.comorbidities]),
            notes=notes,
        )
        session.add(row)
        session.flush()
        return _shown(db, patient_info(row))


@requires(Action.EDIT_DEMOGRAPHICS)
def update_patient(
    db: Database,
    patient_id: PatientId,
    data: PatientInput,
    *,
    expected_version: int,
    confirm_duplicate: bool = False,
) -> PatientInfo:
    """Save an edited patient; refused if someone else saved it since it was opened.

    Raises:
        PossibleDuplicateError: the edit changes the name or date of birth into
            another live patient's (unless ``confirm_duplicate``), as registering does.
    """
    clean = _validate(data)
    hidden = hidden_columns(db, Patient)
    with _unique_mrn_guard(clean.mrn), db.write() as session:
        row = live(session, Patient, patient_id, "patient", hidden)
        bump(row, expected_version, "patient")
        _check_unique_mrn(session, clean.mrn, own_id=row.id)
        renamed = fold(row.name) != fold(clean.name) or row.date_of_birth != clean.date_of_birth
        if renamed and not confirm_duplicate:
            _check_possible_duplicate(session, clean, own_id=row.id)
        row.mrn, row.name, row.date_of_birth = clean.mrn, clean.name, clean.date_of_birth
        row.mrn_key = mrn_key(clean.mrn)
        row.search_key = search_key(clean.name, clean.mrn)
        row.sex = str(clean.sex)
        row.comorbidities = dumps([str(c) for c in clean.comorbidities])
        row.notes = _notes_to_store(db, clean.notes, row.notes)
        session.add(row)
        session.flush()
        return _shown(db, patient_info(row))


def _shown(db: Database, info: PatientInfo) -> PatientInfo:
    """The patient as this role may see them: notes are clinical (no notes for the front
    desk, who edits demographics around them)."""
    return info if may(db, Action.VIEW_RECORD) else replace(info, notes="")


def _notes_to_store(db: Database, typed: str, stored: str) -> str:
    """What the notes become: a role that may not read them keeps the stored text (its
    dialog showed none) and may not write any."""
    if may(db, Action.VIEW_RECORD):
        return typed
    if typed:
        require(db.role, Action.VIEW_RECORD)
    return stored


@requires(Action.VIEW_PATIENTS)
def get_patient(db: Database, patient_id: PatientId) -> PatientInfo:
    with db.read() as session:
        return read_patient(session, db, patient_id)


def read_patient(session: Session, db: Database, patient_id: PatientId) -> PatientInfo:
    """A live patient as this role may see them, inside an open read."""
    hidden = hidden_columns(db, Patient)
    return _shown(db, patient_info(live(session, Patient, patient_id, "patient", hidden)))


@requires(Action.VIEW_PATIENTS)
def get_patient_by_mrn(db: Database, mrn: str) -> PatientInfo:
    """The live patient whose MRN has the same normalised key as ``mrn``.

    Raises:
        ValidationError: ``mrn`` holds an invisible or control character.
        NotFoundError: no live patient has that MRN.
    """
    key = mrn_key(mrn)
    hidden = hidden_columns(db, Patient)
    with db.read() as session:
        query = select(Patient).where(Patient.mrn_key == key, col(Patient.deleted_at).is_(None))
        row = session.exec(query.options(*leave_out(Patient, hidden))).first()
        if row is None:
            raise NotFoundError("patient with MRN", mrn)
        return _shown(db, patient_info(blank(row, hidden)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(query: str) -> str:
    """A LIKE pattern for "the search key contains ``query``" (% and _ taken literally)."""
    return f"%{_escape_like(fold(query))}%"


@requires(Action.VIEW_PATIENTS)
def find_patients(db: Database, text: str = "", *, limit: int = 50) -> list[PatientInfo]:
    """Patients whose name or MRN contains ``text`` (case-insensitive), by name."""
    pattern = like_pattern(text)
    with db.read() as session:
        query = (
            select(Patient)
            .where(col(Patient.deleted_at).is_(None))
            .where(col(Patient.search_key).like(pattern, escape="\\"))
            .order_by(col(Patient.name), col(Patient.id))
            .limit(limit)
        )
        return [_shown(db, patient_info(r)) for r in session.exec(query)]


@requires(Action.EDIT_DEMOGRAPHICS)
def delete_patient(db: Database, patient_id: PatientId, *, expected_version: int) -> None:
    """Soft delete: the record and its history stay, hidden, and can be restored.

    Refused while the patient has an open safety flag: deleting must never hide one.
    """

    def check(session: Session) -> None:
        query = select(Course.id).where(
            Course.patient_id == patient_id, col(Course.deleted_at).is_(None)
        )
        ids = [i for i in session.exec(query) if i is not None]
        refuse_hiding_open_flags(session, ids, "patient")

    delete_row(db, Patient, patient_id, "patient", expected_version, check)


@requires(Action.EDIT_DEMOGRAPHICS)
def restore_patient(db: Database, patient_id: PatientId) -> PatientInfo:
    with db.write() as session:
        row = restore_row(session, Patient, patient_id, "patient")
        return patient_info(row)
