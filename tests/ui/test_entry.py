"""Pre-session entry driven from the keyboard, as a clinician types from paper."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Clinic, closed, open_patient

from mbctracker.domain.course import SafetyActionKind
from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.entry_dialog import EntryDialog
from mbctracker.ui.dialogs.safety_dialog import SafetyActionDialog
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.widgets.entry_form import EntryForm


def entry_form(dialog: EntryDialog, code: str) -> EntryForm:
    """Found the way a screen reader or a test script would: by objectName + accessible name."""
    forms = [f for f in dialog.findChildren(EntryForm, "entryForm") if code in f.accessibleName()]
    assert len(forms) == 1, [f.accessibleName() for f in dialog.findChildren(EntryForm)]
    return forms[0]


def press(qtbot, widget, keys: list) -> int:
    """Send keys one by one; returns how many keystrokes were used."""
    for key in keys:
        qtbot.keyClick(widget, key)
    return len(keys)


def open_entry(qtbot, window: MainWindow, clinic: Clinic) -> EntryDialog:
    open_patient(qtbot, window, clinic.patient_id)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.dialog, EntryDialog) and window.dialog.isVisible())
    dialog = window.dialog
    assert isinstance(dialog, EntryDialog)
    return dialog


def test_phq9_in_ten_keystrokes_with_item9_flag_and_action(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    assert dialog.tabs.currentWidget() is form
    chart = window.course.chart
    points_before = chart.point_count("PHQ9")
    rows_before = window.course.assessments_model.rowCount()

    used = press(qtbot, form, list("101010102"))
    assert form.total_line.text() == "PHQ-9 total 6 · mild"
    assert form.safety.isVisible() and "item 9" in form.safety.text()
    used += press(qtbot, form, [Qt.Key.Key_Return])
    assert used == 10

    # the saved row, the chart point and the flag, at once
    saved = window.course.assessments_model.record(0)
    assert window.course.assessments_model.rowCount() == rows_before + 1
    assert (saved.instrument, saved.score.total, saved.score.safety_tier) == ("PHQ9", 6, 2)
    assert chart.point_count("PHQ9") == points_before + 1
    assert saved.flag_open
    row = window.patients.model.row_of(clinic.patient_id)
    assert window.patients.model.index(row, 0).data() == "⚠ 1 open"
    assert window.course.flags_shown()
    assert "OPEN SAFETY FLAG" in window.course.summary_panel.toPlainText()

    # the alert cannot be missed; recording the action closes the flag everywhere
    alert = dialog.alert
    assert isinstance(alert, SafetyActionDialog) and alert.isVisible()
    qtbot.keyClick(alert, "2")
    assert alert.selected_kind() == SafetyActionKind.SAFETY_PLAN
    alert.record_action()
    assert not alert.isVisible()
    assert window.patients.model.index(row, 0).data() == ""
    assert not window.course.flags_shown()
    timeline = load_timeline(window.db, clinic.course_id)
    assert not timeline.open_flags
    assert timeline.assessments[-1].actions[0].kind == SafetyActionKind.SAFETY_PLAN


def test_flag_left_open_stays_on_list_and_course(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    press(qtbot, form, [*"000000001", Qt.Key.Key_Return])
    assert dialog.alert is not None
    dialog.alert.reject()
    assert "left OPEN" in dialog.status.text()
    row = window.patients.model.row_of(clinic.patient_id)
    assert window.patients.model.index(row, 0).data() == "⚠ 1 open"
    assert window.course.summary is not None and len(window.course.summary.open_flags) == 1


def test_enter_in_the_alert_without_a_choice_records_nothing(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    press(qtbot, form, [*"000000001", Qt.Key.Key_Return])
    alert = dialog.alert
    assert alert is not None and alert.selected_kind() is None, "no action is pre-selected"
    qtbot.keyClick(alert, Qt.Key.Key_Return)
    assert alert.isVisible() and "Choose the action taken: 1 Reviewed" in alert.error.text()
    assert len(load_timeline(window.db, clinic.course_id).open_flags) == 1


def test_madrs_item10_of_4_raises_the_alert(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    dialog.show_instrument("MADRS")
    form = entry_form(dialog, "MADRS")
    press(qtbot, form, list("3333333334"))
    assert form.total_line.text() == "MADRS total 31 · moderate"
    assert "item 10 (Suicidal thoughts) = 4" in form.safety.text()
    press(qtbot, form, [Qt.Key.Key_Return])
    assert dialog.alert is not None and dialog.alert.isVisible()
    assert window.course.summary is not None
    assert [a.instrument for a in window.course.summary.open_flags] == ["MADRS"]


def test_madrs_item10_of_3_does_not_flag(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    dialog.show_instrument("MADRS")
    form = entry_form(dialog, "MADRS")
    press(qtbot, form, [*"3333333333", Qt.Key.Key_Return])
    assert dialog.alert is None
    assert "GAD-7" in dialog.tabs.tabText(dialog.tabs.currentIndex()) or dialog.saved_codes


def test_madrs_form_shows_short_labels_only(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "MADRS")
    texts = [label.text() for row in form.rows for label in row.findChildren(type(form.total_line))]
    assert any(t.startswith("Apparent sadness") for t in texts)
    assert all(len(t) < 40 for t in texts), "MADRS anchors must never be shown"


def test_prorated_entry_is_marked(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    press(qtbot, form, ["2", "2", Qt.Key.Key_Space, *"222110"])  # 12 x 9 / 8 = 13.5 -> 14
    assert form.rows[2].state.text() == "missing"
    assert form.total_line.text().startswith("PHQ-9 total 14* (prorated, exact 13.5)")
    assert "missing item 3" in form.total_line.text()
    press(qtbot, form, [Qt.Key.Key_Return])
    saved = window.course.assessments_model.record(0)
    assert saved.score.prorated and saved.score.display_total == "14*"
    drawn = window.course.chart.drawn["PHQ9"]
    assert drawn[-1].prorated and drawn[-1].total == 14


def test_backspace_clears_and_too_many_missing_is_not_scorable(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    press(qtbot, form, list("123"))
    press(qtbot, form, [Qt.Key.Key_Backspace])
    assert form.responses[:3] == [1, 2, None]
    press(qtbot, form, [Qt.Key.Key_Space] * 3)
    assert "not scorable" in form.total_line.text()
    press(qtbot, form, ["7"])
    assert "items are 0-3" in form.total_line.text()


def test_escape_cancels_without_saving(qtbot, window, clinic) -> None:
    """Typed answers are discarded only once confirmed (test_entry_escape_and_order.py)."""
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    before = len(load_timeline(window.db, clinic.course_id).assessments)
    press(qtbot, form, [*"3333", Qt.Key.Key_Escape])
    qtbot.waitUntil(lambda: dialog.confirm is not None)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_D)  # the button's mnemonic
    qtbot.waitUntil(lambda: closed(dialog))
    assert len(load_timeline(window.db, clinic.course_id).assessments) == before


def test_entry_refused_in_the_future_names_the_field(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    dialog.when.setDateTime(dialog.when.dateTime().addDays(3))
    press(qtbot, form, [*"000000000", Qt.Key.Key_Return])
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith("⚠ Date and time: Assessment date")
    assert not window.findChildren(QMessageBox, "crashDialog")
