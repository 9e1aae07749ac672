"""Edit -> Preferences from the keyboard: saved for the clinic, used by the next PDF and course."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QSpinBox
from ui_helpers import closed

from mbctracker.services.clinic import load_clinic_settings
from mbctracker.services.preference_fields import number_fields
from mbctracker.ui.dialogs.preferences import PreferencesDialog
from mbctracker.ui.main_window import MainWindow


def _open_preferences(qtbot, window: MainWindow) -> PreferencesDialog:  # type: ignore[no-untyped-def]
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, PreferencesDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_preferences_typed_from_the_keyboard_are_saved_for_the_clinic(
    qtbot, window: MainWindow
) -> None:
    dialog = _open_preferences(qtbot, window)
    name = dialog.clinic_name
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Lakeside Clinic")
    qtbot.keyClick(name, Qt.Key.Key_Tab)  # into the address
    assert QApplication.focusWidget() is dialog.address, QApplication.focusWidget()
    qtbot.keyClicks(dialog.address, "12 Harbour Road")
    dialog.idle.setFocus()
    dialog.idle.selectAll()
    qtbot.keyClicks(dialog.idle, "15")
    qtbot.keyClick(dialog.idle, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    saved = load_clinic_settings(window.db)
    assert saved.clinic_name == "Lakeside Clinic"
    assert saved.clinic_address == "12 Harbour Road"
    assert saved.idle_lock_minutes == 15
    assert window.idle_lock.minutes == 15  # applied at once, not at the next start
    assert "Preferences saved" in window.statusBar().currentMessage()


def test_a_refused_value_is_named_under_the_form_and_nothing_saved(
    qtbot, window: MainWindow
) -> None:
    dialog = _open_preferences(qtbot, window)
    dialog.clinic_name.clear()
    qtbot.keyClick(dialog.clinic_name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Clinic name" in dialog.error.text()
    assert dialog.focusWidget() is dialog.clinic_name
    assert load_clinic_settings(window.db).clinic_name == "Interventional Psychiatry Service"


def test_idle_lock_covers_the_window_and_enter_uncovers_it(qtbot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    lock = window.idle_lock
    lock.set_minutes(1)
    assert lock.timer.isActive()
    lock.timer.timeout.emit()  # a minute without input, without waiting a minute
    assert lock.locked
    curtain = lock.curtain
    assert curtain.geometry() == window.rect()
    assert "patient data is hidden" in curtain.message.text()
    qtbot.keyClick(curtain.resume, Qt.Key.Key_Return)
    assert not lock.locked
    lock.set_minutes(0)
    assert not lock.timer.isActive()


def _tab(qtbot, dialog: PreferencesDialog, title: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Tab through the sections, as a keyboard user does, until ``title`` shows."""
    for _ in range(dialog.tabs.count()):
        if dialog.tabs.tabText(dialog.tabs.currentIndex()) == title:
            return
        qtbot.keyClick(dialog.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    raise AssertionError(f"no tab {title!r}")


def _type(qtbot, spin: QSpinBox, text: str) -> None:  # type: ignore[no-untyped-def]
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, text)


def test_vitals_limits_intervals_and_outcome_windows_are_typed_and_saved(
    qtbot, window: MainWindow
) -> None:
    dialog = _open_preferences(qtbot, window)
    _tab(qtbot, dialog, "Around the session")
    _type(qtbot, dialog.numbers["bp_alert_systolic"], "170")
    _tab(qtbot, dialog, "Schedule")
    _type(qtbot, dialog.numbers["session_interval_days.maintenance"], "28")
    _type(qtbot, dialog.numbers["rems_worklist_days"], "60")
    dialog.follow_up.setFocus()
    dialog.follow_up.selectAll()
    qtbot.keyClicks(dialog.follow_up, "7, 30, 90")
    _tab(qtbot, dialog, "Clinic outcomes")
    _type(qtbot, dialog.numbers["outcomes.cm_window_days"], "60")
    qtbot.keyClick(dialog.numbers["outcomes.cm_window_days"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    saved = load_clinic_settings(window.db)
    assert saved.bp_alert_systolic == 170 and saved.rems_worklist_days == 60
    assert saved.session_interval_days["maintenance"] == 28
    assert saved.follow_up_days == (7, 30, 90) and saved.outcomes.cm_window_days == 60


def test_every_number_shows_its_source_under_it(qtbot, window: MainWindow) -> None:
    dialog = _open_preferences(qtbot, window)
    texts = {label.text() for label in dialog.findChildren(QLabel, "muted")}
    assert "Default 180/110 (policy)" in texts
    assert "Default 3 (the weekend): a score with no session that day links to the next" in texts
    assert any("NHS Talking Therapies" in t for t in texts)
    assert len(dialog.numbers) == len(number_fields())
    dialog.reject()


def test_a_refused_limit_on_another_tab_is_shown_there_and_nothing_saved(
    qtbot, window: MainWindow
) -> None:
    dialog = _open_preferences(qtbot, window)
    _tab(qtbot, dialog, "Around the session")
    _type(qtbot, dialog.numbers["bp_predose_systolic_max"], "190")  # above the 180 alert
    _tab(qtbot, dialog, "Clinic")
    qtbot.keyClick(dialog.clinic_name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Dose at systolic" in dialog.error.text() and "below the alert" in dialog.error.text()
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Around the session"
    assert dialog.focusWidget() is dialog.numbers["bp_predose_systolic_max"]
    assert load_clinic_settings(window.db).bp_predose_systolic_max == 140


def test_the_backup_folder_is_picked_saved_and_used_by_back_up_now(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    from mbctracker.ui.dialogs import file_actions

    share = tmp_path / "clinic share"
    share.mkdir()
    dialog = _open_preferences(qtbot, window)
    dialog.backup_folder.setFocus()
    qtbot.keyClick(dialog.backup_folder, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.choose_folder
    qtbot.keyClick(dialog.choose_folder, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(dialog.findChildren(QFileDialog)))
    picker = dialog.findChildren(QFileDialog)[-1]
    picker.selectFile(str(share))
    picker.accept()
    qtbot.waitUntil(lambda: dialog.backup_folder.text() == str(share))
    dialog.activateWindow()  # the offscreen platform does not hand activation back
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.backup_folder, Qt.Key.Key_Return)
    assert dialog.error.text() == ""
    qtbot.waitUntil(lambda: closed(dialog))
    assert load_clinic_settings(window.db).backup_folder == str(share)
    made = file_actions.back_up_now(window)
    assert made.parent == share
    box = window.findChildren(QMessageBox, "infoBox")[-1]
    assert str(share) in box.text()
    box.accept()


def test_a_backup_folder_that_does_not_exist_is_named_and_focused(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _open_preferences(qtbot, window)
    dialog.backup_folder.setFocus()
    qtbot.keyClicks(dialog.backup_folder, str(tmp_path / "not there"))
    qtbot.keyClick(dialog.backup_folder, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Backup folder" in dialog.error.text() and "does not exist" in dialog.error.text()
    assert dialog.focusWidget() is dialog.backup_folder
    assert load_clinic_settings(window.db).backup_folder == ""
