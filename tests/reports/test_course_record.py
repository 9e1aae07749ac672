"""The payer-letter record, session notes and confirmed warnings on paper, read back."""

from __future__ import annotations

from dataclasses import replace

from report_courses import GENERATED_AT, make_course
from report_text import page_texts

from mbctracker.domain.limits import NOTES_MAX, PlausibilityWarning
from mbctracker.domain.timeline import CourseRecord, CourseTimeline
from mbctracker.reports import render_summary

RECORD = CourseRecord(
    diagnosis="F33.2 Major depressive disorder, recurrent, severe without psychotic features",
    current_medications="Sertraline 150 mg daily\nLamotrigine 100 mg daily",
    prior_treatments="Escitalopram 20 mg, 10 weeks: no response\n"
    "Bupropion XL 300 mg, 8 weeks: partial response\nAugmentation with aripiprazole 5 mg",
    prescriber="Dr. A. Synthetic, MD",
)
WARNING = PlausibilityWarning(
    "outside_plausible_range",
    "dose_mg_per_kg",
    "Dose of 3 mg/kg is unusual (plausible 0.2-2 mg/kg)",
)


def _with(timeline: CourseTimeline, record: CourseRecord, notes: str = "") -> CourseTimeline:
    """The course with a record, its third session warned and noted."""
    sessions = list(timeline.sessions)
    sessions[2] = replace(sessions[2], warnings=(WARNING,), notes=notes or "Felt floaty, resolved")
    course = replace(timeline.course, record=record, threshold_change_reason="payer definition")
    return replace(timeline, course=course, sessions=tuple(sessions))


def test_the_record_notes_and_warnings_are_printed() -> None:
    timeline = _with(make_course(10), RECORD)
    pages = page_texts(render_summary(timeline, generated_at=GENERATED_AT))
    first, text = pages[0], " ".join(pages)
    assert "Diagnosis and treatment history" in first
    assert "F33.2 Major depressive disorder, recurrent, severe without psychotic features" in first
    assert "Sertraline 150 mg daily Lamotrigine 100 mg daily" in first
    assert "Bupropion XL 300 mg, 8 weeks: partial response" in first
    assert "Dr. A. Synthetic, MD" in first
    assert "after the course started: payer definition" in first
    number = timeline.sessions[2].number
    assert f"⚠ 1 session(s) saved with unusual values confirmed at save (session {number};" in first
    assert f"{number} ⚠" in text  # the sessions table marks it
    assert "⚠ Dose of 3 mg/kg is unusual (plausible 0.2-2 mg/kg) Felt floaty, resolved" in text


def test_an_empty_record_says_not_recorded_instead_of_a_blank() -> None:
    pages = page_texts(render_summary(make_course(10), generated_at=GENERATED_AT))
    assert "Diagnosis not recorded Prescriber not recorded" in pages[0]
    assert "Session notes and confirmed warnings" not in " ".join(pages)


def test_hostile_record_text_prints_escaped_and_clipped() -> None:
    hostile = CourseRecord(
        diagnosis="<b>F32.9</b> & 抑郁症",
        current_medications="x" * (NOTES_MAX + 5_000),  # an old or tampered row
        prescriber="Dr. O'Brien <script>",
    )
    timeline = _with(make_course(10), hostile, notes="line one\nline two & <i>three</i>")
    text = " ".join(page_texts(render_summary(timeline, generated_at=GENERATED_AT)))
    assert "<b>F32.9</b> & 抑郁症" in text
    assert "Dr. O'Brien <script>" in text
    assert "(truncated, 15,000 characters)" in text
    assert "line one line two & <i>three</i>" in text
