"""The clinic settings object: every threshold and policy in one place.

CLINICAL.md's defaults live here and nowhere else; a clinic (or a course, which
stores the thresholds in force when it started) may override them. Ratios are
:class:`fractions.Fraction` so that "at least 50%" is compared in integers and
never drifts (2 x (baseline - current) >= baseline).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class InstrumentThresholds:
    """Per-instrument thresholds and policy values.

    Attributes:
        max_missing: items that may be missing and still be prorated.
        remission_max: a total at or below this is remission (point in time).
        caseness_min: a total at or above this is a "case" (NHS Talking Therapies).
        reliable_change: a change at least this large is reliable; None = no standard value.
        mcid: minimal clinically important difference in points; None = not established.
        safety_item_min: the safety item's value that raises a flag; None = no safety item.
    """

    max_missing: int
    remission_max: int | None
    caseness_min: int | None = None
    reliable_change: int | None = None
    mcid: int | None = None
    safety_item_min: int | None = None


def _default_thresholds() -> dict[str, InstrumentThresholds]:
    return {
        "PHQ9": InstrumentThresholds(
            max_missing=2,
            remission_max=4,
            caseness_min=10,
            reliable_change=6,
            mcid=5,
            safety_item_min=1,
        ),
        "GAD7": InstrumentThresholds(
            max_missing=1, remission_max=4, caseness_min=8, reliable_change=4, mcid=4
        ),
        "MADRS": InstrumentThresholds(max_missing=2, remission_max=10, safety_item_min=4),
        "CGIS": InstrumentThresholds(max_missing=0, remission_max=None),
    }


MADRS_REMISSION_CHOICES: dict[str, int] = {
    "MADRS <= 10 (IV ketamine study, 2026)": 10,
    "MADRS <= 12 (esketamine trials)": 12,
    "MADRS < 10": 9,
}
"""The remission definitions a clinic may pick for the MADRS, label -> maximum total."""


@dataclass(frozen=True, slots=True)
class ClinicSettings:
    """Thresholds and clinic-wide choices; immutable, so a course can keep a copy.

    Attributes:
        response_fraction: improvement from baseline that counts as response (>=).
        partial_fraction: improvement that counts as partial response (>=, below response).
        sustained_min_assessments: consecutive valid assessments for "sustained".
        sustained_min_days: days those assessments must span.
        early_improvement_fraction: improvement that counts as early improvement.
        early_improvement_days: by about when (days from baseline) it is judged.
        early_improvement_session: IV ketamine: judged by this infusion instead.
        safety_urgent_min: PHQ-9 item 9 value from which review is urgent (tier 2).
        baseline_window_days: how long before the course start a baseline may be dated.
    """

    thresholds: dict[str, InstrumentThresholds] = field(default_factory=_default_thresholds)
    response_fraction: Fraction = Fraction(1, 2)
    partial_fraction: Fraction = Fraction(1, 4)
    sustained_min_assessments: int = 2
    sustained_min_days: int = 14
    early_improvement_fraction: Fraction = Fraction(1, 5)
    early_improvement_days: int = 14
    early_improvement_session: int = 4
    safety_urgent_min: int = 2
    baseline_window_days: int = 90
    clinic_name: str = "Interventional Psychiatry Service"
    page_size: str = "letter"

    def for_instrument(self, code: str) -> InstrumentThresholds:
        return self.thresholds[code]

    def with_madrs_remission(self, maximum: int) -> ClinicSettings:
        """A copy with another MADRS remission cut-off (<= 10, <= 12 or < 10)."""
        madrs = replace(self.thresholds["MADRS"], remission_max=maximum)
        return replace(self, thresholds={**self.thresholds, "MADRS": madrs})

    def to_json(self) -> str:
        """Serialise, so a course can store the thresholds in force when it started."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, Fraction):
                data[key] = [value.numerator, value.denominator]
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> ClinicSettings:
        """Inverse of :meth:`to_json`; unknown keys are ignored, missing ones default.

        Parsed once per distinct text: every course row carries its settings, and the
        patient list reads dozens of them per keystroke.
        """
        if not text:
            return DEFAULT_SETTINGS
        return _parse_settings(text)

    @classmethod
    def _from_json(cls, text: str) -> ClinicSettings:
        data: dict[str, Any] = json.loads(text)
        known = {f for f in cls.__dataclass_fields__}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key == "thresholds":
                kwargs[key] = {
                    **_default_thresholds(),
                    **{code: InstrumentThresholds(**t) for code, t in value.items()},
                }
            elif isinstance(cls.__dataclass_fields__[key].default, Fraction):
                kwargs[key] = Fraction(value[0], value[1])
            else:
                kwargs[key] = value
        return cls(**kwargs)


DEFAULT_SETTINGS = ClinicSettings()


@lru_cache(maxsize=256)
def _parse_settings(text: str) -> ClinicSettings:
    return ClinicSettings._from_json(text)
