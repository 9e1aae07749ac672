"""On the screen chart no event label is written over the "baseline N" label.

An adverse event on the day of session 1 drew its vertical label high on its line,
right across "baseline 42" (seen in docs/screenshot-today.png). The chart is shown at
the course view's size, and the labels' places on screen are compared.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QPointF

from mbctracker.domain.course import EventKind, Modality
from mbctracker.domain.timeline import summarize
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.events import record_event
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.ui.widgets.chart import TrajectoryChart

START = date(2026, 3, 2)


def _course(db: Database, baseline: list[int], event_day: int) -> int:
    patient = register_patient(db, PatientInput("MRN-LBL", "Synthetic Label"))
    course = start_course(db, patient.id, Modality.IV_KETAMINE, START, planned_sessions=6)
    first = datetime.combine(START, datetime.min.time()).replace(hour=9)
    record_assessment(db, course.id, AssessmentInput("MADRS", baseline, first))
    for n, total in enumerate((30, 20, 14, 12, 10, 9), start=1):
        when = first + timedelta(days=2 * n, hours=1)
        record_session(db, course.id, SessionInput(when, {"dose_mg_per_kg": 0.5, "dose_mg": 35.0}))
        items = [min(6, max(0, total - 6 * i)) for i in range(10)]  # sums to total
        record_assessment(
            db, course.id, AssessmentInput("MADRS", items, when - timedelta(minutes=30))
        )
    record_event(db, course.id, EventKind.ADVERSE_EVENT, START + timedelta(days=event_day))
    return course.id


def _shown(qtbot, db: Database, event_day: int, by_date: bool) -> TrajectoryChart:  # type: ignore[no-untyped-def]
    """The MADRS course on a chart of the course view's size, by session or by date."""
    timeline = load_timeline(db, _course(db, [5, 5, 5, 4, 4, 4, 4, 4, 4, 3], event_day))
    chart = TrajectoryChart()
    qtbot.addWidget(chart)
    chart.resize(765, 474)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_preferences(["MADRS"], by_date)
    chart.set_timeline(timeline, summarize(timeline))
    return chart


@pytest.mark.parametrize("event_day", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("by_date", [False, True])
def test_an_event_label_never_crosses_the_baseline_label(
    qtbot, db: Database, event_day: int, by_date: bool
) -> None:
    chart = _shown(qtbot, db, event_day, by_date)
    assert chart.baseline_labels and chart.event_lines
    baseline = chart.baseline_labels[0].sceneBoundingRect()
    for line in chart.event_lines:
        assert not line.label.sceneBoundingRect().intersects(baseline), (event_day, by_date)


@pytest.mark.parametrize("size", [(765, 474), (1500, 900)])
@pytest.mark.parametrize("by_date", [False, True])
def test_each_reference_label_ends_on_its_line_at_the_right_end(
    qtbot, db: Database, size: tuple[int, int], by_date: bool
) -> None:
    """A reference line's label sits on its level, its right end at 98% of the x range
    (the next instrument's at half-way), at any chart size: the label is placed by
    the chart, not carried by the line, so a resize must not leave it behind."""
    chart = _shown(qtbot, db, 3, by_date)
    chart.resize(*size)
    qtbot.waitUntil(lambda: chart.plot.width() > size[0] // 2, timeout=60_000)
    levels = [value for _text, value in chart.drawn_lines["MADRS"]]
    assert len(chart.line_labels) == len(levels) >= 2
    view = chart.plot.plotItem.vb
    (left, right), _ = view.viewRange()
    for label, value in zip(chart.line_labels, levels, strict=True):
        corner = view.mapViewToScene(QPointF(left + 0.98 * (right - left), value))
        box = label.sceneBoundingRect()
        assert abs(box.right() - corner.x()) <= 1.5 and abs(box.bottom() - corner.y()) <= 1.5
        assert label.toPlainText().startswith("MADRS ")
