"""Online copies of the database with SQLite's backup API.

The backup API copies a consistent snapshot even while another connection
writes, which a plain file copy of a WAL database does not. Every copy is
checked with ``integrity_check`` before it counts.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from .errors import StorageError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) owner-only; health data must not be world-readable."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name == "posix":
        path.chmod(PRIVATE_DIR)
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
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def backup_to(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` consistently, owner-only, and verify the copy.

    Raises:
        StorageError: the copy could not be written or failed its integrity check.
    """
    ensure_private_dir(dest.parent)
    partial = dest.with_name(dest.name + ".part")
    ensure_private_file(partial)
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as out:
            src.backup(out)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"Backup to {dest} failed: {exc}") from exc
    if not integrity_ok(partial):
        partial.unlink(missing_ok=True)
        raise StorageError(f"Backup to {dest} failed its integrity check; the copy was discarded.")
    os.replace(partial, dest)
    return dest


def timestamped_name(db_path: Path, label: str, when: datetime | None = None) -> str:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{db_path.stem}-{label}-{stamp}.sqlite3"
