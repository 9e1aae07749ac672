"""Around a session on real widgets, from the keyboard, in the clinic's order.

The session is recorded first; the nurse then types the vitals as they are taken,
fills the REMS record after discharge and marks it submitted days later.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from ui_helpers import open_patient

from mbctracker.domain.course import Modality
from mbctracker.domain.procedure import VitalPoint
from mbctracker.services.courses import start_course
from mbctracker.services.procedure import load_flowsheet
from mbctracker.services.rems import load_rems_record
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.rems_dialog import RemsDialog
from mbctracker.ui.dialogs.session_dialog import SessionDialog
from mbctracker.ui.style import FLAG_BG, WARN_BG


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _type_row(qtbot, widget, values: list[str]) -> None:
    """Type each value and Tab to the next cell, as a nurse does from the monitor."""
    for value in values:
        qtbot.keyClicks(QApplication.focusWidget(), value)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def _vitals_tab(qtbot, window):
    course = window.course
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: course.tabs.currentWidget() is course.vitals)
    return course.vitals


def test_vitals_typed_with_the_keyboard_are_highlighted_and_saved(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    sheet = _vitals_tab(qtbot, window)
    latest = load_timeline(window.db, clinic.course_id).sessions[-1]
    assert sheet.session_id() == latest.id  # the latest session is shown first
    sheet.cells[(VitalPoint.PRE_DOSE, "at")].setFocus()
    _type_row(qtbot, sheet, ["0855", "152", "88", "72", "98"])
    assert FLAG_BG in sheet.cells[(VitalPoint.PRE_DOSE, "systolic")].styleSheet()
    assert sheet.cells[(VitalPoint.PRE_DOSE, "diastolic")].styleSheet() == ""
    assert "Pre-dose: systolic 152 above 140 mmHg" in sheet.alerts.text()
    _type_row(qtbot, sheet, ["0940", "150", "90", "80", "97"])
    _type_row(qtbot, sheet, ["1105", "130", "80", "70", "98"])
    assert sheet.discharge.text() == "Discharge criteria met"
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    sheet_saved = load_flowsheet(window.db, latest.id)
    assert [(r.point, r.at, r.systolic) for r in sheet_saved.readings] == [
        (VitalPoint.PRE_DOSE, latest.when.replace(hour=8, minute=55), 152),
        (VitalPoint.DURING, latest.when.replace(hour=9, minute=40), 150),
        (VitalPoint.DISCHARGE, latest.when.replace(hour=11, minute=5), 130),
    ]
    # the view reloaded from the change and still shows what was saved
    assert window.course.vitals.cells[(VitalPoint.DISCHARGE, "systolic")].text() == "130"


def test_impossible_vitals_are_refused_plainly_and_nothing_saved(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    sheet = _vitals_tab(qtbot, window)
    sheet.cells[(VitalPoint.PRE_DOSE, "systolic")].setFocus()
    _type_row(qtbot, sheet, ["120", "130"])  # diastolic above systolic: a typing error
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    boxes = window.findChildren(QMessageBox, "userError")
    assert boxes and "Diastolic BP: 130 mmHg is not below the systolic" in boxes[-1].text()
    assert load_flowsheet(window.db, sheet.session_id()).readings == ()


def _tms_patient(window, clinic):
    tms = start_course(window.db, clinic.other_ids[0], Modality.TMS, date.today(), 30)
    for n in range(3):
        when = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=n + 1)
        record_session(window.db, tms.id, SessionInput(when))
    return clinic.other_ids[0]


def test_vitals_tab_is_greyed_for_tms(qtbot, window, clinic):
    """Greyed (it cannot be opened, Alt+I does nothing) for TMS, in its place so the tabs
    never move; the ketamine course shown next lists its own sessions once it is opened."""
    open_patient(qtbot, window, _tms_patient(window, clinic))
    course = window.course
    vitals = course.tabs.indexOf(course.vitals)
    assert course.tabs.isTabVisible(vitals) and not course.tabs.isTabEnabled(vitals)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert course.tabs.currentWidget() is not course.vitals
    open_patient(qtbot, window, clinic.patient_id)
    assert course.tabs.isTabEnabled(vitals)
    assert _vitals_tab(qtbot, window).session_choice.count() == 2  # the two ketamine sessions
    open_patient(qtbot, window, clinic.other_ids[0])  # from the Vitals tab to a TMS course
    assert course.tabs.currentWidget() is not course.vitals


def test_vitals_sheet_filled_behind_another_tab_shows_the_patient_on_screen(qtbot, window, clinic):
    """The sheet is filled only when shown: after switching patients on the Trajectory
    tab, opening Vitals shows the new patient's sessions, never the last one's."""
    other = clinic.other_ids[1]
    ketamine = start_course(window.db, other, Modality.IV_KETAMINE, date.today(), 6)
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=5)
    record_session(window.db, ketamine.id, SessionInput(when))
    open_patient(qtbot, window, clinic.patient_id)
    sheet = _vitals_tab(qtbot, window)
    assert sheet.session_choice.count() == 2
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Trajectory
    open_patient(qtbot, window, _tms_patient(window, clinic))  # no vitals tab at all
    open_patient(qtbot, window, other)
    assert _vitals_tab(qtbot, window) is sheet
    assert sheet.session_choice.count() == 1
    assert sheet.session_choice.currentText().endswith(f"{when:%Y-%m-%d %H:%M}")
    open_patient(qtbot, window, clinic.patient_id)  # switched with Vitals on screen
    assert sheet.session_choice.count() == 2


def test_weight_defaults_to_the_latest_and_mg_follows_mg_per_kg(qtbot, window, clinic):
    earlier = load_timeline(window.db, clinic.course_id).sessions[-1].when
    record_session(
        window.db, clinic.course_id, SessionInput(earlier + timedelta(hours=2), {"weight_kg": 72.0})
    )
    open_patient(qtbot, window, clinic.patient_id)
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    assert dialog.inputs["weight_kg"].text() == "72"
    dialog.inputs["dose_mg_per_kg"].setFocus()
    qtbot.keyClicks(dialog.inputs["dose_mg_per_kg"], "0.5")
    qtbot.keyClick(dialog.inputs["dose_mg_per_kg"], Qt.Key.Key_Tab)
    assert dialog.inputs["dose_mg"].text() == "36"


def test_tms_same_as_last_fills_and_marks_what_changed(qtbot, window, clinic):
    patient = clinic.other_ids[1]
    tms = start_course(window.db, patient, Modality.TMS, date.today() - timedelta(days=3), 30)
    last = {
        "protocol": "10 Hz",
        "target": "L DLPFC",
        "motor_threshold": 52.0,
        "percent_mt": 120.0,
        "pulses": 3000,
    }
    record_session(window.db, tms.id, SessionInput(datetime.now() - timedelta(days=1), last))
    open_patient(qtbot, window, patient)
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.inputs["target"].text() == "L DLPFC")  # animated click
    assert dialog.inputs["protocol"].currentData() == "10 Hz"
    assert dialog.changed_note.text() == ""
    pulses = dialog.inputs["pulses"]
    pulses.setFocus()
    pulses.selectAll()
    qtbot.keyClicks(pulses, "3600")
    assert WARN_BG in pulses.styleSheet()
    assert dialog.inputs["target"].styleSheet() == ""
    assert dialog.changed_note.text() == "Changed from the last session: Pulses 3000 → 3600"
    result = dialog.save()
    assert result is not None and result.record.details["pulses"] == 3600


def _esketamine_session(window, patient) -> int:
    course = start_course(
        window.db, patient, Modality.ESKETAMINE, date.today() - timedelta(days=2), 8
    )
    when = (datetime.now() - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    return record_session(window.db, course.id, SessionInput(when, {"dose_mg": "56"})).record.id


def test_rems_record_print_and_submit_from_the_vitals_tab(qtbot, window, clinic):
    from mbctracker.ui.printing import PrintPreview

    patient = clinic.other_ids[2]
    session_id = _esketamine_session(window, patient)
    open_patient(qtbot, window, patient)
    sheet = _vitals_tab(qtbot, window)
    assert "not filled in yet" in sheet.message.text()
    qtbot.keyClick(sheet, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(sheet.findChildren(RemsDialog)))
    dialog = sheet.findChildren(RemsDialog)[-1]
    qtbot.keyClicks(dialog.lot, "LOT-1234")
    qtbot.keyClick(dialog.concomitant["benzodiazepines"], Qt.Key.Key_Space)
    dialog.respiratory.setCurrentIndex(dialog.respiratory.findData("normal"))
    qtbot.keyClick(dialog.lot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: load_rems_record(window.db, session_id) is not None)
    record = load_rems_record(window.db, session_id)
    assert record is not None and record.lot_number == "LOT-1234"
    assert record.concomitant == ("benzodiazepines",) and record.monitoring_minutes == 120
    sheet = window.course.vitals
    qtbot.waitUntil(lambda: not sheet.findChildren(RemsDialog))
    window.activateWindow()  # the offscreen platform does not hand activation back
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(sheet, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(sheet.findChildren(PrintPreview)))
    preview = sheet.findChildren(PrintPreview)[-1]
    assert "LOT-1234" in pdf_text(preview.data) and preview.page_count() >= 1
    preview.reject()
    qtbot.waitUntil(lambda: not sheet.findChildren(PrintPreview))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(sheet, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(
        lambda: (load_rems_record(window.db, session_id) or record).submitted_on == date.today()
    )
    assert "submitted" in window.course.vitals.message.text()


def test_authorised_sessions_typed_in_and_shown_with_the_count_left(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    bar = window.course.procedure
    assert bar.text.text() == "No payer authorisation recorded"

    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(bar.findChildren(QInputDialog, "authorisedDialog")))
    box = bar.findChildren(QInputDialog, "authorisedDialog")[-1]
    qtbot.waitUntil(box.isActiveWindow)
    spin = box.focusWidget()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "10")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.course.procedure.text.text() == "Authorised 10 · 8 left")
    assert load_timeline(window.db, clinic.course_id).course.authorised_sessions == 10


def test_motor_threshold_button_clears_the_reminder(qtbot, window, clinic):
    patient = clinic.other_ids[3]
    start_course(window.db, patient, Modality.TMS, date.today() - timedelta(days=20), 30)
    open_patient(qtbot, window, patient)
    bar = window.course.procedure
    assert "Re-determine the motor threshold: no date recorded" in bar.reminder.full
    qtbot.keyClick(window.course, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.course.procedure.reminder.full == "")
    assert window.course.timeline.course.mt_determined_on == date.today()


def test_a_reminder_too_long_for_its_line_ends_in_an_ellipsis_never_mid_word(qtbot, window, clinic):
    """At 1600 px the reminder was cut mid-word ("(re-de"): it now ends in "…" with the
    action first, the whole text in its tooltip and for screen readers; given room, all
    of it shows."""
    patient = clinic.other_ids[3]
    start_course(window.db, patient, Modality.TMS, date.today() - timedelta(days=20), 30)
    open_patient(qtbot, window, patient)
    reminder = window.course.procedure.reminder
    full = reminder.full
    assert full.startswith("⚠ Re-determine the motor threshold")
    assert reminder.toolTip() == full and reminder.accessibleDescription() == full
    advance = reminder.fontMetrics().horizontalAdvance
    reminder.resize(advance(full) // 2, reminder.height())
    assert reminder.text().endswith("…") and full.startswith(reminder.text()[:-1])
    assert advance(reminder.text()) <= reminder.width()
    assert reminder.text().startswith("⚠ Re-determine")  # the action is still read
    reminder.resize(advance(full) + 20, reminder.height())
    assert reminder.text() == full
