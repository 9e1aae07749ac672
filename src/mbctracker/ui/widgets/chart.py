"""The trajectory chart (pyqtgraph): totals over the course with the lines that matter.

Drawn for each chosen instrument: its totals, the baseline point (a large
square), prorated points hollow, safety-item flags as red triangles (filled while
open), and the remission, response and partial lines from the course's stored
thresholds (no percent lines on an ordinal scale). Behind them: shaded phases,
session markers with tooltips and events. What is drawn and its wording come
from :func:`mbctracker.presentation.course_picture`, the picture the PDF draws
too; this widget only places it with pyqtgraph. Everything is redrawn in
:meth:`TrajectoryChart.set_timeline`, which the course view calls whenever an
operation reports a change, with chart items kept from the last redraw
(:class:`ItemPool`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import CourseSummary, CourseTimeline
from ...presentation import CoursePicture, EventMarker, ReferenceLine, course_picture, texts
from .. import style, theme
from ..i18n import term, translate, words
from . import chart_data
from .steady import LabelBox

_LINE_STYLES = {
    "remission": Qt.PenStyle.DashLine,
    "response": Qt.PenStyle.DotLine,
    "partial": Qt.PenStyle.DashDotLine,
}

_TYPICAL_ITEMS = {
    "region": 3,
    "phase_label": 3,
    "sessions": 1,
    "event": 2,
    "level": 6,
    "level_label": 6,
    "curve": 2,
    "points": 2,
    "flags": 2,
    "baseline": 2,
    "grid": 10,
}
"""How many items of each kind :meth:`TrajectoryChart.make_items` makes ahead."""

LABEL_Z = 15
"""Reference-line labels sit above the points (10) and flags (12)."""

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")
LABEL_BACKING_ALPHA = 200
"""The reference-line labels' backing: the plot's background, nearly opaque."""


@dataclass(frozen=True, slots=True)
class ChartColours:
    """Every colour the chart draws with, from the palette in force (light or dark).

    Text colours reach 5:1 against the plot's background (WCAG asks 4.5:1) and line
    colours 3:1; an instrument's own colour is kept when it does, else lightened or
    darkened in the same hue (theme.readable).
    """

    background: QColor
    foreground: QColor
    muted: QColor
    session: QColor
    flag: QColor
    remission: QColor
    label_backing: QColor
    grid: QColor
    """Faint score lines: a tenth of the way from the background to the text."""
    instruments: dict[str, QColor]
    widget_text: dict[str, QColor]
    """Instrument colours for text on the window (check boxes, readout)."""
    widget_flag: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChartColours:
        dark = theme.is_dark(palette)
        background = palette.color(QPalette.ColorRole.Base)
        window = palette.color(QPalette.ColorRole.Window)
        under = [background] + [theme.over(c, background) for c in style.PHASE_COLOURS.values()]

        def text(colour: QColor | str, on: list[QColor] = under) -> QColor:
            """Readable on the plot and on every phase's shading (labels sit on both)."""
            found = QColor(colour)
            for shade in on:
                found = theme.readable(found, shade, theme.TEXT_TARGET)
            return found

        backing = QColor(background)
        backing.setAlpha(LABEL_BACKING_ALPHA)
        return cls(
            background=background,
            foreground=text(palette.color(QPalette.ColorRole.Text)),
            muted=text(style.MUTED),
            session=text("#9aa0a6" if dark else style.MUTED),
            flag=text(style.FLAG_RED),
            remission=text(style.OK_GREEN),
            label_backing=backing,
            grid=theme.over(_tinted(palette.color(QPalette.ColorRole.Text), 26), background),
            instruments={code: text(c) for code, c in style.INSTRUMENT_COLOURS.items()},
            widget_text={code: text(c, [window]) for code, c in style.INSTRUMENT_COLOURS.items()},
            widget_flag=text(style.FLAG_RED, [window]),
        )


def _tinted(colour: QColor, alpha: int) -> QColor:
    found = QColor(colour)
    found.setAlpha(alpha)
    return found


class ItemPool:
    """Chart items of one kind, kept across redraws: handed out in order, the rest hidden.

    Removing every item from the scene and building new ones on each redraw was most
    of a patient switch and of a save on a long course; moving and re-feeding kept
    items costs a fraction of it. A hidden item is out of the picture (no paint, no
    tooltip), so a redraw shows exactly what it placed.
    """

    def __init__(self, plot: Any, make: Callable[[], Any]) -> None:
        self.plot, self.make = plot, make
        self.items: list[Any] = []
        self.used = 0

    def start(self) -> None:
        self.used = 0

    def take(self) -> Any:
        """The next kept item (made and added to the plot the first time), shown."""
        if self.used == len(self.items):
            self.reserve(self.used + 1)
        item = self.items[self.used]
        self.used += 1
        item.show()
        return item

    def reserve(self, count: int) -> None:
        """Have at least ``count`` items made; new ones wait hidden until taken."""
        while len(self.items) < count:
            item = self.make()
            item.hide()
            self.plot.addItem(item)
            self.items.append(item)

    def finish(self) -> None:
        for item in self.items[self.used :]:
            item.hide()


def _phase_region() -> QGraphicsRectItem:
    """A phase's band: a plain filled rectangle over the plot's height.

    pyqtgraph's LinearRegionItem (a band plus two edge lines, its bounds worked out
    from the view on every paint) was the costliest item to paint on a switch; the
    chart knows the band's corners, so a rectangle draws the same fill.
    """
    region = QGraphicsRectItem()
    region.setPen(QPen(Qt.PenStyle.NoPen))
    region.setZValue(-20)
    return region


EVENT_LABEL_HIGH, EVENT_LABEL_LOW = 0.85, 0.2
"""Where an event's label sits along its line (0 bottom, 1 top)."""


def _event_line() -> Any:
    return pg.InfiniteLine(
        angle=90, label=" ", labelOpts={"position": EVENT_LABEL_HIGH, "rotateAxis": (1, 0)}
    )


def _grid_line() -> Any:
    line = pg.InfiniteLine(angle=0, movable=False)
    line.setZValue(-30)
    return line


def _level_line() -> Any:
    line = pg.InfiniteLine(angle=0, movable=False)
    line.setZValue(-5)
    return line


def _level_label() -> Any:
    """A reference line's label, above the points, its lower right corner on the line.

    A plain text item placed by the chart (:meth:`TrajectoryChart._place_level_labels`):
    pyqtgraph's line label re-worked its place from the view on every text, colour and
    range change, a third of the chart's redraw on a patient switch. The chart's
    ranges are fixed (no pan, no zoom), so a place in data coordinates stays put.
    """
    label = pg.TextItem("", anchor=(1, 1))
    label.setFont(QFont(label.textItem.font().family(), 8))
    label.setZValue(LABEL_Z)
    return label


def _y_range(top: int) -> tuple[float, float]:
    """The plot's score range: room under 0 for the session marks, above ``top`` for
    the phase names."""
    return -top * 0.08, top * 1.08


class CourseAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph ships no stubs
    """Bottom axis: whole session numbers, or dates counted from the course start."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.by_date = False
        self.start: Any = None

    def set_origin(self, by_date: bool, start: Any) -> None:
        """Count from ``start`` by date or by session; the tick texts follow even when the
        range stays the same (another course of the same length). Session numbers do not
        depend on the start: another course of the same length keeps the drawn axis."""
        if not by_date:
            start = None
        if (by_date, start) != (self.by_date, self.start):
            self.by_date, self.start = by_date, start
            self.picture = None  # pyqtgraph redraws its kept picture of the axis
            self.update()

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
        self.event_lines: list[Any] = []
        """The event lines drawn (pyqtgraph InfiniteLine items), for placing their labels."""
        self.baseline_labels: list[Any] = []
        """The "baseline N" labels drawn (pyqtgraph TextItem items)."""
        self.line_labels: list[Any] = []
        """The reference lines' labels as drawn (pyqtgraph TextItem items)."""
        self.label_places: list[tuple[Any, float, float]] = []
        """Each reference line label's share of the x range and level, placed last."""
        self.preferred: list[str] = []
        """The instruments the user last chose; each course shows those it has."""
        self.colours = ChartColours.from_palette(QPalette())  # set by apply_palette()
        self.pens: dict[tuple[int, float], Any] = {}
        self.brushes: dict[int, Any] = {}
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
        self.plot.setMinimumHeight(260)
        for name in ("left", "bottom"):
            # Unit-less axes never take an SI prefix (both start below 1 and end above
            # it), but with the prefix on, every range change re-laid out the label.
            self.plot.getAxis(name).enableAutoSIPrefix(False)
        self.axis_texts: dict[str, object] = {}
        """What each axis was last given (label and colour, ticks): unchanged is not re-set."""
        self._set_axis_label("left", self.tr("Total score"))
        self._make_pools()
        self._build()
        self.apply_palette()

    def _check(self, code: str) -> QCheckBox:
        box = QCheckBox(INSTRUMENTS[code].name)
        box.setAccessibleName(self.tr("Show {0} on the chart").format(INSTRUMENTS[code].name))
        box.toggled.connect(self._toggled)
        return box

    def changeEvent(self, event: QEvent) -> None:
        """The system (or View -> Theme) switched between light and dark: redraw in it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def apply_palette(self) -> None:
        """Colours from the palette in force; the plot and axes follow it."""
        colours = self.colours = ChartColours.from_palette(self.palette())
        for code, box in self.checks.items():
            colour = colours.widget_text[code].name()
            box.setStyleSheet(f"QCheckBox {{ color: {colour}; font-weight: bold; }}")
        self.plot.setBackground(colours.background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(colours.foreground)
            axis.setTextPen(colours.foreground)
        self.axis_texts.clear()  # the axes were re-coloured: set their texts again
        self._set_axis_label("left", self.tr("Total score"))
        self.redraw()

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
        sample = f"<b>X</b><br><small>{self._legend()}</small>"
        layout.addWidget(LabelBox(self.readout, sample))
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
    def _make_pools(self) -> None:
        """One pool per kind of chart item, made once and reused on every redraw."""
        plot = self.plot.plotItem
        self.pools: dict[str, ItemPool] = {
            "region": ItemPool(plot, _phase_region),
            "phase_label": ItemPool(plot, lambda: pg.TextItem("")),
            "sessions": ItemPool(plot, pg.ScatterPlotItem),
            "event": ItemPool(plot, _event_line),
            "level": ItemPool(plot, _level_line),
            "level_label": ItemPool(plot, _level_label),
            "curve": ItemPool(plot, pg.PlotDataItem),
            "points": ItemPool(plot, pg.ScatterPlotItem),
            "flags": ItemPool(plot, pg.ScatterPlotItem),
            "baseline": ItemPool(plot, lambda: pg.TextItem("", anchor=(-0.1, 1.2))),
            "grid": ItemPool(plot, _grid_line),
        }

    def make_items(self) -> None:
        """Make (hidden) the items a typical course needs, off the first switch's path."""
        for name, count in _TYPICAL_ITEMS.items():
            self.pools[name].reserve(count)

    def redraw(self) -> None:
        """Place the picture with the kept items: moved, re-fed and re-texted, never rebuilt."""
        for pool in self.pools.values():
            pool.start()
        self.drawn, self.drawn_lines, self.line_labels, self.label_places = {}, {}, [], []
        self.event_labels, self.event_lines, self.baseline_labels = [], [], []
        timeline, picture = self.timeline, self.picture
        if timeline is not None and picture is not None:
            self.axis.set_origin(self.by_date(), timeline.course.start_date)
            self._set_axis_label(
                "bottom", self.tr("Date") if self.by_date() else self.tr("Session")
            )
            top = self._top(picture)
            self._draw_phases(picture, top)
            self._draw_sessions(picture, top)
            self._draw_events(picture)
            for code in self.shown():
                self._draw_instrument(picture, code)
            self._draw_hidden_flags(picture, top)
            self._set_ranges(timeline, picture, top)
            self._place_level_labels()
            self._place_event_labels()
            self._show_readout()
        else:
            none = self.tr("No course selected.")
            self._set_readout(none, none)
        for pool in self.pools.values():
            pool.finish()
        self._settle_view()

    def _settle_view(self) -> None:
        """Bring the view's matrix and every item's position in line with the ranges now.

        Done inside the paint (pyqtgraph's default), it dirtied the scene again and the
        chart was painted twice per patient switch (p95 60 -> 46 ms at 22,481 patients).
        """
        self.plot.scene().prepareForPaint()

    def _place_event_labels(self) -> None:
        """Each event's label high on its line, or low where it would cross a "baseline N"
        label (an event at session 1 wrote over it; the PDF keeps them apart too)."""
        self._settle_view()  # the labels' places on screen follow the new ranges
        taken = [label.sceneBoundingRect() for label in self.baseline_labels]
        for line in self.event_lines:
            line.label.setPosition(EVENT_LABEL_HIGH)
            box = line.label.sceneBoundingRect()
            if any(box.intersects(other) for other in taken):
                line.label.setPosition(EVENT_LABEL_LOW)

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
        self.plot.setYRange(*_y_range(top), padding=0)
        self._draw_grid(top)

    def _draw_grid(self, top: int) -> None:
        """Score ticks every 5 (10 on a longer scale) with a faint line at each.

        Kept lines rather than the axis's own grid: pyqtgraph redraws that grid as
        filled polygons on every paint, the largest part of painting the chart.
        """
        step = 5 if top <= 30 else 10
        values = range(0, top + 1, step)
        if self.axis_texts.get("ticks") != values:  # new ticks re-lay out the axis
            self.axis_texts["ticks"] = values
            self.plot.getAxis("left").setTicks([[(v, str(v)) for v in values]])
        for value in values:
            line = self.pools["grid"].take()
            line.setPos(value)
            line.setPen(pg.mkPen(self.colours.grid, width=1))

    def _draw_phases(self, picture: CoursePicture, top: int) -> None:
        """Bands touch where one phase ends at the next one's first mark (as on paper);
        each spans the plot's whole height (the y range :meth:`_set_ranges` sets)."""
        pad = 0.5
        low, high = _y_range(top)
        for span in picture.phases:
            x0 = span.start.x(self.by_date()) - pad
            x1 = span.end.x(self.by_date()) + (pad if span.last else -pad)
            phase = span.phase.value
            region = self.pools["region"].take()
            region.setRect(QRectF(x0, low, x1 - x0, high - low))
            region.setBrush(pg.mkBrush(style.PHASE_COLOURS[phase]))
            label = self.pools["phase_label"].take()
            label.setText(term(span.phase.label).lower(), color=self.colours.muted)
            label.setPos(x0, top * 1.07)

    def _draw_sessions(self, picture: CoursePicture, top: int) -> None:
        if not picture.sessions:
            return
        markers = self.pools["sessions"].take()
        markers.setData(
            x=[pos.x(self.by_date()) for _, pos in picture.sessions],
            y=[-top * 0.04] * len(picture.sessions),
            data=[s for s, _ in picture.sessions],
            symbol="t1",
            size=9,
            pen=self._pen(self.colours.session),
            brush=self._brush(self.colours.session),
            hoverable=True,
            tip=lambda x, y, data: chart_data.session_tip(data),
        )

    def _draw_events(self, picture: CoursePicture) -> None:
        """One dashed line per place; events at the same place (two after one session,
        or on one day) share it and one label, so their words never overprint."""
        by_x: dict[float, list[EventMarker]] = {}
        for marker in picture.events:
            by_x.setdefault(marker.position.x(self.by_date()), []).append(marker)
        for x, markers in by_x.items():
            text = " · ".join(m.label for m in markers)
            line = self.pools["event"].take()
            line.setPos(x)
            line.setPen(pg.mkPen(self.colours.flag, width=1, style=Qt.PenStyle.DashLine))
            line.label.setColor(self.colours.flag)
            line.label.setFormat(text)
            self.event_lines.append(line)
            line.setToolTip(
                "\n".join(
                    f"{m.event.when:%Y-%m-%d} {m.label}: {m.event.description}" for m in markers
                )
            )
            self.event_labels.append(text)

    def _draw_instrument(self, picture: CoursePicture, code: str) -> None:
        series = picture.series.get(code)
        if series is None:
            return
        pts = chart_data.points(series, self.by_date())
        self.drawn[code] = pts
        colour = self.colours.instruments[code]
        self._draw_reference_lines(picture.reference_lines[code], code, colour)
        if not pts:
            return
        curve = self.pools["curve"].take()
        curve.setData([p.x for p in pts], [p.total for p in pts], pen=pg.mkPen(colour, width=2))
        self._feed_points(self.pools["points"].take(), pts, colour)
        self._draw_flags(pts, code)
        base = next((p for p in pts if p.is_baseline), None)
        if base is not None:
            label = self.pools["baseline"].take()
            label.setText(self.tr("baseline {0}").format(base.total), color=colour)
            label.setPos(base.x, base.total)
            self.baseline_labels.append(label)

    def _feed_points(self, scatter: Any, pts: list[chart_data.ChartPoint], colour: QColor) -> None:
        """One scatter fed arrays (one pen, two brushes), not a dict and a pen per point:
        at 300 sessions building per-point spots was most of a save's redraw. Tooltips
        are worded on hover, not for every point on every redraw."""
        filled, hollow = self._brush(colour), self._brush(self.colours.background)
        scatter.setData(
            x=[p.x for p in pts],
            y=[p.total for p in pts],
            data=pts,
            symbol=["s" if p.is_baseline else "o" for p in pts],
            size=[13 if p.is_baseline else 9 for p in pts],
            pen=self._pen(colour, width=2),
            brush=[hollow if p.prorated else filled for p in pts],
            hoverable=True,
            tip=lambda x, y, data: chart_data.point_tip(data),
        )
        scatter.setZValue(10)

    def _draw_flags(self, pts: list[chart_data.ChartPoint], code: str) -> None:
        flagged = [p for p in pts if p.flagged]
        if not flagged:
            return
        top = INSTRUMENTS[code].total_max
        spots = [
            {
                "pos": (p.x, p.total + top * 0.06),
                "data": chart_data.flag_tip(p.record),
                "brush": self._flag_brush(p.record.flag_open),
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
                "brush": self._flag_brush(f.open),
            }
            for f in hidden
        ]
        self._add_flag_markers(spots, size=12)

    def _flag_brush(self, is_open: bool) -> Any:
        return self._brush(self.colours.flag if is_open else self.colours.background)

    def _add_flag_markers(self, spots: list[dict[str, Any]], size: int) -> None:
        """Red triangles (filled = open) with their tooltip, above the lines."""
        flags = self.pools["flags"].take()
        flags.setData(
            spots=spots,
            symbol="t",
            size=size,
            pen=self._pen(self.colours.flag, width=2),
            hoverable=True,
            tip=lambda x, y, data: data,
        )
        flags.setZValue(12)

    def _draw_reference_lines(
        self, lines: tuple[ReferenceLine, ...], code: str, colour: QColor
    ) -> None:
        """The picture's lines, labelled with the instrument's name (several may be shown).

        Labels sit at the right end; a second instrument's labels sit mid-chart so the
        two sets do not print over each other. Each line is drawn behind the data and its
        label above it (on a light backing), so neither a point nor the series line hides
        what the level is.
        """
        name = INSTRUMENTS[code].name
        where = 0.98 if self.shown().index(code) % 2 == 0 else 0.5
        drawn = self.drawn_lines.setdefault(code, [])
        for line in lines:
            text = f"{name} {line.label}"
            pen_colour = self.colours.remission if line.kind == "remission" else colour
            level = self.pools["level"].take()
            level.setPos(line.value)
            level.setPen(pg.mkPen(pen_colour, width=1.2, style=_LINE_STYLES[line.kind]))
            label = self.pools["level_label"].take()
            label.setText(text, color=pen_colour)
            label.fill = pg.mkBrush(self.colours.label_backing)
            self.line_labels.append(label)
            self.label_places.append((label, where, line.value))
            drawn.append((text, line.value))

    def _place_level_labels(self) -> None:
        """Each reference line's label at its share of the x range, on its level."""
        (left, right), _ = self.plot.viewRange()
        for label, where, value in self.label_places:
            label.setPos(left + where * (right - left), value)

    def _show_readout(self) -> None:
        """The readout as seen (coloured names, the legend below) and, for screen
        readers, as its plain words."""
        if self.summary is None:
            self._set_readout("", "")
            return
        lines = self._readout_lines()
        html = "&nbsp;&nbsp;|&nbsp;&nbsp;".join(
            f"<b style='color:{self.colours.widget_text[code].name()}'>{name}</b> {escape(line)}"
            for code, name, line in lines
        )
        plain = " | ".join(f"{name} {line}" for _code, name, line in lines)
        none = self.tr("No scores yet.")
        self._set_readout((html or none) + f"<br><small>{self._legend()}</small>", plain or none)

    def _set_readout(self, html: str, plain: str) -> None:
        self.readout.setText(html)
        self.readout.setAccessibleDescription(plain)

    def _readout_lines(self) -> list[tuple[str, str, str]]:
        """(code, name, words) of each instrument shown that has a score."""
        assert self.summary is not None
        lines, phrases = [], words()
        for code in self.shown():
            found = self.summary.get(code)
            if found is None or found.most_recent is None:
                continue
            line = (
                texts.readout_text(found, phrases)
                if found.latest
                else texts.baseline_only_text(found, phrases)
            )
            lines.append((code, found.name, line))
        return lines

    def _legend(self) -> str:
        return self.tr(
            "○ hollow = prorated · ■ = baseline · "
            "<span style='color:{0}'>▲ along the axis = session</span> · "
            "<span style='color:{1}'>▼ = safety flag (filled = open)</span>"
        ).format(self.colours.muted.name(), self.colours.widget_flag.name())

    def _pen(self, colour: QColor, width: float = 1.0) -> Any:
        """One kept pen per colour and width for the markers.

        pyqtgraph renders each marker style once into a cache keyed by the pen's and
        brush's identity: a new pen per redraw rendered every marker again on each
        switch and save, and grew that cache without end (250 styles after 100
        redraws of a few courses, where a handful are used).
        """
        key = (colour.rgba(), width)
        found = self.pens.get(key)
        if found is None:
            found = self.pens[key] = pg.mkPen(colour, width=width)
        return found

    def _brush(self, colour: QColor) -> Any:
        """One kept brush per colour for the markers (see :meth:`_pen`)."""
        found = self.brushes.get(colour.rgba())
        if found is None:
            found = self.brushes[colour.rgba()] = pg.mkBrush(colour)
        return found

    def _set_axis_label(self, name: str, text: str) -> None:
        """The axis's title in the text colour, set only when it changes: setting it
        re-lays out the axis (its size, its tick texts) on the next paint."""
        colour = self.colours.foreground.name()
        if self.axis_texts.get(name) != (text, colour):
            self.axis_texts[name] = (text, colour)
            self.plot.setLabel(name, text, color=colour)
            # pyqtgraph centres the title only when the axis is resized: "Date" stayed
            # where the wider "Session" had been centred, off by a few pixels.
            self.plot.getAxis(name).resizeEvent(None)

    def point_count(self, code: str) -> int:
        """How many points of ``code`` are drawn (tests and scripts)."""
        return len(self.drawn.get(code, []))

    @staticmethod
    def colour_of(code: str) -> QColor:
        return QColor(style.INSTRUMENT_COLOURS[code])
