"""Migration 0006 on a file typed in clinic order before it: numbers by date, waiting
scores linked, chosen links kept, phases dated from the sessions."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from test_schema_migrations import _config

from mbctracker.domain.course import CourseId, Phase
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import open_database

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)

_ROW = "version, created_at, updated_at"
_STAMP = "1, '2026-01-05 09:00:00', '2026-01-05 09:00:00'"


def _file_at_0005(path: Path) -> None:
    """Session 3 back-filled between 1 and 2; scores typed before their sessions, unlinked."""
    command.upgrade(_config(path), "0005")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            f"INSERT INTO patient (id, mrn, mrn_key, name, sex, comorbidities, notes, search_key,"
            f" {_ROW}) VALUES (1, 'OLD-1', 'old-1', 'Old Order', 'unknown', '[]', '', 'x',"
            f" {_STAMP})"
        )
        conn.execute(
            f"INSERT INTO course (id, patient_id, modality, start_date, planned_sessions, phase,"
            f" status, settings_json, notes, {_ROW}) VALUES (1, 1, 'iv_ketamine', '2026-01-05',"
            f" 6, 'maintenance', 'active', '{{}}', '', {_STAMP})"
        )
        sessions = [
            (1, 1, "2026-01-06", "induction", None),
            (2, 2, "2026-01-12", "induction", None),
            (3, 3, "2026-01-09", "induction", None),  # typed late from the paper chart
            (4, 4, "2026-02-01", "maintenance", None),
            (5, 2, "2026-01-10", "induction", "'2026-01-11 09:00:00'"),  # deleted
        ]
        for sid, number, day, phase, deleted in sessions:
            conn.execute(
                f"INSERT INTO treatment_session (id, course_id, number, performed_at, phase,"
                f" details, side_effects, side_effects_text, prn_medication, notes, deleted_at,"
                f" {_ROW}) VALUES ({sid}, 1, {number}, '{day} 12:00:00.000000', '{phase}', '{{}}',"
                f" '[]', '', '[]', '', {deleted or 'NULL'}, {_STAMP})"
            )
        scores = [
            (1, "pre_session", "2026-01-09 08:00:00", "NULL"),  # waits for session 3's day
            (2, "pre_session", "2026-01-12 08:00:00", "1"),  # chosen by hand: kept
            (3, "baseline", "2026-01-04 08:00:00", "NULL"),
            (4, "pre_session", "2026-01-20 08:00:00", "NULL"),  # no session within 3 days
        ]
        for aid, timepoint, when, session_id in scores:
            conn.execute(
                f"INSERT INTO assessment (id, course_id, session_id, instrument, responses, valid,"
                f" total, prorated, safety_flag, rater, timepoint, assessed_at, flag_level,"
                f" flag_open, {_ROW}) VALUES ({aid}, 1, {session_id}, 'GAD7', '[1,1,1,1,1,1,1]',"
                f" 1, 7, 0, 0, '', '{timepoint}', '{when}.000000', 0, 0, {_STAMP})"
            )
        conn.commit()


def test_0006_numbers_by_date_links_waiting_scores_and_dates_phases(tmp_path: Path) -> None:
    path = tmp_path / "order.sqlite3"
    _file_at_0005(path)
    db = open_database(path, actor="t")
    try:
        timeline = load_timeline(db, CourseId(1))
    finally:
        db.dispose()
    assert [(s.id, s.number) for s in timeline.sessions] == [(1, 1), (3, 2), (2, 3), (4, 4)]
    links = {a.id: (a.session_number, a.link_manual) for a in timeline.assessments}
    assert links == {1: (2, False), 2: (1, True), 3: (None, False), 4: (None, False)}
    assert [(c.phase, c.started_on) for c in timeline.phase_changes] == [
        (Phase.INDUCTION, date(2026, 1, 5)),
        (Phase.MAINTENANCE, date(2026, 2, 1)),
    ]
    with closing(sqlite3.connect(path)) as conn:
        deleted = conn.execute("SELECT number FROM treatment_session WHERE id = 5").fetchone()
    assert deleted == (2,), "a deleted session keeps its row as it was"
