"""The patient form: sex has no default, a possible duplicate is asked about, a taken
MRN never crashes; the list shows the date of birth (issue 8, sections 2 and 5)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mbctracker import logs
from mbctracker.services.patients import find_patients, get_patient_by_mrn
from mbctracker.ui.dialogs.patient_dialog import PatientDialog
from mbctracker.ui.models.patient_model import COLUMNS


def _new_patient_form(qtbot, window, mrn: str, name: str, dob: str = "") -> PatientDialog:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, PatientDialog)
    qtbot.keyClicks(dialog.mrn, mrn)
    qtbot.keyClick(dialog.mrn, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.dob, dob)
    return dialog


def _press_save(qtbot, dialog: PatientDialog) -> None:
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Return presses the default (Save)


def test_sex_has_no_default_and_saving_without_it_names_the_field(qtbot, window) -> None:
    dialog = _new_patient_form(qtbot, window, "MRN-5000", "Synthetic Nosex")
    assert dialog.sex.currentData() is None and "choose" in dialog.sex.currentText()
    _press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error.text() == "⚠ Sex must be chosen: one of Female, Male, Other, Unknown"
    assert dialog.focusWidget() is dialog.sex
    assert (dialog.mrn.text(), dialog.name.text()) == ("MRN-5000", "Synthetic Nosex")
    qtbot.keyClicks(dialog.sex, "U")
    with qtbot.waitSignal(window.ops.changed):
        _press_save(qtbot, dialog)
    assert get_patient_by_mrn(window.db, "mrn-5000").sex == "unknown", "chosen explicitly"


def _duplicate_box(qtbot, dialog: PatientDialog) -> QMessageBox:
    """The question on screen now (an answered one may linger until deleted)."""

    def shown() -> list[QMessageBox]:
        boxes = dialog.findChildren(QMessageBox, "possibleDuplicate")
        return [b for b in boxes if b.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    box = shown()[0]
    qtbot.waitExposed(box)
    return box


def test_possible_duplicate_asks_no_keeps_the_form_yes_saves(qtbot, window, clinic) -> None:
    """The clinic holds Zoë Ødegård, born 1980-05-17, as MRN-0001."""
    dialog = _new_patient_form(qtbot, window, "MRN-7000", "ZOE  ODEGARD", "1980-05-17")
    qtbot.keyClicks(dialog.sex, "F")
    qtbot.keyClicks(dialog.notes, "Referred by Dr Synthetic")
    _press_save(qtbot, dialog)
    box = _duplicate_box(qtbot, dialog)
    assert "MRN-0001" in box.text() and "same name and date of birth" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # No
    qtbot.waitUntil(lambda: "Not saved" in dialog.error.text())
    assert dialog.isVisible() and dialog.focusWidget() is dialog.name
    typed = (dialog.mrn.text(), dialog.name.text(), dialog.dob.text(), dialog.sex.currentText())
    assert typed == ("MRN-7000", "ZOE  ODEGARD", "1980-05-17", "Female")
    assert dialog.notes.toPlainText() == "Referred by Dr Synthetic"
    assert find_patients(window.db, "MRN-7000") == [], "nothing saved on No"
    _press_save(qtbot, dialog)
    box = _duplicate_box(qtbot, dialog)
    with qtbot.waitSignal(window.ops.changed):
        qtbot.keyClick(box, Qt.Key.Key_Y)  # Y: the Yes button's mnemonic
    saved = get_patient_by_mrn(window.db, "MRN-7000")
    assert (saved.name, saved.notes) == ("ZOE  ODEGARD", "Referred by Dr Synthetic")


def test_the_list_shows_the_date_of_birth(qtbot, window, clinic) -> None:
    column = COLUMNS.index("Date of birth")
    model = window.patients.model
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Date of birth"
    qtbot.keyClicks(window.patients.search, "odeg")
    qtbot.waitUntil(lambda: model.total == 1)
    assert model.index(0, column).data() == "1980-05-17"


def test_a_taken_mrn_missed_by_its_key_keeps_the_form_and_logs_no_identifiers(
    qtbot, window, db_path: Path, tmp_path: Path
) -> None:
    """A row written by another tool with a wrong key: the unique index catches the MRN,
    and the dialog shows the same plain message instead of a crash."""
    log_file = logs.setup_logging(tmp_path / "logs")
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO patient(mrn, mrn_key, name, sex, comorbidities, notes, version, "
            "created_at, updated_at) VALUES ('MRN-7777', 'legacy-key', 'Synthetic Legacy', "
            "'unknown', '[]', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.commit()
    dialog = _new_patient_form(qtbot, window, "MRN-7777", "Synthetic Newperson", "1977-07-07")
    qtbot.keyClicks(dialog.sex, "M")
    _press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error.text() == "⚠ MRN MRN-7777 is already used by another patient"
    assert dialog.focusWidget() is dialog.mrn
    typed = (dialog.mrn.text(), dialog.name.text(), dialog.dob.text())
    assert typed == ("MRN-7777", "Synthetic Newperson", "1977-07-07")
    text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    assert "Newperson" not in text and "1977-07-07" not in text


def test_editing_into_a_possible_duplicate_asks_and_no_keeps_the_typed_form(
    qtbot, window, clinic
) -> None:
    """Zoë Ødegård (1980-05-17) exists; another patient is edited into her name and date."""
    from datetime import date

    from mbctracker.services.patients import PatientInput, register_patient

    other = register_patient(
        window.db,
        PatientInput(mrn="MRN-8000", name="Synthetic Other", date_of_birth=date(1990, 1, 1)),
    )
    window.open_patient(other.id)
    qtbot.waitUntil(
        lambda: window.course.patient is not None and window.course.patient.id == other.id
    )
    qtbot.keyClick(
        window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.dialog
    assert isinstance(dialog, PatientDialog)
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Zoe Odegard")
    dialog.dob.selectAll()
    qtbot.keyClicks(dialog.dob, "1980-05-17")
    _press_save(qtbot, dialog)
    box = _duplicate_box(qtbot, dialog)
    assert "MRN-0001" in box.text() and "MRN-8000" not in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # No
    qtbot.waitUntil(lambda: "Not saved" in dialog.error.text())
    assert (dialog.name.text(), dialog.dob.text()) == ("Zoe Odegard", "1980-05-17")
    assert get_patient_by_mrn(window.db, "MRN-8000").name == "Synthetic Other"
    _press_save(qtbot, dialog)
    box = _duplicate_box(qtbot, dialog)
    with qtbot.waitSignal(window.ops.changed):
        qtbot.keyClick(box, Qt.Key.Key_Y)
    assert get_patient_by_mrn(window.db, "MRN-8000").name == "Zoe Odegard"
