"""Online copies of the database with SQLite's backup API.

The backup API copies a consistent snapshot even while another connection
writes, which a plain file copy of a WAL database does not. Every copy is
checked with ``integrity_check`` before it counts, and is a self-contained
single file (rollback journal mode), so no ``-wal`` file can be left behind.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import StorageError
from .sqlitefile import readonly_connect

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
BACKUP_SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M%S"


def ensure_private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create ``path`` owner-only; health data must not be world-readable.

    ``tighten=False`` leaves an existing folder's mode alone: a database the user
    keeps in, say, their Documents folder must not change that folder's sharing.
    """
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name == "posix" and (tighten or not existed):
        path.chmod(PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def ensure_private_file(path: Path) -> None:
    """Create an empty owner-only file, or tighten an existing one."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    if os.name == "posix":
        path.chmod(PRIVATE_FILE)


def backups_dir(db_path: Path) -> Path:
    """Backups live in a folder beside the database they copy."""
    return db_path.parent / "backups"


def integrity_ok(path: Path) -> bool:
    """True when SQLite's full ``integrity_check`` says "ok"."""
    try:
        with closing(readonly_connect(path)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def _copy(source: Path, partial: Path) -> None:
    """Snapshot ``source`` into ``partial`` and make the copy a single journal-mode file."""
    with closing(readonly_connect(source)) as src, closing(sqlite3.connect(partial)) as out:
        src.execute("PRAGMA busy_timeout = 5000")
        src.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")


def backup_to(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` consistently, owner-only, and verify the copy.

    Raises:
        StorageError: the copy could not be written or failed its integrity check.
    """
    ensure_private_dir(dest.parent)
    partial = dest.with_name(dest.name + ".part")
    ensure_private_file(partial)
    try:
        _copy(source, partial)
    except (sqlite3.Error, OSError) as exc:
        _discard(partial)
        raise StorageError(
            f"Backup to {dest} failed: {exc}. The database was not changed."
        ) from exc
    if not integrity_ok(partial):
        _discard(partial)
        raise StorageError(
            f"Backup to {dest} failed its integrity check; the copy was discarded. "
            "The database itself may be damaged: keep the older backups."
        )
    os.replace(partial, dest)
    _sync_dir(dest.parent)
    return dest


def _discard(partial: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); elsewhere the OS has no directory fsync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup found beside a database: its file, why it was made, and when."""

    path: Path
    label: str
    taken: datetime
    sequence: int = 0
    """Orders copies taken within the same second."""


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(db_path.stem)}-(?P<label>.+)-(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<n>\d+))?"
        rf"{re.escape(BACKUP_SUFFIX)}$"
    )


def find_backups(db_path: Path) -> list[BackupFile]:
    """This database's backups, newest first (named ``STEM-LABEL-YYYYmmdd-HHMMSS``)."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            taken = datetime.strptime(match["stamp"], _STAMP)
            found.append(BackupFile(entry, match["label"], taken, int(match["n"] or 0)))
    return sorted(found, key=lambda b: (b.taken, b.sequence), reverse=True)


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of ``db_path``, for "restore a backup?" messages."""
    found = find_backups(db_path)
    return found[0].path if found else None


def timestamped_name(db_path: Path, label: str, when: datetime | None = None) -> str:
    stamp = (when or datetime.now()).strftime(_STAMP)
    return f"{db_path.stem}-{label}-{stamp}{BACKUP_SUFFIX}"


def new_backup_path(db_path: Path, label: str, when: datetime | None = None) -> Path:
    """A fresh name in the backups folder; a counter keeps two copies in one second apart."""
    first = backups_dir(db_path) / timestamped_name(db_path, label, when)
    candidate, counter = first, 1
    while candidate.exists():
        candidate = first.with_name(f"{first.stem}-{counter}{BACKUP_SUFFIX}")
        counter += 1
    return candidate
