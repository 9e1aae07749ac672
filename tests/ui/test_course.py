"""Courses, sessions, events, the change log, the chart and the summary on real widgets."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from ui_helpers import closed, open_patient

from mbctracker import app
from mbctracker.domain.course import CourseStatus, DropoutReason, Modality, Phase
from mbctracker.services.courses import list_courses, start_course
from mbctracker.services.timeline import load_timeline
from mbctracker.storage.errors import StaleRecordError
from mbctracker.ui.dialogs.course_dialogs import EndCourseDialog, EventDialog, StartCourseDialog
from mbctracker.ui.dialogs.session_dialog import SessionDialog


def test_record_session_warns_on_implausible_dose_and_refuses_impossible(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    dose = dialog.inputs["dose_mg_per_kg"]
    qtbot.keyClicks(dose, "9")
    assert dialog.hints["dose_mg_per_kg"].text().startswith("✖ Dose of 9 mg/kg is impossible")
    dialog.save()
    assert "Dose" in dialog.error.text() and dialog.isVisible()
    dose.clear()
    qtbot.keyClicks(dose, "2")
    assert "plausible 0.1-1.5 mg/kg" in dialog.hints["dose_mg_per_kg"].text()
    dialog.side_effects["dissociation"].setChecked(True)
    dialog.prn["antiemetic"].setChecked(True)
    assert dialog.save() is None  # unusual: asked first, nothing saved yet
    question = dialog.question
    assert question is not None and "Dose of 2 mg/kg is unusual" in question.text()
    qtbot.keyClick(question, Qt.Key.Key_S)  # "Save anyway"
    qtbot.waitUntil(lambda: closed(dialog))
    timeline = load_timeline(window.db, clinic.course_id)
    assert [w.field for w in timeline.sessions[-1].warnings] == ["dose_mg_per_kg"]
    assert timeline.sessions[-1].details["dose_mg_per_kg"] == 2.0
    assert timeline.sessions[-1].side_effects == ("dissociation",)
    assert window.course.sessions_model.record(0).number == 3


def test_corrected_session_is_in_the_change_log_and_exported(qtbot, window, clinic, tmp_path):
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.sessions_view.selectRow(0)
    dialog = window.correct_session()
    assert isinstance(dialog, SessionDialog) and dialog.existing is not None
    dialog.inputs["dose_mg"].setText("40")
    dialog.save()
    course.tabs.setCurrentWidget(course.change_log)
    texts = [
        course.change_log.model.index(r, 4).data()
        for r in range(course.change_log.model.rowCount())
    ]
    assert any("35.0" in t and "40.0" in t for t in texts)
    out = course.change_log.export(tmp_path / "log.csv")
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["field"] == "details" and "40.0" in r["new_value"] for r in rows)


def test_stale_session_correction_is_refused_plainly(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    window.course.sessions_view.selectRow(0)
    first, second = window.correct_session(), None
    assert first is not None
    first.notes.setPlainText("first")
    first.save()
    # a second dialog opened on the old version (as another window would have)
    second = SessionDialog(window.ops, window.course.timeline.course, first.existing, window)
    second.notes.setPlainText("second")
    assert second.save() is None
    boxes = window.findChildren(QMessageBox, "userError")
    assert boxes and "changed elsewhere" in boxes[-1].text()
    assert load_timeline(window.db, clinic.course_id).sessions[-1].notes == "first"


def test_phase_change_end_and_a_new_course_keep_the_old_one_readable(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.phase.setCurrentIndex(course.phase.findData(Phase.CONTINUATION))
    course.phase.activated.emit(course.phase.currentIndex())
    assert course.timeline.course.phase == Phase.CONTINUATION
    end = window.end_course()
    assert isinstance(end, EndCourseDialog)
    end.status.setCurrentIndex(end.status.findData(CourseStatus.DISCONTINUED))
    end.save()
    assert "reason" in end.error.text().lower()
    end.reason.setCurrentIndex(end.reason.findData(DropoutReason.LOGISTICAL))
    end.save()
    assert course.timeline.course.status == CourseStatus.DISCONTINUED
    assert [e.kind.value for e in course.timeline.events] == ["dropout"]
    assert "Dropout" in course.summary_panel.toPlainText()
    start = window.start_course()
    assert isinstance(start, StartCourseDialog)
    start.modality.setCurrentIndex(start.modality.findData(Modality.TMS))
    assert start.planned.value() == 36
    madrs = start.remission["MADRS"]
    assert isinstance(madrs, QComboBox)
    madrs.setCurrentIndex(madrs.findData(12))
    start.save()
    courses = list_courses(window.db, clinic.patient_id)
    assert [c.modality for c in courses] == [Modality.TMS, Modality.IV_KETAMINE]
    assert courses[0].settings.for_instrument("MADRS").remission_max == 12
    assert course.timeline.course.modality == Modality.TMS
    assert course.course_choice.count() == 2
    course.course_choice.activated.emit(1)
    assert course.timeline.course.id == clinic.course_id  # the past course is readable


def test_event_is_on_the_course_and_the_chart(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    dialog = window.record_event()
    assert isinstance(dialog, EventDialog)
    dialog.description.setText("ED visit for headache")
    dialog.kind.setCurrentIndex(1)
    dialog.save()
    assert window.course.events_model.rowCount() == 1
    assert "ED visit" in window.course.summary_panel.toPlainText()


def test_chart_axis_modes_lines_and_readout(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    chart = window.course.chart
    assert chart.shown() == ["PHQ9"]
    xs = [p.x for p in chart.drawn["PHQ9"]]
    assert xs == [0.0, 1.0, 2.0]  # baseline, before session 1, before session 2
    assert chart.drawn["PHQ9"][0].is_baseline
    # Hand-checked: (17 - 13) / 17 = 23.53%, one decimal as on paper (the screen used to
    # say "24% improvement", which reads as almost the 25% partial-response cut-off).
    assert "PHQ-9</b> 17 → 13 · 23.5% (4 pts better) · Non-response" in chart.readout.text()
    assert chart.drawn_lines["PHQ9"] == [
        ("PHQ-9 remission ≤ 4", 4.0),
        ("PHQ-9 response ≤ 8.5 (50% of baseline)", 8.5),
        ("PHQ-9 partial ≤ 12.75 (75% of baseline)", 12.75),
    ]
    chart.axis_mode.setCurrentIndex(1)
    assert [round(p.x) for p in chart.drawn["PHQ9"]] == [0, 3, 6]
    assert chart.axis.tickStrings([0.0], 1, 7)[0] == load_timeline(
        window.db, clinic.course_id
    ).course.start_date.strftime("%d %b")


def test_summary_panel_uses_summarize(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    text = window.course.summary_panel.toPlainText()
    assert "Sessions induction 2/6" in text
    assert "PHQ-9" in text and "Early improvement" in text and "not a stopping rule" in text


def test_save_summary_pdf(qtbot, window, clinic, tmp_path):
    from mbctracker.ui.dialogs import file_actions

    open_patient(qtbot, window, clinic.patient_id)
    out = file_actions.save_summary(window, tmp_path / "summary.pdf")
    assert out is not None and out.read_bytes().startswith(b"%PDF")


def test_backup_now_and_restore(qtbot, window, clinic):
    from mbctracker.ui.dialogs import file_actions

    backup = file_actions.back_up_now(window)
    assert backup.exists()
    window.patients.search.setText("")
    kept = file_actions.restore(window, backup)
    assert kept is not None and kept.exists()
    assert window.patients.model.total == 25


def test_user_errors_are_plain_and_bugs_go_to_the_crash_dialog(qtbot, window):
    app.excepthook(StaleRecordError, StaleRecordError("patient"), None)
    plain = window.findChildren(QMessageBox, "userError")
    assert plain and "changed elsewhere" in plain[-1].text()
    try:
        raise RuntimeError("secret detail for the log only")
    except RuntimeError as exc:
        app.excepthook(RuntimeError, exc, exc.__traceback__)
    crash = [w for w in window.findChildren(QMessageBox, "crashDialog")] or [
        w for w in app.QApplication.topLevelWidgets() if w.objectName() == "crashDialog"
    ]
    assert crash
    assert "secret detail" not in crash[-1].text() and "Traceback" not in crash[-1].text()


def test_future_session_date_names_the_field(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    dialog = window.record_session()
    assert dialog is not None
    from mbctracker.ui.dialogs.forms import to_qdatetime

    dialog.when.setDateTime(to_qdatetime(datetime.now() + timedelta(days=2)))
    dialog.save()
    assert dialog.error.text().startswith("⚠ Date and time: Session date")


def test_open_another_database_and_about(qtbot, window, clinic, tmp_path):
    from mbctracker.ui.dialogs import file_actions

    open_patient(qtbot, window, clinic.patient_id)
    other = tmp_path / "second clinic.sqlite3"
    file_actions.switch_database(window, other)
    assert window.db.path == other
    assert window.patients.model.total == 0
    assert window.course.patient is None
    assert "second clinic.sqlite3" in window.windowTitle()
    window.about()
    about = window.findChildren(QMessageBox, "infoBox")
    assert about and str(other) in about[-1].text() and "mbctracker" in about[-1].text()


@pytest.mark.parametrize("local_zone", ["America/New_York"], indirect=True)
def test_a_session_typed_in_the_spring_forward_gap_is_refused_not_shifted(
    qtbot, local_zone, window, clinic
):
    """Typed 02:30 on 2026-03-08 (New York) reaches the service as typed and is refused."""
    patient = clinic.other_ids[0]
    course = start_course(window.db, patient, Modality.TMS, date(2026, 1, 5), 30)
    open_patient(qtbot, window, patient)
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    dialog.when.setFocus()
    qtbot.keyClick(dialog.when, Qt.Key.Key_Home)
    qtbot.keyClicks(dialog.when, "2026-03-08 02:30")
    assert dialog.when.text() == "2026-03-08 02:30"
    dialog.save()
    assert "2026-03-08 02:30 does not exist in local time" in dialog.error.text()
    assert "from 02:00 to 03:00" in dialog.error.text() and dialog.isVisible()
    assert load_timeline(window.db, course.id).sessions == ()
