"""What happens around a session: vitals, dose arithmetic, REMS, TMS and ECT checks.

Every threshold comes from :class:`~.settings.ClinicSettings` (the course's copy),
never a literal here. As for the session fields, the *clearly impossible* is
refused (:class:`~.errors.ValidationError`) and the merely unusual is returned as
a warning string, so it joins the session's plausibility warnings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from .course import SESSION_FIELDS, LabelledEnum, Modality, SessionId
from .errors import ValidationError
from .settings import ClinicSettings


class VitalPoint(LabelledEnum):
    """The timed points of the flowsheet, in the order they are taken."""

    PRE_DOSE = "pre_dose"
    DURING = "during"
    DISCHARGE = "discharge"

    @property
    def label(self) -> str:
        return {"pre_dose": "Pre-dose", "during": "During", "discharge": "Discharge"}[self.value]


VITALS_MODALITIES = frozenset({Modality.IV_KETAMINE, Modality.IM_KETAMINE, Modality.ESKETAMINE})
"""Modalities whose sessions have a vitals flowsheet."""


@dataclass(frozen=True, slots=True)
class VitalSpec:
    key: str
    label: str
    unit: str
    possible: tuple[int, int]


VITAL_FIELDS: tuple[VitalSpec, ...] = (
    VitalSpec("systolic", "Systolic BP", "mmHg", (40, 300)),
    VitalSpec("diastolic", "Diastolic BP", "mmHg", (20, 200)),
    VitalSpec("heart_rate", "Heart rate", "/min", (20, 250)),
    VitalSpec("spo2", "SpO2", "%", (50, 100)),
)


@dataclass(frozen=True, slots=True)
class VitalSigns:
    """One row of the flowsheet; any reading may be missing (not taken)."""

    point: VitalPoint
    at: datetime | None = None
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    spo2: int | None = None
    session_id: SessionId | None = None

    def value(self, key: str) -> int | None:
        found: int | None = getattr(self, key)
        return found

    @property
    def empty(self) -> bool:
        return all(self.value(spec.key) is None for spec in VITAL_FIELDS)


def check_vitals(vitals: VitalSigns) -> None:
    """Refuse a reading no living patient has, and a diastolic at or above its systolic."""
    for spec in VITAL_FIELDS:
        value = vitals.value(spec.key)
        if value is None:
            continue
        low, high = spec.possible
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                f"{vitals.point.label} {spec.label}: {value!r} is impossible; "
                f"allowed: a whole number {low}-{high} {spec.unit}",
                field=spec.key,
            )
    sys, dia = vitals.systolic, vitals.diastolic
    if sys is not None and dia is not None and dia >= sys:
        raise ValidationError(
            f"{vitals.point.label} Diastolic BP: {dia} mmHg is not below the "
            f"systolic ({sys} mmHg); allowed: a diastolic below the systolic",
            field="diastolic",
        )


def vital_alerts(vitals: VitalSigns, settings: ClinicSettings) -> dict[str, str]:
    """Readings outside the clinic's limits, by field: the flowsheet highlights these."""
    alerts: dict[str, str] = {}
    sys_max, dia_max = _bp_limits(vitals.point, settings)
    if vitals.systolic is not None and vitals.systolic > sys_max:
        alerts["systolic"] = f"systolic {vitals.systolic} above {sys_max} mmHg"
    if vitals.diastolic is not None and vitals.diastolic > dia_max:
        alerts["diastolic"] = f"diastolic {vitals.diastolic} above {dia_max} mmHg"
    hr = vitals.heart_rate
    if hr is not None and not settings.heart_rate_min <= hr <= settings.heart_rate_max:
        alerts["heart_rate"] = (
            f"heart rate {hr} outside {settings.heart_rate_min}-{settings.heart_rate_max}/min"
        )
    if vitals.spo2 is not None and vitals.spo2 < settings.spo2_min:
        alerts["spo2"] = f"SpO2 {vitals.spo2}% below {settings.spo2_min}%"
    return alerts


def _bp_limits(point: VitalPoint, settings: ClinicSettings) -> tuple[int, int]:
    """Pre-dose: the limit to dose at; discharge: to leave at; during: the alert level."""
    if point == VitalPoint.PRE_DOSE:
        return settings.bp_predose_systolic_max, settings.bp_predose_diastolic_max
    if point == VitalPoint.DISCHARGE:
        return settings.bp_discharge_systolic_max, settings.bp_discharge_diastolic_max
    return settings.bp_alert_systolic, settings.bp_alert_diastolic


@dataclass(frozen=True, slots=True)
class DischargeStatus:
    met: bool
    reasons: tuple[str, ...]
    """Why not (empty when met)."""

    @property
    def text(self) -> str:
        if self.met:
            return "Discharge criteria met"
        return "Discharge criteria not met: " + "; ".join(self.reasons)


def discharge_status(readings: Sequence[VitalSigns], settings: ClinicSettings) -> DischargeStatus:
    """Met when the last discharge reading is complete and inside the discharge limits."""
    discharge = [r for r in readings if r.point == VitalPoint.DISCHARGE and not r.empty]
    if not discharge:
        return DischargeStatus(False, ("no discharge vitals recorded",))
    last = discharge[-1]
    missing = [s.label for s in VITAL_FIELDS if last.value(s.key) is None]
    reasons = [f"{', '.join(missing)} not taken"] if missing else []
    reasons += vital_alerts(last, settings).values()
    return DischargeStatus(not reasons, tuple(reasons))


# --- dose arithmetic ----------------------------------------------------------------------

_DOSE_KEYS = ("dose_mg", "dose_mg_per_kg", "weight_kg")


def _number(details: Mapping[str, object], key: str) -> float | None:
    value = details.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return float(value)


def complete_dose(details: Mapping[str, object]) -> dict[str, object]:
    """Fill the one missing value of mg, mg/kg and weight from the other two.

    mg is kept to one decimal and mg/kg to two, as a clinician writes them.
    """
    filled = dict(details)
    mg, per_kg, weight = (_number(details, k) for k in _DOSE_KEYS)
    if weight is None:
        return filled
    if mg is None and per_kg is not None:
        filled["dose_mg"] = round(per_kg * weight, 1)
    elif per_kg is None and mg is not None:
        filled["dose_mg_per_kg"] = round(mg / weight, 2)
    return filled


def dose_warnings(
    modality: Modality, details: Mapping[str, object], settings: ClinicSettings
) -> list[str]:
    """Cross-check mg against mg/kg x weight.

    Raises:
        ValidationError: mg over weight gives a mg/kg no one is given (outside the
            field's possible range), whatever mg/kg was typed.
    """
    mg, per_kg, weight = (_number(details, k) for k in _DOSE_KEYS)
    if mg is None or per_kg is None or weight is None:
        return []
    implied = mg / weight
    spec = next((f for f in SESSION_FIELDS[modality] if f.key == "dose_mg_per_kg"), None)
    if spec is not None and spec.possible and not spec.possible[0] <= implied <= spec.possible[1]:
        low, high = spec.possible
        raise ValidationError(
            f"Dose: {mg:g} mg at {weight:g} kg is {implied:.2f} mg/kg, not the {per_kg:g} "
            f"mg/kg entered; allowed: mg, mg/kg and weight that agree ({low:g}-{high:g} mg/kg)",
            field="dose_mg",
        )
    if _beyond(mg / weight, per_kg, settings.dose_mismatch_fraction):
        return [
            f"Dose: {mg:g} mg at {weight:g} kg is {implied:.2f} mg/kg, not the {per_kg:g} "
            f"mg/kg entered (check the dose and the weight)"
        ]
    return []


def _beyond(implied: float, entered: float, tolerance: Fraction) -> bool:
    """|implied - entered| > tolerance x entered, in exact decimals (10% off is not beyond)."""
    exact = Fraction(str(implied)).limit_denominator(10**6)
    typed = Fraction(str(entered))
    return abs(exact - typed) > typed * tolerance


# --- ECT ----------------------------------------------------------------------------------


def seizure_warnings(details: Mapping[str, object], settings: ClinicSettings) -> list[str]:
    """An ECT seizure is adequate when EEG or motor duration reaches the clinic's threshold."""
    eeg, motor = _number(details, "seizure_eeg_s"), _number(details, "seizure_motor_s")
    if eeg is None and motor is None:
        return []
    eeg_ok = eeg is not None and eeg >= settings.ect_seizure_eeg_min_s
    motor_ok = motor is not None and motor >= settings.ect_seizure_motor_min_s
    if eeg_ok or motor_ok:
        return []
    measured = []
    if eeg is not None:
        measured.append(f"EEG {eeg:g} s (threshold {settings.ect_seizure_eeg_min_s} s)")
    if motor is not None:
        measured.append(f"motor {motor:g} s (threshold {settings.ect_seizure_motor_min_s} s)")
    return [
        "Seizure below the clinic's adequacy threshold: "
        + ", ".join(measured)
        + "; consider re-stimulation"
    ]


# --- "same as last" -----------------------------------------------------------------------

SAME_AS_LAST: dict[Modality, tuple[str, ...]] = {
    Modality.TMS: ("protocol", "target", "motor_threshold", "percent_mt", "pulses"),
    Modality.ECT: (
        "placement",
        "pulse_width_ms",
        "charge_mc",
        "frequency_hz",
        "train_duration_s",
        "anaesthetic",
        "anaesthetic_dose_mg",
        "relaxant",
        "relaxant_dose_mg",
    ),
}
"""The settings carried from the last session (never its outcomes: seizure, impedance)."""


def carried_over(modality: Modality, previous: Mapping[str, object]) -> dict[str, object]:
    """The last session's settings to start this one from."""
    keys = SAME_AS_LAST.get(modality, ())
    return {k: previous[k] for k in keys if previous.get(k) not in (None, "")}


def changed_settings(
    modality: Modality, previous: Mapping[str, object], current: Mapping[str, object]
) -> tuple[str, ...]:
    """Keys of the carried settings that differ from the last session (highlighted)."""
    keys = SAME_AS_LAST.get(modality, ())
    return tuple(k for k in keys if _same(previous.get(k)) != _same(current.get(k)))


def _same(value: object) -> object:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return str(value)


# --- TMS ----------------------------------------------------------------------------------


def mt_reminder(determined_on: date | None, today: date, settings: ClinicSettings) -> str | None:
    """A reminder when the motor threshold is older than the clinic's interval, else None.

    The action comes first: where the line is too narrow for all of it, what to do
    is still read.
    """
    interval = settings.mt_redetermination_days
    if determined_on is None:
        return f"Re-determine the motor threshold: no date recorded (every {interval} days)"
    age = (today - determined_on).days
    if age <= interval:
        return None
    return (
        f"Re-determine the motor threshold: last {determined_on:%Y-%m-%d}, "
        f"{age} days ago (every {interval} days)"
    )


def sessions_left(authorised: int | None, used: int) -> int | None:
    """Payer-authorised sessions not yet used (negative: over the authorisation)."""
    return None if authorised is None else authorised - used


def authorisation_text(authorised: int | None, used: int) -> str | None:
    """ "Authorised 30 · 12 left" for the course view and the PDF; None when not tracked."""
    left = sessions_left(authorised, used)
    if left is None:
        return None
    if left < 0:
        return f"Authorised {authorised} \u00b7 {-left} over the authorisation"
    return f"Authorised {authorised} \u00b7 {left} left"


# --- esketamine REMS ----------------------------------------------------------------------

REMS_CONCOMITANT: tuple[str, ...] = (
    "benzodiazepines",
    "sedative-hypnotics",
    "psychostimulants",
    "MAOIs",
)
"""Concomitant medications the REMS patient monitoring form asks about."""

RESPIRATORY_STATUS: tuple[str, ...] = ("normal", "changed")


@dataclass(frozen=True, slots=True)
class RemsRecord:
    """The Spravato REMS patient monitoring record of one session.

    Dose, blood pressure, sedation and dissociation are the session's own details
    and vitals (entered once); this holds what only the form asks.
    """

    lot_number: str = ""
    monitoring_start: datetime | None = None
    monitoring_end: datetime | None = None
    ready_to_leave_at: datetime | None = None
    respiratory_status: str = ""
    concomitant: tuple[str, ...] = ()
    submitted_on: date | None = None
    session_id: SessionId | None = None
    version: int = 1

    @property
    def monitoring_minutes(self) -> int | None:
        if self.monitoring_start is None or self.monitoring_end is None:
            return None
        return int((self.monitoring_end - self.monitoring_start).total_seconds() // 60)


def check_rems(record: RemsRecord, settings: ClinicSettings) -> list[str]:
    """Refuse times in the wrong order; warn on monitoring shorter than the REMS minimum."""
    if record.respiratory_status and record.respiratory_status not in RESPIRATORY_STATUS:
        raise ValidationError(
            f"Respiratory status: {record.respiratory_status!r} is not one of the choices; "
            f"allowed: {', '.join(RESPIRATORY_STATUS)}",
            field="respiratory_status",
        )
    for name in record.concomitant:
        if name not in REMS_CONCOMITANT:
            raise ValidationError(
                f"Concomitant medication: {name!r} is not on the REMS form; "
                f"allowed: {', '.join(REMS_CONCOMITANT)}",
                field="concomitant",
            )
    minutes = record.monitoring_minutes
    if minutes is not None and minutes < 0:
        raise ValidationError(
            "Monitoring end: before the monitoring start; allowed: a time after the start",
            field="monitoring_end",
        )
    warnings = []
    if minutes is not None and minutes < settings.rems_monitoring_min:
        warnings.append(
            f"Monitoring time: {minutes} min is shorter than the REMS minimum of "
            f"{settings.rems_monitoring_min} min"
        )
    end, ready = record.monitoring_end, record.ready_to_leave_at
    if end is not None and ready is not None and ready < end:
        warnings.append("Ready to leave: before monitoring ended")
    return warnings


def rems_days_left(performed_on: date, today: date, settings: ClinicSettings) -> int:
    """Days left to submit the form (REMS expects it within 7 days); negative when late."""
    return settings.rems_submit_days - (today - performed_on).days
