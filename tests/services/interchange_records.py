"""A clinic file with every kind of record the interchange carries, and a way to compare two.

The demo supplies bulk (every modality, phase, status, prorated scores, flags with
and without actions, events); the typed patient adds what the demo never writes:
text a spreadsheet would run, quotes, commas and line breaks, an apostrophe, a
PHQ-9 difficulty answer, clinic-specific thresholds, and a flag answered at a lower
level and then reopened by a correction.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from mbctracker.domain.course import (
    CourseId,
    CourseStatus,
    DropoutReason,
    EventKind,
    Modality,
    PatientId,
    Phase,
    SafetyActionKind,
    Sex,
    Timepoint,
)
from mbctracker.domain.procedure import RemsRecord, VitalPoint, VitalSigns
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.domain.timeline import CourseRecord
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.course_edit import CourseEdit, edit_course
from mbctracker.services.courses import end_course, set_phase, set_session_interval, start_course
from mbctracker.services.demo import generate_demo
from mbctracker.services.events import record_event
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.procedure import (
    save_vitals,
    set_authorised_sessions,
    set_mt_determined_on,
)
from mbctracker.services.rems import mark_rems_submitted, save_rems_record
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.mappers import rems_record
from mbctracker.storage.tables import Course, RemsRecordRow, TreatmentSession

HOSTILE_NOTES = '=HYPERLINK("http://x") +1 -2 @SUM, "quoted"\nsecond line'


def fill(db: Database, demo_patients: int = 25) -> None:
    generate_demo(db, patients=demo_patients, seed=7, today=date(2026, 11, 1))
    _typed_patient(db)


def _typed_patient(db: Database) -> None:
    patient = register_patient(
        db,
        PatientInput(
            mrn="-MRN 77",
            name="'Zoë' Ødegård, Jr.",
            date_of_birth=date(1933, 2, 1),
            sex=Sex.FEMALE,
            notes=HOSTILE_NOTES,
        ),
    )
    settings = dataclasses.replace(DEFAULT_SETTINGS, baseline_window_days=30)
    course = start_course(
        db, patient.id, Modality.TMS, date(2026, 3, 2), 30, settings, notes="'quoted' start"
    )
    first = record_session(
        db,
        course.id,
        SessionInput(
            datetime(2026, 3, 2, 9, 30),
            details={"protocol": "iTBS", "target": "=L DLPFC", "pulses": 600},
            side_effects=("headache",),
            side_effects_text='@ mild, "pressure"',
            prn_medication=("analgesic",),
            notes="-",
        ),
    ).record
    base = AssessmentInput(
        "PHQ9",
        [3, 3, 2, None, 3, 2, 3, 3, 1],
        datetime(2026, 3, 1, 8, 0),
        timepoint=Timepoint.BASELINE,
        rater="=cmd",
        supplementary=2,
    )
    flagged = record_assessment(db, course.id, base).record
    record_safety_action(
        db, flagged.id, SafetyActionKind.OTHER, "+called", when=datetime(2026, 3, 1, 9, 0)
    )
    correct_assessment(  # item 9 from 1 to 3: the action answered less, the flag reopens
        db, flagged.id, [3, 3, 2, None, 3, 2, 3, 3, 3], expected_version=flagged.version
    )
    record_assessment(
        db,
        course.id,
        AssessmentInput(
            "GAD7", [2, 2, 2, 2, 2, 2, None], datetime(2026, 3, 2, 9, 0), session_id=first.id
        ),
    )
    record_event(db, course.id, EventKind.ADVERSE_EVENT, date(2026, 3, 3), description="=1+1")
    _issue_10_fields(db, course.id)
    _esketamine_course(db, patient.id)
    fresh = load_timeline(db, course.id).course
    end_course(
        db,
        course.id,
        CourseStatus.DISCONTINUED,
        date(2026, 3, 20),
        expected_version=fresh.version,
        reason=DropoutReason.COST,
        description="moved away",
    )


def _issue_10_fields(db: Database, course_id: CourseId) -> None:
    """A confirmed warning, the course record, payer count, motor threshold, interval and
    a phase change dated after the last session (no session shows it)."""
    record_session(
        db,
        course_id,
        SessionInput(datetime(2026, 3, 4, 9, 30), details={"protocol": "iTBS", "pulses": 300}),
        acknowledge_warnings=True,
    )
    version = load_timeline(db, course_id).course.version
    record = CourseRecord(
        diagnosis="=MDD, recurrent\nsevere",
        current_medications="sertraline 100 mg",
        prior_treatments="-2 SSRIs, 1 SNRI",
        prescriber="Dr. Test",
    )
    edit_course(
        db,
        course_id,
        CourseEdit(date(2026, 3, 2), 30, record, notes="'quoted' start"),
        expected_version=version,
    )
    steps = (
        lambda v: set_authorised_sessions(db, course_id, 24, expected_version=v),
        lambda v: set_mt_determined_on(db, course_id, date(2026, 3, 2), expected_version=v),
        lambda v: set_session_interval(db, course_id, 2, expected_version=v),
        lambda v: set_phase(
            db, course_id, Phase.CONTINUATION, expected_version=v, started_on=date(2026, 3, 10)
        ),
    )
    for step in steps:
        step(load_timeline(db, course_id).course.version)


def _esketamine_course(db: Database, patient_id: PatientId) -> None:
    """A vitals flowsheet (one reading partly taken) and a submitted REMS record."""
    course = start_course(db, patient_id, Modality.ESKETAMINE, date(2026, 4, 1), 8)
    dose = {"dose_mg": "56"}
    when = datetime(2026, 4, 1, 10, 0)
    first = record_session(db, course.id, SessionInput(when, details=dose)).record
    readings = [
        VitalSigns(VitalPoint.PRE_DOSE, when, 128, 80, 72, 98),
        VitalSigns(VitalPoint.DURING, datetime(2026, 4, 1, 10, 40), 150, None, 80, None),
        VitalSigns(VitalPoint.DISCHARGE, None, 124, 78, None, 99),
    ]
    save_vitals(db, first.id, readings)
    rems = RemsRecord(
        lot_number="=LOT-1",
        monitoring_start=when,
        monitoring_end=datetime(2026, 4, 1, 12, 5),
        ready_to_leave_at=datetime(2026, 4, 1, 12, 10),
        respiratory_status="normal",
        concomitant=("benzodiazepines", "MAOIs"),
    )
    saved = save_rems_record(db, first.id, rems).record
    mark_rems_submitted(db, first.id, date(2026, 4, 2), expected_version=saved.version)


def rems_records(db: Database) -> list[tuple[Any, ...]]:
    """Every live REMS record with its course's start and its session's time (not in the
    timeline, so compared on their own)."""
    with db.read() as session:
        rows = session.exec(select(RemsRecordRow).where(col(RemsRecordRow.deleted_at).is_(None)))
        found = []
        for row in rows:
            owner = session.get(TreatmentSession, row.session_id)
            record = dataclasses.replace(rems_record(row), session_id=None, version=1)
            found.append((owner.performed_at if owner else None, record))
        return sorted(found, key=repr)


_IDS = {"id", "version", "course_id", "patient_id", "session_id", "assessment_id"}


def _plain(value: Any) -> Any:
    """A record without its database ids (they differ between two files)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _IDS
        }
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def course_ids(db: Database) -> list[int]:
    with db.read() as session:
        rows = session.exec(Course.__table__.select().where(Course.deleted_at.is_(None)))  # type: ignore[attr-defined]
        return [r.id for r in rows]


def snapshot(db: Database) -> dict[tuple[str, str, date], Any]:
    """Every live course's full timeline (patient, sessions, assessments with their score,
    flag and actions, events, flags from other courses), keyed by MRN, modality and start."""
    found = {}
    for cid in course_ids(db):
        timeline = load_timeline(db, cid)  # type: ignore[arg-type]
        course = timeline.course
        found[(timeline.patient.mrn, str(course.modality), course.start_date)] = _plain(timeline)
    return found
