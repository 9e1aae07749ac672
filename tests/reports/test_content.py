"""The printed text, read back with pypdf, says what the record and summarize() say."""

from __future__ import annotations

import re

from report_courses import GENERATED_AT, SETTINGS, make_course
from report_text import page_texts

from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.timeline import AssessmentRecord, CourseTimeline, summarize
from mbctracker.reports import render_summary
from mbctracker.reports.tables import occasions

Rendered = tuple[CourseTimeline, list[str]]


def _cell(record: AssessmentRecord) -> str:
    score = record.score
    text = f"{score.total}{'*' if score.prorated else ''} {score.severity}"
    return text + (" \u25b2" if score.safety_flag else "")


def test_every_assessment_row_is_printed_with_its_totals(rendered: Rendered) -> None:
    timeline, pages = rendered
    text = " ".join(pages)
    codes = [c for c in INSTRUMENTS if timeline.of(c)]
    for group in occasions(timeline):
        first = group[0]
        session = f"#{first.session_number}" if first.session_number else first.timepoint.label
        phase = first.phase.label if first.phase else "\u2014"
        cells = [
            "; ".join(_cell(r) for r in group if r.instrument == code) or "\u2014" for code in codes
        ]
        row = " ".join([first.when.date().isoformat(), session, phase, *cells])
        assert row in text, row


def test_every_valid_total_appears(rendered: Rendered) -> None:
    """Independent of the row layout: each printed total, prorated ones starred."""
    timeline, pages = rendered
    text = " ".join(pages)
    for record in timeline.assessments:
        assert f"{record.score.display_total} {record.score.severity}" in text


def test_prorated_totals_are_starred_and_explained(pdf10: bytes, course10: CourseTimeline) -> None:
    text = " ".join(page_texts(pdf10))
    prorated = [a for a in course10.assessments if a.score.prorated]
    assert len(prorated) >= 3
    for record in prorated:
        assert f"{record.score.total}* {record.score.severity}" in text
    assert "* prorated total" in text
    assert "rounded half up" in text


def test_glance_matches_summarize(rendered: Rendered) -> None:
    timeline, pages = rendered
    text = " ".join(pages)
    summary = summarize(timeline)
    assert f"Sessions {summary.sessions_done} of {summary.planned_sessions} planned" in text
    for item in summary.instruments:
        assert item.baseline is not None and item.latest is not None
        change = item.change
        base = f"{item.baseline.score.display_total} {item.baseline.score.severity}"
        latest = f"{item.latest.score.display_total} {item.latest.score.severity}"
        start = f"{item.name} {base} \u00b7 {item.baseline.when.date()} {latest}"
        assert start in text
        if item.instrument == "CGIS":
            continue  # ordinal: points only, checked below
        assert change.percent_change is not None and change.points_change is not None
        expected = f"{change.percent_change:.1f}% ({change.points_change} pts better)"
        assert f"{latest} \u00b7 {item.latest.when.date()} {expected}" in text


def test_percent_change_printed_per_instrument(pdf10: bytes, course10: CourseTimeline) -> None:
    """The exact figures, hand-checked once: (19 - 3) / 19 = 84.2%, (33 - 10) / 33 = 69.7%."""
    text = " ".join(page_texts(pdf10))
    summary = summarize(course10)
    phq9 = summary.get("PHQ9")
    madrs = summary.get("MADRS")
    assert phq9 is not None and madrs is not None
    assert (phq9.change.baseline_total, phq9.change.current_total) == (19, 3)
    assert "84.2% (16 pts better) Response Yes Improvement" in text
    assert (madrs.change.baseline_total, madrs.change.current_total) == (33, 10)
    assert "69.7% (23 pts better) Response Yes No standard value" in text
    assert "4 pts better n/a (ordinal scale)" in text  # CGI-S 6 -> 2


def test_every_flag_is_listed_with_its_action_or_no_action(rendered: Rendered) -> None:
    timeline, pages = rendered
    text = " ".join(pages)
    assert text.count("NO ACTION RECORDED") == len(timeline.open_flags) == 1
    for record in timeline.flags:
        inst = INSTRUMENTS[record.instrument]
        value = record.score.responses[(inst.safety_item or 0) - 1]
        assert f"{record.when.date()} {inst.name} Item {inst.safety_item}" in text
        assert f"= {value} \u25b2" in text
        for action in record.actions:
            assert f"{action.when:%Y-%m-%d %H:%M} {action.kind.label}" in text
    assert "1 open safety flag(s): no action recorded yet" in text


def test_safety_item_history_is_shown(pdf10: bytes) -> None:
    text = " ".join(page_texts(pdf10))
    assert "PHQ-9 item 9 over time: 2026-01-02: 0" in text
    assert "2026-01-08: 1" in text and "2026-01-19: 2" in text


def test_sessions_show_parameters_blood_pressure_side_effects(rendered: Rendered) -> None:
    timeline, pages = rendered
    text = " ".join(pages)
    for session in timeline.sessions:
        details = session.details
        dose = f"Dose {details['dose_mg_per_kg']:g} mg/kg, {details['dose_mg']:g} mg"
        bp = (
            f"{details['bp_before_sys']}/{details['bp_before_dia']} "
            f"{details['bp_peak_sys']}/{details['bp_peak_dia']} "
            f"{details['bp_after_sys']}/{details['bp_after_dia']}"
        )
        row = f"{session.when.date()} {session.number} {session.phase.label} {dose}"
        assert row in text, row
        assert re.search(re.escape(dose) + r"; \w+ duration 40 min " + re.escape(bp), text)
    assert "dissociation, nausea/vomiting" in text
    assert "brief dizziness" in text
    assert "antiemetic" in text


def test_events_and_dropout_reason(pdf60: bytes, course60: CourseTimeline) -> None:
    text = " ".join(page_texts(pdf60))
    for event in course60.events:
        assert f"{event.when} {event.kind.label}" in text
        assert event.description in text
    assert "Dropout Logistical Moved out of the area" in text
    assert "discontinued for: Logistical" in text


def test_header_on_every_page(rendered: Rendered) -> None:
    timeline, pages = rendered
    for number, page in enumerate(pages, start=1):
        assert SETTINGS.clinic_name in page
        assert timeline.patient.name in page
        assert f"MRN {timeline.patient.mrn} \u00b7 DOB 1984-07-19" in page
        assert f"{timeline.course.modality.label} \u00b7 course 2026-01-05 to" in page
        assert "generated 2026-04-30 16:45" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "CONFIDENTIAL" in page


def test_definitions_follow_the_course_settings() -> None:
    """Thresholds printed are the course's, e.g. a clinic choosing MADRS <= 12."""
    course = make_course(10, settings=SETTINGS.with_madrs_remission(12))
    text = " ".join(page_texts(render_summary(course, generated_at=GENERATED_AT)))
    assert "Remission: PHQ-9 \u2264 4, GAD-7 \u2264 4, MADRS \u2264 12" in text
    assert "Response: improvement \u2265 50%; partial response: \u2265 25%" in text
    assert "PHQ-9 \u2265 6 points, GAD-7 \u2265 4 points" in text
    assert "2 or more consecutive valid assessments spanning at least 14 days" in text
    assert "Clinician signature" in text and "Name and credentials" in text


def test_madrs_prints_short_labels_only(pdf10: bytes) -> None:
    text = " ".join(page_texts(pdf10))
    assert "Item 10 (Suicidal thoughts) = 4" in text
    assert "not reproduced (licensing)" in text
