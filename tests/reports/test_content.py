"""The printed text, read back with pypdf, holds the record's values and hand-checked figures."""

from __future__ import annotations

import re

from report_courses import GENERATED_AT, SETTINGS, make_course
from report_text import page_texts

from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.timeline import AssessmentRecord, CourseTimeline
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


# The glance table, hand-checked from report_courses (not from summarize()):
# baseline is visit 0 on 2026-01-02 (START - 3 days): _targets(0) with wobble -1 gives
# PHQ-9 19, GAD-7 15, MADRS 33, CGI-S 6. The latest visit is the 30-day follow-up after
# the last session. 10 sessions: session 10 at START + 9 x 3.5 days = 2026-02-05 21:00,
# so 2026-03-07; visit 12 (wobble -1): PHQ-9 3 + 12 % 4 = 3, GAD-7 3 + 12 % 3 = 3,
# MADRS 8 + 12 % 5 = 10, CGI-S max(2, 6 - 4) = 2. 60 sessions: session 60 at
# START + 87.5 + 44 x 14 days = 2027-12-09 21:00, so 2028-01-08; visit 62: PHQ-9
# 3 + 62 % 4 = 5, GAD-7 3 + 62 % 3 = 5, MADRS 10, CGI-S 2.
# Percent: (19 - 3) / 19 = 84.2%, (19 - 5) / 19 = 73.7%, (15 - 3) / 15 = 80.0%,
# (15 - 5) / 15 = 66.7%, (33 - 10) / 33 = 69.7%; remission PHQ-9/GAD-7 <= 4, MADRS <= 10.
GLANCE = {
    10: [
        "Sessions: induction 10/12",
        "PHQ-9 19 moderately severe \u00b7 2026-01-02 3 minimal \u00b7 2026-03-07 "
        "84.2% (16 pts better) Response Yes",
        "GAD-7 15 severe \u00b7 2026-01-02 3 minimal \u00b7 2026-03-07 "
        "80.0% (12 pts better) Response Yes",
        "MADRS 33 moderate \u00b7 2026-01-02 10 mild \u00b7 2026-03-07 "
        "69.7% (23 pts better) Response Yes",
        "CGI-S 6 severely ill \u00b7 2026-01-02 2 borderline \u00b7 2026-03-07 "
        "4 pts better n/a (ordinal scale)",
    ],
    60: [
        "Sessions: induction 6/60 \u00b7 continuation 10 \u00b7 maintenance 44",
        "PHQ-9 19 moderately severe \u00b7 2026-01-02 5 mild \u00b7 2028-01-08 "
        "73.7% (14 pts better) Response No",
        "GAD-7 15 severe \u00b7 2026-01-02 5 mild \u00b7 2028-01-08 "
        "66.7% (10 pts better) Response No",
        "MADRS 33 moderate \u00b7 2026-01-02 10 mild \u00b7 2028-01-08 "
        "69.7% (23 pts better) Response Yes",
        "CGI-S 6 severely ill \u00b7 2026-01-02 2 borderline \u00b7 2028-01-08 "
        "4 pts better n/a (ordinal scale)",
    ],
}


def test_glance_prints_the_hand_checked_figures(rendered: Rendered) -> None:
    timeline, pages = rendered
    text = " ".join(pages)
    for expected in GLANCE[len(timeline.sessions)]:
        assert expected in text, expected


def test_percent_change_printed_per_instrument(pdf10: bytes) -> None:
    """The exact figures, hand-checked: (19 - 3) / 19 = 84.2%, (33 - 10) / 33 = 69.7%."""
    text = " ".join(page_texts(pdf10))
    assert "84.2% (16 pts better) Response Yes Improvement" in text
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
