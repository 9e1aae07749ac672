"""Backups: automatic (start-up and after changes), on request, and restore.

Copies are made with SQLite's online backup API into ``backups/`` beside the
database (or the folder chosen in Preferences, :mod:`.backup_folder`) and verified
with ``quick_check`` before they count (the full
``integrity_check`` runs on the newest copy as an idle job, see
:func:`verify_newest_backup`, and before every restore). Automatic
copies are rotated (the newest per day for 7 days, per ISO week for 4 weeks);
manual, pre-migration and pre-restore copies are never deleted here.

Restoring keeps a copy of the current file first, so a restore never loses data.
Close the app's :class:`Database` before restoring and open it again after.

Two rules keep automatic copies from destroying good ones: a database holding
no patient rows is never copied automatically (so a new or emptied file can
never push real backups out of the rotation), and rotation always keeps the
newest automatic copy that holds patients.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..paths import ensure_private_dir
from ..storage.backup import (
    BackupFile,
    backup_to,
    create_exclusive,
    ensure_private_file,
    find_backups,
    integrity_ok,
    new_backup_path,
    private_temp_dir,
)
from ..storage.db import Database
from ..storage.errors import DatabaseInUseError, StorageError
from ..storage.migrate import check_database
from ..storage.sqlitefile import APPLICATION_ID, application_id, is_lock_error, readonly_connect
from .backup_folder import configured_folder

log = logging.getLogger(__name__)

AUTO = "auto"
MANUAL = "manual"
PRE_RESTORE = "pre-restore"

__all__ = [
    "BackupFile",
    "RotationPolicy",
    "backup_file",
    "backup_now",
    "find_backups",
    "list_backups",
    "maybe_backup",
    "restore_backup",
    "rotate",
    "startup_backup",
    "verify_newest_backup",
]


@dataclass(frozen=True, slots=True)
class RotationPolicy:
    """How many automatic copies survive: the newest per day and per ISO week."""

    daily: int = 7
    weekly: int = 4


DEFAULT_POLICY = RotationPolicy()


def list_backups(db_path: Path) -> list[Path]:
    """Every backup of ``db_path`` (any kind), newest first, in its backup folder."""
    db_path = Path(db_path)
    return [b.path for b in find_backups(db_path, configured_folder(db_path))]


def backup_file(db_path: Path, to: Path | None = None, *, label: str = MANUAL) -> Path:
    """Back up the database file at ``db_path`` (the command line has no open Database).

    Raises:
        StorageError: no database there, a bad file, ``to`` exists, or the copy failed.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        raise StorageError(f"There is no database at {db_path}; nothing was backed up.")
    check_database(db_path)
    dest = Path(to) if to is not None else new_backup_path(db_path, label, folder=_folder(db_path))
    if os.path.lexists(dest) or dest.resolve() == db_path.resolve():
        raise StorageError(f"{dest} already exists; choose a new file name (nothing overwritten).")
    backup_to(db_path, dest)  # never overwrites: a file planted meanwhile is refused too
    log.info("backup written: %s", dest)
    return dest


def _folder(db_path: Path) -> Path | None:
    """The chosen backup folder, which must still be there: a share that is not mounted
    is named, not silently replaced by a new empty folder at its mount point."""
    folder = configured_folder(db_path)
    if folder is not None and not folder.is_dir():
        raise StorageError(
            f"The backup folder chosen in Preferences, {folder}, is missing (a disconnected "
            "drive or share?); nothing was backed up. Reconnect it or choose another folder."
        )
    return folder


def verify_newest_backup(db_path: Path) -> Path | None:
    """The idle job: SQLite's full ``integrity_check`` of the newest backup.

    A copy that fails it is renamed ``*.damaged`` so it is never offered for a
    restore and rotation cannot keep it in place of a good one; its path is returned
    (None when the copy is sound or there is none). The copy was already checked
    with ``quick_check`` when it was made; this adds the index cross-checks.
    """
    found = find_backups(Path(db_path), configured_folder(Path(db_path)))
    if not found:
        return None
    newest = found[0].path
    if integrity_ok(newest):
        return None
    damaged = newest.with_name(newest.name + ".damaged")
    os.replace(newest, damaged)
    log.warning("backup failed the full integrity check, set aside: %s", damaged.name)
    return damaged


def backup_now(db: Database, to: Path | None = None) -> Path:
    """File -> Back up now: a verified copy, kept until the user deletes it.

    On a clinic server: ``pg_dump`` (or the CSV interchange), see ``server_backups``.
    """
    if db.on_server:
        from .server_backups import server_backup

        return server_backup(db, to)
    return backup_file(db.path, to)


def startup_backup(db: Database, *, policy: RotationPolicy = DEFAULT_POLICY) -> Path | None:
    """The start-up copy, unless nothing changed since the newest one; then rotate.

    Costs one read of the file plus an integrity check of the copy (measure on
    large databases; the UI may run it off the main thread). None on a clinic server:
    its IT person schedules ``pg_dump`` there (docs/clinic-server.md).
    """
    if db.on_server:
        return None
    return _auto_backup(db.path, timedelta(0), policy)


def maybe_backup(
    db: Database, min_interval_minutes: float = 30, *, policy: RotationPolicy = DEFAULT_POLICY
) -> Path | None:
    """After changes: a copy when the newest automatic one is older than the interval
    (none on a clinic server, as :func:`startup_backup`)."""
    if db.on_server:
        return None
    return _auto_backup(db.path, timedelta(minutes=min_interval_minutes), policy)


def _auto_backup(db_path: Path, min_age: timedelta, policy: RotationPolicy) -> Path | None:
    if not holds_data(db_path):
        return None  # nothing to protect, and its copy must never rotate a real one away
    autos = [b for b in find_backups(db_path, configured_folder(db_path)) if b.label == AUTO]
    if autos and (
        datetime.now() - autos[0].taken < min_age or not _changed_since(db_path, autos[0].path)
    ):
        return None
    made = backup_file(db_path, label=AUTO)
    rotate(db_path, policy)
    return made


def _changed_since(db_path: Path, backup: Path) -> bool:
    """True unless the backup already holds the newest change-log entry.

    Every clinical change appends to the change log, so its highest id is a cheap
    (one index lookup) fingerprint of the content; file times are too coarse.
    """
    current = _last_change(db_path)
    return current is None or current != _last_change(backup)


def _last_change(path: Path) -> int | None:
    try:
        with closing(readonly_connect(path)) as conn:
            row = conn.execute("SELECT max(id) FROM change_log").fetchone()
    except sqlite3.DatabaseError:
        return None
    return int(row[0]) if row and row[0] is not None else 0


def holds_data(path: Path) -> bool:
    """True when the file has at least one patient row (live or soft-deleted)."""
    try:
        with closing(readonly_connect(path)) as conn:
            row = conn.execute("SELECT EXISTS (SELECT 1 FROM patient)").fetchone()
    except sqlite3.DatabaseError:
        return False
    return bool(row and row[0])


def rotate(db_path: Path, policy: RotationPolicy = DEFAULT_POLICY) -> list[Path]:
    """Delete automatic copies outside the policy; returns what was deleted.

    The newest automatic copy that holds patients is always kept, whatever its age.
    """
    autos = [b for b in find_backups(Path(db_path), configured_folder(Path(db_path)))]
    autos = [b for b in autos if b.label == AUTO]
    keep = _kept(autos, policy)
    newest_with_data = next((b.path for b in autos if holds_data(b.path)), None)
    if newest_with_data is not None:
        keep.add(newest_with_data)
    dropped = [b.path for b in autos if b.path not in keep]
    for path in dropped:
        path.unlink(missing_ok=True)
    return dropped


def _kept(newest_first: Iterable[BackupFile], policy: RotationPolicy) -> set[Path]:
    days: dict[object, Path] = {}
    weeks: dict[object, Path] = {}
    for backup in newest_first:
        day, week = backup.taken.date(), backup.taken.isocalendar()[:2]
        if day not in days and len(days) < policy.daily:
            days[day] = backup.path
        if week not in weeks and len(weeks) < policy.weekly:
            weeks[week] = backup.path
    return set(days.values()) | set(weeks.values())


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with ``backup``; returns the copy kept of the current file.

    None means there was no current file to keep. A damaged current file is kept
    byte for byte as ``*.damaged`` (not offered as a backup).

    Every restored record's version is raised above every version the current
    file ever issued, so a window opened before the restore cannot save over a
    record with a version number that happens to match again (stale saves stay
    refused; see :func:`_raise_versions`).

    Raises:
        DatabaseInUseError: another program holds the database locked (nothing changed).
        StorageError: the backup is missing, not mbctracker's, newer, or fails
            ``integrity_check`` (nothing was changed).
    """
    backup, db_path = Path(backup), Path(db_path)
    _check_restorable(backup, db_path)
    _refuse_if_in_use(db_path)
    floor = _max_version(db_path)
    work = private_temp_dir(db_path)
    try:
        prepared = backup_to(backup, work / "restore.sqlite3")
        _raise_versions(prepared, floor)
        kept = _keep_current(db_path)
        _put_in_place(prepared, db_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("restored %s; previous file kept as %s", backup, kept)
    return kept


def _check_restorable(backup: Path, db_path: Path) -> None:
    if not backup.is_file():
        raise StorageError(f"No backup file at {backup}; nothing was changed.")
    if db_path.exists() and _same_file(backup, db_path):
        raise StorageError("That is the database itself, not a backup; nothing was changed.")
    info = check_database(backup)
    if info.fresh or not integrity_ok(backup):
        raise StorageError(
            f"The backup {backup} fails SQLite's integrity check; nothing was changed. "
            "Choose an older backup."
        )


def _same_file(backup: Path, db_path: Path) -> bool:
    """The live database under any name: symlink, ``..`` path or hard link.

    Opening a hard link as a database would give it a -wal of its own beside the live one.
    """
    try:
        return backup.resolve() == db_path.resolve() or os.path.samefile(backup, db_path)
    except OSError:
        return False


def _refuse_if_in_use(db_path: Path, timeout_s: float = 0.5) -> None:
    """Refuse when another connection holds a lock (its committed work must not be undone)
    or the file is marked as another program's (its application id is not ours)."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=rw", uri=True, timeout=timeout_s)
        with closing(conn):
            conn.isolation_level = None
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
            app_id = application_id(conn)
    except sqlite3.DatabaseError as exc:
        if is_lock_error(exc):
            raise DatabaseInUseError(db_path, "be restored into") from exc
        return  # damaged or unreadable: the restore keeps its bytes and swaps the file
    if app_id not in (0, APPLICATION_ID):
        raise StorageError(
            f"{db_path} is another program's database (application id "
            f"0x{app_id & 0xFFFFFFFF:08X}); nothing was restored into it."
        )


def _versioned_tables(conn: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return [
        n
        for n in names
        if any(c[1] == "version" for c in conn.execute(f'PRAGMA table_info("{n}")'))
    ]


def _max_version(path: Path) -> int:
    """The highest record version in ``path`` (0 when missing or unreadable)."""
    if not path.is_file() or path.stat().st_size == 0:
        return 0
    try:
        with closing(readonly_connect(path)) as conn:
            found = [
                conn.execute(f'SELECT max(version) FROM "{t}"').fetchone()[0]
                for t in _versioned_tables(conn)
            ]
    except sqlite3.DatabaseError:
        return 0
    return max((int(v) for v in found if v is not None), default=0)


def _raise_versions(prepared: Path, floor: int) -> None:
    """Add ``floor`` to every version in the prepared copy, so each exceeds every old one.

    Versions only ever grow in a file; the restored records then carry numbers no
    window opened before the restore can hold. (A per-file "generation" would
    have to travel with every record the UI keeps; this needs no UI change.) A
    current file too damaged to read gives ``floor`` 0: nothing could save into
    it anyway. The copy is also marked with our application id (older backups
    predate it).
    """
    with closing(sqlite3.connect(prepared)) as conn, conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        marks = _summary_marks(conn)
        for table in _versioned_tables(conn) if floor > 0 else ():
            conn.execute(f'UPDATE "{table}" SET version = version + ?', (floor,))
        if marks:
            # A version number changes no course summary: keep only the backup's own
            # marks, or the first save after a restore would recompute every course.
            conn.execute(
                "DELETE FROM summary_dirty WHERE course_id NOT IN (SELECT course_id FROM kept)"
            )


def _summary_marks(conn: sqlite3.Connection) -> bool:
    """Remember the courses marked for a summary recompute (False: a file before 0010)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'summary_dirty'"
    ).fetchone()
    if found is None:
        return False
    conn.execute("CREATE TEMP TABLE kept AS SELECT course_id FROM summary_dirty")
    return True


def _keep_current(db_path: Path) -> Path | None:
    """A verified copy of the current file, or a byte copy if it is too damaged to read."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        ensure_private_dir(db_path.parent)
        ensure_private_file(db_path)
        return None
    try:
        return backup_to(db_path, new_backup_path(db_path, PRE_RESTORE))
    except DatabaseInUseError:
        raise
    except StorageError:
        return _byte_copy(db_path)


def _byte_copy(db_path: Path) -> Path:
    """Keep a damaged file exactly as it is (with its WAL); not listed as a backup."""
    dest = new_backup_path(db_path, PRE_RESTORE).with_suffix(".damaged")
    ensure_private_dir(dest.parent)
    for suffix in ("", "-wal"):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            target = Path(f"{dest}{suffix}")
            create_exclusive(target)  # never through a planted symlink
            shutil.copyfile(source, target)
    return dest


def _put_in_place(prepared: Path, db_path: Path) -> None:
    """Write the backup's pages into the database through SQLite, so a live WAL stays right."""
    try:
        with closing(readonly_connect(prepared)) as src, closing(sqlite3.connect(db_path)) as dst:
            dst.execute("PRAGMA busy_timeout = 5000")
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        if is_lock_error(exc):
            raise DatabaseInUseError(db_path, "be restored into") from exc
        _replace_damaged(prepared, db_path)  # the old file was unreadable: swap the file
    ensure_private_file(db_path)
    if not integrity_ok(db_path):
        raise StorageError(f"Restoring into {db_path} failed its integrity check.")


def _replace_damaged(prepared: Path, db_path: Path) -> None:
    """Swap the file itself; ``prepared`` sits in a private folder on the same file system."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(prepared, db_path)
