"""The safety promises through the real widgets, in the order a clinic works."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from test_entry import entry_form, open_entry
from ui_helpers import open_patient

from mbctracker.domain.course import Modality, SafetyActionKind
from mbctracker.services.courses import start_course
from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.correction import CorrectionDialog
from mbctracker.ui.dialogs.safety_dialog import SafetyActionDialog


def test_paper_phq9_with_difficulty_saves_item9_and_the_extra_answer(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    for key in [*"2222222220", "1", Qt.Key.Key_Return]:  # one digit too many, then Enter
        qtbot.keyClick(form, key)
    saved = load_timeline(window.db, clinic.course_id).assessments[-1]
    assert saved.score.responses == (2,) * 9 and saved.supplementary == 0
    assert saved.flag_open and saved.score.safety_tier == 2
    assert isinstance(dialog.alert, SafetyActionDialog) and dialog.alert.isVisible()


def test_a_correction_that_raises_the_flag_shows_the_alert_again(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    for key in [*"000000001", Qt.Key.Key_Return]:
        qtbot.keyClick(form, key)
    qtbot.keyClick(dialog.alert, "1")  # reviewed, for tier 1
    dialog.alert.record_action()
    dialog.close()
    row = window.patients.model.row_of(clinic.patient_id)
    assert window.patients.model.index(row, 0).data() == ""

    window.course.assessments_view.selectRow(0)  # newest first: the PHQ-9 just saved
    correction = window.correct_assessment()
    assert isinstance(correction, CorrectionDialog)
    for key in [Qt.Key.Key_Down] * 8 + ["3", Qt.Key.Key_Return]:
        qtbot.keyClick(correction.form, key)
    alert = window.dialog
    assert isinstance(alert, SafetyActionDialog) and alert.isVisible()
    assert "Tier 2" in alert.findChild(QLabel, "safetyBanner").text()
    assert window.patients.model.index(row, 0).data() == "⚠ 1 open"
    assert window.course.flags_shown()
    qtbot.keyClick(alert, "3")
    alert.record_action()
    assert window.patients.model.index(row, 0).data() == ""
    actions = load_timeline(window.db, clinic.course_id).assessments[-1].actions
    assert [a.kind for a in actions] == [
        SafetyActionKind.REVIEWED,
        SafetyActionKind.STRUCTURED_ASSESSMENT,
    ]


def test_a_new_course_keeps_the_open_flag_on_screen(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    for key in [*"000000002", Qt.Key.Key_Return]:
        qtbot.keyClick(form, key)
    dialog.alert.reject()  # "Not now": the flag stays open
    dialog.close()
    start_course(window.db, clinic.patient_id, Modality.TMS, date.today(), 30)
    window.show_patient(clinic.patient_id)  # as the app does after "Start course"
    qtbot.waitUntil(lambda: window.course.timeline.course.modality == Modality.TMS)
    assert window.course.flags_shown()
    assert "OPEN SAFETY FLAG" in window.course.summary_panel.toPlainText()
    alert = window.record_safety_action()
    assert isinstance(alert, SafetyActionDialog)
    qtbot.keyClick(alert, "1")
    alert.record_action()
    assert not window.course.flags_shown()


def test_the_open_flag_worklist_and_the_status_bar_count(qtbot, window, clinic):
    assert window.flags_label.text() == "No open safety flags"
    dialog = open_entry(qtbot, window, clinic)
    for key in [*"000000003", Qt.Key.Key_Return]:
        qtbot.keyClick(entry_form(dialog, "PHQ9"), key)
    dialog.alert.reject()
    dialog.close()
    qtbot.waitUntil(
        lambda: window.flags_label.text() == "⚠ 1 open safety flag(s), 1 patient(s)", timeout=60_000
    )
    panel = window.patients
    panel.worklist.setFocus()
    qtbot.keyClick(panel.worklist, Qt.Key.Key_Down)  # Open safety flags first
    first = panel.model.patient_at(0)
    assert first is not None and first.patient_id == clinic.patient_id
    assert panel.model.rowCount() > 1
    qtbot.keyClick(panel.worklist, Qt.Key.Key_Down)  # Open safety flags only
    assert panel.model.total == 1 and panel.model.rowCount() == 1
    assert panel.count_label.text() == "1 patient with open safety flags"
    qtbot.keyClick(panel.worklist, Qt.Key.Key_Home)  # All patients again
    assert panel.model.total == len(clinic.other_ids) + 1


def _settled_place(course):
    """Where the tabs are once the pending layout has run (as before the next paint)."""
    QApplication.processEvents()
    return course.tabs.geometry()


def test_the_safety_line_stays_in_place_between_flagged_and_clean_patients(qtbot, window, clinic):
    """The nurse walks the list with Down: a flagged patient's line is red with its action
    button, a clean course's says so in muted words, and nothing below the line moves (the
    chart and tabs keep their place, so the eye never has to find them again)."""
    clean = start_course(window.db, clinic.other_ids[0], Modality.IV_KETAMINE, date.today(), 6)
    assert clean.id
    dialog = open_entry(qtbot, window, clinic)
    for key in [*"000000002", Qt.Key.Key_Return]:
        qtbot.keyClick(entry_form(dialog, "PHQ9"), key)
    dialog.alert.reject()
    dialog.close()
    course = window.course
    assert course.flags_shown() and "1 open safety flag(s)" in course.banner.text()
    place = _settled_place(course)
    open_patient(qtbot, window, clinic.other_ids[0])
    assert not course.flags_shown()
    assert course.banner.text() == "No open safety flags"
    assert "safety flag" not in course.summary_panel.toPlainText().lower()  # said once
    assert _settled_place(course) == place
    open_patient(qtbot, window, clinic.other_ids[1])  # no course: nothing is claimed
    assert not course.banner.text().strip() and _settled_place(course) == place
    open_patient(qtbot, window, clinic.patient_id)
    assert course.flags_shown() and _settled_place(course) == place
