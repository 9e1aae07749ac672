"""The pure rules around a session: limits, discharge, dose arithmetic, seizure, "same as last"."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mbctracker.domain.course import Modality
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.procedure import (
    RemsRecord,
    VitalPoint,
    VitalSigns,
    authorisation_text,
    carried_over,
    changed_settings,
    check_rems,
    complete_dose,
    discharge_status,
    dose_warnings,
    rems_days_left,
    seizure_warnings,
    vital_alerts,
)
from mbctracker.domain.settings import DEFAULT_SETTINGS, ClinicSettings

S = DEFAULT_SETTINGS


def test_limits_are_inclusive_and_per_point() -> None:
    assert vital_alerts(VitalSigns(VitalPoint.PRE_DOSE, None, 140, 90, 50, 92), S) == {}
    assert set(vital_alerts(VitalSigns(VitalPoint.PRE_DOSE, None, 141, 91, 49, 91), S)) == {
        "systolic",
        "diastolic",
        "heart_rate",
        "spo2",
    }
    assert vital_alerts(VitalSigns(VitalPoint.DURING, None, 180, 110), S) == {}
    assert "systolic" in vital_alerts(VitalSigns(VitalPoint.DURING, None, 181, 80), S)


def test_limits_come_from_the_settings_and_survive_json() -> None:
    strict = ClinicSettings(bp_predose_systolic_max=130, spo2_min=95)
    assert ClinicSettings.from_json(strict.to_json()) == strict
    reading = VitalSigns(VitalPoint.PRE_DOSE, None, 135, 80, 70, 94)
    assert set(vital_alerts(reading, strict)) == {"systolic", "spo2"}
    assert vital_alerts(reading, S) == {}


def test_discharge_needs_a_complete_reading_within_limits() -> None:
    assert discharge_status([], S).reasons == ("no discharge vitals recorded",)
    partial = VitalSigns(VitalPoint.DISCHARGE, None, 130, 80)
    assert discharge_status([partial], S).text == (
        "Discharge criteria not met: Heart rate, SpO2 not taken"
    )
    good = VitalSigns(VitalPoint.DISCHARGE, None, 130, 80, 70, 97)
    assert discharge_status([partial, good], S).met  # the last discharge reading counts


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"weight_kg": 70.0, "dose_mg_per_kg": 0.5}, {"dose_mg": 35.0}),
        ({"weight_kg": 70.0, "dose_mg": 50.0}, {"dose_mg_per_kg": 0.71}),
        ({"dose_mg_per_kg": 0.5}, {}),
        ({"weight_kg": 0, "dose_mg_per_kg": 0.5}, {}),  # no division by zero, no guess
        ({"weight_kg": "70", "dose_mg_per_kg": 0.5}, {}),  # a string is left to validation
    ],
)
def test_complete_dose(details: dict[str, object], expected: dict[str, object]) -> None:
    assert complete_dose(details) == {**details, **expected}


def test_dose_cross_check_refuses_only_the_impossible() -> None:
    with pytest.raises(ValidationError, match=r"6\.43 mg/kg"):
        dose_warnings(
            Modality.IV_KETAMINE, {"weight_kg": 70, "dose_mg_per_kg": 1.0, "dose_mg": 450}, S
        )
    within = {"weight_kg": 70, "dose_mg_per_kg": 0.5, "dose_mg": 38.5}  # exactly 10% off
    assert dose_warnings(Modality.IV_KETAMINE, within, S) == []
    off = {"weight_kg": 70, "dose_mg_per_kg": 0.5, "dose_mg": 39.0}
    assert len(dose_warnings(Modality.IV_KETAMINE, off, S)) == 1


def test_seizure_is_adequate_when_either_duration_reaches_its_threshold() -> None:
    assert seizure_warnings({"seizure_eeg_s": 25}, S) == []
    assert seizure_warnings({"seizure_eeg_s": 12, "seizure_motor_s": 20}, S) == []
    assert seizure_warnings({"seizure_motor_s": 19}, S) == [
        "Seizure below the clinic's adequacy threshold: motor 19 s (threshold 20 s); "
        "consider re-stimulation"
    ]
    assert seizure_warnings({}, S) == []


def test_same_as_last_carries_settings_not_outcomes() -> None:
    last = {"charge_mc": 201.6, "seizure_eeg_s": 40, "placement": "bifrontal", "impedance_ohm": 900}
    assert carried_over(Modality.ECT, last) == {"charge_mc": 201.6, "placement": "bifrontal"}
    now = {"charge_mc": 302.4, "placement": "bifrontal", "seizure_eeg_s": 20}
    assert changed_settings(Modality.ECT, last, now) == ("charge_mc",)
    assert changed_settings(Modality.TMS, {"pulses": 3000}, {"pulses": 3000.0}) == ()
    assert carried_over(Modality.IV_KETAMINE, {"dose_mg": 35.0}) == {}


def test_rems_days_and_checks() -> None:
    assert rems_days_left(date(2026, 3, 2), date(2026, 3, 9), S) == 0
    assert rems_days_left(date(2026, 3, 2), date(2026, 3, 10), S) == -1
    start = datetime(2026, 3, 2, 9)
    record = RemsRecord(
        monitoring_start=start,
        monitoring_end=datetime(2026, 3, 2, 11),
        ready_to_leave_at=datetime(2026, 3, 2, 10, 55),
    )
    assert check_rems(record, S) == ["Ready to leave: before monitoring ended"]
    with pytest.raises(ValidationError, match="Respiratory status"):
        check_rems(RemsRecord(respiratory_status="fine"), S)


def test_authorisation_text() -> None:
    assert authorisation_text(None, 3) is None
    assert authorisation_text(30, 18) == "Authorised 30 · 12 left"
    assert authorisation_text(10, 12) == "Authorised 10 · 2 over the authorisation"
