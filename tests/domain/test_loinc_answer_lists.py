"""Every PHQ-9 and GAD-7 answer code, item by item, against LOINC's own answer lists.

Checked against loinc.org (answer lists LL358-3 "PHQ-9 frequency" and LL359-1
"PHQ.10 perceived difficulty") and LOINC's panel forms for 44249-1 and 69737-5:
the GAD-7 item 68509-9 carries its own list whose "2" is LA18938-3 "More days than
not", and in LL359-1 "Very difficult" is LA6575-0, "Extremely difficult" LA6574-3
(the codes do not follow the order of the answers).
"""

from __future__ import annotations

import pytest

from mbctracker.domain.instruments import GAD7, LOINC_ANSWER_TEXT, PHQ9

LL358_3 = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
GAD7_68509_9 = {0: "LA6568-5", 1: "LA6569-3", 2: "LA18938-3", 3: "LA6571-9"}
LL359_1 = {0: "LA6572-7", 1: "LA6573-5", 2: "LA6575-0", 3: "LA6574-3"}

EXPECTED = {
    ("PHQ9", "44250-9"): LL358_3,
    ("PHQ9", "44255-8"): LL358_3,
    ("PHQ9", "44259-0"): LL358_3,
    ("PHQ9", "44254-1"): LL358_3,
    ("PHQ9", "44251-7"): LL358_3,
    ("PHQ9", "44258-2"): LL358_3,
    ("PHQ9", "44252-5"): LL358_3,
    ("PHQ9", "44253-3"): LL358_3,
    ("PHQ9", "44260-8"): LL358_3,
    ("GAD7", "69725-0"): LL358_3,
    ("GAD7", "68509-9"): GAD7_68509_9,
    ("GAD7", "69733-4"): LL358_3,
    ("GAD7", "69734-2"): LL358_3,
    ("GAD7", "69735-9"): LL358_3,
    ("GAD7", "69689-8"): LL358_3,
    ("GAD7", "69736-7"): LL358_3,
}


@pytest.mark.parametrize(("code", "loinc"), sorted(EXPECTED))
def test_each_item_carries_its_loinc_answer_list(code: str, loinc: str) -> None:
    instrument = {"PHQ9": PHQ9, "GAD7": GAD7}[code]
    item = next(i for i in instrument.items if i.loinc == loinc)
    assert instrument.item_answer_loinc(item.number) == EXPECTED[(code, loinc)]


def test_every_scored_item_is_listed_once() -> None:
    listed = {
        (code, i.loinc) for code, inst in (("PHQ9", PHQ9), ("GAD7", GAD7)) for i in inst.items
    }
    assert listed == set(EXPECTED)


def test_the_difficulty_item_uses_ll359_1() -> None:
    """LA6575-0 is "Very difficult" (2) and LA6574-3 "Extremely difficult" (3)."""
    extra = PHQ9.supplementary
    assert extra is not None and extra.loinc == "69722-7"
    assert extra.answer_loinc == LL359_1


def test_every_answer_code_has_loincs_display_text() -> None:
    assert LOINC_ANSWER_TEXT["LA18938-3"] == "More days than not"
    assert LOINC_ANSWER_TEXT["LA6575-0"] == "Very difficult"
    assert LOINC_ANSWER_TEXT["LA6574-3"] == "Extremely difficult"
    codes = {c for lst in (LL358_3, GAD7_68509_9, LL359_1) for c in lst.values()}
    assert codes <= set(LOINC_ANSWER_TEXT)
