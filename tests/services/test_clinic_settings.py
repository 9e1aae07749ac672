"""Edit -> Preferences at the services boundary: saved, logged, validated, never retroactive."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from engines import reopen
from mbctracker.domain.course import Modality
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.domain.timeline import PatientInfo
from mbctracker.reports.summary import render
from mbctracker.services.clinic import (
    load_clinic_settings,
    preferences_of,
    update_clinic_settings,
)
from mbctracker.services.courses import start_course
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.tables import ChangeLog


def _form(**changes: object):  # type: ignore[no-untyped-def]
    return replace(preferences_of(DEFAULT_SETTINGS), **changes)


def test_saved_preferences_are_read_back_after_reopening(db: Database, db_path: Path) -> None:
    assert load_clinic_settings(db) == DEFAULT_SETTINGS  # nothing saved yet
    form = _form(
        clinic_name="Lakeside Clinic",
        clinic_address="12 Harbour Road\nPortsmouth",
        page_size="a4",
        remission_max={"MADRS": 12, "PHQ9": 4, "GAD7": 4},
        backup_interval_minutes=60,
        idle_lock_minutes=10,
    )
    update_clinic_settings(db, form)
    again = reopen(db, "test")
    db.dispose()
    try:
        loaded = load_clinic_settings(again)
    finally:
        again.dispose()
    assert loaded.clinic_name == "Lakeside Clinic"
    assert loaded.clinic_address == "12 Harbour Road\nPortsmouth"
    assert loaded.page_size == "a4"
    assert loaded.for_instrument("MADRS").remission_max == 12
    assert loaded.for_instrument("PHQ9").remission_max == 4
    assert (loaded.backup_interval_minutes, loaded.idle_lock_minutes) == (60, 10)
    assert preferences_of(loaded) == form


def test_each_change_is_in_the_change_log_with_old_and_new_values(db: Database) -> None:
    update_clinic_settings(db, _form(clinic_name="Lakeside Clinic", response_percent=40))
    update_clinic_settings(db, _form(clinic_name="Lakeside Clinic", response_percent=40))  # same
    with db.read() as session:
        rows = session.exec(
            select(ChangeLog).where(ChangeLog.table_name == "clinic_settings")
        ).all()
    assert len(rows) == 1, "an unchanged save writes no log row"
    changes = json.loads(rows[0].changes)
    assert changes["clinic_name"] == ["Interventional Psychiatry Service", "Lakeside Clinic"]
    assert changes["response_fraction"] == [[1, 2], [2, 5]]
    assert rows[0].actor == db.actor


def test_a_course_keeps_the_thresholds_it_started_with(db: Database, patient: PatientInfo) -> None:
    before = start_course(
        db, patient.id, Modality.IV_KETAMINE, date(2026, 1, 5), 6, load_clinic_settings(db)
    )
    update_clinic_settings(db, _form(remission_max={"MADRS": 12}, response_percent=40))
    after = start_course(
        db, patient.id, Modality.TMS, date(2026, 3, 2), 30, load_clinic_settings(db)
    )
    old = load_timeline(db, before.id).course.settings
    new = load_timeline(db, after.id).course.settings
    assert old.for_instrument("MADRS").remission_max == 10
    assert float(old.response_fraction) == 0.5
    assert new.for_instrument("MADRS").remission_max == 12
    assert float(new.response_fraction) == 0.4


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"page_size": "a3"}, "page_size", "Paper size: 'a3' is unknown; allowed: letter, a4"),
        ({"clinic_name": "  "}, "clinic_name", "Clinic name"),
        ({"partial_percent": 50}, "partial_percent", "Partial response: 50 is out of range"),
        ({"response_percent": 0}, "response_percent", "Response: 0 is out of range; allowed: 1-"),
        ({"remission_max": {"MADRS": 11}}, "remission_madrs", "MADRS remission: 11 is not"),
        ({"remission_max": {"PHQ9": 28}}, "remission_phq9", "PHQ-9 remission: 28 is out of range"),
        ({"backup_interval_minutes": 1}, "backup_interval_minutes", "Backup every: 1 is out"),
        ({"idle_lock_minutes": -1}, "idle_lock_minutes", "Lock when idle after: -1"),
        ({"mrn_identifier_system": "our mrns"}, "mrn_identifier_system", "MRN identifier system"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(
    db: Database, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        update_clinic_settings(db, _form(**{"clinic_name": "Changed", **changes}))
    assert refused.value.field == field
    assert str(refused.value).startswith(message)
    assert load_clinic_settings(db) == DEFAULT_SETTINGS


def test_the_pdf_header_carries_the_clinic_name_and_address(
    db: Database, patient: PatientInfo
) -> None:
    course = start_course(db, patient.id, Modality.TMS, date(2026, 1, 5), 30)
    settings = update_clinic_settings(
        db, _form(clinic_name="Lakeside Clinic", clinic_address="12 Harbour Road\nPortsmouth")
    )
    pdf = render(
        load_timeline(db, course.id), generated_at=datetime(2026, 2, 1, 9), settings=settings
    )
    first_page = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Lakeside Clinic · 12 Harbour Road · Portsmouth" in first_page
