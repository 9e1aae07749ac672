"""Fixtures for the PDF summary tests: synthetic courses and their rendered text."""

from __future__ import annotations

import pytest
from report_courses import GENERATED_AT, make_course
from report_text import page_texts

from mbctracker.domain.timeline import CourseTimeline
from mbctracker.reports import render_summary


@pytest.fixture(scope="session")
def course10() -> CourseTimeline:
    return make_course(10)


@pytest.fixture(scope="session")
def course60() -> CourseTimeline:
    return make_course(60)


@pytest.fixture(scope="session")
def pdf10(course10: CourseTimeline) -> bytes:
    return render_summary(course10, generated_at=GENERATED_AT)


@pytest.fixture(scope="session")
def pdf60(course60: CourseTimeline) -> bytes:
    return render_summary(course60, generated_at=GENERATED_AT)


@pytest.fixture(scope="session", params=["10", "60"])
def rendered(
    request: pytest.FixtureRequest, course10: CourseTimeline, course60: CourseTimeline
) -> tuple[CourseTimeline, list[str]]:
    """Both course lengths with their page texts, for checks that must hold for each."""
    timeline = course10 if request.param == "10" else course60
    pdf = render_summary(timeline, generated_at=GENERATED_AT)
    return timeline, page_texts(pdf)
