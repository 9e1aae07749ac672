"""The clinic's own settings (name, paper size, default thresholds), kept in the database.

Stored in ``app_meta`` so every workstation on a shared database prints the same
clinic name and starts new courses with the same thresholds. A course keeps a
copy of the thresholds in force when it started, so changing these later never
silently re-classifies a past course. Every change is written to the change log
(who, when, each field's old and new value) in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..domain.access import Action
from ..domain.course import Modality
from ..domain.instruments import get_instrument, remission_settable
from ..domain.settings import ClinicSettings
from ..storage.db import Database
from ..storage.errors import DamagedRecordError
from ..storage.tables import AppMeta, ChangeLog, utcnow
from . import validation as check
from .access import requires
from .backup_folder import checked_backup_folder
from .preference_fields import NumberField, number_fields, value_of, with_value

PAGE_SIZE_CHOICES = ("letter", "a4")
SETTINGS_LOG_TABLE = "clinic_settings"
"""The change log's table name for settings changes (record id 0: there is one row)."""


@dataclass(frozen=True, slots=True)
class PreferencesInput:
    """What Edit -> Preferences may change; percentages as whole numbers (50 = 50%)."""

    clinic_name: str
    clinic_address: str = ""
    page_size: str = "letter"
    response_percent: int = 50
    partial_percent: int = 25
    remission_max: dict[str, int] = field(default_factory=dict)
    backup_interval_minutes: int = 30
    idle_lock_minutes: int = 0
    mrn_identifier_system: str = "urn:mbctracker:mrn"
    numbers: dict[str, int] = field(default_factory=dict)
    """Any of :func:`~.preference_fields.number_fields` by key; those left out keep
    their value."""
    follow_up_days: str = "7, 30"
    """Days after the end of induction, comma-separated ("7, 30")."""
    reference_modality: str = "iv_ketamine"
    backup_folder: str = ""
    """Empty = ``backups/`` beside the database."""


def preferences_of(settings: ClinicSettings) -> PreferencesInput:
    """The form's starting values: the settings in force."""
    return PreferencesInput(
        clinic_name=settings.clinic_name,
        clinic_address=settings.clinic_address,
        page_size=settings.page_size.lower(),
        response_percent=round(settings.response_fraction * 100),
        partial_percent=round(settings.partial_fraction * 100),
        remission_max={
            i.code: settings.for_instrument(i.code).remission_max or 0 for i in remission_settable()
        },
        backup_interval_minutes=settings.backup_interval_minutes,
        idle_lock_minutes=settings.idle_lock_minutes,
        mrn_identifier_system=settings.mrn_identifier_system,
        numbers={f.key: value_of(settings, f) for f in number_fields()},
        follow_up_days=", ".join(str(d) for d in settings.follow_up_days),
        reference_modality=settings.outcomes.reference_modality,
        backup_folder=settings.backup_folder,
    )


@requires(Action.CLINIC_SETTINGS)
def update_clinic_settings(db: Database, form: PreferencesInput) -> ClinicSettings:
    """Validate ``form``, save it over the current settings and log each changed field.

    Raises:
        ValidationError: a value out of range, naming the field and what is allowed;
            nothing is saved.
    """
    with db.write() as session:
        row = session.get(AppMeta, SETTINGS_KEY)
        current = _parsed(row.value if row else None)
        new = _applied(current, form, db.path)
        diff = _diff(current, new)
        if not diff:
            return current
        row = row or AppMeta(key=SETTINGS_KEY, value="")
        row.value = new.to_json()
        session.add(row)
        session.add(
            ChangeLog(
                at=utcnow(),
                actor=session.info.get("actor", "unknown"),
                table_name=SETTINGS_LOG_TABLE,
                record_id=0,
                action="update",
                changes=json.dumps(diff, sort_keys=True, ensure_ascii=False),
            )
        )
    return new


def _applied(current: ClinicSettings, form: PreferencesInput, db_path: Path) -> ClinicSettings:
    """The settings with the form's values, each checked once here."""
    response = check.whole_number(form.response_percent, "response_percent", "Response", 1, 100)
    partial = check.whole_number(
        form.partial_percent, "partial_percent", "Partial response", 1, max(1, response - 1)
    )
    new = replace(
        current,
        clinic_name=check.text(form.clinic_name, "clinic_name", "Clinic name", 120, required=True),
        clinic_address=check.text(
            form.clinic_address, "clinic_address", "Clinic address", 300, multiline=True
        ),
        page_size=_page_size(form.page_size),
        response_fraction=Fraction(response, 100),
        partial_fraction=Fraction(partial, 100),
        backup_interval_minutes=check.whole_number(
            form.backup_interval_minutes, "backup_interval_minutes", "Backup every", 5, 1440
        ),
        idle_lock_minutes=check.whole_number(
            form.idle_lock_minutes, "idle_lock_minutes", "Lock when idle after", 0, 240
        ),
        mrn_identifier_system=_uri(form.mrn_identifier_system),
    )
    for code, maximum in form.remission_max.items():
        new = new.with_thresholds(code, remission_max=_remission(code, maximum))
    new = _numbers(new, form.numbers)
    new = replace(
        new,
        follow_up_days=_follow_up_days(form.follow_up_days),
        outcomes=replace(new.outcomes, reference_modality=_modality(form.reference_modality)),
        backup_folder=checked_backup_folder(form.backup_folder, db_path),
    )
    _check_together(new)
    return new


def _numbers(settings: ClinicSettings, numbers: dict[str, int]) -> ClinicSettings:
    """Each number checked against its field's range; an unknown key is refused."""
    fields = {f.key: f for f in number_fields()}
    for key, value in numbers.items():
        spec: NumberField | None = fields.get(key)
        if spec is None:
            check.refuse(key, "Preferences", f"{key!r} is not a setting", "the form's fields")
        label = spec.label.rstrip(" ≥≤").rstrip()
        checked = check.whole_number(value, key, label, spec.low, spec.high)
        settings = with_value(settings, spec, checked)
    return settings


def _follow_up_days(text: object) -> tuple[int, ...]:
    allowed = "1 to 4 whole numbers of days from 1 to 730, comma-separated, such as 7, 30"
    if not isinstance(text, str):
        check.refuse("follow_up_days", "Follow-ups due after", f"{text!r} is not text", allowed)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not 1 <= len(parts) <= 4 or not all(p.isascii() and p.isdigit() for p in parts):
        check.refuse("follow_up_days", "Follow-ups due after", f"{text!r} is not a list", allowed)
    days = tuple(int(p) for p in parts)
    if any(not 1 <= d <= 730 for d in days) or list(days) != sorted(set(days)):
        check.refuse(
            "follow_up_days", "Follow-ups due after", f"{text!r} is out of range or order", allowed
        )
    return days


def _modality(value: object) -> str:
    choices = [m.value for m in Modality]
    if value not in choices:
        check.refuse(
            "reference_modality", "Reference modality", f"{value!r} is unknown", ", ".join(choices)
        )
    return str(value)


_ORDERED = (
    ("bp_predose_systolic_max", "bp_alert_systolic", "Dose at systolic ≤", "below the alert"),
    ("bp_predose_diastolic_max", "bp_alert_diastolic", "Dose at diastolic ≤", "below the alert"),
    (
        "bp_discharge_systolic_max",
        "bp_alert_systolic",
        "Discharge at systolic ≤",
        "below the alert",
    ),
    (
        "bp_discharge_diastolic_max",
        "bp_alert_diastolic",
        "Discharge at diastolic ≤",
        "below the alert",
    ),
    ("heart_rate_min", "heart_rate_max", "Heart rate at least", "below the maximum"),
)


def _check_together(settings: ClinicSettings) -> None:
    """Limits that only make sense in order (a dose limit above the alert level)."""
    for low, high, label, must in _ORDERED:
        a, b = getattr(settings, low), getattr(settings, high)
        if a >= b:
            check.refuse(low, label.rstrip(" ≥≤"), f"{a} is not {must} ({b})", f"below {b}")
    out = settings.outcomes
    if not out.week6_first_day <= out.week6_target_day <= out.week6_last_day:
        check.refuse(
            "outcomes.week6_target_day",
            "6-week value",
            f"day {out.week6_target_day} is outside its window "
            f"(days {out.week6_first_day}-{out.week6_last_day})",
            "first day ≤ target day ≤ last day",
        )


def _uri(value: object) -> str:
    """The FHIR identifier system for MRNs: a URI the clinic owns (urn:, http:, https:)."""
    uri = check.text(value, "mrn_identifier_system", "MRN identifier system", 200, required=True)
    if not uri.startswith(("urn:", "http://", "https://")) or " " in uri:
        check.refuse(
            "mrn_identifier_system",
            "MRN identifier system",
            f"{uri!r} is not a URI",
            "urn:..., http://... or https://... without spaces (the clinic's own namespace)",
        )
    return uri


def _page_size(value: object) -> str:
    if isinstance(value, str) and value.lower() in PAGE_SIZE_CHOICES:
        return value.lower()
    check.refuse("page_size", "Paper size", f"{value!r} is unknown", ", ".join(PAGE_SIZE_CHOICES))


def _remission(code: str, maximum: object) -> int:
    instrument = get_instrument(code)
    label = f"{instrument.name} remission"
    choices = {value: text for text, value in instrument.remission_choices}
    if choices and maximum not in choices:
        allowed = "; ".join(choices.values())
        check.refuse(f"remission_{code.lower()}", label, f"{maximum!r} is not published", allowed)
    return check.whole_number(
        maximum, f"remission_{code.lower()}", label, instrument.total_min, instrument.total_max
    )


def _diff(old: ClinicSettings, new: ClinicSettings) -> dict[str, Any]:
    """Changed fields as [old, new], thresholds per instrument and field."""
    before, after = json.loads(old.to_json()), json.loads(new.to_json())
    diff: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        if key == "thresholds":
            for code in sorted(set(before[key]) | set(after[key])):
                was, now = before[key].get(code, {}), after[key].get(code, {})
                for name in sorted(set(was) | set(now)):
                    if was.get(name) != now.get(name):
                        diff[f"{code}.{name}"] = [was.get(name), now.get(name)]
        elif isinstance(before.get(key), dict) or isinstance(after.get(key), dict):
            was, now = before.get(key) or {}, after.get(key) or {}
            for name in sorted(set(was) | set(now)):  # one line per changed field
                if was.get(name) != now.get(name):
                    diff[f"{key}.{name}"] = [was.get(name), now.get(name)]
        elif before.get(key) != after.get(key):
            diff[key] = [before.get(key), after.get(key)]
    return diff


def _parsed(text: str | None) -> ClinicSettings:
    try:
        return ClinicSettings.from_json(text)
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        detail = f"unreadable clinic settings ({exc})"
        raise DamagedRecordError("app_meta", SETTINGS_KEY, "value", detail) from None


SETTINGS_KEY = "clinic_settings"


def load_clinic_settings(db: Database) -> ClinicSettings:
    """The saved settings; a damaged value is a plain error naming it, not a JSON traceback."""
    with db.read() as session:
        row = session.get(AppMeta, SETTINGS_KEY)
        return _parsed(row.value if row else None)
