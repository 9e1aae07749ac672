"""Patients: search as you type, register and edit with named errors, two windows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QTableView
from ui_helpers import open_patient

from mbctracker.app import make_window
from mbctracker.services.patients import get_patient
from mbctracker.ui.dialogs.patient_dialog import PatientDialog


def test_make_window_on_a_fresh_database(qtbot, tmp_path) -> None:
    path = tmp_path / "new" / "fresh.sqlite3"
    win = make_window(path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    assert path.exists()
    assert win.patients.model.rowCount() == 0
    assert win.course.title.text() == "No patient selected"
    assert win.findChild(QLineEdit, "patientSearch") is win.patients.search
    assert win.findChild(QTableView, "patientList") is win.patients.table
    assert win.findChild(object, "courseSummary") is not None
    # the chart (and pyqtgraph) is built with the first course shown, not at start-up
    assert win.findChild(object, "trajectoryChart") is None
    assert win.course.chart is win.findChild(object, "trajectoryChart")
    assert not win.isVisible()
    win.db.dispose()


def test_search_as_you_type_then_keyboard_into_the_list(qtbot, window, clinic) -> None:
    search = window.findChild(QLineEdit, "patientSearch")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()
    qtbot.keyClicks(search, "ødeg")
    qtbot.waitUntil(lambda: window.patients.model.total == 1)
    assert window.patients.model.index(0, 1).data() == "Zoë Ødegård"
    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert window.patients.table.hasFocus()
    qtbot.waitUntil(lambda: window.course.patient is not None)
    assert window.course.patient.id == clinic.patient_id
    assert window.course.title.text() == "Zoë Ødegård"


def test_search_by_mrn_and_no_match(qtbot, window) -> None:
    search = window.patients.search
    qtbot.keyClicks(search, "MRN-0003")
    window.patients.apply_search()
    assert window.patients.model.total == 1
    search.clear()
    qtbot.keyClicks(search, "nobody-by-that-name")
    window.patients.apply_search()
    assert window.patients.model.rowCount() == 0
    assert "0 patients" in window.patients.count_label.text()


def test_register_patient_names_the_refused_field(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, PatientDialog)
    qtbot.keyClicks(dialog.name, "New Person")
    qtbot.keyClicks(dialog.sex, "F")  # the combo has no default; typing picks "Female"
    dialog.save()
    assert dialog.error.text().startswith("⚠ MRN is required")
    assert dialog.focusWidget() is dialog.mrn
    qtbot.keyClicks(dialog.mrn, "mrn-0001")
    dialog.save()
    assert "already used" in dialog.error.text()
    dialog.mrn.clear()
    qtbot.keyClicks(dialog.mrn, "MRN-9999")
    qtbot.keyClicks(dialog.dob, (date.today() + timedelta(days=2)).isoformat())
    dialog.save()
    assert dialog.error.text().startswith("⚠ Date of birth")
    assert "future" in dialog.error.text()
    dialog.dob.setText("31/12/1980")
    dialog.save()
    assert "YYYY-MM-DD" in dialog.error.text()
    dialog.dob.setText("1980-12-31")
    dialog.save()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.course.patient is not None)
    assert window.course.patient.mrn == "MRN-9999"
    assert window.patients.current_patient() == window.course.patient.id


def test_stale_edit_in_two_windows_shows_a_plain_message(qtbot, window, clinic, db_path, tmp_path):
    other = make_window(db_path, settings_path=tmp_path / "other.ini")
    qtbot.addWidget(other)
    open_patient(qtbot, window, clinic.patient_id)
    open_patient(qtbot, other, clinic.patient_id)
    first, second = window.edit_patient(), other.edit_patient()
    assert first is not None and second is not None
    first.name.setText("Zoë Ødegård-Berg")
    first.save()
    second.notes.setPlainText("seen today")
    second.save()
    boxes = other.findChildren(QMessageBox, "userError")
    assert boxes and "changed elsewhere" in boxes[-1].text()
    assert "Traceback" not in boxes[-1].text()
    assert get_patient(window.db, clinic.patient_id).name == "Zoë Ødegård-Berg"
    assert get_patient(window.db, clinic.patient_id).notes == ""
    qtbot.waitUntil(lambda: other.course.title.text() == "Zoë Ødegård-Berg")
    other.close()
    other.db.dispose()


def test_last_patient_and_geometry_are_remembered(qtbot, window, clinic, db_path, tmp_path):
    open_patient(qtbot, window, clinic.patient_id)
    window.close()
    saved = window.settings.value("window/geometry")
    again = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(again)
    assert again.course.patient is not None and again.course.patient.id == clinic.patient_id
    assert saved and again.settings.value("window/geometry") == saved
    assert not again.isVisible()
    again.db.dispose()


def test_a_file_that_is_not_a_database_offers_a_backup_and_is_never_overwritten(
    qtbot, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from mbctracker import app
    from mbctracker.services.backups import backup_now
    from mbctracker.storage import open_database

    good = tmp_path / "clinic.sqlite3"
    db = open_database(good, actor="t")
    backup = backup_now(db)
    db.dispose()
    for leftover in tmp_path.glob("clinic.sqlite3-*"):
        leftover.unlink()
    good.write_bytes(b"this is a letter, not a database" * 10)
    shown = []

    def fake_exec(box):
        shown.append(box.text())
        restore = next(b for b in box.buttons() if b.text().startswith("Restore"))
        restore.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    win = app._start_window(good)
    assert shown and "not an mbctracker database" in shown[0] and "Traceback" not in shown[0]
    assert win is not None
    qtbot.addWidget(win)
    kept = list(tmp_path.rglob("*damaged*")) + list(tmp_path.rglob("*before-restore*"))
    assert any(p.read_bytes().startswith(b"this is a letter") for p in kept if p.is_file())
    win.db.dispose()


@pytest.mark.slow
def test_a_patient_past_row_2000_is_reopened_with_one_page(qtbot, db, db_path, tmp_path):
    """The list used to page 60 rows at a time looking for them and gave up at 2,000."""
    from mbctracker.domain.course import Modality
    from mbctracker.services.courses import start_course
    from mbctracker.services.demo import generate_demo
    from mbctracker.services.patients import PatientInput, register_patient
    from mbctracker.ui.models.patient_model import PAGE_SIZE

    generate_demo(db, patients=2100, seed=5, today=date(2026, 1, 31))
    last = register_patient(db, PatientInput("LATE-1", "Zzyzx Late", date(1970, 1, 1)))
    start_course(db, last.id, Modality.TMS, date(2026, 1, 5), 20)
    first = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(first)
    open_patient(qtbot, first, last.id)
    first.close()
    first.db.dispose()
    again = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(again)
    assert again.course.patient is not None and again.course.patient.id == last.id
    assert again.patients.current_patient() == last.id
    model = again.patients.model
    assert model.rowCount() <= 2101 + PAGE_SIZE
    assert model.loaded_rows <= 4 * PAGE_SIZE, "the rows skipped over are not read"
    from mbctracker.services.patient_list import patient_page

    for row in (0, 1000, 1999):  # scrolling back up reads each skipped page when shown
        shown = model.index(row, 1).data()
        assert shown == patient_page(again.db, offset=row, limit=1)[0].name
    again.db.dispose()


def test_the_chart_is_built_right_after_the_first_paint(qtbot, tmp_path) -> None:
    """So the first patient switch does not pay for pyqtgraph (issue 11: 282 ms)."""
    from mbctracker.app import after_first_paint

    win = make_window(tmp_path / "clinic.sqlite3", settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.findChild(object, "trajectoryChart") is None, "not on the start-up path"
    after_first_paint(win, delay_ms=0)
    qtbot.waitUntil(lambda: win.findChild(object, "trajectoryChart") is not None)
    assert win.course.timeline is None, "built empty: no course is shown for it"
    win.close()
    win.db.dispose()


def test_a_keystroke_does_not_recount_the_clinics_open_flags(qtbot, window, clinic) -> None:
    """The status bar's flag count changes with writes only; it was read on every keystroke
    (issue 11: about a third of a keystroke at 22,481 patients)."""
    from sqlalchemy import event

    seen: list[str] = []

    def before(_conn, _cursor, statement: str, *_args) -> None:
        seen.append(statement)

    event.listen(window.db.engine, "before_cursor_execute", before)
    try:
        qtbot.keyClicks(window.patients.search, "ana")
        window.patients.apply_search()
    finally:
        event.remove(window.db.engine, "before_cursor_execute", before)
    assert any("patient_fts" in s for s in seen), "the search ran"
    assert not any("coalesce(sum(n), 0)" in s for s in seen), "the flag total was read again"
