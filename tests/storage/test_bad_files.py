"""Bad files: each gets a plain message, an offer of the newest backup, and no write."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import select

from mbctracker import __version__
from mbctracker.storage import (
    SCHEMA_HEAD,
    Database,
    NewerDatabaseError,
    NotADatabaseError,
    StorageError,
    migrate,
    open_database,
)
from mbctracker.storage.backup import backup_to, new_backup_path
from mbctracker.storage.errors import CorruptDatabaseError
from mbctracker.storage.tables import Patient

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)


def _filled(db: Database, course_id: int) -> Path:
    """Close the fixture database so every page is in the main file (no WAL)."""
    db.dispose()
    assert not Path(f"{db.path}-wal").exists()
    return db.path


def _refused(path: Path, error: type[StorageError]) -> str:
    before = path.read_bytes()
    with pytest.raises(error) as caught:
        open_database(path, actor="tester")
    assert path.read_bytes() == before, "a refused file must never be written"
    return str(caught.value)


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Dear diary, this is not a database.\n" * 50)
    message = _refused(path, NotADatabaseError)
    assert "not an SQLite database file" in message and "not changed" in message


def test_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contact(id INTEGER PRIMARY KEY, email TEXT)")
        conn.commit()
    assert "another program's tables" in _refused(path, NotADatabaseError)


def test_another_programs_alembic_database_is_not_called_newer(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE alembic_version(version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE invoice(id INTEGER PRIMARY KEY)")
        conn.commit()
    assert "another program's schema ae1027a6acf" in _refused(path, NotADatabaseError)


def test_newer_schema_names_both_versions(db: Database, course_id: int) -> None:
    path = _filled(db, course_id)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.execute("UPDATE app_meta SET value = '9.9.0' WHERE key = 'app_version'")
        conn.commit()
    message = _refused(path, NewerDatabaseError)
    for part in ("9.9.0", "9999", __version__, SCHEMA_HEAD, "not changed"):
        assert part in message


def test_truncated_file_is_damaged_and_offers_the_newest_backup(
    db: Database, course_id: int
) -> None:
    path = _filled(db, course_id)
    backup = backup_to(path, new_backup_path(path, "auto"))
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    message = _refused(path, CorruptDatabaseError)
    assert "cut short" in message and str(backup) in message


def test_random_bytes_over_later_pages_are_caught_at_open(db: Database, course_id: int) -> None:
    path = _filled(db, course_id)
    _scribble(path)
    message = _refused(path, CorruptDatabaseError)
    assert "damaged" in message and "No backup of it was found" in message


def test_damage_past_the_quick_check_limit_surfaces_as_a_plain_error(
    db: Database, course_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large files skip quick_check at start-up; damage then shows up on first read."""
    path = _filled(db, course_id)
    _scribble(path, keep_pages=(1, 2, 3))
    monkeypatch.setattr(migrate, "QUICK_CHECK_MAX_BYTES", 0)
    try:
        opened = open_database(path, actor="tester")
    except CorruptDatabaseError:
        return  # caught by the schema read: also a plain message
    try:
        with pytest.raises(CorruptDatabaseError, match="damaged"), opened.read() as session:
            list(session.exec(select(Patient)))
            list(session.exec(select(Patient).where(Patient.name > "")))
    finally:
        opened.dispose()


def test_a_folder_in_place_of_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "clinic.sqlite3"
    folder.mkdir()
    with pytest.raises(StorageError):
        open_database(folder, actor="tester")


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    path.touch()
    db = open_database(path, actor="tester")
    db.dispose()
    assert path.stat().st_size > 0


def _scribble(path: Path, keep_pages: tuple[int, ...] = (1,)) -> None:
    """Overwrite every page but ``keep_pages`` with deterministic junk."""
    page = 4096
    size = path.stat().st_size
    junk = bytes((i * 151 + 7) % 256 for i in range(page))
    with path.open("r+b") as fh:
        for number in range(1, size // page + 1):
            if number not in keep_pages:
                fh.seek((number - 1) * page)
                fh.write(junk)
        fh.flush()
        os.fsync(fh.fileno())
