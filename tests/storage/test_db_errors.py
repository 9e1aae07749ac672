"""SQLite failures a user can act on become plain StorageErrors, never tracebacks."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from mbctracker.domain.limits import NOTES_MAX
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import Database, DatabaseLockedError, open_database
from mbctracker.storage.db import translate
from mbctracker.storage.errors import CorruptDatabaseError, DiskFullError, ReadOnlyDatabaseError

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)


def _patients(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM patient").fetchone()[0])


def test_a_full_disk_is_a_plain_message_and_saves_nothing(db_path: Path) -> None:
    """``max_page_count`` makes SQLite report SQLITE_FULL exactly as a full disk does.

    Patients with the longest notes allowed are added until the file cannot grow (the
    free pages left by the migrations fill first); the failing one leaves no trace.
    """
    db = open_database(db_path, actor="tester")
    try:
        with db.write() as session:
            pages = session.execute(text("PRAGMA page_count")).scalar_one()
            session.execute(text(f"PRAGMA max_page_count = {pages}"))
        with pytest.raises(DiskFullError) as caught:
            for n in range(100):
                before = _patients(db_path)
                big = PatientInput(
                    f"SYN-{n}", "Synthetic Full", date(1970, 1, 1), notes="x" * NOTES_MAX
                )
                register_patient(db, big)
    finally:
        db.dispose()
    assert "full" in str(caught.value) and "Nothing was saved" in str(caught.value)
    assert _patients(db_path) == before


class _FakeSqliteError(sqlite3.OperationalError):
    def __init__(self, code: int) -> None:
        super().__init__("synthetic")
        self.sqlite_errorcode = code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (sqlite3.SQLITE_BUSY, DatabaseLockedError),
        (sqlite3.SQLITE_LOCKED, DatabaseLockedError),
        (sqlite3.SQLITE_BUSY | (2 << 8), DatabaseLockedError),  # SQLITE_BUSY_SNAPSHOT
        (sqlite3.SQLITE_FULL, DiskFullError),
        (sqlite3.SQLITE_READONLY, ReadOnlyDatabaseError),
        (sqlite3.SQLITE_CORRUPT, CorruptDatabaseError),
        (sqlite3.SQLITE_NOTADB, CorruptDatabaseError),
    ],
)
def test_sqlite_codes_map_to_plain_errors(code: int, expected: type[Exception]) -> None:
    assert isinstance(translate(_FakeSqliteError(code), Path("clinic.sqlite3")), expected)


def test_other_errors_stay_bugs() -> None:
    assert translate(_FakeSqliteError(sqlite3.SQLITE_ERROR), Path("x")) is None
    assert translate(ValueError("x"), Path("x")) is None


def test_reads_keep_working_while_another_window_saves(db: Database) -> None:
    with closing(sqlite3.connect(db.path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO app_meta(key, value) VALUES ('probe', '1')")
        with db.read() as session:
            assert session.execute(text("SELECT count(*) FROM patient")).scalar_one() == 0
        holder.execute("ROLLBACK")
