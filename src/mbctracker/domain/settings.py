"""The clinic settings object: every threshold and policy in one place.

CLINICAL.md's per-instrument defaults live on the instrument definitions
(:mod:`.instruments`); this object holds a clinic's copy and overrides, and a
course stores the copy in force when it started. Ratios are
:class:`fractions.Fraction` so that "at least 50%" is compared in integers and
never drifts (2 x (baseline - current) >= baseline).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .instruments import INSTRUMENTS, InstrumentThresholds, get_instrument
from .outcome_definitions import OutcomeDefinitions

__all__ = ["DEFAULT_SETTINGS", "ClinicSettings", "InstrumentThresholds"]


def _default_thresholds() -> dict[str, InstrumentThresholds]:
    """The registered instruments' own defaults, copied so a course can keep them."""
    return {code: inst.thresholds for code, inst in INSTRUMENTS.items()}


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
        baseline_window_days: how long before the course start a baseline may be dated.
        outcomes: the clinic outcome analyses' definitions (docs/outcomes.md).
    """

    thresholds: dict[str, InstrumentThresholds] = field(default_factory=_default_thresholds)
    response_fraction: Fraction = Fraction(1, 2)
    partial_fraction: Fraction = Fraction(1, 4)
    sustained_min_assessments: int = 2
    sustained_min_days: int = 14
    early_improvement_fraction: Fraction = Fraction(1, 5)
    early_improvement_days: int = 14
    early_improvement_session: int = 4
    baseline_window_days: int = 90
    clinic_name: str = "Interventional Psychiatry Service"
    page_size: str = "letter"
    outcomes: OutcomeDefinitions = field(default_factory=OutcomeDefinitions)

    def for_instrument(self, code: str) -> InstrumentThresholds:
        """This copy's thresholds; an instrument registered after it uses its own defaults."""
        found = self.thresholds.get(code)
        return found if found is not None else get_instrument(code).thresholds

    def with_thresholds(self, code: str, **changes: Any) -> ClinicSettings:
        """A copy with some of one instrument's thresholds changed."""
        changed = replace(self.for_instrument(code), **changes)
        return replace(self, thresholds={**self.thresholds, code: changed})

    def with_madrs_remission(self, maximum: int) -> ClinicSettings:
        """A copy with another MADRS remission cut-off (<= 10, <= 12 or < 10)."""
        return self.with_thresholds("MADRS", remission_max=maximum)

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
                kwargs[key] = _stored_thresholds(value, data.get(_LEGACY_URGENT))
            elif key == "outcomes":
                kwargs[key] = OutcomeDefinitions.from_dict(value)
            elif isinstance(cls.__dataclass_fields__[key].default, Fraction):
                kwargs[key] = Fraction(value[0], value[1])
            else:
                kwargs[key] = value
        return cls(**kwargs)


DEFAULT_SETTINGS = ClinicSettings()


_LEGACY_URGENT = "safety_urgent_min"
"""Stored before the tiers moved onto the instruments: one clinic-wide value that only
the graded safety rule (PHQ-9 item 9) used."""


def _stored_thresholds(
    stored: dict[str, dict[str, Any]], legacy_urgent: int | None = None
) -> dict[str, InstrumentThresholds]:
    """Stored values over the definitions' defaults, field by field.

    A course stored before a field existed gets that field's default, except the
    old clinic-wide urgent tier, which goes to the instruments with graded tiers
    (a default ``safety_urgent_min``), as it did then. Unknown fields are dropped.
    """
    known = set(InstrumentThresholds.__dataclass_fields__)
    merged = _default_thresholds()
    for code, values in stored.items():
        base = merged.get(code, InstrumentThresholds())
        kept = {k: v for k, v in values.items() if k in known}
        if legacy_urgent is not None and base.safety_urgent_min is not None:
            kept.setdefault(_LEGACY_URGENT, legacy_urgent)
        merged[code] = replace(base, **kept)
    return merged


@lru_cache(maxsize=256)
def _parse_settings(text: str) -> ClinicSettings:
    return ClinicSettings._from_json(text)
