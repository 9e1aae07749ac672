"""The vitals table in the summary and the REMS monitoring form, read back with pypdf.

Built through the real services on a real SQLite file, in the clinic's order: the
session, then its vitals, then the REMS record after discharge, then submission.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from report_courses import GENERATED_AT
from report_text import page_texts

from mbctracker.domain import ValidationError
from mbctracker.domain.course import Modality
from mbctracker.domain.procedure import RemsRecord, VitalPoint, VitalSigns
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.reports import render_summary
from mbctracker.services import courses
from mbctracker.services.procedure import save_vitals, set_authorised_sessions
from mbctracker.services.rems import mark_rems_submitted, rems_form_pdf, save_rems_record
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database

DAY = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def esketamine(db: Database, patient: PatientInfo) -> CourseInfo:
    return courses.start_course(db, patient.id, Modality.ESKETAMINE, date(2026, 3, 1), 8)


def _dosed(db: Database, course: CourseInfo) -> int:
    details = {"dose_mg": "84", "sedation": "mild", "dissociation": "none"}
    sess = record_session(db, course.id, SessionInput(when=DAY, details=details)).record
    save_vitals(
        db,
        sess.id,
        [
            VitalSigns(VitalPoint.PRE_DOSE, DAY - timedelta(minutes=5), 150, 85, 72, 98),
            VitalSigns(VitalPoint.DURING, DAY + timedelta(minutes=40), 158, 92, 80, 91),
            VitalSigns(VitalPoint.DISCHARGE, DAY + timedelta(minutes=125), 138, 84, 70, 97),
        ],
    )
    return sess.id


def test_summary_prints_the_flowsheet_with_alerts_marked(
    db: Database, esketamine: CourseInfo
) -> None:
    _dosed(db, esketamine)
    set_authorised_sessions(db, esketamine.id, 8, expected_version=esketamine.version)
    text = " ".join(
        page_texts(render_summary(load_timeline(db, esketamine.id), generated_at=GENERATED_AT))
    )
    assert "Authorised 8 · 7 left" in text
    assert "Vitals" in text
    assert "Pre-dose 08:55 150/85 ! 72 98%" in text
    assert "systolic 150 above 140 mmHg" in text
    assert "91% ! SpO2 91% below 92%" in text
    assert "Discharge criteria met" in text
    assert "outside the clinic's limits: pre-dose BP above 140/90" in text


def test_summary_without_vitals_has_no_vitals_section(db: Database, course: CourseInfo) -> None:
    record_session(db, course.id, SessionInput(when=datetime(2026, 1, 5, 10)))
    text = " ".join(
        page_texts(render_summary(load_timeline(db, course.id), generated_at=GENERATED_AT))
    )
    assert "Discharge criteria" not in text


def test_rems_form_carries_the_session_vitals_and_record(
    db: Database, esketamine: CourseInfo
) -> None:
    session_id = _dosed(db, esketamine)
    blank = page_texts(rems_form_pdf(db, session_id))
    assert len(blank) == 1
    assert "Esketamine REMS patient monitoring record" in blank[0]
    assert "Zoë Ødegård" in blank[0] and "MRN-0001" in blank[0]
    assert "84 mg" in blank[0] and "150/85 mmHg at 08:55" in blank[0]
    assert "158/92 mmHg at 09:40" in blank[0] and "138/84 mmHg at 11:05" in blank[0]
    assert "☒ present (mild)" in blank[0]  # sedation, from the session's details
    assert "Lot number ________________" in blank[0]
    assert "submit by 2026-03-09 (within 7 days of the session)" in blank[0]
    record = RemsRecord(
        lot_number="LOT-77Q",
        monitoring_start=DAY,
        monitoring_end=DAY + timedelta(minutes=125),
        ready_to_leave_at=DAY + timedelta(minutes=130),
        respiratory_status="normal",
        concomitant=("benzodiazepines", "MAOIs"),
    )
    saved = save_rems_record(db, session_id, record).record
    mark_rems_submitted(db, session_id, date(2026, 3, 4), expected_version=saved.version)
    filled = page_texts(rems_form_pdf(db, session_id))[0]
    assert "LOT-77Q" in filled and "125 min (REMS minimum 120 min)" in filled
    assert "☒ benzodiazepines ☐ sedative-hypnotics ☐ psychostimulants ☒ MAOIs" in filled
    assert "☒ normal ☐ changed" in filled
    assert "Submitted on 2026-03-04." in filled


def test_rems_form_is_deterministic(db: Database, esketamine: CourseInfo) -> None:
    session_id = _dosed(db, esketamine)
    assert rems_form_pdf(db, session_id) == rems_form_pdf(db, session_id)


def test_rems_form_refused_for_a_tms_session(db: Database, patient: PatientInfo) -> None:
    tms = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    sess = record_session(db, tms.id, SessionInput(when=DAY)).record
    with pytest.raises(ValidationError, match="TMS sessions have none"):
        rems_form_pdf(db, sess.id)


def test_rems_form_falls_back_to_the_session_bp_fields(
    db: Database, esketamine: CourseInfo
) -> None:
    """A nurse who typed BP on the session form only still gets it on the REMS form."""
    details = {"dose_mg": "56", "bp_before_sys": 132, "bp_before_dia": 84}
    sess = record_session(db, esketamine.id, SessionInput(when=DAY, details=details)).record
    text = page_texts(rems_form_pdf(db, sess.id))[0]
    assert "Blood pressure before dosing 132/84 mmHg" in text
    assert "At discharge ____ / ____ mmHg" in text
