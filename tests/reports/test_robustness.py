"""Records a real clinic produces that the happy path does not: invalid scores, other
modalities, very long free text, very long names."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from report_courses import GENERATED_AT, SETTINGS, make_course
from report_text import page_texts

from mbctracker.domain.course import AssessmentId, Modality, Timepoint
from mbctracker.domain.scoring import score
from mbctracker.domain.timeline import AssessmentRecord, CourseTimeline
from mbctracker.reports import render_summary


def _text(timeline: CourseTimeline) -> str:
    return " ".join(page_texts(render_summary(timeline, generated_at=GENERATED_AT)))


def test_invalid_score_with_unanswered_item9_is_flagged_not_totalled(
    course10: CourseTimeline,
) -> None:
    when = course10.assessments[-1].when + timedelta(days=2)
    invalid = AssessmentRecord(
        id=AssessmentId(999),
        course_id=course10.course.id,
        instrument="PHQ9",
        when=when,
        timepoint=Timepoint.FOLLOW_UP,
        score=score("PHQ9", [None, None, None, 1, 1, 1, 1, 1, None], SETTINGS),
    )
    assert not invalid.score.valid and invalid.score.safety_reason == "unanswered"
    text = _text(replace(course10, assessments=(*course10.assessments, invalid)))
    # the phase column reads the dated phase changes: follow-up, not a dash
    assert f"{when.date()} Follow-up Follow-up invalid \u25b2" in text
    assert "Item 9 (Self-harm thoughts) unanswered \u25b2 Tier 1: same-day clinician review" in text
    assert text.count("NO ACTION RECORDED") == 2


def test_tms_sessions_show_tms_parameters_and_no_blood_pressure(course10: CourseTimeline) -> None:
    details = {
        "protocol": "iTBS",
        "target": "L-DLPFC",
        "motor_threshold": 45.0,
        "percent_mt": 120.0,
        "pulses": 600,
    }
    sessions = tuple(replace(s, details=details) for s in course10.sessions)
    tms = replace(
        course10,
        course=replace(course10.course, modality=Modality.TMS),
        sessions=sessions,
    )
    text = _text(tms)
    assert (
        "Protocol iTBS; Target L-DLPFC; Motor threshold 45 % output; Intensity 120 % MT; " in text
    )
    assert "Pulses 600" in text
    assert "BP before" not in text
    assert "TMS \u00b7 course 2026-01-05" in text


def test_unknown_detail_keys_are_printed_not_dropped(course10: CourseTimeline) -> None:
    first = replace(course10.sessions[0], details={**course10.sessions[0].details, "lot": "K-17"})
    text = _text(replace(course10, sessions=(first, *course10.sessions[1:])))
    assert "Infusion duration 40 min; lot K-17" in text


def test_free_text_longer_than_a_page_splits_instead_of_failing() -> None:
    course = make_course(10)
    long_event = replace(course.events[0], description="Long note. " * 600)
    pages = page_texts(
        render_summary(
            replace(course, events=(long_event, *course.events[1:])), generated_at=GENERATED_AT
        )
    )
    assert len(pages) >= 4
    words = " ".join(pages).split()
    assert (words.count("Long"), words.count("note.")) == (600, 600)  # a row may split mid-phrase


def test_very_long_names_shrink_to_fit_the_header() -> None:
    name = "Maria Fernanda de los Ángeles Rodríguez-Hernández y Castillo-Villanueva"
    pages = page_texts(render_summary(make_course(10, name=name), generated_at=GENERATED_AT))
    assert all(name in page and "MRN 004217" in page for page in pages)


def test_markup_characters_in_free_text_are_printed_literally(course10: CourseTimeline) -> None:
    event = replace(course10.events[0], description="BP <160/100> & HR 110 </para>")
    text = _text(replace(course10, events=(event, *course10.events[1:])))
    assert "BP <160/100> & HR 110 </para>" in text
