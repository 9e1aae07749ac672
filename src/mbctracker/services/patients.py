"""Register, find, update and (soft-)delete patients."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.course import Comorbidity, PatientId, Sex
from ..domain.errors import ValidationError
from ..domain.limits import MRN_MAX, NAME_MAX, NOTES_MAX
from ..domain.text import fold, search_key
from ..domain.timeline import PatientInfo
from ..storage.db import Database
from ..storage.errors import NotFoundError
from ..storage.mappers import dumps, patient_info
from ..storage.tables import Patient
from ._rows import bump, delete_row, live, restore_row
from .validation import choice, choices, optional_date, text


@dataclass(frozen=True, slots=True)
class PatientInput:
    """What a person types on the patient form."""

    mrn: str
    name: str
    date_of_birth: date | None = None
    sex: Sex = Sex.UNKNOWN
    comorbidities: Sequence[Comorbidity] = ()
    notes: str = ""


def _validate(data: PatientInput) -> PatientInput:
    mrn = text(data.mrn, "mrn", "MRN", MRN_MAX)
    name = text(data.name, "name", "Name", NAME_MAX)
    if not mrn:
        raise ValidationError(
            "MRN is required (the clinic identifier, e.g. MRN-000123)", field="mrn"
        )
    if not name:
        raise ValidationError("Name is required", field="name")
    born = optional_date(data.date_of_birth, "date_of_birth", "Date of birth")
    sex = choice(data.sex, Sex, "sex", "Sex")
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


def _check_unique_mrn(session: Session, mrn: str, own_id: int | None = None) -> None:
    found = session.exec(select(Patient).where(func.lower(Patient.mrn) == mrn.lower())).first()
    if found is not None and found.id != own_id:
        state = " (a deleted record: restore it instead)" if found.deleted_at else ""
        raise ValidationError(f"MRN {mrn} is already used by another patient{state}", field="mrn")


def register_patient(db: Database, data: PatientInput) -> PatientInfo:
    """Add a patient; the MRN must be present and unique (case-insensitive)."""
    clean = _validate(data)
    with db.write() as session:
        _check_unique_mrn(session, clean.mrn)
        row = Patient(
            mrn=clean.mrn,
            name=clean.name,
            search_key=search_key(clean.name, clean.mrn),
            date_of_birth=clean.date_of_birth,
            sex=str(clean.sex),
            comorbidities=dumps([str(c) for c in clean.comorbidities]),
            notes=clean.notes,
        )
        session.add(row)
        session.flush()
        return patient_info(row)


def update_patient(
    db: Database, patient_id: PatientId, data: PatientInput, *, expected_version: int
) -> PatientInfo:
    """Save an edited patient; refused if someone else saved it since it was opened."""
    clean = _validate(data)
    with db.write() as session:
        row = live(session, Patient, patient_id, "patient")
        bump(row, expected_version, "patient")
        _check_unique_mrn(session, clean.mrn, own_id=row.id)
        row.mrn, row.name, row.date_of_birth = clean.mrn, clean.name, clean.date_of_birth
        row.search_key = search_key(clean.name, clean.mrn)
        row.sex = str(clean.sex)
        row.comorbidities = dumps([str(c) for c in clean.comorbidities])
        row.notes = clean.notes
        session.add(row)
        session.flush()
        return patient_info(row)


def get_patient(db: Database, patient_id: PatientId) -> PatientInfo:
    with db.read() as session:
        return patient_info(live(session, Patient, patient_id, "patient"))


def get_patient_by_mrn(db: Database, mrn: str) -> PatientInfo:
    with db.read() as session:
        query = select(Patient).where(
            func.lower(Patient.mrn) == mrn.strip().lower(), col(Patient.deleted_at).is_(None)
        )
        row = session.exec(query).first()
        if row is None:
            raise NotFoundError("patient with MRN", mrn)
        return patient_info(row)


def like_pattern(query: str) -> str:
    """A LIKE pattern for "the search key contains ``query``" (% and _ taken literally)."""
    escaped = fold(query.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
        return [patient_info(r) for r in session.exec(query)]


def delete_patient(db: Database, patient_id: PatientId, *, expected_version: int) -> None:
    """Soft delete: the record and its history stay, hidden, and can be restored."""
    delete_row(db, Patient, patient_id, "patient", expected_version)


def restore_patient(db: Database, patient_id: PatientId) -> PatientInfo:
    with db.write() as session:
        row = restore_row(session, Patient, patient_id, "patient")
        return patient_info(row)
