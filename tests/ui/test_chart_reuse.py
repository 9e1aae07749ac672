"""The chart keeps its items across redraws: what it shows must equal a fresh chart's.

Reference: a brand-new chart given the same course, instruments and axis (the
drawing the pooled chart replaced). Switching through varied demo courses in both
axis modes and instrument choices must leave nothing behind: no stale flag, event,
phase band or reference line from the previous patient.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QImage
from PySide6.QtWidgets import QGraphicsRectItem

from mbctracker.domain.course import CourseStatus, DropoutReason, EventKind, Modality
from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.timeline import summarize
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    record_assessment,
)
from mbctracker.services.courses import end_course, start_course
from mbctracker.services.demo import generate_demo
from mbctracker.services.events import record_event
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.ui.widgets.chart import TrajectoryChart
from mbctracker.ui.widgets.heatmap import HeatmapModel


def _rounded(values: Any) -> tuple[float, ...]:
    return tuple(round(float(v), 6) for v in values)


def _describe(item: Any) -> tuple[Any, ...]:
    """What a person sees of one item: kind, place, text and colour (not identity)."""
    z = item.zValue()
    if isinstance(item, pg.ScatterPlotItem):
        x, y = item.getData()
        brushes = tuple(s.brush().color().name() for s in item.points())
        return ("scatter", z, _rounded(x), _rounded(y), brushes, item.opts["hoverable"])
    if isinstance(item, pg.PlotDataItem):
        x, y = item.getData()
        return ("curve", z, _rounded(x), _rounded(y), item.opts["pen"].color().name())
    if isinstance(item, QGraphicsRectItem):
        r = item.rect()
        colour = item.brush().color()
        return (
            "region",
            z,
            _rounded((r.x(), r.y(), r.width(), r.height())),
            colour.name(),
            colour.alpha(),
        )
    if isinstance(item, pg.InfiniteLine):
        label = getattr(item, "label", None)
        text = label.toPlainText() if label is not None else ""
        colour = label.color.name() if label is not None else ""
        return (
            "line",
            z,
            item.angle,
            round(item.value(), 6),
            text,
            colour,
            item.pen.color().name(),
            int(item.pen.style().value),
        )
    if isinstance(item, pg.TextItem):
        pos = item.pos()
        return (
            "text",
            z,
            item.toPlainText(),
            round(pos.x(), 6),
            round(pos.y(), 6),
            item.color.name(),
        )
    return (type(item).__name__, z)


def _scene(chart: TrajectoryChart) -> list[tuple[Any, ...]]:
    plot = chart.plot.plotItem
    seen = sorted((_describe(i) for i in plot.items if i.isVisible()), key=repr)
    view = plot.viewRange()
    return [*seen, ("readout", chart.readout.text()), ("range", _rounded(view[0] + view[1]))]


def _axes_painted(chart: TrajectoryChart) -> list[QImage]:
    """The axes as painted: the chart keeps what they show between redraws (their titles
    and ticks are set only when they change), so compare the pixels, not the settings."""
    chart.resize(900, 420)
    image = chart.plot.grab().toImage()
    found = []
    for name in ("left", "bottom"):
        axis = chart.plot.getAxis(name)
        area = chart.plot.mapFromScene(axis.sceneBoundingRect()).boundingRect()
        found.append(image.copy(area))
    return found


def _compare(
    qtbot, reused: TrajectoryChart, timeline: Any, shown: list[str], modes: Any = (False, True)
) -> None:
    """Show ``timeline`` on the reused chart and on a fresh one, in each axis mode."""
    summary = summarize(timeline)
    for by_date in modes:
        fresh = TrajectoryChart()
        qtbot.addWidget(fresh)
        for chart in (reused, fresh):
            chart.set_preferences(shown, by_date)
            chart.set_timeline(timeline, summary)
            chart.set_shown([c for c in shown if timeline.of(c)] or shown[:1])
        assert _scene(reused) == _scene(fresh), (timeline.course.id, by_date, shown)
        assert _axes_painted(reused) == _axes_painted(fresh), (timeline.course.id, by_date)
        assert reused.event_labels == fresh.event_labels
        assert reused.drawn_lines == fresh.drawn_lines
        fresh.deleteLater()


def test_reused_chart_follows_a_course_entered_in_clinic_order(qtbot, db: Database) -> None:
    """Scores typed before the session exists, a back-filled session, a correction that
    raises the flag, a dropout, then a new course; a look-alike MRN and a name at the
    length limit."""
    person = register_patient(
        db,
        PatientInput("ΜRΝ-0001", "Ωmega " + "Ł" * 190, date(1970, 1, 2)),  # Greek Μ, Ν
    )
    first = start_course(db, person.id, Modality.IV_KETAMINE, date(2026, 1, 5), 6)
    day = datetime(2026, 1, 5, 8, 0)
    reused = TrajectoryChart()
    qtbot.addWidget(reused)
    seen = []
    for n in range(4):
        when = day + timedelta(days=3 * n)
        score = record_assessment(db, first.id, AssessmentInput("PHQ9", [2] * 8 + [0], when))
        seen.append(score.record)
        record_session(db, first.id, SessionInput(when + timedelta(hours=1)))
        _compare(qtbot, reused, load_timeline(db, first.id), ["PHQ9"])
    record_session(db, first.id, SessionInput(day + timedelta(days=1, hours=2)))  # back-filled
    fixed = correct_assessment(
        db, seen[2].id, [3] * 8 + [2], expected_version=seen[2].version
    )  # item 9 now endorsed: a flag
    assert fixed.record.score.safety_flag
    record_event(db, first.id, EventKind.DROPOUT, date(2026, 1, 20), reason=DropoutReason.COST)
    _compare(qtbot, reused, load_timeline(db, first.id), ["PHQ9", "MADRS"])
    course = load_timeline(db, first.id).course
    end_course(
        db,
        first.id,
        CourseStatus.DISCONTINUED,
        date(2026, 1, 20),
        expected_version=course.version,
        reason=DropoutReason.COST,
    )
    second = start_course(db, person.id, Modality.TMS, date(2026, 3, 2), 30)
    record_assessment(db, second.id, AssessmentInput("PHQ9", [1] * 9, datetime(2026, 3, 2, 8)))
    _compare(qtbot, reused, load_timeline(db, second.id), ["PHQ9"])  # the old flag follows
    _compare(qtbot, reused, load_timeline(db, first.id), ["PHQ9"])


def test_reused_chart_shows_what_a_fresh_chart_shows(qtbot, db: Database) -> None:
    generate_demo(db, patients=40, seed=11, today=date(2026, 3, 1))
    with db.read() as session:
        ids = [r[0] for r in session.connection().exec_driver_sql("SELECT id FROM course")]
    reused = TrajectoryChart()
    qtbot.addWidget(reused)
    choices = [["PHQ9"], ["GAD7", "MADRS"], ["PHQ9", "GAD7", "MADRS"], ["MADRS"]]
    for turn, course_id in enumerate(ids):
        _compare(qtbot, reused, load_timeline(db, course_id), choices[turn % len(choices)])
    # Each marker style is rendered once into pyqtgraph's cache, keyed by the pen's and
    # brush's identity: kept pens and brushes keep it to the styles in use (three
    # instruments x filled/hollow x round/square at most), not one set per redraw.
    scatters = [i for name in ("points", "sessions", "flags") for i in reused.pools[name].items]
    assert max(len(s.fragmentAtlas) for s in scatters) <= 12, [
        len(s.fragmentAtlas) for s in scatters
    ]


def test_same_length_courses_by_date_name_their_own_dates(qtbot, db: Database) -> None:
    """Two courses of the same shape, started a month apart, shown by date one after the
    other: the axis keeps its range, yet its dates must be the second course's."""
    reused = TrajectoryChart()
    qtbot.addWidget(reused)
    for n, start in enumerate((date(2026, 1, 5), date(2026, 2, 9))):
        person = register_patient(db, PatientInput(f"SAME-{n}", f"Same Shape{n}"))
        course = start_course(db, person.id, Modality.TMS, start, 6)
        day = datetime.combine(start, datetime.min.time()).replace(hour=8)
        for k in range(3):
            when = day + timedelta(days=2 * k)
            record_assessment(db, course.id, AssessmentInput("PHQ9", [2 - k] * 9, when))
            record_session(db, course.id, SessionInput(when + timedelta(hours=1)))
        _compare(qtbot, reused, load_timeline(db, course.id), ["PHQ9"], modes=(True,))


HEATMAP_ROLES = tuple(Qt.ItemDataRole)


def _cells(model: HeatmapModel) -> list[tuple[Any, ...]]:
    """Every column label and every cell's answer to every role, brushes as colours."""
    found = [
        model.headerData(column, Qt.Orientation.Horizontal, role)
        for column in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in HEATMAP_ROLES:
                value = model.data(index, role)
                found.append(value.color().name() if isinstance(value, QBrush) else value)
    return found


def test_reused_heatmap_answers_like_a_fresh_one(qtbot, db: Database) -> None:
    """The heatmap keeps each cell's colours for the course shown: after other courses,
    instruments and a dark palette, every cell answers every role as a fresh model does."""
    generate_demo(db, patients=12, seed=5, today=date(2026, 3, 1))
    with db.read() as session:
        ids = [r[0] for r in session.connection().exec_driver_sql("SELECT id FROM course")]
    reused = HeatmapModel()
    for turn, course_id in enumerate(ids):
        timeline = load_timeline(db, course_id)
        for code in ("PHQ9", "GAD7", "MADRS"):
            reused.set_data(INSTRUMENTS[code], timeline.of(code))
            for dark in (reused.dark, not reused.dark):  # then the palette switched
                reused.set_dark(dark)
                fresh = HeatmapModel()
                fresh.set_dark(dark)
                fresh.set_data(INSTRUMENTS[code], timeline.of(code))
                assert _cells(reused) == _cells(fresh), (course_id, code, dark, turn)
