"""Scoring: proration policy, round half up, validation messages, safety items."""

from __future__ import annotations

from fractions import Fraction

import pytest

from mbctracker.domain import DEFAULT_SETTINGS, ScoringError, round_half_up, score


def test_one_missing_phq9_item_prorates_4_5_up_to_5() -> None:
    # 4 answered points over 8 items -> 4 x 9 / 8 = 4.5 -> 5 (Python's round() gives 4).
    result = score("PHQ9", [1, 1, 1, 1, 0, 0, 0, None, 0])
    assert result.exact_total == 4.5
    assert result.total == 5 and round(4.5) == 4
    assert result.prorated and result.valid and result.severity == "mild"


def test_round_half_up_is_exact() -> None:
    assert [round_half_up(Fraction(n, 2)) for n in (1, 3, 5, 9)] == [1, 2, 3, 5]
    assert round_half_up(Fraction(49, 10)) == 5 and round_half_up(Fraction(44, 10)) == 4


def test_two_missing_phq9_items_still_score() -> None:
    result = score("PHQ9", [3, 3, 3, 3, 3, 3, None, None, 0])
    assert result.valid and result.prorated and result.total == round_half_up(Fraction(18 * 9, 7))


def test_three_missing_phq9_items_are_invalid() -> None:
    result = score("PHQ9", [3, 3, 3, 3, 3, None, None, None, 0])
    assert not result.valid
    assert (result.total, result.exact_total, result.severity) == (None, None, None)
    assert result.display_total == "invalid"


@pytest.mark.parametrize(
    ("code", "allowed", "n"), [("PHQ9", 2, 9), ("GAD7", 1, 7), ("MADRS", 2, 10)]
)
def test_missing_limit_per_instrument(code: str, allowed: int, n: int) -> None:
    at_limit = [1] * (n - allowed) + [None] * allowed
    over = [1] * (n - allowed - 1) + [None] * (allowed + 1)
    if code == "PHQ9":  # keep item 9 answered so only the count matters
        at_limit, over = at_limit[::-1], over[::-1]
    assert score(code, at_limit).valid
    assert not score(code, over).valid


def test_complete_scores_are_not_prorated() -> None:
    result = score("GAD7", [3, 3, 3, 3, 3, 3, 3])
    assert (result.total, result.prorated, result.exact_total) == (21, False, 21.0)


def test_wrong_number_of_items_names_the_count() -> None:
    with pytest.raises(ScoringError, match="PHQ-9 needs 9 item responses, got 8"):
        score("PHQ9", [0] * 8)


def test_out_of_range_item_names_item_and_range() -> None:
    with pytest.raises(
        ScoringError, match=r"GAD-7 item 3 \(Excess worry\) must be 0-3, got 4"
    ) as err:
        score("GAD7", [0, 0, 4, 0, 0, 0, 0])
    assert err.value.field == "item3"
    assert isinstance(err.value, ValueError)
    with pytest.raises(ScoringError, match=r"MADRS item 1 .* must be 0-6, got -1"):
        score("MADRS", [-1] + [0] * 9)


def test_non_integer_item_is_rejected() -> None:
    with pytest.raises(ScoringError, match="whole number 0-3"):
        score("PHQ9", [0, 0, 0, 0, 0, 0, 0, 0, 1.5])  # type: ignore[list-item]
    with pytest.raises(ScoringError, match="whole number"):
        score("PHQ9", [True] + [0] * 8)


class TestItem9:
    def test_endorsed_with_a_minimal_total_flags(self) -> None:
        result = score("PHQ9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
        assert result.total == 1 and result.severity == "minimal"
        assert (result.safety_flag, result.safety_reason, result.safety_tier) == (
            True,
            "endorsed",
            1,
        )

    def test_endorsed_in_remission_still_flags(self) -> None:
        result = score("PHQ9", [1, 0, 1, 0, 0, 0, 0, 0, 2])
        assert result.total == 4  # at the remission cut-off
        assert result.safety_flag and result.safety_tier == 2

    def test_missing_item_9_flags_unanswered_and_is_never_imputed(self) -> None:
        result = score("PHQ9", [2, 2, 2, 2, 2, 2, 2, 2, None])
        assert (result.safety_flag, result.safety_reason) == (True, "unanswered")
        assert result.responses[8] is None  # not imputed
        assert result.total == 18 and result.prorated  # the total may be prorated

    def test_zero_does_not_flag(self) -> None:
        result = score("PHQ9", [3] * 8 + [0])
        assert not result.safety_flag and result.safety_reason is None

    def test_tiers(self) -> None:
        assert [score("PHQ9", [0] * 8 + [v]).safety_tier for v in (1, 2, 3)] == [1, 2, 2]


class TestMadrsItem10:
    def test_four_or_more_flags(self) -> None:
        assert score("MADRS", [0] * 9 + [4]).safety_flag
        assert score("MADRS", [0] * 9 + [6]).safety_reason == "endorsed"

    def test_three_does_not(self) -> None:
        assert not score("MADRS", [0] * 9 + [3]).safety_flag

    def test_missing_item_10_is_prorated_without_a_flag(self) -> None:
        result = score("MADRS", [2] * 9 + [None])
        assert result.valid and not result.safety_flag


def test_thresholds_come_from_settings() -> None:
    from dataclasses import replace

    stricter = replace(DEFAULT_SETTINGS.thresholds["MADRS"], safety_item_min=3)
    settings = replace(
        DEFAULT_SETTINGS, thresholds={**DEFAULT_SETTINGS.thresholds, "MADRS": stricter}
    )
    assert score("MADRS", [0] * 9 + [3], settings).safety_flag


@pytest.mark.parametrize(("phq9_min", "madrs_min"), [(None, None), (2, None), (3, 5)])
def test_settings_never_switch_off_a_safety_item(
    phq9_min: int | None, madrs_min: int | None
) -> None:
    """PHQ-9 item 9 >= 1 is the scale's rule, not a policy; a course's stored settings
    (edited or damaged) with no or a higher PHQ-9 minimum still flag 1. MADRS stays
    configurable, but "no minimum" means the policy default (4), never "no flag"."""
    from dataclasses import replace

    thresholds = {
        **DEFAULT_SETTINGS.thresholds,
        "PHQ9": replace(DEFAULT_SETTINGS.thresholds["PHQ9"], safety_item_min=phq9_min),
        "MADRS": replace(DEFAULT_SETTINGS.thresholds["MADRS"], safety_item_min=madrs_min),
    }
    settings = replace(DEFAULT_SETTINGS, thresholds=thresholds)
    assert score("PHQ9", [0] * 8 + [1], settings).safety_flag
    assert score("PHQ9", [0] * 8 + [None], settings).safety_reason == "unanswered"
    assert score("MADRS", [0] * 9 + [6], settings).safety_flag
    if madrs_min is None:
        assert score("MADRS", [0] * 9 + [4], settings).safety_flag


@pytest.mark.parametrize("hostile", [True, 1.0, "1"])
def test_remembered_scores_never_admit_a_lookalike_answer(hostile: object) -> None:
    """Scores are remembered by their answers; True == 1 == 1.0 as keys, yet those
    answers must be refused every time, also after the same answers as whole numbers."""
    plain = [1] * 9
    assert score("PHQ9", plain).total == 9
    with pytest.raises(ScoringError, match="item 1"):
        score("PHQ9", [hostile, *plain[1:]])


def test_remembered_scores_follow_the_thresholds() -> None:
    """The same answers under another course's policy (more items may be missing) score
    differently: the thresholds are part of what is remembered."""
    answers = [2, 2, None, None, None, 2, 2, 2, 0]
    assert score("PHQ9", answers).valid is False
    lenient = DEFAULT_SETTINGS.with_thresholds("PHQ9", max_missing=3)
    assert score("PHQ9", answers, lenient).total == round_half_up(Fraction(10 * 9, 6))
    assert score("PHQ9", answers).valid is False
