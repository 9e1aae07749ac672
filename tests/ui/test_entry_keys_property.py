"""Any sequence of keys leaves the entry form in a state the domain agrees with."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.scoring import score
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.ui.qt_compat import guard_none_refcount
from mbctracker.ui.widgets.entry_form import EntryForm, describe_score

KEYS = st.lists(
    st.sampled_from(
        [*"0123456789", Qt.Key.Key_Backspace, Qt.Key.Key_Space, Qt.Key.Key_Up, Qt.Key.Key_Down]
    ),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.sampled_from(list(INSTRUMENTS)), keys=KEYS)
def test_typed_responses_stay_in_range_and_match_the_domain_score(qtbot, code, keys) -> None:
    guard_none_refcount()
    inst = INSTRUMENTS[code]
    form = EntryForm(inst, DEFAULT_SETTINGS)
    qtbot.addWidget(form)
    for key in keys:
        qtbot.keyClick(form, key)
    assert len(form.responses) == inst.n_items
    assert all(v is None or inst.item_min <= v <= inst.item_max for v in form.responses)
    assert 0 <= form.current <= form.slots
    extra = inst.supplementary
    assert form.supplementary is None or (extra and extra.low <= form.supplementary <= extra.high)
    live = form.live_score()
    if form.is_empty():
        assert live is None
    else:
        expected = score(code, form.responses, DEFAULT_SETTINGS)
        assert live == expected
        if live.total is not None:
            assert inst.total_min <= live.total <= inst.total_max
        assert form.total_line.text() == describe_score(inst, live, DEFAULT_SETTINGS) or (
            "was not entered" in form.total_line.text()
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.sampled_from(list(INSTRUMENTS)),
    answers=st.lists(st.integers(0, 9), min_size=12, max_size=12),
    extra=st.lists(st.sampled_from([*"0123456789", Qt.Key.Key_Space]), min_size=1, max_size=8),
)
def test_keys_past_the_last_slot_never_change_an_answer(qtbot, code, answers, extra) -> None:
    """A paper form typed with more digits than the scale has must not overwrite the last item."""
    guard_none_refcount()
    inst = INSTRUMENTS[code]
    form = EntryForm(inst, DEFAULT_SETTINGS)
    qtbot.addWidget(form)
    low = inst.item_min if inst.not_assessed_value is None else inst.item_min + 1
    for value in answers[: form.slots]:
        qtbot.keyClick(form, str(max(low, min(value, inst.item_max))))
    assert form.current == form.slots
    before = (list(form.responses), form.supplementary)
    for key in extra:
        qtbot.keyClick(form, key)
    assert (form.responses, form.supplementary) == before


def test_a_paper_phq9_with_its_difficulty_answer_keeps_item_9(qtbot) -> None:
    guard_none_refcount()
    form = EntryForm(INSTRUMENTS["PHQ9"], DEFAULT_SETTINGS)
    qtbot.addWidget(form)
    for digit in "22222222203":
        qtbot.keyClick(form, digit)
    assert form.responses == [2] * 9 and form.supplementary == 0
    assert "was not entered" in form.total_line.text()
    live = form.live_score()
    assert live is not None and live.safety_flag and live.safety_tier == 2
