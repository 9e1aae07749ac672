"""Alembic migrations: empty file, a file made by the first schema, and drift."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import mbctracker.storage.migrations as migrations
from mbctracker.storage import SCHEMA_HEAD, open_database
from mbctracker.storage.migrate import SCHEMA_REVISIONS

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)


def _config(path: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return config


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
        }


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_known_revisions_match_alembic_history(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(_config(tmp_path / "x.sqlite3"))
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(history) == SCHEMA_REVISIONS
    assert script.get_current_head() == SCHEMA_HEAD


def test_empty_file_is_created_at_head(db_path: Path) -> None:
    open_database(db_path, actor="t").dispose()
    assert _revision(db_path) == SCHEMA_HEAD
    assert {"patient", "course", "treatment_session", "assessment", "change_log"} <= _tables(
        db_path
    )


def test_file_made_by_the_first_schema_is_upgraded_with_data_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    command.upgrade(_config(path), "0001")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO patient (id, mrn, name, sex, comorbidities, notes, version, created_at, "
            "updated_at) VALUES (1, 'OLD-1', 'First Schema', 'unknown', '[]', '', 1, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.commit()
    assert "ix_assessment_course_time" not in _tables(path)
    open_database(path, actor="t").dispose()
    assert _revision(path) == SCHEMA_HEAD
    assert {"ix_assessment_course_time", "ix_patient_name_nocase"} <= _tables(path)
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT mrn, search_key FROM patient").fetchall()
        assert rows == [("OLD-1", "first schema old-1")], "0003 backfills the search key"
    copies = list((tmp_path / "backups").glob("old-pre-migration-0001-*.sqlite3"))
    assert len(copies) == 1, "the file is copied before it is migrated"


@pytest.mark.filterwarnings("ignore:autogenerate skipping:UserWarning")
def test_tables_and_migrations_do_not_drift(db_path: Path) -> None:
    open_database(db_path, actor="t").dispose()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    # SQLite cannot reflect expression indexes, so Alembic cannot compare this one; the
    # FTS5 search index (a virtual table and its shadow tables) is SQL-only by design.
    expression_index = "ix_patient_name_nocase"
    kept = [
        d
        for d in diffs
        if getattr(d[1], "name", None) != expression_index
        and not str(getattr(d[1], "name", "")).startswith("patient_fts")
    ]
    assert kept == []


def test_current_schema_opens_without_importing_alembic(db_path: Path) -> None:
    open_database(db_path, actor="t").dispose()
    code = (
        "import sys; from pathlib import Path; from mbctracker.storage import open_database; "
        f"open_database(Path({str(db_path)!r}), 't').dispose(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_change_log_rejects_edits(db_path: Path) -> None:
    open_database(db_path, actor="t").dispose()
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "INSERT INTO change_log (at, actor, table_name, record_id, action, changes) "
            "VALUES ('2026-01-01', 'a', 'patient', 1, 'create', '{}')"
        )
        conn.commit()
        for sql in ("UPDATE change_log SET actor = 'x'", "DELETE FROM change_log"):
            try:
                conn.execute(sql)
            except sqlite3.IntegrityError as exc:
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"{sql} was allowed")


_ROW = "version, created_at, updated_at"
_STAMP = "1, '2026-01-05 09:00:00', '2026-01-05 09:00:00'"


def _flagged_file_at_0003(path: Path) -> None:
    """Two tier-2 PHQ-9 flags with a 'Reviewed' each; the first was escalated afterwards."""
    command.upgrade(_config(path), "0003")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            f"INSERT INTO patient (id, mrn, name, sex, comorbidities, notes, search_key, {_ROW}) "
            f"VALUES (1, 'OLD-1', 'Old Flag', 'unknown', '[]', '', 'old flag old-1', {_STAMP})"
        )
        conn.execute(
            f"INSERT INTO course (id, patient_id, modality, start_date, planned_sessions, phase, "
            f"status, settings_json, notes, {_ROW}) VALUES (1, 1, 'iv_ketamine', '2026-01-05', 6, "
            f"'induction', 'active', '{{}}', '', {_STAMP})"
        )
        for aid in (1, 2):
            conn.execute(
                f"INSERT INTO assessment (id, course_id, instrument, responses, valid, total, "
                f"prorated, safety_flag, safety_reason, safety_tier, rater, timepoint, "
                f"assessed_at, {_ROW}) VALUES ({aid}, 1, 'PHQ9', '[2,2,2,2,1,1,1,1,3]', 1, 15, 0, "
                f"1, 'endorsed', 2, '', 'pre_session', '2026-01-05 09:00:00', {_STAMP})"
            )
            conn.execute(
                f"INSERT INTO safety_action (assessment_id, course_id, kind, text, taken_by, "
                f"taken_at, {_ROW}) VALUES ({aid}, 1, 'reviewed', '', 'dr', "
                f"'2026-01-05 10:00:00', {_STAMP})"
            )
        conn.execute(
            "INSERT INTO change_log (at, actor, table_name, record_id, action, changes) VALUES "
            "('2026-01-06 09:00:00', 'dr', 'assessment', 1, 'update', "
            '\'{"safety_tier": [1, 2], "total": [13, 15]}\')'
        )
        conn.commit()


def test_0004_reopens_flags_escalated_after_their_action(tmp_path: Path) -> None:
    path = tmp_path / "flags.sqlite3"
    _flagged_file_at_0003(path)
    open_database(path, actor="t").dispose()
    with closing(sqlite3.connect(path)) as conn:
        levels = conn.execute("SELECT assessment_id, flag_level FROM safety_action").fetchall()
        own = conn.execute(
            "SELECT id, flag_level, flag_open FROM assessment ORDER BY id"
        ).fetchall()
    assert own == [(1, 3, 1), (2, 3, 0)]
    assert sorted(levels) == [(1, 0), (2, 3)], "the escalated flag reopens, the other stays closed"
