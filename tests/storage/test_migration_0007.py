"""Migration 0007: a file written at 0005 keeps its rows and gains an empty record."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

import mbctracker.storage.migrations as migrations
from mbctracker.domain.course import CourseId
from mbctracker.domain.timeline import CourseRecord
from mbctracker.services.sessions import SessionInput, correct_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import open_database

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)

STAMP = "'2026-01-01 00:00:00'"
ROWS = (
    "INSERT INTO patient (id, mrn, mrn_key, name, search_key, sex, comorbidities, notes, "
    f"version, created_at, updated_at) VALUES (1, 'OLD-1', 'old-1', 'Old File', 'old file old-1',"
    f" 'unknown', '[]', '', 1, {STAMP}, {STAMP})",
    "INSERT INTO course (id, patient_id, modality, start_date, planned_sessions, phase, status, "
    f"settings_json, notes, version, created_at, updated_at) VALUES (1, 1, 'im_ketamine', "
    f"'2026-01-05', 6, 'induction', 'active', '{{}}', 'kept', 1, {STAMP}, {STAMP})",
    "INSERT INTO treatment_session (id, course_id, number, performed_at, phase, details, "
    "side_effects, side_effects_text, prn_medication, notes, version, created_at, updated_at) "
    "VALUES (1, 1, 1, '2026-01-06 10:00:00', 'induction', '{\"dose_mg_per_kg\": 3.0}', '[]', "
    f"'', '[]', 'old note', 1, {STAMP}, {STAMP})",
)


def _config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def _file_at_0005(path: Path) -> None:
    command.upgrade(_config(path), "0005")
    with closing(sqlite3.connect(path)) as conn:
        for statement in ROWS:
            conn.execute(statement)
        conn.commit()


def test_a_0005_file_is_upgraded_with_rows_kept_and_no_warning_invented(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _file_at_0005(path)
    db = open_database(path, actor="t")
    try:
        timeline = load_timeline(db, CourseId(1))
        assert timeline.course.notes == "kept" and timeline.course.record == CourseRecord()
        (old,) = timeline.sessions
        assert (old.notes, old.warnings) == ("old note", ())  # never confirmed: none invented
        # the next save of that session asks about its unusual dose like a new one would
        data = SessionInput(old.when, old.details, notes="reviewed")
        fixed = correct_session(
            db, old.id, data, expected_version=old.version, acknowledge_warnings=True
        )
        assert [w.field for w in fixed.record.warnings] == ["dose_mg_per_kg"]
    finally:
        db.dispose()


def test_0007_downgrades_to_0005_keeping_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _file_at_0005(path)
    command.upgrade(_config(path), "0007")
    command.downgrade(_config(path), "0005")
    with closing(sqlite3.connect(path)) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(course)")}
        notes = conn.execute("SELECT notes FROM treatment_session").fetchone()[0]
    assert "diagnosis" not in columns and notes == "old note"  # rows survive the rebuild
