"""The chart's instruments, its axis and the course tab are remembered (QSettings)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from ui_helpers import open_patient

from mbctracker.app import make_window
from mbctracker.services.assessments import AssessmentInput, record_assessment


def test_chart_choices_and_tab_survive_a_patient_switch_and_a_restart(
    qtbot, window, clinic, db_path, tmp_path
) -> None:
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    record_assessment(window.db, clinic.course_id, AssessmentInput("GAD7", [1] * 7, when))
    open_patient(qtbot, window, clinic.patient_id)
    chart = window.course.chart
    assert chart.shown() == ["PHQ9"]
    box = chart.checks["GAD7"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # show GAD-7 too
    chart.axis_mode.setFocus()
    qtbot.keyClick(chart.axis_mode, Qt.Key.Key_Down)  # by date
    assert chart.shown() == ["PHQ9", "GAD7"] and chart.by_date()
    qtbot.keyClick(window.course.tabs, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert window.course.tabs.currentIndex() == 1

    # another patient without scores, then back: the choice still applies
    window.open_patient(clinic.other_ids[0])
    open_patient(qtbot, window, clinic.patient_id)
    assert chart.shown() == ["PHQ9", "GAD7"] and chart.by_date()

    window.close()
    again = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(again)
    assert again.course.patient is not None
    assert again.course.chart.shown() == ["PHQ9", "GAD7"]
    assert again.course.chart.by_date()
    assert again.course.chart.axis_mode.currentText() == "By date"
    assert again.course.tabs.currentIndex() == 1
    again.db.dispose()


def test_a_chosen_instrument_the_course_lacks_falls_back_to_the_headline(
    qtbot, window, clinic, tmp_path
) -> None:
    window.settings.setValue("chart/instruments", "MADRS,NOPE")
    window.course.remember_in(window.settings)
    open_patient(qtbot, window, clinic.patient_id)
    assert window.course.chart.shown() == ["PHQ9"]
