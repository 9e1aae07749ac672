"""Every number in :class:`ClinicSettings` that Edit -> Preferences can change: its key,
label, unit, allowed range, tab and source, in one table.

The services check each value against this table (once, at the boundary) and the
dialog builds its spin boxes from it, so the form and the check never disagree. A key
names where the value lives: ``bp_alert_systolic``, ``session_interval_days.induction``,
``outcomes.cm_window_days`` or ``thresholds.PHQ9.caseness_min``; ``percent`` values are
stored as fractions (20 -> 1/5).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ..domain.instruments import INSTRUMENTS, Instrument
from ..domain.settings import ClinicSettings

OUTCOMES_TAB = "Response and remission"
INSTRUMENTS_TAB = "Instruments"
SCHEDULE_TAB = "Schedule"
SESSION_TAB = "Around the session"
ANALYSES_TAB = "Clinic outcomes"
TABS = (OUTCOMES_TAB, INSTRUMENTS_TAB, SCHEDULE_TAB, SESSION_TAB, ANALYSES_TAB)


@dataclass(frozen=True, slots=True)
class NumberField:
    """One whole-number setting as the form shows it and the services check it."""

    key: str
    label: str
    low: int
    high: int
    unit: str
    source: str
    tab: str
    percent: bool = False
    """Shown as a whole percent, stored as a fraction (or a float for the outcomes)."""


def _general() -> list[NumberField]:
    f, o, sch, ses = NumberField, OUTCOMES_TAB, SCHEDULE_TAB, SESSION_TAB
    return [
        f(
            "sustained_min_assessments",
            "Sustained: consecutive assessments",
            2,
            20,
            "",
            "Default 2 or more consecutive valid assessments (CLINICAL.md policy)",
            o,
        ),
        f(
            "sustained_min_days",
            "Sustained: spanning at least",
            0,
            365,
            " days",
            "Default 14 days (CLINICAL.md policy)",
            o,
        ),
        f(
            "early_improvement_fraction",
            "Early improvement ≥",
            5,
            90,
            " %",
            "Default 20% by about week 2 predicts later response (CLINICAL.md)",
            o,
            True,
        ),
        f(
            "early_improvement_days",
            "Early improvement judged by day",
            7,
            84,
            "",
            "Default day 14 (about week 2)",
            o,
        ),
        f(
            "early_improvement_session",
            "IV ketamine: judged by infusion",
            1,
            20,
            "",
            "Default 4: no 20% improvement by infusion 4 predicted non-response",
            o,
        ),
        f(
            "baseline_window_days",
            "Baseline may be dated before the start by",
            0,
            365,
            " days",
            "Default 90 days (policy)",
            o,
        ),
        f(
            "session_interval_days.induction",
            "Induction: a session every",
            1,
            90,
            " days",
            "Default 3: 6 IV ketamine infusions over 2-3 weeks (CLINICAL.md)",
            sch,
        ),
        f(
            "session_interval_days.continuation",
            "Continuation: a session every",
            1,
            180,
            " days",
            "Default 7 (policy)",
            sch,
        ),
        f(
            "session_interval_days.maintenance",
            "Maintenance: a session every",
            1,
            365,
            " days",
            "Default 21: KAP maintenance about every 21 days (CLINICAL.md)",
            sch,
        ),
        f(
            "link_window_days",
            "Link a score to a session up to",
            0,
            14,
            " days later",
            "Default 3 (the weekend): a score with no session that day links to the next",
            sch,
        ),
        f(
            "follow_up_lead_days",
            "List a follow-up before it is due by",
            0,
            30,
            " days",
            "Default 2",
            sch,
        ),
        f(
            "follow_up_overdue_days",
            "Keep an overdue follow-up listed for",
            0,
            180,
            " days",
            "Default 14",
            sch,
        ),
        f(
            "rems_worklist_days",
            "Today lists unsubmitted REMS forms of the last",
            1,
            365,
            " days",
            "Default 30",
            sch,
        ),
        f(
            "authorised_remaining_warn",
            "Warn when payer-authorised sessions left ≤",
            0,
            100,
            "",
            "Default 3",
            sch,
        ),
        f(
            "bp_predose_systolic_max",
            "Dose at systolic ≤",
            80,
            220,
            " mmHg",
            "Default 140/90 before dosing, as in the esketamine label",
            ses,
        ),
        f("bp_predose_diastolic_max", "Dose at diastolic ≤", 40, 140, " mmHg", "Default 90", ses),
        f(
            "bp_alert_systolic",
            "Alert above systolic",
            100,
            260,
            " mmHg",
            "Default 180/110 (policy)",
            ses,
        ),
        f("bp_alert_diastolic", "Alert above diastolic", 60, 160, " mmHg", "Default 110", ses),
        f(
            "bp_discharge_systolic_max",
            "Discharge at systolic ≤",
            80,
            240,
            " mmHg",
            "Default 160/100 (policy)",
            ses,
        ),
        f(
            "bp_discharge_diastolic_max",
            "Discharge at diastolic ≤",
            40,
            150,
            " mmHg",
            "Default 100",
            ses,
        ),
        f("heart_rate_min", "Heart rate at least", 20, 120, " /min", "Default 50", ses),
        f("heart_rate_max", "Heart rate at most", 60, 250, " /min", "Default 120", ses),
        f("spo2_min", "SpO₂ at least", 70, 100, " %", "Default 92%", ses),
        f(
            "dose_mismatch_fraction",
            "Warn when mg and mg/kg × weight differ by >",
            1,
            50,
            " %",
            "Default 10%",
            ses,
            True,
        ),
        f(
            "rems_monitoring_min",
            "REMS: monitor for at least",
            30,
            600,
            " min",
            "Default 120: esketamine REMS, 2 hours after the dose",
            ses,
        ),
        f(
            "rems_submit_days",
            "REMS: submit the form within",
            1,
            60,
            " days",
            "Default 7 days (esketamine REMS)",
            ses,
        ),
        f(
            "mt_redetermination_days",
            "TMS: re-determine a motor threshold older than",
            1,
            180,
            " days",
            "Default 7 days (policy)",
            ses,
        ),
        f(
            "ect_seizure_eeg_min_s",
            "ECT: adequate EEG seizure ≥",
            5,
            180,
            " s",
            "Default 25 s (policy)",
            ses,
        ),
        f(
            "ect_seizure_motor_min_s",
            "ECT: adequate motor seizure ≥",
            5,
            180,
            " s",
            "Default 20 s (policy)",
            ses,
        ),
    ]


def _analyses() -> list[NumberField]:
    f, a = NumberField, ANALYSES_TAB
    return [
        f(
            "outcomes.week6_target_day",
            "6-week value: closest to day",
            7,
            365,
            "",
            "Default day 42 (Psychiatry Res 2025)",
            a,
        ),
        f("outcomes.week6_first_day", "6-week window from day", 0, 365, "", "Default 28", a),
        f("outcomes.week6_last_day", "6-week window to day", 1, 730, "", "Default 56", a),
        f(
            "outcomes.cm_window_days",
            "C/M: a session within",
            7,
            365,
            " days",
            "Default 90 days after the last induction session (CLINICAL.md)",
            a,
        ),
        f(
            "outcomes.hospitalization_days",
            "C/M outcome: hospitalization within",
            30,
            1095,
            " days",
            "Default 365 days (Psychiatry Res 2025)",
            a,
        ),
        f(
            "outcomes.min_group",
            "Fewest courses to report a rate or model",
            2,
            10000,
            "",
            "Default 10",
            a,
        ),
        f(
            "outcomes.min_events",
            "Fewest events for the relative-risk model",
            1,
            10000,
            "",
            "Default 5",
            a,
        ),
        f(
            "outcomes.trajectory_max_classes",
            "Trajectory groups: at most",
            1,
            10,
            "",
            "Default 6; BIC chooses among 1 to this (J Affect Disord 2026 found 4)",
            a,
        ),
        f("outcomes.trajectory_degree", "Trajectory curve degree", 1, 3, "", "Default 2", a),
        f("outcomes.trajectory_starts", "Trajectory random starts", 1, 50, "", "Default 5", a),
        f(
            "outcomes.trajectory_max_visit",
            "Trajectory: last visit modelled",
            2,
            40,
            "",
            "Default 8 (baseline = 0)",
            a,
        ),
        f(
            "outcomes.trajectory_seed",
            "Trajectory seed",
            0,
            2_000_000_000,
            "",
            "Default 2026: the same data gives the same groups",
            a,
        ),
        f(
            "outcomes.trajectory_min_appa",
            "Flag groups with mean posterior below",
            50,
            100,
            " %",
            "Default 70%",
            a,
            True,
        ),
        f(
            "outcomes.trajectory_min_share",
            "Flag groups smaller than",
            1,
            50,
            " %",
            "Default 5% of patients",
            a,
            True,
        ),
    ]


_THRESHOLD_SOURCES = {
    "max_missing": (
        "{name}: prorate with at most",
        " missing item(s)",
        "Default {d} (CLINICAL.md policy); more missing = no total",
    ),
    "caseness_min": ("{name}: a case at ≥", "", "Default {d} (NHS Talking Therapies)"),
    "reliable_change": (
        "{name}: reliable change ≥",
        " points",
        "Default {d} (NHS Talking Therapies)",
    ),
    "mcid": (
        "{name}: clinically important change ≥",
        " points",
        "Default {d} points (minimal clinically important difference)",
    ),
    "safety_item_min": ("{name}: flag item {item} at ≥", "", "Default {d} (CLINICAL.md policy)"),
}


def _threshold_fields(inst: Instrument) -> list[NumberField]:
    """The instrument's thresholds that have a default (None = no standard value: not
    settable); a safety item the scale itself fixes (PHQ-9 item 9) is not offered."""
    found = []
    for name, (label, unit, source) in _THRESHOLD_SOURCES.items():
        default = getattr(inst.thresholds, name)
        if default is None or (name == "max_missing" and inst.n_items < 2):
            continue
        if name == "safety_item_min" and (inst.safety is None or inst.safety.fixed_minimum):
            continue
        item = inst.safety.item if inst.safety else 0
        low, high = _threshold_range(inst, name)
        found.append(
            NumberField(
                f"thresholds.{inst.code}.{name}",
                label.format(name=inst.name, item=item),
                low,
                high,
                unit,
                source.format(d=default),
                INSTRUMENTS_TAB,
            )
        )
    return found


def _threshold_range(inst: Instrument, name: str) -> tuple[int, int]:
    if name == "max_missing":
        return 0, inst.n_items // 2
    if name == "safety_item_min":
        return max(1, inst.item_min), inst.item_max
    if name == "caseness_min":
        return inst.total_min + 1, inst.total_max
    return 1, inst.total_max - inst.total_min


def number_fields() -> tuple[NumberField, ...]:
    """Every settable number, registered instruments included (read when asked)."""
    fields = _general() + [f for inst in INSTRUMENTS.values() for f in _threshold_fields(inst)]
    return tuple(fields + _analyses())


# -- reading and writing one value ------------------------------------------------------
def value_of(settings: ClinicSettings, field: NumberField) -> int:
    """The setting in force, as the form shows it (a whole number; percents x 100)."""
    raw = _get(settings, field.key)
    if field.percent:
        return round(float(raw) * 100)
    return int(raw)


def with_value(settings: ClinicSettings, field: NumberField, value: int) -> ClinicSettings:
    """A copy of ``settings`` with ``value`` (already checked) in ``field``'s place."""
    parts = field.key.split(".")
    if parts[0] == "thresholds":
        return settings.with_thresholds(parts[1], **{parts[2]: value})
    stored: Any = value
    if field.percent:
        stored = Fraction(value, 100) if len(parts) == 1 else value / 100
    if len(parts) == 1:
        return replace(settings, **{parts[0]: stored})
    if parts[0] == "outcomes":
        return replace(settings, outcomes=replace(settings.outcomes, **{parts[1]: stored}))
    table: dict[str, Any] = dict(getattr(settings, parts[0]))
    table[parts[1]] = stored
    changes: dict[str, Any] = {parts[0]: table}
    return replace(settings, **changes)


def _get(settings: ClinicSettings, key: str) -> Any:
    parts = key.split(".")
    if parts[0] == "thresholds":
        return getattr(settings.for_instrument(parts[1]), parts[2])
    value: Any = getattr(settings, parts[0])
    if len(parts) == 1:
        return value
    if isinstance(value, dict):  # a phase the stored settings left out: the default
        return value.get(parts[1], getattr(ClinicSettings(), parts[0]).get(parts[1], 1))
    return getattr(value, parts[1])
