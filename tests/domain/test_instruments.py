"""Instrument definitions: the published facts, checked cut point by cut point."""

from __future__ import annotations

import itertools

import pytest

from mbctracker.domain import INSTRUMENTS, ScoringError, get_instrument, score

# (instrument, total, band) at every edge of every band, from CLINICAL.md.
BAND_EDGES = [
    ("PHQ9", 0, "minimal"),
    ("PHQ9", 4, "minimal"),
    ("PHQ9", 5, "mild"),
    ("PHQ9", 9, "mild"),
    ("PHQ9", 10, "moderate"),
    ("PHQ9", 14, "moderate"),
    ("PHQ9", 15, "moderately severe"),
    ("PHQ9", 19, "moderately severe"),
    ("PHQ9", 20, "severe"),
    ("PHQ9", 27, "severe"),
    ("GAD7", 0, "minimal"),
    ("GAD7", 4, "minimal"),
    ("GAD7", 5, "mild"),
    ("GAD7", 9, "mild"),
    ("GAD7", 10, "moderate"),
    ("GAD7", 14, "moderate"),
    ("GAD7", 15, "severe"),
    ("GAD7", 21, "severe"),
    ("MADRS", 0, "normal"),
    ("MADRS", 6, "normal"),
    ("MADRS", 7, "mild"),
    ("MADRS", 19, "mild"),
    ("MADRS", 20, "moderate"),
    ("MADRS", 34, "moderate"),
    ("MADRS", 35, "severe"),
    ("MADRS", 60, "severe"),
]


def responses_for(code: str, total: int) -> list[int | None]:
    """Fill items from the first, each up to its maximum, to reach ``total`` exactly."""
    inst = INSTRUMENTS[code]
    values: list[int | None] = []
    left = total
    for _ in inst.items:
        take = min(inst.item_max, left)
        values.append(take)
        left -= take
    assert left == 0
    return values


@pytest.mark.parametrize(("code", "total", "band"), BAND_EDGES)
def test_band_cut_points(code: str, total: int, band: str) -> None:
    result = score(code, responses_for(code, total))
    assert (result.total, result.severity) == (total, band)


@pytest.mark.parametrize("code", ["PHQ9", "GAD7", "MADRS"])
def test_bands_cover_the_whole_range_without_gaps(code: str) -> None:
    inst = INSTRUMENTS[code]
    edges = [(b.low, b.high) for b in inst.bands]
    assert edges[0][0] == inst.total_min and edges[-1][1] == inst.total_max
    assert all(prev[1] + 1 == nxt[0] for prev, nxt in itertools.pairwise(edges))


def test_item_counts_ranges_and_codes() -> None:
    phq9, gad7, madrs, cgis = (INSTRUMENTS[c] for c in ("PHQ9", "GAD7", "MADRS", "CGIS"))
    assert (phq9.n_items, phq9.item_max, phq9.total_max) == (9, 3, 27)
    assert (gad7.n_items, gad7.item_max, gad7.total_max) == (7, 3, 21)
    assert (madrs.n_items, madrs.item_max, madrs.total_max) == (10, 6, 60)
    assert (cgis.n_items, cgis.total_min, cgis.total_max) == (1, 1, 7)
    assert phq9.loinc_panel == "44249-1" and phq9.loinc_total == "44261-6"
    assert [i.loinc for i in phq9.items] == [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    assert gad7.loinc_panel == "69737-5" and gad7.loinc_total == "70274-6"
    assert [i.loinc for i in gad7.items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]


def test_madrs_has_no_loinc_and_shows_short_labels_only() -> None:
    madrs = INSTRUMENTS["MADRS"]
    assert madrs.loinc_panel is None and all(i.loinc is None for i in madrs.items)
    assert [i.label for i in madrs.items][9] == "Suicidal thoughts"
    # Licensing: the item "text" is the short label itself, never an anchor description.
    assert all(i.text == i.label and len(i.text) < 30 for i in madrs.items)


def test_answer_labels_for_self_report() -> None:
    assert INSTRUMENTS["PHQ9"].answer_labels[2] == "More than half the days"
    assert INSTRUMENTS["GAD7"].answer_labels[3] == "Nearly every day"


def test_cgis_zero_means_not_assessed() -> None:
    assert score("CGIS", [0]).valid is False
    assert score("CGIS", [4]).severity == "moderately ill"


def test_unknown_instrument_lists_the_allowed_codes() -> None:
    with pytest.raises(ScoringError, match="PHQ9, GAD7, MADRS, CGIS"):
        get_instrument("QIDS")
