"""The trajectory chart (pyqtgraph): totals over the course with the lines that matter.

Drawn for each chosen instrument: its totals, the baseline point (a large
square), prorated points hollow, safety-item flags as red triangles (filled while
open), and the remission, response and partial lines from the course's stored
thresholds (no percent lines on an ordinal scale). Behind them: shaded phases,
session markers with tooltips and events. What is drawn and its wording come
from :func:`mbctracker.presentation.course_picture`, the picture the PDF draws
too; this widget only places it with pyqtgraph. Everything is redrawn in
:meth:`TrajectoryChart.set_timeline`, which the course view calls whenever an
operation reports a change.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import CourseSummary, CourseTimeline
from ...presentation import CoursePicture, EventMarker, ReferenceLine, course_picture, texts
from .. import style
from ..i18n import term, translate, words
from . import chart_data

_LINE_STYLES = {
    "remission": Qt.PenStyle.DashLine,
    "response": Qt.PenStyle.DotLine,
    "partial": Qt.PenStyle.DashDotLine,
}

LABEL_Z = 15
"""Reference-line labels sit above the points (10) and flags (12)."""

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")


class CourseAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph ships no stubs
    """Bottom axis: whole session numbers, or dates counted from the course start."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.by_date = False
        self.start: Any = None

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        span = maxVal - minVal
        if self.by_date:
            major = 7.0 if span <= 120 else 28.0
            return [(major, 0.0), (1.0 if span <= 60 else 7.0, 0.0)]
        major = 1.0 if span <= 24 else 5.0 if span <= 80 else 10.0
        return [(major, 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if self.by_date and self.start is not None:
            return [(self.start + timedelta(days=v)).strftime("%d %b") for v in values]
        return [translate("CourseAxis", "BL") if round(v) == 0 else f"{v:g}" for v in values]


class TrajectoryChart(QWidget):
    """Instrument choice, axis choice, the plot and a percent-change readout."""

    instruments_changed = Signal(list)
    """The set of instruments shown changed (codes)."""

    preferences_changed = Signal()
    """The user chose other instruments or another axis (the window remembers them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trajectoryChart")
        self.setAccessibleName(self.tr("Trajectory chart"))
        self.timeline: CourseTimeline | None = None
        self.summary: CourseSummary | None = None
        self.picture: CoursePicture | None = None
        self.drawn: dict[str, list[chart_data.ChartPoint]] = {}
        self.drawn_lines: dict[str, list[tuple[str, float]]] = {}
        """Reference lines drawn per instrument: (label as shown, level)."""
        self.event_labels: list[str] = []
        """The event labels as drawn, one per place on the axis."""
        self.line_labels: list[Any] = []
        """The reference lines' labels as drawn (pyqtgraph InfLineLabel items)."""
        self.preferred: list[str] = []
        """The instruments the user last chose; each course shows those it has."""
        self.checks = {code: self._check(code) for code in INSTRUMENTS}
        self.axis_mode = QComboBox()
        self.axis_mode.addItems([self.tr("By session number"), self.tr("By date")])
        self.axis_mode.setAccessibleName(self.tr("Chart x axis"))
        self.axis_mode.currentIndexChanged.connect(self.redraw)
        self.axis_mode.currentIndexChanged.connect(lambda _i: self.preferences_changed.emit())
        self.readout = QLabel()
        self.readout.setAccessibleName(self.tr("Percent change readout"))
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.axis = CourseAxis()
        self.plot = pg.PlotWidget(axisItems={"bottom": self.axis})
        self.plot.setAccessibleName(self.tr("Trajectory plot"))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.15)
        self.plot.setLabel("left", self.tr("Total score"))
        self.plot.setMinimumHeight(260)
        self._build()

    def _check(self, code: str) -> QCheckBox:
        box = QCheckBox(INSTRUMENTS[code].name)
        box.setAccessibleName(self.tr("Show {0} on the chart").format(INSTRUMENTS[code].name))
        box.setStyleSheet(
            f"QCheckBox {{ color: {style.INSTRUMENT_COLOURS[code]}; font-weight: bold; }}"
        )
        box.toggled.connect(self._toggled)
        return box

    def _build(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Show:")))
        for box in self.checks.values():
            controls.addWidget(box)
        controls.addStretch(1)
        controls.addWidget(self.axis_mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.readout)
        layout.addWidget(self.plot, 1)

    # -- state -------------------------------------------------------------------
    def shown(self) -> list[str]:
        return [code for code, box in self.checks.items() if box.isChecked()]

    def by_date(self) -> bool:
        return self.axis_mode.currentIndex() == 1

    def set_preferences(self, instruments: list[str], by_date: bool) -> None:
        """What the user chose last time (instruments shown where present, the axis)."""
        self.preferred = [code for code in instruments if code in self.checks]
        self.axis_mode.blockSignals(True)
        self.axis_mode.setCurrentIndex(1 if by_date else 0)
        self.axis_mode.blockSignals(False)

    def set_shown(self, codes: list[str]) -> None:
        for code, box in self.checks.items():
            box.blockSignals(True)
            box.setChecked(code in codes)
            box.blockSignals(False)
        self.redraw()

    def set_timeline(self, timeline: CourseTimeline | None, summary: CourseSummary | None) -> None:
        """Show a course (None = no course); keeps the instrument choice if it still applies."""
        previous = self.timeline.course.id if self.timeline else None
        self.timeline, self.summary = timeline, summary
        self.picture = course_picture(timeline) if timeline is not None else None
        present = [c for c in INSTRUMENTS if timeline and timeline.of(c)]
        for code, box in self.checks.items():
            box.setEnabled(code in present)
        new_course = timeline is None or timeline.course.id != previous
        if new_course or not any(c in present for c in self.shown()):
            chosen = [c for c in self.preferred if c in present]
            headline = summary.headline.instrument if summary and summary.headline else None
            self.set_shown(chosen or ([headline] if headline else present[:1]))
        else:
            self.redraw()

    def _toggled(self) -> None:
        self.preferred = self.shown()
        self.redraw()
        self.instruments_changed.emit(self.shown())
        self.preferences_changed.emit()

    # -- drawing -----------------------------------------------------------------
    def redraw(self) -> None:
        self.plot.clear()
        self.drawn, self.drawn_lines, self.line_labels = {}, {}, []
        self.event_labels = []
        legend = self.plot.plotItem.legend
        if legend is not None:
            legend.clear()
        else:
            self.plot.addLegend(offset=(-8, 8), labelTextSize="9pt")
        timeline, picture = self.timeline, self.picture
        if timeline is None or picture is None:
            self.readout.setText(self.tr("No course selected."))
            return
        self.axis.by_date = self.by_date()
        self.axis.start = timeline.course.start_date
        self.plot.setLabel("bottom", self.tr("Date") if self.by_date() else self.tr("Session"))
        top = self._top(picture)
        self._draw_phases(picture, top)
        self._draw_sessions(picture, top)
        self._draw_events(picture)
        for code in self.shown():
            self._draw_instrument(picture, code)
        self._draw_hidden_flags(picture, top)
        self._set_ranges(timeline, picture, top)
        self.readout.setText(self._readout_text())

    def _top(self, picture: CoursePicture) -> int:
        """Fit the data and the reference lines, not the whole scale: a 0-60 axis under
        scores of 10-25 flattens exactly the change the clinician is looking for."""
        shown = [code for code in self.shown() if code in picture.series]
        highest = [float(p.total) for code in shown for p in picture.series[code].points]
        highest += [
            line.value
            for code in shown
            for line in picture.reference_lines[code]
            if line.kind == "remission"
        ]
        scale = max((INSTRUMENTS[c].total_max for c in self.shown()), default=27)
        wanted = int(max(highest, default=scale) * 1.2) + 3
        return min(scale, max(10, -(-wanted // 5) * 5))

    def _set_ranges(self, timeline: CourseTimeline, picture: CoursePicture, top: int) -> None:
        xs = [p.x for pts in self.drawn.values() for p in pts]
        xs += [pos.x(self.by_date()) for _, pos in picture.sessions]
        if self.by_date():
            right = max(xs, default=14.0)
            self.plot.setXRange(min(xs, default=0.0) - 1, right + 2, padding=0)
        else:
            right = max(max(xs, default=0.0), float(timeline.course.planned_sessions))
            self.plot.setXRange(-0.6, right + 0.8, padding=0)
        self.plot.setYRange(-top * 0.08, top * 1.08, padding=0)

    def _draw_phases(self, picture: CoursePicture, top: int) -> None:
        """Bands touch where one phase ends at the next one's first mark (as on paper)."""
        pad = 0.5
        for span in picture.phases:
            x0 = span.start.x(self.by_date()) - pad
            x1 = span.end.x(self.by_date()) + (pad if span.last else -pad)
            phase = span.phase.value
            region = pg.LinearRegionItem((x0, x1), movable=False, brush=style.PHASE_COLOURS[phase])
            region.setZValue(-20)
            for line in region.lines:
                line.setPen(pg.mkPen(None))
            self.plot.addItem(region)
            name = term(span.phase.label).lower()
            label = pg.TextItem(name, color=style.MUTED, anchor=(0, 0))
            label.setPos(x0, top * 1.07)
            self.plot.addItem(label)

    def _draw_sessions(self, picture: CoursePicture, top: int) -> None:
        if not picture.sessions:
            return
        markers = pg.ScatterPlotItem(
            x=[pos.x(self.by_date()) for _, pos in picture.sessions],
            y=[-top * 0.04] * len(picture.sessions),
            data=[chart_data.session_tip(s) for s, _ in picture.sessions],
            symbol="t1",
            size=9,
            pen=pg.mkPen(style.MUTED),
            brush=pg.mkBrush("#9aa0a6"),
            hoverable=True,
            tip=lambda x, y, data: data,
            name=self.tr("session"),
        )
        self.plot.addItem(markers)

    def _draw_events(self, picture: CoursePicture) -> None:
        """One dashed line per place; events at the same place (two after one session,
        or on one day) share it and one label, so their words never overprint."""
        by_x: dict[float, list[EventMarker]] = {}
        for marker in picture.events:
            by_x.setdefault(marker.position.x(self.by_date()), []).append(marker)
        for x, markers in by_x.items():
            text = " · ".join(m.label for m in markers)
            line = pg.InfiniteLine(
                pos=x,
                angle=90,
                pen=pg.mkPen(style.FLAG_RED, width=1, style=Qt.PenStyle.DashLine),
                label=text,
                labelOpts={"position": 0.85, "color": style.FLAG_RED, "rotateAxis": (1, 0)},
            )
            line.setToolTip(
                "\n".join(
                    f"{m.event.when:%Y-%m-%d} {m.label}: {m.event.description}" for m in markers
                )
            )
            self.plot.addItem(line)
            self.event_labels.append(text)

    def _draw_instrument(self, picture: CoursePicture, code: str) -> None:
        series = picture.series.get(code)
        if series is None:
            return
        pts = chart_data.points(series, self.by_date())
        self.drawn[code] = pts
        colour = style.INSTRUMENT_COLOURS[code]
        name = series.name
        self._draw_reference_lines(picture.reference_lines[code], code, colour)
        if not pts:
            return
        pen = pg.mkPen(colour, width=2)
        self.plot.plot([p.x for p in pts], [p.total for p in pts], pen=pen, name=name)
        scatter = self._points(pts, colour)
        scatter.setZValue(10)
        self.plot.addItem(scatter)
        self._draw_flags(pts, code)
        base = next((p for p in pts if p.is_baseline), None)
        if base is not None:
            label = pg.TextItem(
                self.tr("baseline {0}").format(base.total), color=colour, anchor=(-0.1, 1.2)
            )
            label.setPos(base.x, base.total)
            self.plot.addItem(label)

    @staticmethod
    def _points(pts: list[chart_data.ChartPoint], colour: str) -> Any:
        """One scatter fed arrays (one pen, two brushes), not a dict and a pen per point:
        at 300 sessions building per-point spots was most of a save's redraw."""
        filled, hollow = pg.mkBrush(colour), pg.mkBrush("w")
        return pg.ScatterPlotItem(
            x=[p.x for p in pts],
            y=[p.total for p in pts],
            data=[chart_data.point_tip(p) for p in pts],
            symbol=["s" if p.is_baseline else "o" for p in pts],
            size=[13 if p.is_baseline else 9 for p in pts],
            pen=pg.mkPen(colour, width=2),
            brush=[hollow if p.prorated else filled for p in pts],
            hoverable=True,
            tip=lambda x, y, data: data,
        )

    def _draw_flags(self, pts: list[chart_data.ChartPoint], code: str) -> None:
        flagged = [p for p in pts if p.flagged]
        if not flagged:
            return
        top = INSTRUMENTS[code].total_max
        spots = [
            {
                "pos": (p.x, p.total + top * 0.06),
                "data": chart_data.flag_tip(p.record),
                "brush": pg.mkBrush(style.FLAG_RED) if p.record.flag_open else pg.mkBrush("w"),
            }
            for p in flagged
        ]
        self._add_flag_markers(spots, size=14)

    def _draw_hidden_flags(self, picture: CoursePicture, top: int) -> None:
        """Safety flags of instruments not shown still appear, along the top edge."""
        hidden = [f for f in picture.flags if f.record.instrument not in self.shown()]
        if not hidden:
            return
        spots = [
            {
                "pos": (f.position.x(self.by_date()), top * 0.98),
                "data": self.tr("{0} (not shown)\n").format(INSTRUMENTS[f.record.instrument].name)
                + chart_data.flag_tip(f.record),
                "brush": pg.mkBrush(style.FLAG_RED) if f.open else pg.mkBrush("w"),
            }
            for f in hidden
        ]
        self._add_flag_markers(spots, size=12)

    def _add_flag_markers(self, spots: list[dict[str, Any]], size: int) -> None:
        """Red triangles (filled = open) with their tooltip, above the lines."""
        flags = pg.ScatterPlotItem(
            spots=spots,
            symbol="t",
            size=size,
            pen=pg.mkPen(style.FLAG_RED, width=2),
            hoverable=True,
            tip=lambda x, y, data: data,
        )
        flags.setZValue(12)
        self.plot.addItem(flags)

    def _draw_reference_lines(
        self, lines: tuple[ReferenceLine, ...], code: str, colour: str
    ) -> None:
        """The picture's lines, labelled with the instrument's name (several may be shown).

        Labels sit at the right end; a second instrument's labels sit mid-chart so the
        two sets do not print over each other.
        """
        name = INSTRUMENTS[code].name
        where = 0.98 if self.shown().index(code) % 2 == 0 else 0.5
        drawn = self.drawn_lines.setdefault(code, [])
        for line in lines:
            text = f"{name} {line.label}"
            pen_colour = style.OK_GREEN if line.kind == "remission" else colour
            self._hline(line.value, text, pen_colour, _LINE_STYLES[line.kind], where)
            drawn.append((text, line.value))

    def _hline(
        self, y: float, text: str, colour: str, pen_style: Qt.PenStyle, where: float
    ) -> None:
        """The line behind the data, its label above it (on a light backing), so neither
        a point nor the series line hides what the level is."""
        line = pg.InfiniteLine(
            pos=y, angle=0, pen=pg.mkPen(colour, width=1.2, style=pen_style), movable=False
        )
        line.setZValue(-5)
        self.plot.addItem(line)
        holder = pg.InfiniteLine(
            pos=y,
            angle=0,
            pen=pg.mkPen(None),
            label=text,
            labelOpts={
                "position": where,
                "color": colour,
                "anchors": [(1, 1), (1, 1)],
                "fill": pg.mkBrush(255, 255, 255, 200),
            },
        )
        holder.label.setFont(QFont(holder.label.textItem.font().family(), 8))
        holder.setZValue(LABEL_Z)
        self.plot.addItem(holder)
        self.line_labels.append(holder.label)

    def _readout_text(self) -> str:
        if self.summary is None:
            return ""
        parts, phrases = [], words()
        for code in self.shown():
            found = self.summary.get(code)
            if found is None or found.most_recent is None:
                continue
            colour = style.INSTRUMENT_COLOURS[code]
            text = f"<b style='color:{colour}'>{found.name}</b> "
            line = (
                texts.readout_text(found, phrases)
                if found.latest
                else texts.baseline_only_text(found, phrases)
            )
            parts.append(text + escape(line))
        legend = self.tr(
            "○ hollow = prorated · ■ = baseline · "
            "<span style='color:{0}'>▼ = safety flag (filled = open)</span>"
        ).format(style.FLAG_RED)
        return (
            "&nbsp;&nbsp;|&nbsp;&nbsp;".join(parts) or self.tr("No scores yet.")
        ) + f"<br><small>{legend}</small>"

    def point_count(self, code: str) -> int:
        """How many points of ``code`` are drawn (tests and scripts)."""
        return len(self.drawn.get(code, []))

    @staticmethod
    def colour_of(code: str) -> QColor:
        return QColor(style.INSTRUMENT_COLOURS[code])
