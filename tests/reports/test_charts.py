"""Trajectory charts: what is drawn, checked on the drawing before it becomes a PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from report_courses import SETTINGS, make_course
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, String
from reportlab.lib import colors

from mbctracker.domain.course import Phase
from mbctracker.domain.timeline import CourseTimeline, summarize
from mbctracker.presentation import phase_spans
from mbctracker.reports.charts import (
    PARTIAL_DASH,
    REMISSION_DASH,
    RESPONSE_DASH,
    date_ticks,
    trajectory_chart,
)


def _chart(timeline: CourseTimeline, code: str) -> Drawing:
    item = summarize(timeline).get(code)
    assert item is not None
    return trajectory_chart(timeline, item, 500, 150)


def _walk(node: Group) -> Iterator[Any]:
    for child in node.getContents():
        yield child
        if isinstance(child, Group):
            yield from _walk(child)


def _shapes(drawing: Drawing, kind: type) -> list[Any]:
    return [s for s in _walk(drawing) if isinstance(s, kind)]


def _texts(drawing: Drawing) -> list[str]:
    return [s.text for s in _shapes(drawing, String)]


def test_flags_are_triangles_one_per_flag_plus_legend(course10: CourseTimeline) -> None:
    for code in ("PHQ9", "MADRS"):
        drawing = _chart(course10, code)
        flags = [a for a in course10.of(code) if a.score.safety_flag]
        assert flags
        assert len(_shapes(drawing, Polygon)) == len(flags) + 1  # + the legend's key
        assert "safety flag" in _texts(drawing)


def test_prorated_points_are_hollow(course10: CourseTimeline) -> None:
    drawing = _chart(course10, "PHQ9")
    hollow = [c for c in _shapes(drawing, Circle) if c.fillColor == colors.white]
    prorated = [a for a in course10.of("PHQ9") if a.score.prorated]
    assert len(hollow) == len(prorated) + 1  # + the legend's key
    assert "prorated" in _texts(drawing)


def test_reference_lines_use_distinct_dash_patterns(course10: CourseTimeline) -> None:
    """Remission, response (50% of baseline) and partial (75%) tell apart in black and white."""
    drawing = _chart(course10, "PHQ9")
    dashes = [
        tuple(line.strokeDashArray) for line in _shapes(drawing, Line) if line.strokeDashArray
    ]
    for pattern in (REMISSION_DASH, RESPONSE_DASH, PARTIAL_DASH):
        assert dashes.count(tuple(pattern)) == 2  # the line and its legend key
    texts = _texts(drawing)
    assert "remission \u2264 4" in texts
    assert "response \u2264 9.5 (50% of baseline)" in texts  # baseline 19
    assert "partial \u2264 14.25 (75% of baseline)" in texts


def test_remission_line_follows_the_course_settings() -> None:
    course = make_course(10, settings=SETTINGS.with_madrs_remission(12))
    assert "remission \u2264 12" in _texts(_chart(course, "MADRS"))


def test_cgis_has_no_percent_lines(course10: CourseTimeline) -> None:
    texts = _texts(_chart(course10, "CGIS"))
    assert not any(t.startswith(("remission", "response", "partial")) for t in texts)


def test_phases_are_shaded_and_named(course60: CourseTimeline) -> None:
    spans = phase_spans(course60)
    assert [span.phase for span in spans] == [
        Phase.INDUCTION,
        Phase.CONTINUATION,
        Phase.MAINTENANCE,
        Phase.FOLLOW_UP,
    ]
    texts = _texts(_chart(course60, "PHQ9"))
    assert "Continuation" in texts and "Maintenance" in texts


def test_date_ticks_days_for_short_courses_months_for_long() -> None:
    short = date_ticks(datetime(2026, 1, 1), datetime(2026, 2, 20))
    assert [label for _, label in short][:2] == ["2 Jan", "9 Jan"]
    long = date_ticks(datetime(2026, 1, 1), datetime(2028, 1, 10))
    assert [label for _, label in long][:3] == ["Apr 2026", "Jul 2026", "Oct 2026"]
    assert len(long) <= 9
