"""Edit -> Preferences from the keyboard: saved for the clinic, used by the next PDF and course."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import closed

from mbctracker.services.clinic import load_clinic_settings
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
