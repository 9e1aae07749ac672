"""Every number in ClinicSettings is in Preferences: checked once at the services boundary
against one table of ranges, saved for the clinic, change-logged field by field, and a
refusal saves nothing. The backup folder: chosen, checked, and where backups go."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from sqlmodel import select

from mbctracker.domain.errors import ValidationError
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.domain.timeline import PatientInfo
from mbctracker.services.backups import backup_file, backup_now, list_backups, maybe_backup
from mbctracker.services.clinic import (
    PreferencesInput,
    load_clinic_settings,
    preferences_of,
    update_clinic_settings,
)
from mbctracker.services.preference_fields import TABS, number_fields, value_of
from mbctracker.storage import Database
from mbctracker.storage.errors import StorageError
from mbctracker.storage.tables import ChangeLog


def _form(db: Database, **changes: object) -> PreferencesInput:
    return replace(preferences_of(load_clinic_settings(db)), **changes)


def _changed(field_value: int, low: int, high: int) -> int:
    return field_value + 1 if field_value < high else field_value - 1


def _log(db: Database) -> list[dict[str, list[object]]]:
    with db.read() as session:
        rows = session.exec(select(ChangeLog).where(ChangeLog.table_name == "clinic_settings"))
        return [json.loads(r.changes) for r in rows.all()]


def test_every_settings_number_is_a_field_once_with_a_source_and_a_tab() -> None:
    fields = number_fields()
    keys = [f.key for f in fields]
    assert len(keys) == len(set(keys))
    assert all(f.source and f.tab in TABS and f.low < f.high for f in fields)
    flat = {
        k for k, v in DEFAULT_SETTINGS.__dataclass_fields__.items() if v.type in ("int", "Fraction")
    }
    covered = {k.split(".")[0] for k in keys}
    in_form_already = {
        "response_fraction",
        "partial_fraction",
        "backup_interval_minutes",
        "idle_lock_minutes",
    }
    assert flat - covered - in_form_already == set(), "a number of ClinicSettings has no field"
    for name in (
        "session_interval_days.induction",
        "session_interval_days.maintenance",
        "link_window_days",
        "rems_worklist_days",
        "bp_alert_systolic",
        "spo2_min",
        "outcomes.cm_window_days",
        "outcomes.trajectory_min_share",
        "thresholds.PHQ9.caseness_min",
        "thresholds.MADRS.safety_item_min",
    ):
        assert name in keys
    assert "thresholds.PHQ9.safety_item_min" not in keys, "PHQ-9 item 9: any answer, fixed"
    assert all(f.low <= value_of(DEFAULT_SETTINGS, f) <= f.high for f in fields)


def test_each_number_is_saved_read_back_and_logged_field_by_field(
    db: Database, patient: PatientInfo
) -> None:
    from datetime import date

    from mbctracker.domain.course import Modality
    from mbctracker.services.courses import start_course

    course = start_course(db, patient.id, Modality.IV_KETAMINE, date(2026, 1, 5), 6)
    start = preferences_of(load_clinic_settings(db))
    wanted = {f.key: _changed(start.numbers[f.key], f.low, f.high) for f in number_fields()}
    wanted["bp_predose_systolic_max"] = 139  # keep the ordered limits in order
    wanted["heart_rate_min"] = 49
    wanted["outcomes.week6_target_day"] = 43
    wanted["outcomes.week6_first_day"] = 27
    wanted["outcomes.week6_last_day"] = 57
    saved = update_clinic_settings(
        db,
        _form(db, numbers=wanted, follow_up_days="7, 28, 90", reference_modality="tms"),
    )
    again = load_clinic_settings(db)
    assert again == saved
    assert {f.key: value_of(again, f) for f in number_fields()} == wanted
    assert again.follow_up_days == (7, 28, 90) and again.outcomes.reference_modality == "tms"
    assert again.session_interval_days["induction"] == wanted["session_interval_days.induction"]
    percent = wanted["early_improvement_fraction"]
    assert again.early_improvement_fraction == Fraction(percent, 100)
    (entry,) = _log(db)
    assert entry["bp_alert_systolic"] == [180, wanted["bp_alert_systolic"]]
    assert entry["session_interval_days.induction"] == [
        3,
        wanted["session_interval_days.induction"],
    ]
    assert entry["outcomes.cm_window_days"] == [90, wanted["outcomes.cm_window_days"]]
    assert entry["PHQ9.caseness_min"] == [10, wanted["thresholds.PHQ9.caseness_min"]]
    assert entry["follow_up_days"] == [[7, 30], [7, 28, 90]]
    from mbctracker.services.timeline import load_timeline

    kept = load_timeline(db, course.id).course.settings
    assert kept.for_instrument("PHQ9").caseness_min == 10, "a running course keeps its own"


BAD = [
    ({"bp_alert_systolic": 999}, "bp_alert_systolic", "Alert above systolic"),
    ({"bp_alert_systolic": True}, "bp_alert_systolic", "whole number"),
    ({"session_interval_days.induction": "3"}, "session_interval_days.induction", "whole number"),
    ({"link_window_days": 2.5}, "link_window_days", "whole number"),
    ({"rems_worklist_days": 0}, "rems_worklist_days", "out of range"),
    ({"outcomes.trajectory_min_share": 90}, "outcomes.trajectory_min_share", "1-50"),
    ({"no_such_setting": 3}, "no_such_setting", "not a setting"),
    ({"bp_predose_systolic_max": 185}, "bp_predose_systolic_max", "below the alert"),
    ({"heart_rate_min": 120}, "heart_rate_min", "below the maximum"),
    ({"outcomes.week6_target_day": 80}, "outcomes.week6_target_day", "outside its window"),
]


@pytest.mark.parametrize(("numbers", "field", "words"), BAD)
def test_a_refused_number_is_named_and_nothing_is_saved(
    db: Database, numbers: dict[str, object], field: str, words: str
) -> None:
    form = _form(db)
    merged = {**form.numbers, **numbers}
    with pytest.raises(ValidationError) as refused:
        update_clinic_settings(db, replace(form, numbers=merged, clinic_name="Changed too"))
    assert refused.value.field == field and words in str(refused.value)
    assert load_clinic_settings(db) == DEFAULT_SETTINGS and _log(db) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"follow_up_days": "7; 30"}, "follow_up_days"),
        ({"follow_up_days": "30, 7"}, "follow_up_days"),
        ({"follow_up_days": ""}, "follow_up_days"),
        ({"follow_up_days": "7, ３０"}, "follow_up_days"),
        ({"reference_modality": "magic"}, "reference_modality"),
    ],
)
def test_refused_lists_and_choices_name_their_field(
    db: Database, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        update_clinic_settings(db, _form(db, **changes))
    assert refused.value.field == field and "allowed" in str(refused.value)
    assert load_clinic_settings(db) == DEFAULT_SETTINGS


# -- the backup folder --------------------------------------------------------------------
@pytest.mark.sqlite_only  # a folder of file copies; a server is backed up with pg_dump
def test_backups_go_to_the_chosen_folder_and_are_found_there(
    db: Database, patient: PatientInfo, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    update_clinic_settings(db, _form(db, backup_folder=str(share)))
    assert load_clinic_settings(db).backup_folder == str(share.resolve())
    made = backup_now(db)
    assert made.parent == share.resolve()
    auto = maybe_backup(db, 0)
    assert auto is not None and auto.parent == share.resolve()
    assert set(list_backups(db.path)) == {made, auto}
    assert not (db.path.parent / "backups").exists(), "nothing beside the database"
    entry = _log(db)[-1]
    assert entry["backup_folder"] == ["", str(share.resolve())]


@pytest.mark.sqlite_only  # a folder of file copies; a server is backed up with pg_dump
def test_a_chosen_folder_that_went_missing_is_named_and_never_recreated(
    db: Database, patient: PatientInfo, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    update_clinic_settings(db, _form(db, backup_folder=str(share)))
    share.rmdir()  # the network share is not mounted today
    with pytest.raises(StorageError) as failed:
        backup_file(db.path)
    assert str(share.resolve()) in str(failed.value) and "missing" in str(failed.value)
    assert not share.exists()


@pytest.mark.parametrize("kind", ["missing", "a file", "relative", "the database's folder"])
def test_a_bad_backup_folder_is_refused_naming_it(db: Database, tmp_path: Path, kind: str) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    value = {
        "missing": str(tmp_path / "nowhere"),
        "a file": str(a_file),
        "relative": "backups",
        "the database's folder": str(db.path.parent),
    }[kind]
    with pytest.raises(ValidationError) as refused:
        update_clinic_settings(db, _form(db, backup_folder=value))
    assert refused.value.field == "backup_folder"
    assert "Backup folder" in str(refused.value) and "allowed" in str(refused.value)
    assert load_clinic_settings(db).backup_folder == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission_is_refused(db: Database, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ValidationError, match="not writable"):
        update_clinic_settings(db, _form(db, backup_folder=str(locked)))
