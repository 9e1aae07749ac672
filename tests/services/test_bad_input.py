"""Bad input everywhere: each is refused with a message naming the field and what is
allowed, and nothing is half-saved (row counts of every table unchanged).

Run with ``-s`` to print every input tried and the message it produced.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from mbctracker.domain import DomainError, ScoringError, ValidationError
from mbctracker.domain.course import AssessmentId, EventKind, Modality, SessionId, Timepoint
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services import courses, events, patients
from mbctracker.services.assessments import (
    AssessmentInput,
    add_assessment,
    correct_assessment,
    record_assessment,
)
from mbctracker.services.sessions import SessionInput, add_session, record_session
from mbctracker.storage import Database
from mbctracker.storage.tables import Course

TABLES = ("patient", "course", "treatment_session", "assessment", "event", "change_log")
TOMORROW = datetime.now() + timedelta(days=1)


def counts(db: Database) -> dict[str, int]:
    with closing(sqlite3.connect(db.path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@dataclass(frozen=True)
class Case:
    """One bad input: what is tried, the field the error must name, and words it must hold."""

    label: str
    attempt: Callable[[Database, PatientInfo, CourseInfo], object]
    field: str
    says: tuple[str, ...]
    error: type[DomainError] = ValidationError
    prepare: Callable[[Database, CourseInfo], object] | None = None
    """Valid saves made first (not counted), e.g. the sessions a date is checked against."""


def _assess(instrument: str, responses: list[object], when: datetime | None = None, **kw: object):
    moment = when or datetime(2026, 1, 6, 9)

    def attempt(db: Database, _p: PatientInfo, course: CourseInfo) -> object:
        data = AssessmentInput(instrument, responses, moment, **kw)  # type: ignore[arg-type]
        return record_assessment(db, course.id, data)

    return attempt


def _session(details: dict[str, object], when: datetime = datetime(2026, 1, 6, 10), **kw: object):
    def attempt(db: Database, _p: PatientInfo, course: CourseInfo) -> object:
        return record_session(db, course.id, SessionInput(when, details, **kw))  # type: ignore[arg-type]

    return attempt


def _register(mrn: str, name: str = "Synthetic Delta", born: date | None = None):
    def attempt(db: Database, _p: PatientInfo, _c: CourseInfo) -> object:
        return patients.register_patient(db, patients.PatientInput(mrn, name, born))

    return attempt


def _two_sessions(db: Database, course: CourseInfo) -> None:
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10)))
    record_session(db, course.id, SessionInput(datetime(2026, 1, 8, 10)))
    data = AssessmentInput("PHQ9", [1] * 9, datetime(2026, 1, 6, 9), session_id=SessionId(1))
    record_assessment(db, course.id, data)


def _late_assessment_for_session_1(db: Database, _p: PatientInfo, course: CourseInfo) -> None:
    data = AssessmentInput("PHQ9", [1] * 9, datetime(2026, 1, 9, 9), session_id=SessionId(1))
    record_assessment(db, course.id, data)


def _correction_dated_after_session_2(db: Database, _p: PatientInfo, course: CourseInfo) -> None:
    correct_assessment(db, AssessmentId(1), [2] * 9, expected_version=1, when=datetime(2026, 1, 9))


CASES = [
    Case("PHQ-9 item 4 = 4", _assess("PHQ9", [1, 1, 1, 4, 1, 1, 1, 1, 0]), "item4",
         ("item 4", "0-3", "got 4"), ScoringError),
    Case("PHQ-9 item 1 = -1", _assess("PHQ9", [-1, 1, 1, 1, 1, 1, 1, 1, 0]), "item1",
         ("0-3", "got -1"), ScoringError),
    Case("MADRS item 10 = 7", _assess("MADRS", [1] * 9 + [7]), "item10",
         ("Suicidal thoughts", "0-6"), ScoringError),
    Case("CGI-S = 8", _assess("CGIS", [8]), "item1", ("0-7",), ScoringError),
    Case("GAD-7 item 2 = '2' (text)", _assess("GAD7", [1, "2", 1, 1, 1, 1, 1]), "item2",
         ("whole number",), ScoringError),
    Case("GAD-7 item 3 = 1.5", _assess("GAD7", [1, 1, 1.5, 1, 1, 1, 1]), "item3",
         ("whole number",), ScoringError),
    Case("PHQ-9 with 8 answers", _assess("PHQ9", [1] * 8), "responses",
         ("needs 9", "got 8"), ScoringError),
    Case("GAD-7 with 9 answers", _assess("GAD7", [1] * 9), "responses",
         ("needs 7", "got 9"), ScoringError),
    Case("assessment dated tomorrow", _assess("PHQ9", [1] * 9, TOMORROW), "when", ("future",)),
    Case("assessment before birth", _assess("PHQ9", [1] * 9, datetime(1979, 1, 1)), "when",
         ("before the date of birth", "1980-05-17")),
    Case("baseline PHQ-9 with 3 blanks",
         _assess("PHQ9", [None, None, None, 1, 1, 1, 1, 1, 0], timepoint=Timepoint.BASELINE),
         "timepoint", ("at most 2 of 9",)),
    Case("assessment for session 1 dated after session 2", _late_assessment_for_session_1,
         "when", ("session 1", "after session 2"), prepare=_two_sessions),
    Case("correction moving the date after session 2", _correction_dated_after_session_2,
         "when", ("after session 2",), prepare=_two_sessions),
    Case("session dated tomorrow", _session({}, TOMORROW), "when", ("future",)),
    Case("session before the course start", _session({}, datetime(2026, 1, 1, 10)), "when",
         ("before the course start", "2026-01-05")),
    Case("dose 6 mg/kg", _session({"dose_mg_per_kg": 6.0}), "dose_mg_per_kg",
         ("impossible", "allowed 0.01-5 mg/kg")),
    Case("systolic BP 350", _session({"bp_before_sys": 350}), "bp_before_sys",
         ("impossible", "allowed 40-300 mmHg")),
    Case("BP 90/95", _session({"bp_before_sys": 90, "bp_before_dia": 95}), "bp_before_dia",
         ("below systolic",)),
    Case("systolic BP 120.5", _session({"bp_before_sys": 120.5}), "bp_before_sys",
         ("whole number",)),
    Case("dose typed as text", _session({"dose_mg_per_kg": "half"}), "dose_mg_per_kg",
         ("must be a number",)),
    Case("unknown session field", _session({"dose_mgkg": 0.5}), "dose_mgkg",
         ("allowed: dose_mg_per_kg",)),
    Case("unlisted side effect", _session({}, side_effects=("hiccups",)), "side_effects",
         ("allowed: nausea/vomiting",)),
    Case("empty MRN", _register("   "), "mrn", ("MRN is required",)),
    Case("duplicate MRN (other case, spaces)", _register(" mrn-0001 "), "mrn",
         ("mrn-0001", "already used")),
    Case("empty name", _register("SYN-9", "  "), "name", ("Name is required",)),
    Case("date of birth tomorrow", _register("SYN-9", born=TOMORROW.date()), "date_of_birth",
         ("future",)),
    Case("date of birth 1850", _register("SYN-9", born=date(1850, 1, 1)), "date_of_birth",
         ("1900",)),
    Case("0 planned sessions",
         lambda db, p, _c: courses.start_course(db, p.id, Modality.TMS, date(2026, 2, 1), 0),
         "planned_sessions", ("1-500",)),
    Case("course starting before birth",
         lambda db, p, _c: courses.start_course(db, p.id, Modality.TMS, date(1979, 2, 1), 30),
         "start_date", ("before the date of birth",)),
    Case("dropout without a reason",
         lambda db, _p, c: events.record_event(db, c.id, EventKind.DROPOUT, date(2026, 2, 1)),
         "reason", ("logistical", "side effects")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_bad_input_is_refused_whole_with_a_message_naming_the_field(
    db: Database, patient: PatientInfo, course: CourseInfo, case: Case
) -> None:
    if case.prepare is not None:
        case.prepare(db, course)
    before = counts(db)
    with pytest.raises(DomainError) as caught:
        case.attempt(db, patient, course)
    assert isinstance(caught.value, case.error), caught.value
    assert caught.value.field == case.field
    message = str(caught.value)
    for words in case.says:
        assert words in message
    assert counts(db) == before, "nothing may be half-saved"
    print(f"{case.label}: [{case.field}] {message}")


@pytest.mark.parametrize(
    ("details", "warning"),
    [
        ({"dose_mg_per_kg": 2.0}, "Dose of 2 mg/kg is unusual (plausible 0.1-1.5 mg/kg)"),
        ({"bp_peak_sys": 205}, "BP peak, systolic of 205 mmHg is unusual (plausible 80-200 mmHg)"),
        ({"duration_min": 5}, "Infusion duration of 5 min is unusual (plausible 20-100 min)"),
    ],
)
def test_implausible_values_are_saved_with_a_warning_naming_the_plausible_range(
    db: Database, course: CourseInfo, details: dict[str, object], warning: str
) -> None:
    before = counts(db)["treatment_session"]
    result = record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10), details))
    assert result.warnings == (warning,)
    assert counts(db)["treatment_session"] == before + 1
    print(f"warned, saved: {warning}")


def test_a_bad_assessment_rolls_back_its_session_saved_in_the_same_transaction(
    db: Database, course: CourseInfo
) -> None:
    before = counts(db)
    with pytest.raises(ScoringError), db.write() as session:
        row = session.get(Course, course.id)
        assert row is not None
        saved, _ = add_session(session, row, SessionInput(datetime(2026, 1, 6, 10)))
        good = AssessmentInput(
            "GAD7", [1] * 7, datetime(2026, 1, 6, 9), session_id=SessionId(saved.id or 0)
        )
        add_assessment(session, row, good)
        bad = AssessmentInput("PHQ9", [1] * 9 + [1], datetime(2026, 1, 6, 9))
        add_assessment(session, row, bad)
    assert counts(db) == before
