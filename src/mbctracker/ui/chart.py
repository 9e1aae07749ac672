"""The trajectory chart (pyqtgraph): totals over the course with the lines that matter.

Drawn for each chosen instrument: its totals, the baseline point (a large
square), prorated points hollow, safety-item flags as red triangles (filled while
open), the remission line and the response (50% of baseline) and partial (75%)
lines. Behind them: shaded phases, session markers with tooltips and events.
Everything is redrawn from the timeline in :meth:`TrajectoryChart.set_timeline`,
which the course view calls whenever an operation reports a change.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..domain.instruments import INSTRUMENTS
from ..domain.timeline import CourseSummary, CourseTimeline, category_label
from . import chart_data, style
from .texts import percent_text

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
        return ["BL" if round(v) == 0 else f"{v:g}" for v in values]


class TrajectoryChart(QWidget):
    """Instrument choice, axis choice, the plot and a percent-change readout."""

    instruments_changed = Signal(list)
    """The set of instruments shown changed (codes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trajectoryChart")
        self.setAccessibleName("Trajectory chart")
        self.timeline: CourseTimeline | None = None
        self.summary: CourseSummary | None = None
        self.drawn: dict[str, list[chart_data.ChartPoint]] = {}
        self.checks = {code: self._check(code) for code in INSTRUMENTS}
        self.axis_mode = QComboBox()
        self.axis_mode.addItems(["By session number", "By date"])
        self.axis_mode.setAccessibleName("Chart x axis")
        self.axis_mode.currentIndexChanged.connect(self.redraw)
        self.readout = QLabel()
        self.readout.setAccessibleName("Percent change readout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.axis = CourseAxis()
        self.plot = pg.PlotWidget(axisItems={"bottom": self.axis})
        self.plot.setAccessibleName("Trajectory plot")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.15)
        self.plot.setLabel("left", "Total score")
        self.plot.setMinimumHeight(260)
        self._build()

    def _check(self, code: str) -> QCheckBox:
        box = QCheckBox(INSTRUMENTS[code].name)
        box.setAccessibleName(f"Show {INSTRUMENTS[code].name} on the chart")
        box.setStyleSheet(
            f"QCheckBox {{ color: {style.INSTRUMENT_COLOURS[code]}; font-weight: bold; }}"
        )
        box.toggled.connect(self._toggled)
        return box

    def _build(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Show:"))
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
        present = [c for c in INSTRUMENTS if timeline and timeline.of(c)]
        for code, box in self.checks.items():
            box.setEnabled(code in present)
        new_course = timeline is None or timeline.course.id != previous
        if new_course or not any(c in present for c in self.shown()):
            headline = summary.headline.instrument if summary and summary.headline else None
            self.set_shown([headline] if headline else present[:1])
        else:
            self.redraw()

    def _toggled(self) -> None:
        self.redraw()
        self.instruments_changed.emit(self.shown())

    # -- drawing -----------------------------------------------------------------
    def redraw(self) -> None:
        self.plot.clear()
        self.drawn = {}
        legend = self.plot.plotItem.legend
        if legend is not None:
            legend.clear()
        else:
            self.plot.addLegend(offset=(-8, 8), labelTextSize="9pt")
        timeline = self.timeline
        if timeline is None:
            self.readout.setText("No course selected.")
            return
        self.axis.by_date = self.by_date()
        self.axis.start = timeline.course.start_date
        self.plot.setLabel("bottom", "Days from course start" if self.by_date() else "Session")
        top = self._top(timeline)
        self._draw_phases(timeline, top)
        self._draw_sessions(timeline, top)
        self._draw_events(timeline, top)
        for code in self.shown():
            self._draw_instrument(timeline, code)
        self._draw_hidden_flags(timeline, top)
        self._set_ranges(timeline, top)
        self.readout.setText(self._readout_text())

    def _top(self, timeline: CourseTimeline) -> int:
        """Fit the data and the reference lines, not the whole scale: a 0-60 axis under
        scores of 10-25 flattens exactly the change the clinician is looking for."""
        highest = [
            a.score.total
            for code in self.shown()
            for a in timeline.of(code)
            if a.score.total is not None
        ]
        highest += [
            timeline.course.settings.for_instrument(code).remission_max or 0
            for code in self.shown()
        ]
        scale = max((INSTRUMENTS[c].total_max for c in self.shown()), default=27)
        wanted = int(max(highest, default=scale) * 1.2) + 3
        return min(scale, max(10, -(-wanted // 5) * 5))

    def _set_ranges(self, timeline: CourseTimeline, top: int) -> None:
        xs = [p.x for pts in self.drawn.values() for p in pts]
        xs += [chart_data.session_x(timeline, s, self.by_date()) for s in timeline.sessions]
        if self.by_date():
            right = max(xs, default=14.0)
            self.plot.setXRange(min(xs, default=0.0) - 1, right + 2, padding=0)
        else:
            right = max(max(xs, default=0.0), float(timeline.course.planned_sessions))
            self.plot.setXRange(-0.6, right + 0.8, padding=0)
        self.plot.setYRange(-top * 0.08, top * 1.08, padding=0)

    def _draw_phases(self, timeline: CourseTimeline, top: int) -> None:
        for phase, x0, x1 in chart_data.phase_spans(timeline, self.by_date()):
            region = pg.LinearRegionItem((x0, x1), movable=False, brush=style.PHASE_COLOURS[phase])
            region.setZValue(-20)
            for line in region.lines:
                line.setPen(pg.mkPen(None))
            self.plot.addItem(region)
            label = pg.TextItem(phase.replace("_", "-"), color=style.MUTED, anchor=(0, 0))
            label.setPos(x0, top * 1.07)
            self.plot.addItem(label)

    def _draw_sessions(self, timeline: CourseTimeline, top: int) -> None:
        if not timeline.sessions:
            return
        spots = [
            {
                "pos": (chart_data.session_x(timeline, s, self.by_date()), -top * 0.04),
                "data": chart_data.session_tip(s),
            }
            for s in timeline.sessions
        ]
        markers = pg.ScatterPlotItem(
            spots=spots,
            symbol="t1",
            size=9,
            pen=pg.mkPen(style.MUTED),
            brush=pg.mkBrush("#9aa0a6"),
            hoverable=True,
            tip=lambda x, y, data: data,
            name="session",
        )
        self.plot.addItem(markers)

    def _draw_events(self, timeline: CourseTimeline, top: int) -> None:
        for event in timeline.events:
            x = chart_data.event_x(timeline, event.when, self.by_date())
            text = event.kind.label + (f" ({event.reason.label})" if event.reason else "")
            line = pg.InfiniteLine(
                pos=x,
                angle=90,
                pen=pg.mkPen(style.FLAG_RED, width=1, style=Qt.PenStyle.DashLine),
                label=text,
                labelOpts={"position": 0.85, "color": style.FLAG_RED, "rotateAxis": (1, 0)},
            )
            line.setToolTip(f"{event.when:%Y-%m-%d} {text}: {event.description}")
            self.plot.addItem(line)

    def _draw_instrument(self, timeline: CourseTimeline, code: str) -> None:
        pts = chart_data.points(timeline, code, self.by_date())
        self.drawn[code] = pts
        colour = style.INSTRUMENT_COLOURS[code]
        name = INSTRUMENTS[code].name
        self._draw_reference_lines(timeline, code, colour)
        if not pts:
            return
        pen = pg.mkPen(colour, width=2)
        self.plot.plot([p.x for p in pts], [p.total for p in pts], pen=pen, name=name)
        spots = [self._spot(p, colour) for p in pts]
        scatter = pg.ScatterPlotItem(spots=spots, hoverable=True, tip=lambda x, y, data: data)
        scatter.setZValue(10)
        self.plot.addItem(scatter)
        self._draw_flags(pts, code)
        base = next((p for p in pts if p.is_baseline), None)
        if base is not None:
            label = pg.TextItem(f"baseline {base.total}", color=colour, anchor=(-0.1, 1.2))
            label.setPos(base.x, base.total)
            self.plot.addItem(label)

    @staticmethod
    def _spot(p: chart_data.ChartPoint, colour: str) -> dict[str, Any]:
        return {
            "pos": (p.x, p.total),
            "data": chart_data.point_tip(p),
            "symbol": "s" if p.is_baseline else "o",
            "size": 13 if p.is_baseline else 9,
            "pen": pg.mkPen(colour, width=2),
            "brush": pg.mkBrush("w") if p.prorated else pg.mkBrush(colour),
        }

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
        flags = pg.ScatterPlotItem(
            spots=spots,
            symbol="t",
            size=14,
            pen=pg.mkPen(style.FLAG_RED, width=2),
            hoverable=True,
            tip=lambda x, y, data: data,
        )
        flags.setZValue(12)
        self.plot.addItem(flags)

    def _draw_hidden_flags(self, timeline: CourseTimeline, top: int) -> None:
        """Safety flags of instruments not shown still appear, along the top edge."""
        hidden = [a for a in timeline.flags if a.instrument not in self.shown()]
        if not hidden:
            return
        spots = [
            {
                "pos": (chart_data.assessment_x(timeline, a, self.by_date()), top * 0.98),
                "data": f"{INSTRUMENTS[a.instrument].name} (not shown)\n" + chart_data.flag_tip(a),
                "brush": pg.mkBrush(style.FLAG_RED) if a.flag_open else pg.mkBrush("w"),
            }
            for a in hidden
        ]
        flags = pg.ScatterPlotItem(
            spots=spots,
            symbol="t",
            size=12,
            pen=pg.mkPen(style.FLAG_RED, width=2),
            hoverable=True,
            tip=lambda x, y, data: data,
        )
        flags.setZValue(12)
        self.plot.addItem(flags)

    def _draw_reference_lines(self, timeline: CourseTimeline, code: str, colour: str) -> None:
        """Remission, response (50% of this patient's baseline) and partial (75%) lines.

        Labels sit at the right end; a second instrument's labels sit mid-chart so the
        two sets do not print over each other.
        """
        settings = timeline.course.settings
        remission = settings.for_instrument(code).remission_max
        name = INSTRUMENTS[code].name
        where = 0.98 if self.shown().index(code) % 2 == 0 else 0.5
        if remission is not None:
            text = f"{name} remission ≤ {remission}"
            self._hline(remission, text, style.OK_GREEN, Qt.PenStyle.DashLine, where)
        base = timeline.baseline(code)
        total = base.score.total if base else None
        if total:
            resp = total * float(1 - settings.response_fraction)
            part = total * float(1 - settings.partial_fraction)
            text = f"{name} response ≤ {resp:g} (50% of baseline {total})"
            self._hline(resp, text, colour, Qt.PenStyle.DotLine, where)
            text = f"{name} partial ≤ {part:g} (75%)"
            self._hline(part, text, colour, Qt.PenStyle.DashDotLine, where)

    def _hline(
        self, y: float, text: str, colour: str, pen_style: Qt.PenStyle, where: float
    ) -> None:
        line = pg.InfiniteLine(
            pos=y,
            angle=0,
            pen=pg.mkPen(colour, width=1.2, style=pen_style),
            label=text,
            labelOpts={"position": where, "color": colour, "anchors": [(1, 1), (1, 1)]},
        )
        line.label.setFont(QFont(line.label.textItem.font().family(), 8))
        line.setZValue(-5)
        self.plot.addItem(line)

    def _readout_text(self) -> str:
        if self.summary is None:
            return ""
        parts = []
        for code in self.shown():
            found = self.summary.get(code)
            if found is None or found.latest is None:
                continue
            ch = found.change
            colour = style.INSTRUMENT_COLOURS[code]
            text = f"<b style='color:{colour}'>{found.name}</b> "
            text += f"{ch.baseline_total} → {ch.current_total}"
            if ch.percent_change is not None:
                text += f" · {percent_text(ch.percent_change)} · {category_label(ch.category)}"
            if ch.remission:
                text += " · remission"
            parts.append(text)
        legend = (
            "○ hollow = prorated · ■ = baseline · "
            f"<span style='color:{style.FLAG_RED}'>▼ = safety flag (filled = open)</span>"
        )
        return (
            "&nbsp;&nbsp;|&nbsp;&nbsp;".join(parts) or "No scores yet."
        ) + f"<br><small>{legend}</small>"

    def point_count(self, code: str) -> int:
        """How many points of ``code`` are drawn (tests and scripts)."""
        return len(self.drawn.get(code, []))

    @staticmethod
    def colour_of(code: str) -> QColor:
        return QColor(style.INSTRUMENT_COLOURS[code])
