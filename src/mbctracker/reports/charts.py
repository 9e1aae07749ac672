"""Vector trajectory charts drawn with reportlab.graphics (no Qt, prints sharp).

Summaries are photocopied and faxed, so nothing relies on colour alone: the
reference lines differ by dash pattern, prorated totals are hollow markers,
safety flags are triangles, phases are grey bands with their names written in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..domain.course import Phase
from ..domain.instruments import INSTRUMENTS
from ..domain.timeline import CourseTimeline, InstrumentSummary
from ..presentation import EventMarker, PhaseSpan, ReferenceLine, Series, course_picture
from ..presentation.layout import label_lanes
from . import fmt
from .fonts import SANS, SANS_BOLD, register_fonts

SERIES = colors.Color(0.10, 0.20, 0.50)
FLAG = colors.Color(0.80, 0.10, 0.10)
EVENT_DASH = [2.0, 1.5]
EVENT_SIZE = 6.0
PHASE_FILL = {
    Phase.INDUCTION: colors.Color(0.93, 0.93, 0.93),
    Phase.CONTINUATION: colors.Color(0.86, 0.86, 0.86),
    Phase.MAINTENANCE: colors.Color(0.80, 0.80, 0.80),
    Phase.FOLLOW_UP: colors.Color(0.90, 0.90, 0.90),
}
REMISSION_DASH = [5.0, 2.0]
RESPONSE_DASH = [1.0, 2.0]
PARTIAL_DASH = [6.0, 2.0, 1.0, 2.0]
DASHES = {"remission": REMISSION_DASH, "response": RESPONSE_DASH, "partial": PARTIAL_DASH}
_LEFT, _RIGHT, _BOTTOM, _TOP = 26.0, 6.0, 30.0, 16.0


@dataclass(frozen=True, slots=True)
class Frame:
    """Maps course time and score to points inside the plot area."""

    x0: float
    x1: float
    y0: float
    y1: float
    start: datetime
    end: datetime
    low: int
    high: int

    def x(self, when: datetime) -> float:
        span = (self.end - self.start).total_seconds()
        return self.x0 + (when - self.start).total_seconds() / span * (self.x1 - self.x0)

    def y(self, value: float) -> float:
        return self.y0 + (value - self.low) / (self.high - self.low) * (self.y1 - self.y0)


def trajectory_chart(
    timeline: CourseTimeline, summary: InstrumentSummary, width: float, height: float
) -> Drawing:
    """One instrument's course: totals over time with the lines a clinician judges by.

    What is drawn comes from :func:`mbctracker.presentation.course_picture`, the
    same picture the screen chart draws; this function only places it on paper.
    """
    register_fonts()
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS  # the renderer would otherwise select Helvetica (not embedded)
    picture = course_picture(timeline)
    code = summary.instrument
    frame = _frame(timeline, code, width, height)
    _phases(drawing, frame, picture.phases)
    _axes(drawing, frame, timeline)
    _phase_labels(drawing, frame, picture.phases)
    lines = picture.reference_lines.get(code, ())
    for line in lines:
        _hline(drawing, frame, line.value, DASHES[line.kind])
    _events(drawing, frame, picture.events, _phase_names(frame, picture.phases))
    drawn = picture.series[code]
    _series(drawing, frame, drawn)
    _title(drawing, frame, summary)
    _legend(drawing, width, lines, drawn)
    return drawing


def _time_span(timeline: CourseTimeline) -> tuple[datetime, datetime]:
    """Course start to the last record, padded so the first and last points are not on edges."""
    times = [a.when for a in timeline.assessments] + [s.when for s in timeline.sessions]
    times += [datetime.combine(e.when, datetime.min.time()) for e in timeline.events]
    start_day = datetime.combine(timeline.course.start_date, datetime.min.time())
    first = min([*times, start_day])
    last = max(times, default=first)
    pad = max((last - first) / 40, timedelta(hours=12))
    return first - pad, last + pad


def _frame(timeline: CourseTimeline, code: str, width: float, height: float) -> Frame:
    inst = INSTRUMENTS[code]
    start, end = _time_span(timeline)
    return Frame(
        _LEFT,
        width - _RIGHT,
        _BOTTOM,
        height - _TOP,
        start,
        end,
        inst.total_min,
        inst.total_max,
    )


def _phase_boxes(frame: Frame, spans: Sequence[PhaseSpan]) -> list[tuple[Phase, float, float]]:
    """Each phase's left and right edge; the first and last reach the plot's edges."""
    boxes = []
    for index, span in enumerate(spans):
        left = frame.x0 if index == 0 else frame.x(span.start.when)
        right = frame.x1 if span.last else frame.x(span.end.when)
        boxes.append((span.phase, left, right))
    return boxes


def _phases(drawing: Drawing, frame: Frame, spans: Sequence[PhaseSpan]) -> None:
    for phase, left, right in _phase_boxes(frame, spans):
        drawing.add(
            Rect(
                left,
                frame.y0,
                right - left,
                frame.y1 - frame.y0,
                fillColor=PHASE_FILL[phase],
                strokeColor=None,
            )
        )


def _phase_labels(drawing: Drawing, frame: Frame, spans: Sequence[PhaseSpan]) -> None:
    """Names written in each band (initial only when narrow), on top of the grid."""
    for label, left, _right in _phase_names(frame, spans):
        drawing.add(
            String(
                left,
                frame.y1 - 7,
                label,
                fontName=SANS,
                fontSize=6,
                fillColor=colors.Color(0.2, 0.2, 0.2),
            )
        )


def _phase_names(frame: Frame, spans: Sequence[PhaseSpan]) -> list[tuple[str, float, float]]:
    """Each band's name (or initial) that fits, with its left and right edge on paper."""
    names = []
    for phase, left, right in _phase_boxes(frame, spans):
        label = phase.label
        if stringWidth(label, SANS, 6) + 4 > right - left:
            label = label[0]
        width = float(stringWidth(label, SANS, 6))
        if width + 3 <= right - left:
            names.append((label, left + 2, left + 2 + width))
    return names


def _y_step(low: int, high: int) -> int:
    span = high - low
    return 1 if span <= 10 else 5 if span <= 30 else 10


def _axes(drawing: Drawing, frame: Frame, timeline: CourseTimeline) -> None:
    grey = colors.Color(0.55, 0.55, 0.55)
    step = _y_step(frame.low, frame.high)
    values = list(range(frame.low, frame.high + 1, step))
    if frame.high - values[-1] >= step * 0.6:
        values.append(frame.high)  # the scale's maximum, unless it would crowd the last tick
    for value in values:
        y = frame.y(value)
        drawing.add(Line(frame.x0, y, frame.x1, y, strokeColor=colors.white, strokeWidth=0.4))
        drawing.add(
            String(frame.x0 - 3, y - 2.2, str(value), fontName=SANS, fontSize=6.5, textAnchor="end")
        )
    drawing.add(
        Rect(
            frame.x0,
            frame.y0,
            frame.x1 - frame.x0,
            frame.y1 - frame.y0,
            fillColor=None,
            strokeColor=grey,
            strokeWidth=0.5,
        )
    )
    for tick, label in date_ticks(frame.start, frame.end):
        x = frame.x(tick)
        drawing.add(Line(x, frame.y0, x, frame.y0 - 3, strokeColor=grey, strokeWidth=0.5))
        drawing.add(
            String(
                x,
                frame.y0 - 10,
                label,
                fontName=SANS,
                fontSize=6.5,
                textAnchor="middle",
            )
        )
    for session in timeline.sessions:
        x = frame.x(session.when)
        drawing.add(Line(x, frame.y0, x, frame.y0 + 3, strokeColor=colors.black, strokeWidth=0.6))


def date_ticks(start: datetime, end: datetime, most: int = 9) -> list[tuple[datetime, str]]:
    """Axis ticks with labels: days ("4 Mar") for short courses, months ("Mar 2026") for long."""
    days = max((end - start).days, 1)
    step = next((s for s in (1, 2, 7, 14) if days / s <= most), None)
    if step is not None:
        tick = datetime.combine(start.date() + timedelta(days=1), datetime.min.time())
        ticks: list[tuple[datetime, str]] = []
        while tick <= end:
            ticks.append((tick, fmt.short_day(tick.date())))
            tick += timedelta(days=step)
        return ticks
    months = next((m for m in (1, 2, 3, 6, 12) if days / (30.4 * m) <= most), 24)
    return _month_ticks(start, end, months)


def _month_ticks(start: datetime, end: datetime, months: int) -> list[tuple[datetime, str]]:
    index = start.year * 12 + start.month  # the month after start's month (0-based + 1)
    ticks: list[tuple[datetime, str]] = []
    while True:
        year, month0 = divmod(index, 12)
        tick = datetime(year, month0 + 1, 1)
        if tick > end:
            return ticks
        if month0 % months == 0:
            ticks.append((tick, f"{fmt.MONTHS[month0]} {year}"))
        index += 1


def _hline(drawing: Drawing, frame: Frame, value: float, dash: list[float]) -> None:
    y = frame.y(value)
    drawing.add(
        Line(
            frame.x0,
            y,
            frame.x1,
            y,
            strokeColor=colors.black,
            strokeWidth=0.8,
            strokeDashArray=dash,
        )
    )


def _events(
    drawing: Drawing,
    frame: Frame,
    markers: Sequence[EventMarker],
    phase_names: Sequence[tuple[str, float, float]],
) -> None:
    """Dashed lines at each event's day, labels along the top in as many rows as needed
    so two events on one day (or close together), or an event and a phase's name,
    never print over each other."""
    xs = [min(max(frame.x(m.position.when), frame.x0), frame.x1) for m in markers]
    spans = [_event_span(frame, x, m.label) for x, m in zip(xs, markers, strict=True)]
    for x, marker, lane, (left, _right) in zip(
        xs,
        markers,
        label_lanes(spans, 3.0, [(a, b) for _, a, b in phase_names]),
        spans,
        strict=True,
    ):
        drawing.add(
            Line(
                x,
                frame.y0,
                x,
                frame.y1,
                strokeColor=FLAG,
                strokeWidth=0.6,
                strokeDashArray=EVENT_DASH,
            )
        )
        y = frame.y1 - EVENT_SIZE - 1 - lane * (EVENT_SIZE + 1.5)
        drawing.add(
            String(left, y, marker.label, fontName=SANS, fontSize=EVENT_SIZE, fillColor=FLAG)
        )


def _event_span(frame: Frame, x: float, label: str) -> tuple[float, float]:
    """Left to right of an event label: after its line, or before it near the right edge."""
    width = float(stringWidth(label, SANS, EVENT_SIZE))
    left = x + 1.5 if x + 1.5 + width <= frame.x1 else x - 1.5 - width
    return left, left + width


def _series(drawing: Drawing, frame: Frame, series: Series) -> None:
    points = [(frame.x(p.position.when), frame.y(p.total)) for p in series.points]
    if len(points) > 1:
        flat = [c for point in points for c in point]
        drawing.add(PolyLine(flat, strokeColor=SERIES, strokeWidth=1.2))
    for point, (x, y) in zip(series.points, points, strict=True):
        _marker(drawing, x, y, hollow=point.prorated)
    for flag in series.flags:
        y = frame.y(flag.total) if flag.total is not None else frame.y1 - 9
        _flag(drawing, frame.x(flag.position.when), min(y + 4, frame.y1 - 7))


def _marker(drawing: Group, x: float, y: float, *, hollow: bool) -> None:
    fill = colors.white if hollow else SERIES
    drawing.add(Circle(x, y, 2.4, fillColor=fill, strokeColor=SERIES, strokeWidth=0.9))


def _flag(drawing: Group, x: float, y: float, size: float = 3.6) -> None:
    drawing.add(
        Polygon(
            [x - size, y, x + size, y, x, y + size * 1.7],
            fillColor=FLAG,
            strokeColor=colors.black,
            strokeWidth=0.5,
        )
    )


def _title(drawing: Drawing, frame: Frame, summary: InstrumentSummary) -> None:
    inst = INSTRUMENTS[summary.instrument]
    drawing.add(String(frame.x0, frame.y1 + 4, inst.name, fontName=SANS_BOLD, fontSize=9))
    note = f"total {inst.total_min}\u2013{inst.total_max}, lower is better"
    drawing.add(String(frame.x1, frame.y1 + 4, note, fontName=SANS, fontSize=6.5, textAnchor="end"))


def _legend(
    drawing: Drawing,
    width: float,
    lines: Sequence[ReferenceLine],
    series: Series,
) -> None:
    """Key along the bottom; only what this chart shows, so it never lies.

    Drawn at its natural size, then scaled down as a whole if the page is too
    narrow (A4, or long threshold labels), rather than running off the edge.
    """
    key = Group()
    y, x = 4.0, 0.0
    x = _key_marker(key, x, y, "total", hollow=False)
    if series.any_prorated:
        x = _key_marker(key, x, y, "prorated", hollow=True)
    if series.flags:
        _flag(key, x + 4, y - 1, size=3)
        x = _key_text(key, x + 10, y, "safety flag")
    key.add(Line(x, y + 2, x, y + 6, strokeColor=colors.black, strokeWidth=0.6))
    x = _key_text(key, x + 4, y, "session")
    for line in lines:
        dash = DASHES[line.kind]
        key.add(
            Line(
                x,
                y + 2,
                x + 16,
                y + 2,
                strokeColor=colors.black,
                strokeWidth=0.8,
                strokeDashArray=dash,
            )
        )
        x = _key_text(key, x + 19, y, line.label)
    room = width - _RIGHT - _LEFT
    factor = min(1.0, room / (x - 9))
    key.transform = (factor, 0, 0, factor, _LEFT, 0)
    drawing.add(key)


def _key_marker(drawing: Group, x: float, y: float, label: str, *, hollow: bool) -> float:
    _marker(drawing, x + 3, y + 2, hollow=hollow)
    return _key_text(drawing, x + 8, y, label)


def _key_text(drawing: Group, x: float, y: float, label: str) -> float:
    drawing.add(String(x, y, label, fontName=SANS, fontSize=6.5))
    return x + float(stringWidth(label, SANS, 6.5)) + 9
