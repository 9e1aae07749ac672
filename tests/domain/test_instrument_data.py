"""Per-instrument policy lives on the definition: thresholds, safety rule, codes, licence."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mbctracker.domain import DEFAULT_SETTINGS, ClinicSettings, score
from mbctracker.domain.instruments import (
    INSTRUMENTS,
    PHQ9,
    InstrumentThresholds,
    SafetyRule,
    headline_instruments,
    list_instruments,
    register,
    registered,
)
from mbctracker.domain.outcomes import change

OLD_SETTINGS_JSON = (
    '{"baseline_window_days": 90, "clinic_name": "Interventional Psychiatry Service", '
    '"early_improvement_days": 14, "early_improvement_fraction": [1, 5], '
    '"early_improvement_session": 4, "page_size": "letter", "partial_fraction": [1, 4], '
    '"response_fraction": [1, 2], "safety_urgent_min": 2, "sustained_min_assessments": 2, '
    '"sustained_min_days": 14, "thresholds": {"CGIS": {"caseness_min": null, '
    '"max_missing": 0, "mcid": null, "reliable_change": null, "remission_max": null, '
    '"safety_item_min": null}, "GAD7": {"caseness_min": 8, "max_missing": 1, "mcid": 4, '
    '"reliable_change": 4, "remission_max": 4, "safety_item_min": null}, "MADRS": '
    '{"caseness_min": null, "max_missing": 2, "mcid": null, "reliable_change": null, '
    '"remission_max": 12, "safety_item_min": 4}, "PHQ9": {"caseness_min": 10, '
    '"max_missing": 2, "mcid": 5, "reliable_change": 6, "remission_max": 4, '
    '"safety_item_min": 1}}}'
)
"""A course's settings_json exactly as the previous release stored it (MADRS <= 12)."""


def test_phq8_is_the_phq9_without_item_9() -> None:
    phq8 = INSTRUMENTS["PHQ8"]
    assert phq8.items == PHQ9.items[:8] and phq8.total_max == 24
    result = score("PHQ8", [3, 3, 3, 3, 3, 3, 3, 3])
    assert (result.total, result.severity, result.safety_flag) == (24, "severe", False)
    assert score("PHQ8", [1, 1, 1, 1, 1, 1, None, None]).display_total == "8*"
    assert phq8.loinc_panel is None and phq8.loinc_total is None  # not verified: no codes
    assert "Pfizer" in phq8.licence and phq8.full_text
    assert change("PHQ8", 16, 4).remission and change("PHQ8", 16, 4).category == "response"


def test_phq8_is_never_offered_next_nor_listed() -> None:
    phq8 = INSTRUMENTS["PHQ8"]
    assert not phq8.auto_next and not phq8.list_column and not phq8.routine


def test_every_instrument_records_its_licence() -> None:
    assert all(inst.licence for inst in INSTRUMENTS.values())
    assert "refused" in INSTRUMENTS["MADRS"].licence and not INSTRUMENTS["MADRS"].full_text


def test_answer_codes_are_per_item() -> None:
    gad7 = INSTRUMENTS["GAD7"]
    assert gad7.item_answer_loinc(2)[2] == "LA18938-3"
    assert gad7.item_answer_loinc(1)[2] == "LA6570-1"
    assert PHQ9.item_answer_loinc(9) == {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
    assert INSTRUMENTS["MADRS"].item_answer_loinc(10) == {}  # no LOINC for the MADRS


def test_roles_give_the_list_columns_and_headline_order() -> None:
    assert [i.code for i in list_instruments()] == ["PHQ9", "MADRS"]
    assert [i.code for i in headline_instruments()][:2] == ["MADRS", "PHQ9"]
    assert [c for c, i in INSTRUMENTS.items() if not i.ratio_scale] == ["CGIS", "CGII"]


def test_cgi_i_is_a_public_domain_ordinal_rating_of_change() -> None:
    """Guy 1976: 1 very much improved ... 4 no change ... 7 very much worse; 0 not assessed."""
    cgii = INSTRUMENTS["CGII"]
    assert "public domain" in cgii.licence and cgii.full_text
    rated = score("CGII", [2])
    assert (rated.total, rated.severity, rated.safety_flag) == (2, "much improved", False)
    assert not score("CGII", [0]).valid, "0 = not assessed: no total"
    assert not cgii.ratio_scale, "no percent change on an ordinal rating"


def test_default_thresholds_come_from_the_definitions() -> None:
    for code, inst in INSTRUMENTS.items():
        assert DEFAULT_SETTINGS.for_instrument(code) == inst.thresholds
    assert PHQ9.thresholds.safety_urgent_min == 2
    assert INSTRUMENTS["MADRS"].thresholds.safety_urgent_min is None


def test_safety_tiers_unchanged() -> None:
    tiers = [score("PHQ9", [0] * 8 + [v]).safety_tier for v in (None, 0, 1, 2, 3)]
    assert tiers == [1, None, 1, 2, 2]
    assert score("PHQ9", [0] * 8 + [None]).flag_level == 1
    assert [score("MADRS", [0] * 9 + [v]).safety_tier for v in (None, 3, 4, 6)] == [
        None,
        None,
        2,
        2,
    ]


def test_old_settings_json_still_loads() -> None:
    old = ClinicSettings.from_json(OLD_SETTINGS_JSON)
    assert old.for_instrument("MADRS").remission_max == 12
    assert old.for_instrument("PHQ9") == PHQ9.thresholds
    assert old.for_instrument("MADRS").safety_urgent_min is None
    assert old.for_instrument("PHQ8") == INSTRUMENTS["PHQ8"].thresholds  # not stored then
    assert score("PHQ9", [0] * 8 + [1], old).safety_tier == 1
    assert ClinicSettings.from_json(old.to_json()) == old


def test_old_clinic_wide_urgent_tier_goes_to_graded_rules_only() -> None:
    text = OLD_SETTINGS_JSON.replace('"safety_urgent_min": 2', '"safety_urgent_min": 3')
    old = ClinicSettings.from_json(text)
    assert old.for_instrument("PHQ9").safety_urgent_min == 3
    assert old.for_instrument("MADRS").safety_urgent_min is None
    assert score("PHQ9", [0] * 8 + [2], old).safety_tier == 1


def test_registration_refuses_a_taken_code_or_a_bad_safety_item() -> None:
    with pytest.raises(ValueError, match="PHQ9"):
        register(PHQ9)
    bad = replace(PHQ9, code="BAD", safety=SafetyRule(item=12))
    with pytest.raises(ValueError, match="safety item 12"):
        register(bad)
    no_min = replace(PHQ9, code="NOMIN", thresholds=InstrumentThresholds(max_missing=1))
    with pytest.raises(ValueError, match="safety_item_min"):
        register(no_min)
    assert "BAD" not in INSTRUMENTS and "NOMIN" not in INSTRUMENTS


def test_settings_made_before_registration_fall_back_to_the_definition() -> None:
    extra = replace(PHQ9, code="EXTRA", name="Extra")
    with registered(extra):
        assert DEFAULT_SETTINGS.for_instrument("EXTRA") == PHQ9.thresholds
        changed = DEFAULT_SETTINGS.with_thresholds("EXTRA", remission_max=7)
        assert (
            ClinicSettings.from_json(changed.to_json()).for_instrument("EXTRA").remission_max == 7
        )
    assert "EXTRA" not in INSTRUMENTS
