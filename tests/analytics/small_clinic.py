"""A small clinic typed through the public use cases, with hand-counted outcomes.

Every course is written the way the app writes it (one use case, one transaction), and
every deleted record would change a count if it were read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mbctracker.domain.course import (
    CourseId,
    CourseStatus,
    DropoutReason,
    EventKind,
    Modality,
    Phase,
    Timepoint,
)
from mbctracker.services.assessments import AssessmentInput, delete_assessment, record_assessment
from mbctracker.services.courses import delete_course, end_course, start_course
from mbctracker.services.events import delete_event, record_event
from mbctracker.services.patients import PatientInput, delete_patient, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database

from .clinic_generator import items_for

IV_START = date(2024, 1, 8)


@dataclass
class Typist:
    db: Database

    def patient(self, mrn: str, born: date = date(1980, 3, 1)) -> int:
        return int(
            register_patient(
                self.db, PatientInput(mrn=mrn, name=f"Test {mrn}", date_of_birth=born)
            ).id
        )

    def course(self, pid: int, modality: Modality, start: date) -> CourseId:
        return start_course(self.db, pid, modality, start, planned_sessions=6).id  # type: ignore[arg-type]

    def phq9(
        self,
        course: CourseId,
        day: date,
        total: int,
        *,
        baseline: bool = False,
        session: int | None = None,
        hour: int = 8,
    ) -> tuple[int, int]:
        when = datetime.combine(day, time(hour, 0))
        point = (
            Timepoint.BASELINE
            if baseline
            else (Timepoint.PRE_SESSION if session else Timepoint.FOLLOW_UP)
        )
        data = AssessmentInput("PHQ9", items_for("PHQ9", total), when, point, session)  # type: ignore[arg-type]
        record = record_assessment(self.db, course, data).record
        return int(record.id), record.version

    def session(self, course: CourseId, day: date, phase: Phase = Phase.INDUCTION) -> int:
        when = datetime.combine(day, time(10, 0))
        return int(record_session(self.db, course, SessionInput(when=when, phase=phase)).record.id)

    def induction(self, course: CourseId, start: date, values: list[int]) -> date:
        """One infusion every 3 days, each with its pre-session PHQ-9; the last day."""
        day = start
        for value in values:
            sid = self.session(course, day)
            self.phq9(course, day, value, session=sid)
            day += timedelta(days=3)
        return day - timedelta(days=3)


def build(db: Database) -> None:
    """See the expected counts in test_outcome_counts.py."""
    t = Typist(db)
    # A: IV ketamine, 4 infusions, 20 -> 10 (exactly 50%: response), then a follow-up of 2
    # after the last infusion (not an end-of-induction value); a deleted hospitalization.
    a = t.course(t.patient("A"), Modality.IV_KETAMINE, IV_START)
    t.phq9(a, IV_START - timedelta(days=1), 20, baseline=True)
    last_a = t.induction(a, IV_START, [15, 12, 9, 10])
    t.phq9(a, last_a + timedelta(days=7), 2)
    gone = record_event(db, a, EventKind.HOSPITALIZATION, last_a + timedelta(days=30))
    delete_event(db, gone.id, expected_version=1)
    # B: IV ketamine, 6 infusions, 20 -> 4 (response and remission); a deleted 20 later the
    # same day; C/M 30 days on; hospitalized on another course of the same patient.
    pid_b = t.patient("B")
    b = t.course(pid_b, Modality.IV_KETAMINE, IV_START)
    t.phq9(b, IV_START - timedelta(days=1), 20, baseline=True)
    last_b = t.induction(b, IV_START, [18, 15, 12, 9, 6, 4])
    aid, version = t.phq9(b, last_b, 20, hour=18)
    delete_assessment(db, aid, expected_version=version)  # type: ignore[arg-type]
    t.session(b, last_b + timedelta(days=30), Phase.MAINTENANCE)
    later = t.course(pid_b, Modality.TMS, date(2024, 6, 3))
    record_event(db, later, EventKind.HOSPITALIZATION, date(2024, 7, 1))
    # C: baseline 0 (not evaluable); D: baseline only, then discontinued (side effects).
    c = t.course(t.patient("C"), Modality.IV_KETAMINE, IV_START)
    t.phq9(c, IV_START - timedelta(days=1), 0, baseline=True)
    t.induction(c, IV_START, [0, 0, 0, 0])
    d = t.course(t.patient("D"), Modality.IV_KETAMINE, IV_START)
    t.phq9(d, IV_START - timedelta(days=1), 18, baseline=True)
    t.session(d, IV_START)
    end_course(
        db,
        d,
        CourseStatus.DISCONTINUED,
        IV_START + timedelta(days=2),
        expected_version=1,
        reason=DropoutReason.SIDE_EFFECTS,
    )
    # E: TMS, 16 -> 12 (partial); 6-week values at days 27, 41, 43, 57 and a deleted 0 at 42.
    start_e = date(2024, 3, 4)
    e = t.course(t.patient("E"), Modality.TMS, start_e)
    t.phq9(e, start_e - timedelta(days=1), 16, baseline=True)
    t.induction(e, start_e, [14, 12])
    for day, value in ((27, 5), (41, 11), (43, 9), (57, 1)):
        t.phq9(e, start_e + timedelta(days=day), value)
    aid, version = t.phq9(e, start_e + timedelta(days=42), 0)
    delete_assessment(db, aid, expected_version=version)  # type: ignore[arg-type]
    # F: a deleted TMS course and G: a deleted patient, both perfect remitters.
    f = t.course(t.patient("F"), Modality.TMS, start_e)
    t.phq9(f, start_e - timedelta(days=1), 20, baseline=True)
    t.induction(f, start_e, [0])
    delete_course(db, f, expected_version=1)
    pid_g = t.patient("G")
    g = t.course(pid_g, Modality.IV_KETAMINE, IV_START)
    t.phq9(g, IV_START - timedelta(days=1), 20, baseline=True)
    t.induction(g, IV_START, [0, 0, 0, 0, 0, 0])
    delete_patient(db, pid_g, expected_version=1)  # type: ignore[arg-type]
    # The record's last date: an ECT session in 2025 gives every 2024 course its year.
    h = t.course(t.patient("H"), Modality.ECT, date(2025, 6, 2))
    t.session(h, date(2025, 6, 2))
