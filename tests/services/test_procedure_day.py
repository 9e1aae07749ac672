"""Around a session (issue 10 §2), on a real SQLite file, in the order a clinic works.

The nurse records the session, then types the vitals as they are taken; the REMS
form is filled after discharge and submitted days later; a payer's authorisation
is raised mid-course; the TMS motor threshold ages between re-determinations.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mbctracker.domain import ValidationError
from mbctracker.domain.course import Modality
from mbctracker.domain.procedure import RemsRecord, VitalPoint, VitalSigns
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services import audit_log, courses
from mbctracker.services.procedure import (
    courses_near_authorised_limit,
    latest_weight,
    load_flowsheet,
    mt_reminder_for,
    previous_session,
    save_vitals,
    set_authorised_sessions,
    set_mt_determined_on,
)
from mbctracker.services.rems import (
    load_rems_record,
    mark_rems_submitted,
    pending_rems_forms,
    save_rems_record,
)
from mbctracker.services.sessions import (
    SessionInput,
    correct_session,
    delete_session,
    record_session,
)
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database, StaleRecordError

DAY = datetime(2026, 3, 2, 9, 0)


def _session(db: Database, course: CourseInfo, when: datetime, **details: object):  # type: ignore[no-untyped-def]
    """A session saved as the person confirmed it (warnings are asked about, then kept)."""
    entered = SessionInput(when=when, details=details)
    return record_session(db, course.id, entered, acknowledge_warnings=True)


@pytest.fixture
def esketamine(db: Database, patient: PatientInfo) -> CourseInfo:
    return courses.start_course(db, patient.id, Modality.ESKETAMINE, date(2026, 3, 1), 8)


@pytest.fixture
def tms(db: Database, patient: PatientInfo) -> CourseInfo:
    return courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 36)


# --- weight and dose ------------------------------------------------------------------------


def test_mg_is_computed_from_mg_per_kg_and_the_weight(db: Database, course: CourseInfo) -> None:
    result = _session(db, course, datetime(2026, 1, 5, 10), weight_kg=70.0, dose_mg_per_kg=0.5)
    assert result.record.details["dose_mg"] == 35.0
    assert result.warnings == ()


def test_mg_per_kg_is_computed_from_mg_and_the_weight(db: Database, course: CourseInfo) -> None:
    result = _session(db, course, datetime(2026, 1, 5, 10), weight_kg=80.0, dose_mg=40.0)
    assert result.record.details["dose_mg_per_kg"] == 0.5


def test_impossible_dose_combination_is_refused_and_nothing_saved(
    db: Database, course: CourseInfo
) -> None:
    """The issue's example: 1.0 mg/kg with 450 mg at 70 kg is 6.43 mg/kg."""
    with pytest.raises(ValidationError, match=r"450 mg at 70 kg is 6.43 mg/kg") as caught:
        _session(
            db, course, datetime(2026, 1, 5, 10), weight_kg=70, dose_mg_per_kg=1.0, dose_mg=450.0
        )
    assert caught.value.field == "dose_mg"
    assert load_timeline(db, course.id).sessions == ()


def test_disagreeing_dose_is_a_warning(db: Database, course: CourseInfo) -> None:
    result = _session(
        db, course, datetime(2026, 1, 5, 10), weight_kg=70.0, dose_mg_per_kg=0.5, dose_mg=70.0
    )
    assert any("70 mg at 70 kg is 1.00 mg/kg, not the 0.5 mg/kg" in w for w in result.warnings)


def test_a_correction_is_cross_checked_too(db: Database, course: CourseInfo) -> None:
    first = _session(db, course, datetime(2026, 1, 5, 10), weight_kg=70.0, dose_mg_per_kg=0.5)
    details = {**first.record.details, "weight_kg": 35.0}
    fixed = correct_session(
        db,
        first.record.id,
        SessionInput(when=first.record.when, details=details),
        expected_version=first.record.version,
        acknowledge_warnings=True,
    )
    assert any("35 mg at 35 kg" in w for w in fixed.warnings)


def test_weight_defaults_to_the_latest_across_courses(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    """Back-filled sessions do not win over the newest weight; no weight yet: None."""
    assert latest_weight(db, patient.id) is None
    _session(db, course, datetime(2026, 1, 9, 10), weight_kg=72.5, dose_mg_per_kg=0.5)
    _session(db, course, datetime(2026, 1, 5, 10), weight_kg=75.0, dose_mg_per_kg=0.5)
    _session(db, course, datetime(2026, 1, 12, 10), dose_mg_per_kg=0.5)
    assert latest_weight(db, patient.id) == 72.5
    assert latest_weight(db, patient.id, before=datetime(2026, 1, 8)) == 75.0


# --- ECT seizure adequacy ---------------------------------------------------------------------


def test_short_ect_seizure_is_flagged_against_the_clinic_threshold(
    db: Database, patient: PatientInfo
) -> None:
    ect = courses.start_course(db, patient.id, Modality.ECT, date(2026, 3, 1), 12)
    short = _session(db, ect, DAY, seizure_eeg_s=18, seizure_motor_s=12, charge_mc=100.0)
    assert any("adequacy threshold: EEG 18 s (threshold 25 s)" in w for w in short.warnings)
    adequate = _session(db, ect, DAY + timedelta(days=2), seizure_eeg_s=32, seizure_motor_s=12)
    assert not any("adequacy" in w for w in adequate.warnings)


def test_ect_parameters_are_kept_and_same_as_last_reads_the_previous(
    db: Database, patient: PatientInfo
) -> None:
    ect = courses.start_course(db, patient.id, Modality.ECT, date(2026, 3, 1), 12)
    params = dict(
        placement="right unilateral",
        pulse_width_ms=0.3,
        charge_mc=201.6,
        frequency_hz=60.0,
        train_duration_s=4.0,
        impedance_ohm=1500,
        psi_percent=85,
        anaesthetic="methohexital",
        anaesthetic_dose_mg=70.0,
        relaxant="succinylcholine",
        relaxant_dose_mg=60.0,
        seizure_eeg_s=40,
        seizure_motor_s=28,
    )
    _session(db, ect, DAY, **params)
    last = previous_session(db, ect.id)
    assert last is not None and last.details == params
    assert previous_session(db, ect.id, before=DAY) is None


# --- vitals -----------------------------------------------------------------------------------


def test_vitals_flowsheet_highlights_and_discharge(db: Database, esketamine: CourseInfo) -> None:
    sess = _session(db, esketamine, DAY, dose_mg="56").record
    readings = [
        VitalSigns(VitalPoint.PRE_DOSE, DAY, 150, 92, 80, 98),
        VitalSigns(VitalPoint.DURING, DAY + timedelta(minutes=40), 172, 100, 88, 97),
        VitalSigns(VitalPoint.DISCHARGE, DAY + timedelta(hours=2), 165, 88, 76, 98),
    ]
    sheet = save_vitals(db, sess.id, readings)
    assert sheet.alerts[0] == {
        "systolic": "systolic 150 above 140 mmHg",
        "diastolic": "diastolic 92 above 90 mmHg",
    }
    assert sheet.alerts[1] == {}  # during: alert only from 180/110
    assert not sheet.discharge.met
    assert "systolic 165 above 160 mmHg" in sheet.discharge.text
    fixed = save_vitals(
        db,
        sess.id,
        [
            *readings[:2],
            VitalSigns(VitalPoint.DISCHARGE, DAY + timedelta(hours=2, minutes=15), 150, 88, 76, 98),
        ],
    )
    assert fixed.discharge.met and fixed.discharge.text == "Discharge criteria met"
    assert load_flowsheet(db, sess.id).readings == fixed.readings
    assert [v.systolic for v in load_timeline(db, esketamine.id).vitals] == [150, 172, 150]
    changes = audit_log.course_changes(db, esketamine.id)
    vital_updates = [c for c in changes if c.table == "vital_sign" and c.action == "update"]
    assert len(vital_updates) == 1  # the corrected discharge row, old and new value


@pytest.mark.parametrize(
    ("reading", "message"),
    [
        (VitalSigns(VitalPoint.PRE_DOSE, None, 120, 130), "not below the systolic"),
        (VitalSigns(VitalPoint.DURING, None, 1200), "Systolic BP: 1200 is impossible"),
        (VitalSigns(VitalPoint.DURING, None, spo2=101), "SpO2: 101 is impossible"),
        (VitalSigns(VitalPoint.DURING, None, heart_rate=True), "Heart rate: True"),  # type: ignore[arg-type]
        (VitalSigns("later", None, 120), "Vitals time point"),  # type: ignore[arg-type]
        (VitalSigns(VitalPoint.DURING, datetime(2099, 1, 1), 120), "in the future"),
    ],
)
def test_hostile_vitals_are_refused_whole(
    db: Database, esketamine: CourseInfo, reading: VitalSigns, message: str
) -> None:
    sess = _session(db, esketamine, DAY, dose_mg="56").record
    good = VitalSigns(VitalPoint.PRE_DOSE, DAY, 120, 80, 70, 98)
    with pytest.raises(ValidationError, match=message):
        save_vitals(db, sess.id, [good, reading])
    assert load_flowsheet(db, sess.id).readings == ()


def test_tms_sessions_have_no_flowsheet(db: Database, tms: CourseInfo) -> None:
    sess = _session(db, tms, DAY, pulses=3000).record
    with pytest.raises(ValidationError, match="TMS sessions have no vitals flowsheet"):
        save_vitals(db, sess.id, [VitalSigns(VitalPoint.PRE_DOSE, DAY, 120, 80)])


# --- REMS -------------------------------------------------------------------------------------


def _rems(start: datetime, minutes: int = 125) -> RemsRecord:
    return RemsRecord(
        lot_number="LOT-5521A",
        monitoring_start=start,
        monitoring_end=start + timedelta(minutes=minutes),
        ready_to_leave_at=start + timedelta(minutes=minutes + 5),
        respiratory_status="normal",
        concomitant=("benzodiazepines",),
    )


def test_pending_rems_forms_count_down_and_leave_when_submitted(
    db: Database, patient: PatientInfo, esketamine: CourseInfo
) -> None:
    first = _session(db, esketamine, DAY, dose_mg="56").record
    second = _session(db, esketamine, DAY + timedelta(days=3), dose_mg="84").record
    today = date(2026, 3, 8)
    with db.read() as session:
        pending = pending_rems_forms(session, today)
    assert [(p.session_id, p.days_left) for p in pending] == [(first.id, 1), (second.id, 4)]
    assert pending[0].patient_id == patient.id and pending[0].course_id == esketamine.id
    assert pending[0].performed_at == DAY
    saved = save_rems_record(db, first.id, _rems(DAY))
    assert saved.warnings == ()
    with db.read() as session:  # filled in but not yet submitted: still pending
        assert len(pending_rems_forms(session, today)) == 2
    done = mark_rems_submitted(db, first.id, today, expected_version=saved.record.version)
    assert done.submitted_on == today
    with db.read() as session:
        later = pending_rems_forms(session, date(2026, 3, 14))
    assert [(p.session_id, p.days_left) for p in later] == [(second.id, -2)]


def test_rems_record_warns_short_monitoring_and_refuses_bad_order(
    db: Database, esketamine: CourseInfo
) -> None:
    sess = _session(db, esketamine, DAY, dose_mg="56").record
    short = save_rems_record(db, sess.id, _rems(DAY, minutes=60))
    assert short.warnings == (
        "Monitoring time: 60 min is shorter than the REMS minimum of 120 min",
    )
    backwards = _rems(DAY, minutes=-10)
    with pytest.raises(ValidationError, match="Monitoring end: before the monitoring start"):
        save_rems_record(db, sess.id, backwards, expected_version=short.record.version)
    with pytest.raises(ValidationError, match="'opioids' is not on the REMS form"):
        save_rems_record(
            db,
            sess.id,
            RemsRecord(concomitant=("opioids",)),
            expected_version=short.record.version,
        )
    with pytest.raises(StaleRecordError):
        save_rems_record(db, sess.id, _rems(DAY), expected_version=short.record.version - 1)
    assert load_rems_record(db, sess.id) == short.record


def test_rems_refuses_other_modalities_and_submission_before_a_record(
    db: Database, course: CourseInfo, esketamine: CourseInfo
) -> None:
    iv = _session(db, course, datetime(2026, 1, 5, 10), dose_mg_per_kg=0.5).record
    with pytest.raises(ValidationError, match="IV ketamine sessions have none"):
        save_rems_record(db, iv.id, _rems(datetime(2026, 1, 5, 10)))
    sess = _session(db, esketamine, DAY, dose_mg="56").record
    with pytest.raises(ValidationError, match="no REMS monitoring record yet"):
        mark_rems_submitted(db, sess.id, date(2026, 3, 3), expected_version=1)


# --- TMS: authorisation and motor threshold ---------------------------------------------------


def test_authorised_sessions_edited_mid_course_and_listed_near_the_limit(
    db: Database, tms: CourseInfo
) -> None:
    authorised = set_authorised_sessions(db, tms.id, 3, expected_version=tms.version)
    for day in range(2):
        _session(db, tms, DAY + timedelta(days=day), pulses=3000)
    with db.read() as session:
        near = courses_near_authorised_limit(session, 1)
    assert [(n.course_id, n.authorised, n.used, n.remaining) for n in near] == [(tms.id, 3, 2, 1)]
    raised = set_authorised_sessions(db, tms.id, 30, expected_version=authorised.version)
    assert raised.authorised_sessions == 30
    with db.read() as session:
        assert courses_near_authorised_limit(session, 1) == []
    with pytest.raises(ValidationError, match="Authorised sessions"):
        set_authorised_sessions(db, tms.id, 0, expected_version=raised.version)


def test_motor_threshold_reminder_when_older_than_the_interval(
    db: Database, tms: CourseInfo
) -> None:
    assert "no date recorded" in (mt_reminder_for(tms, date(2026, 3, 2)) or "")
    dated = set_mt_determined_on(db, tms.id, date(2026, 3, 2), expected_version=tms.version)
    assert mt_reminder_for(dated, date(2026, 3, 9)) is None
    assert mt_reminder_for(dated, date(2026, 3, 10)) == (
        "Re-determine the motor threshold: last 2026-03-02, 8 days ago (every 7 days)"
    )
    with pytest.raises(ValidationError, match="before the course start"):
        set_mt_determined_on(db, tms.id, date(2026, 2, 1), expected_version=dated.version)


def test_pending_rems_forms_leave_out_deleted_and_other_modalities(
    db: Database, course: CourseInfo, esketamine: CourseInfo
) -> None:
    _session(db, course, datetime(2026, 3, 2, 10), dose_mg_per_kg=0.5)  # IV ketamine: no REMS
    kept = _session(db, esketamine, DAY, dose_mg="56").record
    gone = _session(db, esketamine, DAY + timedelta(days=1), dose_mg="56").record
    delete_session(db, gone.id, expected_version=gone.version)
    with db.read() as session:
        assert [p.session_id for p in pending_rems_forms(session, date(2026, 3, 4))] == [kept.id]
    with pytest.raises(ValidationError, match="Sessions left"), db.read() as session:
        courses_near_authorised_limit(session, -1)
