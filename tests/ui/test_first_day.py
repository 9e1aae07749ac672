"""The first day on an empty database: a welcome panel, the demo clinic, the keyboard guide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mbctracker.app import make_window
from mbctracker.services.patient_list import count_patients
from mbctracker.storage import open_database
from mbctracker.ui.dialogs import file_actions
from mbctracker.ui.dialogs.help import HelpDialog
from mbctracker.ui.dialogs.patient_dialog import PatientDialog
from mbctracker.ui.main_window import NEEDS_COURSE, NEEDS_PATIENT, MainWindow

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def empty_window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    win = make_window(tmp_path / "clinic.sqlite3", settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.db.dispose()


def test_an_empty_database_shows_the_welcome_panel_and_no_course_actions(
    qtbot, empty_window: MainWindow
) -> None:
    win = empty_window
    assert win.panes.currentWidget() is win.welcome
    for name in NEEDS_COURSE | NEEDS_PATIENT:
        assert not win.actions_by_name[name].isEnabled(), name
    assert win.welcome.new_patient.isDefault()
    qtbot.mouseClick(win.welcome.new_patient, Qt.MouseButton.LeftButton)
    dialog = win.dialog
    assert isinstance(dialog, PatientDialog)
    qtbot.keyClicks(dialog.mrn, "MRN-0001")
    qtbot.keyClick(dialog.mrn, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.name, "Synthetic First")
    dialog.sex.setCurrentIndex(dialog.sex.findText("Female"))
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.panes.currentWidget() is win.split)
    assert win.actions_by_name["edit_patient"].isEnabled()
    assert win.actions_by_name["start_course"].isEnabled()
    assert not win.actions_by_name["entry"].isEnabled()  # no course yet


def test_the_demo_clinic_is_its_own_file_and_the_clinic_file_stays_empty(
    qtbot, empty_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_actions, "DEMO_PATIENTS", 4)
    clinic_file = empty_window.db.path
    qtbot.mouseClick(empty_window.welcome.demo, Qt.MouseButton.LeftButton)
    demo_file = clinic_file.with_name(file_actions.DEMO_FILE_NAME)
    assert empty_window.db.path == demo_file
    assert count_patients(empty_window.db) == 4
    assert empty_window.panes.currentWidget() is empty_window.split
    clinic = open_database(clinic_file, actor="test")
    try:
        assert count_patients(clinic) == 0
    finally:
        clinic.dispose()


def test_a_foreign_file_under_the_demo_name_is_refused_not_overwritten(
    qtbot, empty_window: MainWindow
) -> None:
    demo_file = empty_window.db.path.with_name(file_actions.DEMO_FILE_NAME)
    demo_file.write_bytes(b"a clinic's notes, not a database")
    qtbot.mouseClick(empty_window.welcome.demo, Qt.MouseButton.LeftButton)
    assert demo_file.read_bytes() == b"a clinic's notes, not a database"
    assert empty_window.db.path.name == "clinic.sqlite3"
    box = empty_window.findChild(QMessageBox, "userError")
    assert box is not None and "not an mbctracker database" in box.text()


def test_f1_lists_every_menu_key_and_readme_lists_them_too(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.dialog
    assert isinstance(dialog, HelpDialog)
    text = dialog.browser.toPlainText()
    readme = README.read_text(encoding="utf-8")
    for name, action in window.actions_by_name.items():
        keys = action.shortcut().toString()
        if not keys or name in {"help", "quit"}:
            continue
        assert keys in text, name
        assert keys in readme, f"README lacks {keys} ({name})"
    assert "A session day" in text
