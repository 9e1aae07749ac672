"""The course picture and its wording, against figures worked out by hand.

Each expected value is written out here (not taken from the code under test);
the arithmetic is in the comment beside it.
"""

from __future__ import annotations

from fractions import Fraction

from courses import build

from mbctracker.domain.course import Phase
from mbctracker.domain.outcomes import change
from mbctracker.domain.settings import ClinicSettings
from mbctracker.presentation import course_picture, is_ordinal, phase_spans, reference_lines, texts

SETTINGS = ClinicSettings()


def test_percent_is_one_decimal_so_24_6_never_reads_as_25() -> None:
    # MADRS 57 -> 43: 14 / 57 = 24.56%; 4 x 14 = 56 < 57, so not even partial response.
    madrs = change("MADRS", 57, 43, SETTINGS)
    assert texts.change_text(madrs) == "24.6% (14 pts better)"
    assert texts.category_text(madrs) == "Non-response"


def test_worsening_is_said_in_words() -> None:
    # PHQ-9 8 -> 10: (8 - 10) / 8 = -25.0%.
    phq = change("PHQ9", 8, 10, SETTINGS)
    assert texts.change_text(phq) == "-25.0% (2 pts worse)"
    assert texts.category_text(phq) == "Non-response"
    assert texts.remission_text(phq, SETTINGS) == "No"
    assert texts.reliable_text(phq) == "None"  # 2 < 6 points either way


def test_exactly_half_is_response_with_remission_and_reliable_improvement() -> None:
    # PHQ-9 10 -> 4: 6 / 10 = 60.0%; 4 <= 4 is remission; 6 >= 6 is reliable improvement.
    phq = change("PHQ9", 10, 4, SETTINGS)
    assert texts.change_text(phq) == "60.0% (6 pts better)"
    assert texts.category_text(phq) == "Response"
    assert texts.remission_text(phq, SETTINGS) == "Yes"
    assert texts.reliable_text(phq) == "Improvement"


def test_no_change_and_no_current_score() -> None:
    assert texts.change_text(change("GAD7", 12, 12, SETTINGS)) == "0.0% (no change)"
    missing = change("GAD7", 12, None, SETTINGS)
    assert texts.change_text(missing) == texts.DASH
    assert texts.category_text(missing) == "Not evaluable"
    assert texts.remission_text(missing, SETTINGS) == texts.DASH


def test_cgis_is_ordinal_points_only_no_category_no_remission() -> None:
    assert is_ordinal("CGIS") and not is_ordinal("PHQ9") and not is_ordinal("MADRS")
    cgis = change("CGIS", 6, 3, SETTINGS)
    assert texts.change_text(cgis) == "3 pts better"
    assert texts.category_text(cgis) == "n/a (ordinal scale)"
    assert texts.remission_text(cgis, SETTINGS) == "n/a"


def test_madrs_has_no_standard_reliable_change() -> None:
    assert texts.reliable_text(change("MADRS", 30, 20, SETTINGS)) == "No standard value"


def _lines(timeline, code):  # type: ignore[no-untyped-def]
    return [(line.kind, line.value, line.label) for line in reference_lines(timeline, code)]


def test_reference_lines_from_the_default_thresholds() -> None:
    timeline = build([{"PHQ9": 19, "MADRS": 33}, {"PHQ9": 12, "MADRS": 20}])
    # PHQ-9 baseline 19: response 19 x 0.5 = 9.5, partial 19 x 0.75 = 14.25.
    assert _lines(timeline, "PHQ9") == [
        ("remission", 4.0, "remission ≤ 4"),
        ("response", 9.5, "response ≤ 9.5 (50% of baseline)"),
        ("partial", 14.25, "partial ≤ 14.25 (75% of baseline)"),
    ]
    # MADRS baseline 33: 16.5 and 24.75; remission <= 10.
    assert [v for _, v, _ in _lines(timeline, "MADRS")] == [10.0, 16.5, 24.75]


def test_reference_lines_follow_the_course_stored_thresholds_not_50_75() -> None:
    settings = ClinicSettings(
        response_fraction=Fraction(3, 5), partial_fraction=Fraction(1, 3)
    ).with_madrs_remission(12)
    timeline = build([{"MADRS": 30}, {"MADRS": 20}], settings)
    # 60% improvement leaves 40%: 30 x 0.4 = 12; a third leaves two thirds: 30 x 2/3 = 20.
    assert _lines(timeline, "MADRS") == [
        ("remission", 12.0, "remission ≤ 12"),
        ("response", 12.0, "response ≤ 12 (40% of baseline)"),
        ("partial", 20.0, "partial ≤ 20 (67% of baseline)"),
    ]


def test_line_labels_round_to_two_decimals_the_line_stays_exact() -> None:
    settings = ClinicSettings(partial_fraction=Fraction(1, 3))
    timeline = build([{"GAD7": 7}, {"GAD7": 5}], settings)
    partial = reference_lines(timeline, "GAD7")[2]
    # 7 x 2/3 = 4.666...: printed 4.67, drawn at the exact level.
    assert partial.label == "partial ≤ 4.67 (67% of baseline)"
    assert abs(partial.value - 14 / 3) < 1e-12


def test_no_percent_lines_and_no_remission_line_for_cgis() -> None:
    timeline = build([{"CGIS": 6}, {"CGIS": 4}])
    assert _lines(timeline, "CGIS") == []


def test_no_percent_lines_without_a_baseline_or_with_baseline_zero() -> None:
    zero = build([{"GAD7": 0}, {"GAD7": 3}])
    assert [kind for kind, _, _ in _lines(zero, "GAD7")] == ["remission"]


def test_series_marks_baseline_prorated_and_flags() -> None:
    timeline = build(
        [{"PHQ9": 18}, {"PHQ9": 14}, {"PHQ9": 9}],
        safety={(1, "PHQ9"): 2},
    )
    picture = course_picture(timeline)
    phq = picture.series["PHQ9"]
    assert [(p.total, p.is_baseline) for p in phq.points] == [(18, True), (14, False), (9, False)]
    assert [p.position.session for p in phq.points] == [0.0, 1.0, 2.0]
    assert [p.position.day for p in phq.points] == [0.375, 3.375, 6.375]  # 09:00 = 0.375 day
    assert [(f.total, f.open) for f in phq.flags] == [(14, True)]  # item 9 = 2, no action
    assert picture.flags == phq.flags


def test_phase_spans_run_from_each_phase_start_date_and_touch() -> None:
    visits = [{"PHQ9": 20}] + [{"PHQ9": 15}] * 4
    phases = [Phase.INDUCTION, Phase.INDUCTION, Phase.CONTINUATION, Phase.CONTINUATION]
    spans = phase_spans(build(visits, phases=phases))
    switch = spans[1].start.session  # continuation began on session 3's day, before it
    assert 2.0 < switch < 3.0
    assert [(s.phase, s.start.session, s.end.session, s.last) for s in spans] == [
        (Phase.INDUCTION, 0.0, switch, False),  # from the course start, not session 1
        (Phase.CONTINUATION, switch, 4.0, True),
    ]
    assert spans[1].start.day == 9.0  # midnight of the day it started
