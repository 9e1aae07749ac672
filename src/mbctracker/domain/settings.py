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


def _default_intervals() -> dict[str, int]:
    """Policy: IV ketamine induction runs 6 infusions over 2-3 weeks (every 3 days);
    KAP maintenance about every 21 days (CLINICAL.md); continuation weekly."""
    return {"induction": 3, "continuation": 7, "maintenance": 21}


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
        clinic_name, clinic_address: the PDF header (address lines joined with " · ").
        page_size: "letter" or "a4".
        backup_interval_minutes: at most one automatic backup after changes per this long.
        backup_folder: where backups are written; empty = ``backups/`` beside the database.
        idle_lock_minutes: cover patient data after this long without input; 0 = never.
        link_window_days: a pre-session assessment with no session on its day links to
            the first session at most this many days later (policy: 3, the weekend).
        bp_*, heart_rate_*, spo2_min: the vitals flowsheet's highlights and discharge
            criteria (pre-dose 140/90 as in the esketamine label; alert 180/110).
        dose_mismatch_fraction: mg vs mg/kg x weight differing by more is warned about.
        rems_monitoring_min, rems_submit_days: REMS: 2 hours' monitoring, form in 7 days.
        mt_redetermination_days: a TMS motor threshold older than this is re-determined.
        ect_seizure_eeg_min_s, ect_seizure_motor_min_s: an ECT seizure reaching neither
            is flagged as inadequate.
        session_interval_days: days between sessions by phase, so the Today view knows
            when a course is due (a course may set its own); a phase left out (follow-up)
            has no sessions due.
        follow_up_days: follow-ups due this many days after the end of induction.
        follow_up_lead_days: a follow-up is listed this many days before it is due.
        follow_up_overdue_days: and stays listed this long after, unless one is recorded.
        mrn_identifier_system: the URI naming the clinic's MRNs in FHIR exchange
            (Identifier.system); the placeholder default should be replaced by the
            clinic's own (for example its record system's OID as ``urn:oid:...``).
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
    link_window_days: int = 3
    session_interval_days: dict[str, int] = field(default_factory=_default_intervals)
    follow_up_days: tuple[int, ...] = (7, 30)
    follow_up_lead_days: int = 2
    follow_up_overdue_days: int = 14
    clinic_name: str = "Interventional Psychiatry Service"
    clinic_address: str = ""
    page_size: str = "letter"
    backup_interval_minutes: int = 30
    backup_folder: str = ""
    idle_lock_minutes: int = 0
    # Around the session (policy; see domain/procedure.py). BP in mmHg: dose at or below
    # the pre-dose limit, alert above the alert level, discharge at or below its limit.
    bp_predose_systolic_max: int = 140
    bp_predose_diastolic_max: int = 90
    bp_alert_systolic: int = 180
    bp_alert_diastolic: int = 110
    bp_discharge_systolic_max: int = 160
    bp_discharge_diastolic_max: int = 100
    heart_rate_min: int = 50
    heart_rate_max: int = 120
    spo2_min: int = 92
    dose_mismatch_fraction: Fraction = Fraction(1, 10)
    rems_monitoring_min: int = 120
    rems_submit_days: int = 7
    rems_worklist_days: int = 30
    """The Today view lists unsubmitted REMS forms of sessions at most this many days old."""
    mt_redetermination_days: int = 7
    authorised_remaining_warn: int = 3
    """The Today view lists a course once this few payer-authorised sessions are left."""
    ect_seizure_eeg_min_s: int = 25
    ect_seizure_motor_min_s: int = 20
    mrn_identifier_system: str = "urn:mbctracker:mrn"
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
            elif isinstance(cls.__dataclass_fields__[key].default, tuple):
                kwargs[key] = tuple(value)
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
