"""Property tests for scoring: any sequence of responses either scores within the
instrument's range or is refused with a ScoringError naming the item (or the count).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mbctracker.domain import ScoringError
from mbctracker.domain.instruments import INSTRUMENTS, Instrument
from mbctracker.domain.scoring import round_half_up, score
from mbctracker.domain.settings import DEFAULT_SETTINGS

CODES = sorted(INSTRUMENTS)
JUNK = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
)


@st.composite
def any_responses(draw: st.DrawFn) -> tuple[str, list[object]]:
    """Mostly well-formed answers, with blanks, out-of-range values, junk and wrong lengths."""
    code = draw(st.sampled_from(CODES))
    inst = INSTRUMENTS[code]
    length = draw(st.sampled_from([inst.n_items] * 6 + [0, inst.n_items - 1, inst.n_items + 1]))
    item = st.one_of(
        st.integers(inst.item_min, inst.item_max),
        st.none(),
        st.integers(inst.item_min - 3, inst.item_max + 3),
        JUNK,
    )
    return code, draw(st.lists(item, min_size=length, max_size=length))


def _first_bad(inst: Instrument, values: list[object]) -> int | None:
    for number, value in enumerate(values, start=1):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            return number
        if not inst.item_min <= value <= inst.item_max:
            return number
    return None


@given(any_responses())
def test_any_responses_score_in_range_or_name_the_bad_item(case: tuple[str, list[object]]) -> None:
    code, values = case
    inst = INSTRUMENTS[code]
    bad = _first_bad(inst, values)
    if len(values) != inst.n_items or bad is not None:
        with pytest.raises(ScoringError) as caught:
            score(code, values)  # type: ignore[arg-type]
        if len(values) != inst.n_items:
            assert caught.value.field == "responses"
            assert f"needs {inst.n_items}" in str(caught.value)
        else:
            assert caught.value.field == f"item{bad}"
            assert f"item {bad} " in str(caught.value)
            assert f"{inst.item_min}-{inst.item_max}" in str(caught.value)
        return
    result = score(code, values)  # type: ignore[arg-type]
    limit = DEFAULT_SETTINGS.for_instrument(code).max_missing
    if result.valid:
        assert result.total is not None
        assert inst.total_min <= result.total <= inst.total_max
        assert result.severity == inst.band(result.total).label
        assert result.prorated == (result.n_missing > 0) and result.n_missing <= limit
    else:
        assert (result.total, result.severity, result.exact_total) == (None, None, None)
        assert result.n_missing > limit or result.n_missing == inst.n_items


@st.composite
def prorated(draw: st.DrawFn) -> tuple[str, list[int | None]]:
    """Valid administrations with 1..max_missing blanks (the ones that get prorated)."""
    code = draw(
        st.sampled_from([c for c in CODES if DEFAULT_SETTINGS.for_instrument(c).max_missing])
    )
    inst = INSTRUMENTS[code]
    blanks = draw(st.integers(1, DEFAULT_SETTINGS.for_instrument(code).max_missing))
    values: list[int | None] = draw(
        st.lists(
            st.integers(inst.item_min, inst.item_max), min_size=inst.n_items, max_size=inst.n_items
        )
    )
    for index in draw(st.permutations(range(inst.n_items)))[:blanks]:
        values[index] = None
    return code, values


@given(prorated())
@example(("PHQ9", [1, 1, 1, 1, 0, 0, 0, 0, None]))  # 4 x 9 / 8 = 4.5 -> 5 (round() gives 4)
@example(("MADRS", [1, 0, 0, 0, 0, 0, 0, 0, None, None]))  # 10 / 8 = 1.25 -> 1
def test_proration_is_exact_and_rounds_half_up(case: tuple[str, list[int | None]]) -> None:
    code, values = case
    inst = INSTRUMENTS[code]
    answered = [v for v in values if v is not None]
    result = score(code, values)
    exact = Fraction(sum(answered) * inst.n_items, len(answered))
    assert result.exact_total == pytest.approx(float(exact))
    assert result.total == (2 * sum(answered) * inst.n_items + len(answered)) // (2 * len(answered))
    assert result.prorated and result.display_total.endswith("*")


@given(st.integers(0, 10_000), st.integers(1, 64))
def test_round_half_up_matches_decimal_half_up(numerator: int, denominator: int) -> None:
    """Scores are never negative, so half up and Decimal's half away from zero agree."""
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_UP)
    assert round_half_up(Fraction(numerator, denominator)) == int(expected)


@given(st.sampled_from(CODES), st.data())
def test_complete_answers_are_never_prorated(code: str, data: st.DataObject) -> None:
    inst = INSTRUMENTS[code]
    low = inst.item_min if inst.not_assessed_value is None else inst.item_min + 1
    values = data.draw(
        st.lists(st.integers(low, inst.item_max), min_size=inst.n_items, max_size=inst.n_items)
    )
    result = score(code, values)
    assert result.valid and not result.prorated and result.total == sum(values)
