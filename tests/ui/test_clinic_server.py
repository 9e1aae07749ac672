"""File -> Open a clinic server…: typed address and password, opened like a file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import closed

from mbctracker.services.patient_list import count_patients
from mbctracker.ui.dialogs.server_dialog import ServerDialog


def _dialog() -> ServerDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ServerDialog)]
    assert found, "the dialog is open"
    return found[0]


def test_the_window_opens_a_clinic_server_from_the_keyboard(qtbot, window, pg_url: str) -> None:
    address, password = pg_url.replace(":synthetic-test-password@", "@"), "synthetic-test-password"
    window.actions_by_name["open_server"].trigger()
    dialog = _dialog()
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.address, address)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    qtbot.waitUntil(lambda: window.db.on_server)
    assert count_patients(window.db) == 0, "the server's (empty) clinic, not the file's"
    assert "synthetic-test-password" not in window.windowTitle()


def test_a_wrong_password_is_a_plain_message_and_the_file_stays_open(
    qtbot, window, pg_url: str
) -> None:
    before = window.db
    window.actions_by_name["open_server"].trigger()
    dialog = _dialog()
    qtbot.keyClicks(dialog.address, pg_url.replace(":synthetic-test-password@", "@"))
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    def refused() -> QMessageBox:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        shown = [b for b in boxes if b.isVisible()]
        assert shown
        return shown[0]

    qtbot.waitUntil(lambda: bool(refused()))
    box = refused()
    assert "wrong user name or password" in box.text()
    box.close()
    assert window.db is before and not window.db.on_server
