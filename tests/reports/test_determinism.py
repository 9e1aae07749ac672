"""Same course and generated_at, same bytes: summaries can be diffed and tests can pin them."""

from __future__ import annotations

from datetime import timedelta

from report_courses import GENERATED_AT, make_course

from mbctracker.domain.timeline import CourseTimeline
from mbctracker.reports import render_summary


def test_two_renders_are_byte_identical(course60: CourseTimeline, pdf60: bytes) -> None:
    again = render_summary(course60, generated_at=GENERATED_AT)
    assert again == pdf60


def test_a_fresh_timeline_gives_the_same_bytes(pdf10: bytes) -> None:
    assert render_summary(make_course(10), generated_at=GENERATED_AT) == pdf10


def test_generated_at_is_what_changes_the_bytes(course10: CourseTimeline, pdf10: bytes) -> None:
    later = render_summary(course10, generated_at=GENERATED_AT + timedelta(minutes=1))
    assert later != pdf10
