"""No command destroys data: lost files, locks, restores, temp files and foreign files.

Each test replays an attack or a mistake from issue 8 (section 3) on a real file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from mbctracker.__main__ import main
from mbctracker.domain.course import CourseId, PatientId
from mbctracker.services import backups
from mbctracker.services.patients import PatientInput, get_patient, update_patient
from mbctracker.storage import (
    Database,
    NotADatabaseError,
    StaleRecordError,
    StorageError,
    open_database,
)
from mbctracker.storage.backup import (
    backups_dir,
    find_backups,
    new_backup_path,
    private_temp_dir,
    timestamped_name,
)
from mbctracker.storage.errors import DatabaseInUseError, MissingDatabaseError
from mbctracker.storage.sqlitefile import APPLICATION_ID, readonly_connect

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks and modes")


def application_id(path: Path) -> int:
    with closing(readonly_connect(path)) as conn:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])


def _patient_id(db: Database, course_id: CourseId) -> PatientId:
    from mbctracker.services.timeline import load_timeline

    return load_timeline(db, course_id).patient.id


def _rename(db: Database, patient_id: PatientId, name: str, version: int) -> None:
    update_patient(
        db,
        patient_id,
        PatientInput(mrn="SYN-0001", name=name, date_of_birth=date(1980, 5, 1)),
        expected_version=version,
    )


# --- a missing or emptied database where backups exist -------------------------------


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_lost_database_with_backups_is_refused_and_offers_the_newest(
    db: Database, course_id: CourseId, state: str
) -> None:
    made = backups.backup_now(db)
    db.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db.path}{suffix}").unlink(missing_ok=True)
    if state == "empty":
        db.path.write_bytes(b"")
    with pytest.raises(MissingDatabaseError) as caught:
        open_database(db.path, actor="tester")
    assert str(made) in str(caught.value) and state in str(caught.value)
    assert db.path.exists() == (state == "empty"), "nothing created in place of a lost file"
    assert not db.path.exists() or db.path.stat().st_size == 0
    assert backups.list_backups(db.path) == [made], "no backup taken or rotated"


def test_headless_commands_refuse_a_lost_database_too(
    db: Database, course_id: CourseId, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    backups.backup_now(db)
    db.dispose()
    db.path.unlink()
    out = tmp_path / "out.pdf"
    assert main(["--db", str(db.path), "report", "--patient", "SYN-0001", "--out", str(out)]) == 2
    assert "backups of it exist" in capsys.readouterr().err
    assert not db.path.exists() and not out.exists()


def _as_auto(source: Path, db_path: Path, when: datetime) -> Path:
    dest = backups_dir(db_path) / timestamped_name(db_path, backups.AUTO, when)
    dest.parent.mkdir(exist_ok=True)
    shutil.copyfile(source, dest)
    return dest


def test_backup_of_a_database_without_patients_rotates_nothing_away(
    db: Database, course_id: CourseId, tmp_path: Path
) -> None:
    good = backups.backup_now(db)
    empty = open_database(tmp_path / "new" / "mbctracker.sqlite3", actor="tester")
    kept = _as_auto(good, empty.path, datetime.now() - timedelta(minutes=5))
    before = sorted(backups_dir(empty.path).iterdir())
    assert backups.startup_backup(empty) is None
    assert backups.maybe_backup(empty, min_interval_minutes=0) is None
    assert sorted(backups_dir(empty.path).iterdir()) == before == [kept]
    empty.dispose()


def test_rotation_keeps_the_newest_backup_that_holds_patients(
    db: Database, course_id: CourseId, tmp_path: Path
) -> None:
    good = backups.backup_now(db)
    blank = open_database(tmp_path / "blank.sqlite3", actor="tester")
    blank.dispose()
    now = datetime.now()
    with_data = _as_auto(good, db.path, now - timedelta(days=60))
    for day in range(0, 42, 3):  # copies of an empty file, as older versions made them
        _as_auto(blank.path, db.path, now - timedelta(days=day, hours=1))
    dropped = backups.rotate(db.path)
    assert with_data.exists() and with_data not in dropped
    assert dropped, "the policy still rotates the rest"


# --- restore and stale saves -------------------------------------------------------------


def test_a_save_from_before_a_restore_is_refused_as_stale(
    db: Database, course_id: CourseId, tmp_path: Path
) -> None:
    patient_id = _patient_id(db, course_id)
    older = tmp_path / "elsewhere" / "older.sqlite3"
    older.parent.mkdir()
    backups.backup_now(db, older)  # patient at version 1
    _rename(db, patient_id, "Synthetic Beta", 1)
    held = get_patient(db, patient_id).version  # a window shows version 2
    backups.restore_backup(older, db.path)
    other = open_database(db.path, actor="workstation 2")
    fresh = get_patient(other, patient_id)
    _rename(other, patient_id, "Synthetic Gamma (newer note)", fresh.version)
    other.dispose()
    with pytest.raises(StaleRecordError):
        _rename(db, patient_id, "Synthetic Stale", held)
    assert get_patient(db, patient_id).name == "Synthetic Gamma (newer note)"


# --- locks held by another program ------------------------------------------------------


@contextmanager
def _exclusive_holder(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program: exclusive locking mode, with a committed change it still holds."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE patient SET notes = 'committed by the other program'")
        conn.execute("COMMIT")
        yield conn


@contextmanager
def _open_transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a BEGIN EXCLUSIVE transaction."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE patient SET notes = 'being written by the other program'")
        yield conn
        conn.execute("COMMIT")


def test_a_file_locked_by_another_program_is_in_use_not_damaged(
    db: Database, course_id: CourseId
) -> None:
    backups.backup_now(db)
    db.dispose()
    with _exclusive_holder(db.path), pytest.raises(DatabaseInUseError) as caught:
        open_database(db.path, actor="tester")
    message = str(caught.value)
    assert "in use" in message and "damaged (" not in message and "newest backup" not in message


@pytest.mark.parametrize("holder", [_exclusive_holder, _open_transaction])
def test_restore_refuses_while_another_program_holds_the_file(
    db: Database, course_id: CourseId, holder: Callable[[Path], AbstractContextManager[object]]
) -> None:
    made = backups.backup_now(db)
    db.dispose()
    with holder(db.path), pytest.raises(DatabaseInUseError):
        backups.restore_backup(made, db.path)
    with closing(sqlite3.connect(db.path)) as conn:
        notes = conn.execute("SELECT notes FROM patient").fetchone()[0]
    assert notes.endswith("by the other program")
    assert backups.list_backups(db.path) == [made], "not even a pre-restore copy was started"


def test_restore_refuses_to_write_over_another_programs_database(
    db: Database, tmp_path: Path
) -> None:
    made = backups.backup_now(db)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.execute("CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT)")
        conn.commit()
    before = other.read_bytes()
    with pytest.raises(StorageError, match="another program's database"):
        backups.restore_backup(made, other)
    assert other.read_bytes() == before


# --- temp files: symlinks, folder modes, leftovers -------------------------------------


@posix_only
def test_backup_to_never_follows_a_planted_part_symlink(
    db: Database, course_id: CourseId, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    target = shared / "copy.sqlite3"
    (shared / "copy.sqlite3.part").symlink_to(victim)
    assert main(["--db", str(db.path), "backup", "--to", str(target)]) == 0
    assert victim.read_text() == "someone else's file"
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755, "a folder we did not create keeps its mode"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@posix_only
def test_backup_to_refuses_a_symlink_at_the_target(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "dangling-or-not.sqlite3"
    link.symlink_to(victim)
    assert main(["--db", str(db.path), "backup", "--to", str(link)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert victim.read_text() == "keep" and link.is_symlink()


@posix_only
def test_leftover_part_files_are_removed_at_the_next_start(db: Database, tmp_path: Path) -> None:
    db.dispose()
    folder, shelf = db.path.parent, backups_dir(db.path)
    shelf.mkdir(exist_ok=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    killed_backup = shelf / ".mbctracker-auto-20260101-010101.sqlite3.k2j4h5g6.part"
    killed_backup.mkdir()
    (killed_backup / "copy.sqlite3").write_bytes(b"half")
    killed_restore = folder / ".mbctracker.sqlite3.a1b2c3d4.part"
    killed_restore.write_bytes(b"half")
    journal = folder / ".mbctracker.sqlite3.a1b2c3d4.part-journal"
    journal.write_bytes(b"j")
    planted = folder / ".mbctracker.sqlite3.q1w2e3r4.part"
    planted.symlink_to(outside)
    unrelated = folder / "notes.part"
    unrelated.write_text("user file")
    other_app = folder / ".download.zip.a1b2c3d4.part"
    other_app.write_text("another program's partial download")
    running = shelf / ".mbctracker-auto-now.sqlite3.z9y8x7w6.part"
    running.mkdir()  # another workstation's copy in progress: recent, kept
    ours = [private_temp_dir(db.path), private_temp_dir(new_backup_path(db.path, "auto"))]
    old = time.time() - 3600
    for path in (killed_backup, killed_restore, journal, other_app, *ours):
        os.utime(path, (old, old))
    os.utime(planted, (old, old), follow_symlinks=False)
    open_database(db.path, actor="tester").dispose()
    assert not killed_backup.exists() and not killed_restore.exists() and not journal.exists()
    assert not any(p.exists() for p in ours), "the names we really use are recognised"
    assert planted.is_symlink() and outside.read_text() == "not ours"
    assert unrelated.exists() and running.exists() and other_app.exists()


# --- another program's files -------------------------------------------------------------


def _foreign_alembic(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE alembic_version(version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('0002')")
        conn.execute("CREATE TABLE invoice(id INTEGER PRIMARY KEY, amount REAL)")
        conn.execute("CREATE TABLE patient(id INTEGER PRIMARY KEY, pet TEXT)")  # a vet's
        conn.commit()


def test_another_programs_alembic_database_at_our_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vet.db"
    _foreign_alembic(path)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError, match="another program"):
        open_database(path, actor="tester")
    assert path.read_bytes() == before
    assert not backups_dir(path).exists(), "not even a pre-migration copy"


def test_a_foreign_application_id_is_refused_even_with_our_tables(
    db: Database, course_id: CourseId
) -> None:
    db.dispose()
    with closing(sqlite3.connect(db.path)) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.commit()
    before = db.path.read_bytes()
    with pytest.raises(NotADatabaseError, match="application id"):
        open_database(db.path, actor="tester")
    assert db.path.read_bytes() == before


def test_our_databases_carry_our_application_id(db: Database, course_id: CourseId) -> None:
    assert application_id(db.path) == APPLICATION_ID
    db.dispose()
    with closing(sqlite3.connect(db.path)) as conn:  # as made before application ids
        conn.execute("PRAGMA application_id = 0")
        conn.commit()
    open_database(db.path, actor="tester").dispose()
    assert application_id(db.path) == APPLICATION_ID
    made = backups.backup_file(db.path)
    assert application_id(made) == APPLICATION_ID
    assert find_backups(db.path)[0].path == made


def test_a_refused_restore_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "vet.db"
    _foreign_alembic(path)
    with pytest.raises(StorageError):
        backups.restore_backup(path, db.path)
    assert backups.list_backups(db.path) == []


@pytest.mark.parametrize("spelling", ["hard link", "dot-dot"])
def test_restore_of_the_database_onto_itself_is_refused_however_named(
    db: Database, spelling: str
) -> None:
    """A hard link (or a ``..`` path) to the live file is not a backup: SQLite would
    open it with a -wal of its own name beside the live one. Nothing is touched."""
    folder = db.path.parent
    if spelling == "hard link":
        alias = folder / "restore-me.sqlite3"
        os.link(db.path, alias)
    else:
        (folder / "sub").mkdir()
        alias = folder / "sub" / ".." / db.path.name
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(StorageError, match="database itself"):
        backups.restore_backup(alias, db.path)
    assert sorted(p.name for p in folder.iterdir()) == before, "no -wal, no pre-restore copy"
