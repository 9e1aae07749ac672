"""Use cases end to end on a real SQLite file: what the app and CLI rely on."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from mbctracker.domain import ScoringError, ValidationError
from mbctracker.domain.course import (
    CourseStatus,
    DropoutReason,
    EventKind,
    Phase,
    SafetyActionKind,
    Timepoint,
)
from mbctracker.domain.timeline import CourseInfo, PatientInfo, summarize
from mbctracker.services import audit_log, courses, events, patient_list, patients, sessions
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    delete_assessment,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import latest_course_id, load_timeline
from mbctracker.storage import Database, StaleRecordError

PHQ9_BASELINE = [3, 2, 2, 2, 2, 2, 2, 2, 0]  # 17, moderately severe


def phq9_for(total: int) -> list[int | None]:
    """PHQ-9 items summing to ``total`` with item 9 at 0."""
    items: list[int | None] = [min(3, max(0, total - 3 * i)) for i in range(8)]
    return [*items, 0]


def _visit(db: Database, course: CourseInfo, day: int, phq9: list[int | None]) -> None:
    result = record_session(
        db,
        course.id,
        SessionInput(when=datetime(2026, 1, day, 10), details={"dose_mg_per_kg": 0.5}),
    )
    record_assessment(
        db,
        course.id,
        AssessmentInput("PHQ9", phq9, datetime(2026, 1, day, 9, 30), session_id=result.record.id),
    )


def test_register_find_and_update_a_patient(db: Database, patient: PatientInfo) -> None:
    assert [p.mrn for p in patients.find_patients(db, "ødegård")] == ["MRN-0001"]
    assert [p.name for p in patients.find_patients(db, "mrn-00")] == ["Zoë Ødegård"]
    data = patients.PatientInput("MRN-0001", "Zoë Ødegård-Berg", date(1980, 5, 17))
    updated = patients.update_patient(db, patient.id, data, expected_version=patient.version)
    assert updated.name == "Zoë Ødegård-Berg" and updated.version == patient.version + 1
    with pytest.raises(StaleRecordError, match="changed elsewhere"):
        patients.update_patient(db, patient.id, data, expected_version=patient.version)


def test_mrn_is_required_and_unique(db: Database, patient: PatientInfo) -> None:
    with pytest.raises(ValidationError, match="MRN is required") as err:
        patients.register_patient(db, patients.PatientInput("  ", "X"))
    assert err.value.field == "mrn"
    with pytest.raises(ValidationError, match="MRN mrn-0001 is already used"):
        patients.register_patient(db, patients.PatientInput("mrn-0001", "Someone Else"))
    with pytest.raises(ValidationError, match="future"):
        patients.register_patient(db, patients.PatientInput("N-2", "Y", date(2999, 1, 1)))
    assert len(patients.find_patients(db)) == 1


def test_record_assessment_returns_score_change_and_flag(db: Database, course: CourseInfo) -> None:
    base = record_assessment(
        db,
        course.id,
        AssessmentInput("PHQ9", PHQ9_BASELINE, datetime(2026, 1, 4, 9), Timepoint.BASELINE),
    )
    assert base.is_baseline and base.score.total == 17
    _visit(db, course, 5, [2, 2, 1, 1, 1, 1, 1, 1, 0])
    later = record_assessment(
        db, course.id, AssessmentInput("PHQ9", [1, 1, 1, 1, 1, 1, 1, 1, 1], datetime(2026, 1, 8, 9))
    )
    assert later.score.total == 9 and later.score.safety_flag
    assert later.change.category == "partial" and later.change.percent_change == pytest.approx(
        47.06, abs=0.01
    )
    assert not later.is_baseline


def test_safety_flag_stays_open_until_an_action_is_recorded(
    db: Database, course: CourseInfo
) -> None:
    flagged = record_assessment(
        db, course.id, AssessmentInput("PHQ9", [0] * 8 + [None], datetime(2026, 1, 4, 9))
    )
    assert flagged.score.safety_reason == "unanswered"
    assert [a.id for a in load_timeline(db, course.id).open_flags] == [flagged.record.id]
    row = patient_list.patient_page(db)[0]
    assert row.open_flags == 1
    with pytest.raises(ValidationError, match="Describe the action"):
        record_safety_action(db, flagged.record.id, SafetyActionKind.OTHER, "  ")
    record_safety_action(db, flagged.record.id, SafetyActionKind.SAFETY_PLAN, "Plan reviewed")
    timeline = load_timeline(db, course.id)
    assert timeline.open_flags == [] and timeline.flags[0].actions[0].by == "test clinician"
    assert patient_list.patient_page(db)[0].open_flags == 0


def test_bad_scores_save_nothing(db: Database, course: CourseInfo) -> None:
    with pytest.raises(ScoringError, match="item 2"):
        record_assessment(
            db, course.id, AssessmentInput("GAD7", [0, 9, 0, 0, 0, 0, 0], datetime(2026, 1, 4))
        )
    with pytest.raises(ValidationError, match="future"):
        record_assessment(db, course.id, AssessmentInput("GAD7", [0] * 7, datetime(2999, 1, 4)))
    assert load_timeline(db, course.id).assessments == ()


def test_change_log_on_update_and_delete(db: Database, course: CourseInfo) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("GAD7", [1] * 7, datetime(2026, 1, 4, 9))
    )
    fixed = correct_assessment(db, saved.record.id, [2] * 7, expected_version=saved.record.version)
    assert fixed.score.total == 14
    delete_assessment(db, saved.record.id, expected_version=fixed.record.version)
    assert load_timeline(db, course.id).assessments == ()
    log = [e for e in audit_log.course_changes(db, course.id) if e.table == "assessment"]
    assert [e.action for e in log] == ["create", "update", "delete"]
    assert log[1].changes["total"] == [7, 14] and log[1].actor == "test clinician"
    assert json.loads(log[1].changes["responses"][0]) == [1] * 7


def test_course_phases_statuses_and_events(db: Database, course: CourseInfo) -> None:
    moved = courses.set_phase(db, course.id, Phase.MAINTENANCE, expected_version=course.version)
    assert moved.phase == Phase.MAINTENANCE
    with pytest.raises(ValidationError, match="needs a reason: logistical, side effects"):
        courses.end_course(
            db,
            course.id,
            CourseStatus.DISCONTINUED,
            date(2026, 2, 1),
            expected_version=moved.version,
        )
    ended = courses.end_course(
        db,
        course.id,
        CourseStatus.DISCONTINUED,
        date(2026, 2, 1),
        expected_version=moved.version,
        reason=DropoutReason.COST,
    )
    assert (
        ended.status == CourseStatus.DISCONTINUED and ended.discontinue_reason == DropoutReason.COST
    )
    events.record_event(
        db, course.id, EventKind.HOSPITALIZATION, date(2026, 2, 3), description="Admitted"
    )
    kinds = [e.kind for e in load_timeline(db, course.id).events]
    assert kinds == [EventKind.DROPOUT, EventKind.HOSPITALIZATION]


def test_several_courses_past_ones_stay_readable(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    courses.end_course(
        db, course.id, CourseStatus.COMPLETED, date(2026, 2, 1), expected_version=course.version
    )
    from mbctracker.domain.course import Modality

    second = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 36)
    assert [c.id for c in courses.list_courses(db, patient.id)] == [second.id, course.id]
    assert latest_course_id(db, patient.id) == second.id
    assert load_timeline(db, course.id).course.status == CourseStatus.COMPLETED


def test_session_details_are_validated_per_modality(db: Database, course: CourseInfo) -> None:
    warned = record_session(
        db,
        course.id,
        SessionInput(datetime(2026, 1, 6, 10), {"dose_mg_per_kg": 2.0}),
        acknowledge_warnings=True,
    )
    assert warned.warnings and "plausible 0.1-1.5 mg/kg" in warned.warnings[0]
    with pytest.raises(ValidationError, match="impossible; allowed 40-300 mmHg"):
        record_session(
            db, course.id, SessionInput(datetime(2026, 1, 7, 10), {"bp_before_sys": 400})
        )
    with pytest.raises(ValidationError, match="no field 'pulses'"):
        record_session(db, course.id, SessionInput(datetime(2026, 1, 7, 10), {"pulses": 3000}))
    assert [s.number for s in load_timeline(db, course.id).sessions] == [1]


def test_summary_of_a_course(db: Database, course: CourseInfo) -> None:
    record_assessment(
        db,
        course.id,
        AssessmentInput("PHQ9", PHQ9_BASELINE, datetime(2026, 1, 4, 9), Timepoint.BASELINE),
    )
    for day, total in ((5, 14), (8, 9), (12, 7), (19, 4), (26, 3)):
        _visit(db, course, day, phq9_for(total))
    summary = summarize(load_timeline(db, course.id))
    phq9 = summary.get("PHQ9")
    assert phq9 is not None and phq9.baseline is not None and phq9.latest is not None
    assert (phq9.baseline.score.total, phq9.latest.score.total) == (17, 3)
    assert phq9.change.category == "response" and phq9.change.remission
    assert phq9.sessions_to_response == 3  # 9 at session 2 is 47 %; 7 at session 3 is 59 %
    assert phq9.sustained_remission is None  # remitted on the 19th and 26th: only 7 days
    assert phq9.sustained_response == datetime(2026, 1, 26, 9, 30)  # 12th to 26th: 14 days
    assert summary.sessions_done == 5 and summary.planned_sessions == 6


def test_baseline_only_course_is_not_evaluable_yet(db: Database, course: CourseInfo) -> None:
    record_assessment(
        db,
        course.id,
        AssessmentInput("MADRS", [3] * 10, datetime(2026, 1, 4, 9), Timepoint.BASELINE),
    )
    summary = summarize(load_timeline(db, course.id))
    madrs = summary.get("MADRS")
    assert madrs is not None and madrs.latest is None
    assert madrs.change.category == "not evaluable" and madrs.change.percent_change is None
    assert madrs.most_recent is not None and madrs.most_recent.score.total == 30
    row = patient_list.patient_page(db)[0]
    assert row.latest("MADRS") == "30" and row.badge == ""


def test_sessions_courses_and_events_can_be_deleted_and_restored(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    made = record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10)))
    event = events.record_event(db, course.id, EventKind.ED_VISIT, date(2026, 1, 7))
    sessions.delete_session(db, made.record.id, expected_version=made.record.version)
    events.delete_event(db, event.id, expected_version=1)
    courses.delete_course(db, course.id, expected_version=course.version)
    assert courses.list_courses(db, patient.id) == []
    courses.restore_course(db, course.id)
    sessions.restore_session(db, made.record.id)
    events.restore_event(db, event.id)
    timeline = load_timeline(db, course.id)
    assert [s.id for s in timeline.sessions] == [made.record.id]
    assert [e.id for e in timeline.events] == [event.id]
    actions = [(e.table, e.action) for e in audit_log.course_changes(db, course.id)]
    for table in ("treatment_session", "event", "course"):
        assert (table, "delete") in actions and (table, "restore") in actions
