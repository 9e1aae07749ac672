"""Corrections keep history, deletes are soft and restorable, every input has a name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from ui_helpers import open_patient

from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.correction import CorrectionDialog

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractButton)


def unnamed_inputs(widget: QWidget) -> list[str]:
    """Inputs a screen reader would announce without a name (dialog buttons excepted)."""
    missing = []
    for kind in INPUTS:
        for child in widget.findChildren(kind):
            if child.accessibleName() or not child.isVisibleTo(widget):
                continue
            if isinstance(child, QAbstractButton) and child.text().strip("&"):
                continue  # a button's own text is its accessible name
            if child.objectName().startswith("qt_"):
                continue  # Qt's internal parts (spin box line edits, calendar popups)
            missing.append(f"{type(child).__name__} {child.objectName()!r}")
    return missing


def test_correct_an_assessment_keeps_the_old_value_in_the_log(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.assessments_view.selectRow(0)  # newest first: the second pre-session PHQ-9
    dialog = window.correct_assessment()
    assert isinstance(dialog, CorrectionDialog)
    old_total = dialog.record.score.total
    qtbot.keyClick(dialog.form, "3")  # item 1: 2 -> 3
    qtbot.keyClick(dialog.form, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    latest = load_timeline(window.db, clinic.course_id).assessments[-1]
    assert latest.score.total == old_total + 1
    course.tabs.setCurrentWidget(course.change_log)
    texts = [
        course.change_log.model.index(r, 4).data()
        for r in range(course.change_log.model.rowCount())
    ]
    assert any(f"total: {old_total} -> {old_total + 1}" in t for t in texts)


def test_delete_is_soft_and_restorable_from_the_change_log(qtbot, window, clinic, monkeypatch):
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    before = len(load_timeline(window.db, clinic.course_id).assessments)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    course.assessments_view.selectRow(0)
    assert window.delete_assessment()
    assert len(load_timeline(window.db, clinic.course_id).assessments) == before - 1
    assert course.assessments_model.rowCount() == before - 1
    course.tabs.setCurrentWidget(course.change_log)
    model = course.change_log.model
    row = next(r for r in range(model.rowCount()) if model.record(r).action == "delete")
    course.change_log.table.selectRow(row)
    assert window.restore_deleted()
    assert len(load_timeline(window.db, clinic.course_id).assessments) == before


def test_every_input_has_an_accessible_name(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    assert unnamed_inputs(window) == []
    probe = QLineEdit(window.course)  # the check itself can fail
    probe.show()
    assert unnamed_inputs(window) == ["QLineEdit ''"]
    probe.setParent(None)
    dialogs = [
        window.new_patient(),
        window.edit_patient(),
        window.new_entry(),
        window.record_session(),
        window.record_event(),
        window.start_course(),
        window.end_course(),
        window.edit_course(),
    ]
    for dialog in dialogs:
        assert dialog is not None
        assert unnamed_inputs(dialog) == [], dialog.windowTitle()
        dialog.close()


def test_session_delete_and_restore(qtbot, window, clinic, monkeypatch):
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    course.sessions_view.selectRow(0)
    assert window.delete_session()
    assert len(load_timeline(window.db, clinic.course_id).sessions) == 1
    course.tabs.setCurrentWidget(course.change_log)
    model = course.change_log.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.record(r).action == "delete" and model.record(r).table == "treatment_session"
    )
    course.change_log.table.selectRow(row)
    assert window.restore_deleted()
    assert len(load_timeline(window.db, clinic.course_id).sessions) == 2


def test_deleting_an_assessment_with_an_open_flag_says_so_before_asking(
    qtbot, window, clinic, monkeypatch
):
    """Deleting is a decision about that record; the question names the open flag."""
    from datetime import datetime, timedelta

    from mbctracker.services.assessments import AssessmentInput, record_assessment

    when = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    record_assessment(window.db, clinic.course_id, AssessmentInput("PHQ9", [1] * 9, when))
    open_patient(qtbot, window, clinic.patient_id)
    asked: list[str] = []

    def answer_no(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    window.course.assessments_view.selectRow(0)  # newest first: the flagged one
    assert not window.delete_assessment()
    assert "OPEN SAFETY FLAG" in asked[0]
    assert len(load_timeline(window.db, clinic.course_id).open_flags) == 1, "No keeps it"
