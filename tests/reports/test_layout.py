"""Pages: long courses break with headers repeated; Letter or A4 from the settings."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from report_courses import GENERATED_AT, SETTINGS, make_course
from report_text import page_texts

from mbctracker.domain.errors import ValidationError
from mbctracker.domain.timeline import CourseTimeline
from mbctracker.reports import render_summary

ASSESSMENTS_HEADER = "Date Session Phase PHQ-9 GAD-7 MADRS CGI-S"
SESSIONS_HEADER = "Date # Phase Dose / parameters BP before BP peak BP after Side effects As-needed"


def test_sixty_sessions_paginate_with_headers_repeated(pdf60: bytes) -> None:
    pages = page_texts(pdf60)
    assert len(pages) >= 5
    with_assessments = [n for n, text in enumerate(pages) if ASSESSMENTS_HEADER in text]
    with_sessions = [n for n, text in enumerate(pages) if SESSIONS_HEADER in text]
    assert len(with_assessments) >= 2, "assessment table header not repeated"
    assert len(with_sessions) >= 2, "session table header not repeated"
    for number in with_sessions[1:]:
        # a continued page starts its table with the header, right under the running header
        body = pages[number].split("by law.", 1)[1]
        assert body.lstrip().startswith(SESSIONS_HEADER)


def test_every_session_of_sixty_is_printed_once(pdf60: bytes, course60: CourseTimeline) -> None:
    text = " ".join(page_texts(pdf60))
    for session in course60.sessions:
        row = f"{session.when.date()} {session.number} {session.phase.label} Dose"
        assert text.count(row) == 1, row


def _page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_letter_by_default(pdf10: bytes) -> None:
    assert _page_size(pdf10) == (612, 792)


def test_a4_from_settings(course10: CourseTimeline) -> None:
    a4 = replace(SETTINGS, page_size="a4")
    pdf = render_summary(course10, generated_at=GENERATED_AT, settings=a4)
    assert _page_size(pdf) == (595, 842)
    assert "Page 1 of" in page_texts(pdf)[0]


def test_clinic_settings_name_the_clinic_but_course_keeps_its_thresholds(
    course10: CourseTimeline,
) -> None:
    clinic = replace(SETTINGS.with_madrs_remission(12), clinic_name="Harbour Clinic")
    text = " ".join(
        page_texts(render_summary(course10, generated_at=GENERATED_AT, settings=clinic))
    )
    assert "Harbour Clinic" in text
    assert "MADRS \u2264 10" in text  # the thresholds in force for this course


def test_unknown_page_size_is_a_clear_error(course10: CourseTimeline) -> None:
    with pytest.raises(ValidationError, match="Page size 'legal' is unknown; use letter, a4"):
        render_summary(
            course10, generated_at=GENERATED_AT, settings=replace(SETTINGS, page_size="legal")
        )


def test_empty_course_still_prints() -> None:
    """A course just started: no sessions, no assessments, no events."""
    course = make_course(10)
    empty = replace(course, sessions=(), assessments=(), events=())
    text = " ".join(page_texts(render_summary(empty, generated_at=GENERATED_AT)))
    assert "No assessments recorded in this course." in text
    assert "No sessions recorded." in text
    assert "No safety flags" in text
    assert "No hospitalizations, ED visits, adverse events or dropout recorded." in text
    assert "Clinician signature" in text
