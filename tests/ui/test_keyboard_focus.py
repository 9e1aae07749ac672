"""Tab moves between the parts of the window; no list keeps it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def test_tab_leaves_the_patient_list(qtbot, window, clinic) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.patients.search, Qt.Key.Key_Down)
    table = window.patients.table
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    row = table.currentIndex().row()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentIndex().row() == row  # the selected patient did not change
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table


def test_tab_leaves_the_course_record_tables(qtbot, window, clinic) -> None:
    from ui_helpers import open_patient

    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    for index, view in ((1, course.sessions_view), (2, course.assessments_view)):
        course.tabs.setCurrentIndex(index)
        view.setFocus()
        view.selectRow(0)
        qtbot.waitUntil(lambda v=view: QApplication.focusWidget() is v)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not view
