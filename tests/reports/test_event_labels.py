"""Events on the trajectory chart: two after the same session never print over each other."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from report_courses import GENERATED_AT, START, make_course
from report_text import page_texts
from reportlab.graphics.shapes import String
from reportlab.pdfbase.pdfmetrics import stringWidth
from test_charts import _chart, _shapes

from mbctracker.domain.course import CourseId, DropoutReason, EventId, EventKind
from mbctracker.domain.timeline import EventRecord
from mbctracker.presentation.layout import label_lanes
from mbctracker.reports import render_summary
from mbctracker.reports.charts import EVENT_SIZE
from mbctracker.reports.fonts import SANS


def _two_after_one_session():
    course = make_course(10)
    day = (START + timedelta(days=8)).date()  # between two infusions
    events = (
        EventRecord(EventId(1), CourseId(7), EventKind.ADVERSE_EVENT, day, description="BP"),
        EventRecord(
            EventId(2), CourseId(7), EventKind.DROPOUT, day, DropoutReason.SIDE_EFFECTS, ""
        ),
        EventRecord(
            EventId(3), CourseId(7), EventKind.ED_VISIT, day + timedelta(days=1), description=""
        ),
    )
    return replace(course, events=events)


def _boxes(course, code="PHQ9"):
    labels = {"Adverse event", "Dropout (Side effects)", "ED visit"}
    found = [s for s in _shapes(_chart(course, code), String) if s.text in labels]
    assert sorted(s.text for s in found) == sorted(labels)
    return [
        (s.x, s.y, s.x + stringWidth(s.text, SANS, EVENT_SIZE), s.y + EVENT_SIZE) for s in found
    ]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_event_labels_on_one_day_are_stacked_not_overprinted() -> None:
    boxes = _boxes(_two_after_one_session())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b), (a, b)


def test_event_labels_reach_the_pdf_text() -> None:
    text = " ".join(page_texts(render_summary(_two_after_one_session(), generated_at=GENERATED_AT)))
    assert "Dropout (Side effects)" in text


def test_label_lanes_reuse_a_row_once_it_is_free() -> None:
    assert label_lanes([(0, 10), (0, 10), (5, 8), (20, 30)]) == [0, 1, 2, 0]
    assert label_lanes([(20, 30), (0, 10)], gap=3) == [0, 0]
    assert label_lanes([]) == []
    assert label_lanes([(5, 9), (30, 40)], 1, taken=[(0, 12)]) == [1, 0]
    assert label_lanes([(0, 4), (2, 6)], taken=[(10, 20)]) == [0, 1]


def _with_event_on(course, day):
    event = EventRecord(EventId(1), CourseId(7), EventKind.ADVERSE_EVENT, day, description="BP")
    return replace(course, events=(event,))


def test_an_event_label_never_prints_over_a_phase_name() -> None:
    """Seen on a rendered summary: "Adverse event" over "Induction" at the chart's top.
    Every day of the course is tried, so the first day of each phase is among them."""
    course = make_course(10)
    names = {"Induction", "Follow-up", "Maintenance", "Continuation"}
    last = max(s.when for s in course.sessions).date()
    for offset in range((last - START.date()).days + 2):
        drawn = _shapes(
            _chart(_with_event_on(course, START.date() + timedelta(offset)), "PHQ9"), String
        )
        phases = [s for s in drawn if s.text in names]
        event = next(s for s in drawn if s.text == "Adverse event")
        assert phases
        for phase in phases:
            assert not _overlap(_box(phase), _box(event)), (offset, phase.text)


def _box(s: String) -> tuple[float, float, float, float]:
    return (s.x, s.y, s.x + stringWidth(s.text, SANS, s.fontSize), s.y + s.fontSize)
