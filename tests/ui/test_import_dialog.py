"""File -> Import…: a folder in, with a progress dialog; problems in one plain dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from mbctracker.services.courses import list_courses
from mbctracker.services.patient_list import count_patients
from mbctracker.services.patients import get_patient_by_mrn


def _folder(tmp_path: Path, patients: list[str], courses: list[str]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "patients.csv").write_text("\n".join(["mrn,name,sex", *patients]) + "\n")
    header = "course_key,mrn,modality,start_date,planned_sessions"
    (folder / "courses.csv").write_text("\n".join([header, *courses]) + "\n")
    return folder


def _choose(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


def _problems_box() -> QMessageBox | None:
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "importProblems"]
    return next((w for w in found if isinstance(w, QMessageBox) and w.isVisible()), None)


def test_import_adds_patients_and_the_list_shows_them(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = count_patients(window.db)
    _choose(
        monkeypatch, _folder(tmp_path, ["IMP-1,Ida Import,female"], ["k,IMP-1,tms,2026-02-01,30"])
    )
    window.actions_by_name["import"].trigger()
    assert count_patients(window.db) == before + 1
    assert "Imported from in: 1 patients, 1 courses" in window.statusBar().currentMessage()
    qtbot.keyClick(window.patients.search, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.patients.search, "IMP-1")
    window.patients.apply_search()
    assert window.patients.model.total == 1
    assert not any(
        w.objectName() == "importProgress" and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_bad_folder_lists_every_problem_and_imports_nothing(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = count_patients(window.db)
    folder = _folder(
        tmp_path,
        ["IMP-1,Ida Import,woman", "IMP-2,Ole Other,male"],
        ["k,IMP-2,laser,2026-02-01,30", "j,IMP-2,tms,2026-02-01,many"],
    )
    _choose(monkeypatch, folder)
    window.actions_by_name["import"].trigger()
    qtbot.waitUntil(lambda: _problems_box() is not None)
    box = _problems_box()
    assert box is not None
    assert box.text() == "3 problems found; nothing was imported."
    lines = box.informativeText().splitlines()
    assert lines == [
        "patients.csv:2: sex: 'woman' is not one of the choices; allowed: female, male, "
        "other, unknown",
        "courses.csv:2: modality: 'laser' is not one of the choices; allowed: iv_ketamine, "
        "im_ketamine, esketamine, tms, ect",
        "courses.csv:3: planned_sessions: 'many' is not a whole number; allowed: a whole "
        "number 1-500",
    ]
    assert count_patients(window.db) == before
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _problems_box() is None)


def test_registered_patients_get_the_new_courses_when_the_user_agrees(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = count_patients(window.db)
    patient = get_patient_by_mrn(window.db, "MRN-0001")
    courses = len(list_courses(window.db, patient.id))
    asked: list[str] = []

    def yes(_parent, _title, text, *_a, **_k):  # the question "Add the folder's courses?"
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    _choose(
        monkeypatch,
        _folder(tmp_path, ["mrn-0001,Zoë Ødegård,female"], ["k,MRN-0001,ect,2026-02-01,12"]),
    )
    window.actions_by_name["import"].trigger()
    assert asked and "1 patient in the folder is already registered" in asked[0]
    assert count_patients(window.db) == before
    assert len(list_courses(window.db, patient.id)) == courses + 1


def test_escape_in_the_progress_dialog_cancels_the_whole_import(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    before = count_patients(window.db)
    folder = _folder(tmp_path, ["IMP-1,Ida Import,female"], ["k,IMP-1,tms,2026-02-01,30"])
    _choose(monkeypatch, folder)

    def press_escape() -> None:
        dialog = next(  # this window's (an earlier test's may await deletion)
            w
            for w in QApplication.topLevelWidgets()
            if w.objectName() == "importProgress" and w.parent() is window
        )
        dialog.show()  # Qt may not have shown it yet (minimum duration); a person sees it
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, press_escape)  # runs inside the import's first progress update
    window.actions_by_name["import"].trigger()
    assert count_patients(window.db) == before
    box = next(
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "userError" and w.parent() is window and w.isVisible()
    )
    assert "Import cancelled; nothing was imported." in box.text()
