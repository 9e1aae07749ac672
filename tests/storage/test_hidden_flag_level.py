"""The hidden-flag check reads the safety item alone; it must find what the course view finds.

``storage.hidden_flags`` raises a flag another program's change hid from the list,
using ``checked_flag_level`` (no totals: it reads every row a commit touched).
The course view, the PDF and the timeline use ``checked_score``. Any row a program
could leave, well-formed or not, must give both the same flag level.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.settings import DEFAULT_SETTINGS, ClinicSettings
from mbctracker.storage.mappers import checked_flag_level, checked_score
from mbctracker.storage.tables import Assessment

_ITEM = st.one_of(
    st.integers(-2, 12), st.none(), st.booleans(), st.text(max_size=2), st.floats(0, 6)
)
_RESPONSES = st.one_of(
    st.integers(7, 11).flatmap(lambda n: st.lists(_ITEM, min_size=n, max_size=n)),
    st.integers(7, 11).flatmap(
        lambda n: st.lists(st.one_of(st.integers(0, 6), st.none()), min_size=n, max_size=n)
    ),
    st.lists(_ITEM, max_size=12),
    st.just("not json"),
    st.just('{"a": 1}'),
)
_CLINICS = [
    DEFAULT_SETTINGS,
    DEFAULT_SETTINGS.with_thresholds("PHQ9", safety_item_min=2, safety_urgent_min=3),
    DEFAULT_SETTINGS.with_thresholds("MADRS", safety_item_min=3, safety_urgent_min=5),
]


@settings(max_examples=600, deadline=None)
@given(
    instrument=st.sampled_from([*INSTRUMENTS, "XYZ"]),
    responses=_RESPONSES,
    safety_flag=st.booleans(),
    reason=st.sampled_from([None, "endorsed", "unanswered", "odd"]),
    tier=st.one_of(st.none(), st.integers(-1, 4)),
    level=st.integers(-1, 5),
    flag_open=st.booleans(),
    clinic=st.sampled_from(_CLINICS),
)
def test_the_flag_check_finds_the_level_the_course_view_finds(
    instrument: str,
    responses: Any,
    safety_flag: bool,
    reason: str | None,
    tier: int | None,
    level: int,
    flag_open: bool,
    clinic: ClinicSettings,
) -> None:
    row = Assessment(
        id=1,
        course_id=1,
        instrument=instrument,
        responses=responses if isinstance(responses, str) else json.dumps(responses),
        valid=True,
        safety_flag=safety_flag,
        safety_reason=reason,
        safety_tier=tier,
        flag_level=level,
        flag_open=flag_open,
        assessed_at=datetime(2026, 1, 5, 9),
    )
    assert checked_flag_level(row, clinic) == checked_score(row, clinic)[0].flag_level
