"""The clinic's settings survive a save and a reopen of the database file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.services.clinic import load_clinic_settings, save_clinic_settings
from mbctracker.storage import Database, open_database


def test_saved_clinic_settings_are_read_back_after_reopening(db: Database, db_path: Path) -> None:
    assert load_clinic_settings(db) == DEFAULT_SETTINGS  # nothing saved yet
    chosen = replace(DEFAULT_SETTINGS, clinic_name="Lakeside Clinic").with_madrs_remission(12)
    save_clinic_settings(db, chosen)
    db.dispose()
    again = open_database(db_path, actor="test")
    try:
        loaded = load_clinic_settings(again)
    finally:
        again.dispose()
    assert loaded.clinic_name == "Lakeside Clinic"
    assert loaded.for_instrument("MADRS").remission_max == 12
    assert loaded == chosen
