"""The course vocabulary: modalities, phases, statuses, events, session details.

Modality-specific session fields are data (:data:`SESSION_FIELDS`) so the entry
form, validation, the PDF and export all read the same definition. Each numeric
field has a *plausible* range (outside it: a warning naming the range) and a
*possible* range (outside it: refused).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NewType

from .errors import ValidationError

PatientId = NewType("PatientId", int)
CourseId = NewType("CourseId", int)
SessionId = NewType("SessionId", int)
AssessmentId = NewType("AssessmentId", int)
EventId = NewType("EventId", int)


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a human label for forms and reports."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())


class Modality(LabelledEnum):
    IV_KETAMINE = "iv_ketamine"
    IM_KETAMINE = "im_ketamine"
    ESKETAMINE = "esketamine"
    TMS = "tms"
    ECT = "ect"


class Phase(LabelledEnum):
    INDUCTION = "induction"
    CONTINUATION = "continuation"
    MAINTENANCE = "maintenance"
    FOLLOW_UP = "follow_up"


class CourseStatus(LabelledEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"


class DropoutReason(LabelledEnum):
    LOGISTICAL = "logistical"
    SIDE_EFFECTS = "side_effects"
    LACK_OF_BENEFIT = "lack_of_benefit"
    COST = "cost"
    OTHER = "other"


class EventKind(LabelledEnum):
    HOSPITALIZATION = "hospitalization"
    ED_VISIT = "ed_visit"
    ADVERSE_EVENT = "adverse_event"
    DROPOUT = "dropout"


class Timepoint(LabelledEnum):
    BASELINE = "baseline"
    PRE_SESSION = "pre_session"
    FOLLOW_UP = "follow_up"


class SafetyActionKind(LabelledEnum):
    REVIEWED = "reviewed"
    SAFETY_PLAN = "safety_plan"
    STRUCTURED_ASSESSMENT = "structured_assessment"
    REFERRAL = "referral"
    OTHER = "other"


class Sex(LabelledEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Comorbidity(LabelledEnum):
    ANXIETY = "anxiety_disorder"
    PERSONALITY = "personality_disorder"
    BIPOLAR = "bipolar_disorder"
    PSYCHOTIC = "psychotic_disorder"
    SUBSTANCE_USE = "substance_use_disorder"
    PTSD = "ptsd"
    OCD = "ocd"


_LABELS = {
    "iv_ketamine": "IV ketamine",
    "im_ketamine": "IM ketamine (KAP)",
    "esketamine": "Esketamine",
    "tms": "TMS",
    "ect": "ECT",
    "follow_up": "Follow-up",
    "pre_session": "Pre-session",
    "ed_visit": "ED visit",
    "hospitalization": "Psychiatric hospitalization",
    "structured_assessment": "Structured risk assessment",
    "ptsd": "PTSD",
    "ocd": "OCD",
}


@dataclass(frozen=True, slots=True)
class DetailField:
    """One modality-specific session field."""

    key: str
    label: str
    unit: str = ""
    kind: str = "float"  # float | int | choice | text
    plausible: tuple[float, float] | None = None
    possible: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()


_BP = (
    DetailField("bp_before_sys", "BP before, systolic", "mmHg", "int", (80, 180), (40, 300)),
    DetailField("bp_before_dia", "BP before, diastolic", "mmHg", "int", (40, 110), (20, 200)),
    DetailField("bp_peak_sys", "BP peak, systolic", "mmHg", "int", (80, 200), (40, 300)),
    DetailField("bp_peak_dia", "BP peak, diastolic", "mmHg", "int", (40, 120), (20, 200)),
    DetailField("bp_after_sys", "BP after, systolic", "mmHg", "int", (80, 180), (40, 300)),
    DetailField("bp_after_dia", "BP after, diastolic", "mmHg", "int", (40, 110), (20, 200)),
)

_WEIGHT = DetailField("weight_kg", "Weight", "kg", "float", (35, 200), (2, 400))
"""The session's weight: mg and mg/kg are computed from each other with it."""

SESSION_FIELDS: dict[Modality, tuple[DetailField, ...]] = {
    Modality.IV_KETAMINE: (
        DetailField("dose_mg_per_kg", "Dose", "mg/kg", "float", (0.1, 1.5), (0.01, 5)),
        DetailField("dose_mg", "Dose", "mg", "float", (5, 150), (0.5, 500)),
        _WEIGHT,
        DetailField("duration_min", "Infusion duration", "min", "int", (20, 100), (1, 480)),
        *_BP,
    ),
    Modality.IM_KETAMINE: (
        DetailField("dose_mg_per_kg", "Dose", "mg/kg", "float", (0.2, 2.0), (0.01, 5)),
        DetailField("dose_mg", "Dose", "mg", "float", (10, 200), (0.5, 500)),
        _WEIGHT,
        DetailField("duration_min", "Session duration", "min", "int", (30, 240), (1, 600)),
        *_BP,
    ),
    Modality.ESKETAMINE: (
        DetailField("dose_mg", "Dose", "mg", "choice", choices=("28", "56", "84")),
        DetailField("monitoring_min", "Monitoring time", "min", "int", (120, 240), (0, 600)),
        *_BP,
        DetailField(
            "sedation", "Sedation", "", "choice", choices=("none", "mild", "moderate", "severe")
        ),
        DetailField(
            "dissociation",
            "Dissociation",
            "",
            "choice",
            choices=("none", "mild", "moderate", "severe"),
        ),
    ),
    Modality.TMS: (
        DetailField(
            "protocol", "Protocol", "", "choice", choices=("10 Hz", "iTBS", "cTBS", "bilateral")
        ),
        DetailField("target", "Target", "", "text"),
        DetailField("motor_threshold", "Motor threshold", "% output", "float", (20, 90), (1, 100)),
        DetailField("percent_mt", "Intensity", "% MT", "float", (80, 130), (1, 150)),
        DetailField("pulses", "Pulses", "", "int", (600, 4000), (1, 10000)),
    ),
    Modality.ECT: (
        DetailField(
            "placement",
            "Electrode placement",
            "",
            "choice",
            choices=("right unilateral", "bitemporal", "bifrontal"),
        ),
        DetailField("pulse_width_ms", "Pulse width", "ms", "float", (0.25, 1.5), (0.1, 2.0)),
        DetailField("charge_mc", "Charge", "mC", "float", (25, 1008), (1, 1200)),
        DetailField("frequency_hz", "Frequency", "Hz", "float", (10, 140), (1, 200)),
        DetailField("train_duration_s", "Train duration", "s", "float", (0.5, 8), (0.1, 12)),
        DetailField("impedance_ohm", "Impedance", "ohm", "int", (100, 3000), (1, 10000)),
        DetailField("seizure_eeg_s", "Seizure duration, EEG", "s", "int", (15, 120), (0, 600)),
        DetailField("seizure_motor_s", "Seizure duration, motor", "s", "int", (10, 90), (0, 600)),
        DetailField("psi_percent", "Post-ictal suppression index", "%", "int", (20, 100), (0, 100)),
        DetailField("anaesthetic", "Anaesthetic", "", "text"),
        DetailField(
            "anaesthetic_dose_mg", "Anaesthetic dose", "mg", "float", (10, 300), (0.1, 2000)
        ),
        DetailField("relaxant", "Muscle relaxant", "", "text"),
        DetailField("relaxant_dose_mg", "Relaxant dose", "mg", "float", (10, 200), (0.1, 1000)),
    ),
}

SIDE_EFFECTS: dict[Modality, tuple[str, ...]] = {
    Modality.IV_KETAMINE: (
        "nausea/vomiting",
        "raised blood pressure",
        "blurred vision",
        "dissociation",
        "perceptual change",
    ),
    Modality.IM_KETAMINE: (
        "nausea/vomiting",
        "raised blood pressure",
        "blurred vision",
        "dissociation",
        "perceptual change",
    ),
    Modality.ESKETAMINE: (
        "raised blood pressure",
        "sedation",
        "dissociation",
        "nausea/vomiting",
        "dizziness",
    ),
    Modality.TMS: ("scalp discomfort", "headache", "twitching"),
    Modality.ECT: ("memory loss", "confusion", "headache", "muscle soreness", "nausea"),
}

PRN_MEDICATIONS: dict[Modality, tuple[str, ...]] = {
    Modality.IV_KETAMINE: ("antiemetic", "antihypertensive"),
    Modality.IM_KETAMINE: ("antiemetic", "antihypertensive"),
    Modality.ESKETAMINE: ("antiemetic", "antihypertensive"),
    Modality.TMS: ("analgesic",),
    Modality.ECT: ("analgesic", "antiemetic"),
}

TYPICAL_PLANNED_SESSIONS: dict[Modality, int] = {
    Modality.IV_KETAMINE: 6,
    Modality.IM_KETAMINE: 6,
    Modality.ESKETAMINE: 8,
    Modality.TMS: 36,
    Modality.ECT: 12,
}


def check_session_details(modality: Modality, details: Mapping[str, object]) -> list[str]:
    """Validate modality details: refuse the impossible, return warnings for the implausible.

    Raises:
        ValidationError: an unknown field, a wrong type, an unknown choice or an impossible value.
    """
    fields = {f.key: f for f in SESSION_FIELDS[modality]}
    warnings: list[str] = []
    for key, value in details.items():
        if key not in fields:
            raise ValidationError(
                f"{modality.label} sessions have no field {key!r}; allowed: {', '.join(fields)}",
                field=key,
            )
        if value is None or value == "":
            continue
        warning = _check_detail(fields[key], value)
        if warning:
            warnings.append(warning)
    _check_bp_pairs(details)
    return warnings


def _check_bp_pairs(details: Mapping[str, object]) -> None:
    """A diastolic pressure at or above its systolic is a typing error, never a reading."""
    for moment in ("before", "peak", "after"):
        systolic = details.get(f"bp_{moment}_sys")
        diastolic = details.get(f"bp_{moment}_dia")
        numbers = isinstance(systolic, (int, float)) and isinstance(diastolic, (int, float))
        if numbers and diastolic >= systolic:  # type: ignore[operator]
            raise ValidationError(
                f"BP {moment}: diastolic ({diastolic:g} mmHg) must be below systolic "
                f"({systolic:g} mmHg)",
                field=f"bp_{moment}_dia",
            )


def _check_detail(spec: DetailField, value: object) -> str | None:
    if spec.kind == "choice":
        if str(value) not in spec.choices:
            raise ValidationError(
                f"{spec.label} must be one of {', '.join(spec.choices)}; got {value!r}",
                field=spec.key,
            )
        return None
    if spec.kind == "text":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(
            f"{spec.label} must be a number ({spec.unit}); got {value!r}", field=spec.key
        )
    if spec.kind == "int" and not float(value).is_integer():
        raise ValidationError(
            f"{spec.label} must be a whole number ({spec.unit}); got {value:g}", field=spec.key
        )
    if spec.possible and not spec.possible[0] <= value <= spec.possible[1]:
        lo, hi = spec.possible
        raise ValidationError(
            f"{spec.label} of {value:g} {spec.unit} is impossible; "
            f"allowed {lo:g}-{hi:g} {spec.unit}",
            field=spec.key,
        )
    if spec.plausible and not spec.plausible[0] <= value <= spec.plausible[1]:
        lo, hi = spec.plausible
        return (
            f"{spec.label} of {value:g} {spec.unit} is unusual "
            f"(plausible {lo:g}-{hi:g} {spec.unit})"
        )
    return None
