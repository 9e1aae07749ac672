"""Outcome windows count local calendar days, as the clinic typed them, in any zone.

A PHQ-9 typed at 23:30 on day 56 of a course is inside the 6-week window; in UTC it is
already day 57 west of Greenwich (and an 00:30 entry on day 28 is day 27 east of it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from mbctracker.domain.course import Modality, Phase, Timepoint
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.outcomes import OutcomeFilters, run_clinic_outcomes
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database

from .clinic_generator import items_for

START = date(2024, 3, 4)


def _phq9(db: Database, course_id: int, day: int, clock: time, total: int, **kw: object) -> None:
    when = datetime.combine(START + timedelta(days=day), clock)
    record_assessment(db, course_id, AssessmentInput("PHQ9", items_for("PHQ9", total), when, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize("local_zone", ["America/Los_Angeles", "Asia/Tokyo"], indirect=True)
def test_six_week_window_and_induction_end_use_local_days(local_zone: str, db: Database) -> None:
    pid = register_patient(db, PatientInput(mrn="TZ-1", name="Zone Test")).id
    cid = start_course(db, pid, Modality.TMS, START, planned_sessions=6).id
    _phq9(db, cid, -1, time(9, 0), 20, timepoint=Timepoint.BASELINE)
    session = record_session(
        db, cid, SessionInput(when=datetime.combine(START, time(9, 0)), phase=Phase.INDUCTION)
    )
    _phq9(db, cid, 0, time(8, 0), 16, session_id=session.record.id)
    _phq9(db, cid, 0, time(23, 30), 10)  # same local day as the last session: end of induction
    _phq9(db, cid, 1, time(0, 30), 2)  # the next local day: not
    _phq9(db, cid, 27, time(23, 30), 0)  # day 27: outside the window
    _phq9(db, cid, 28, time(0, 30), 14)  # day 28 (00:30): the window's first day
    _phq9(db, cid, 56, time(23, 30), 12)  # day 56 (23:30): the window's last day
    result = run_clinic_outcomes(db, OutcomeFilters())
    # Days 28 and 56 are both 14 days from 42: the tie goes to the earlier (14).
    assert result["week6_phq9"]["tms"] == {"n": 1, "mean_change": 6.0}
    counts = result["by_modality"]["tms"]["PHQ9"]
    assert counts == {"evaluable": 1, "response": 1, "partial": 0, "remission": 0}  # 20 -> 10
