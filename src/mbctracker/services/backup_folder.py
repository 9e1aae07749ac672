"""The backup folder a clinic may choose in Preferences, checked once here.

Empty means ``backups/`` beside the database (storage/backup.py's default). A chosen
folder must already exist and be writable: a folder on another disk or a network
share is the point of choosing one, and creating a missing one would hide a share
that is not mounted. The database's own folder is refused: copies would sit among
the live file and its ``-wal``/``-shm`` files, where a clean-up or a copy of the
folder could take one for the other.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from ..domain.settings import ClinicSettings
from ..storage.sqlitefile import readonly_connect
from . import validation as check

FIELD, LABEL = "backup_folder", "Backup folder"
SETTINGS_KEY = "clinic_settings"
ALLOWED = (
    "an existing folder you can write to, other than the database's own folder "
    "(empty = backups/ beside the database)"
)


def checked_backup_folder(value: object, db_path: Path) -> str:
    """``value`` as an absolute folder path ("" for the default), or a plain refusal."""
    text = check.text(value, FIELD, LABEL, 1000)
    if not text:
        return ""
    folder = Path(os.path.expanduser(text))
    if not folder.is_absolute():
        check.refuse(FIELD, LABEL, f"{text!r} is not a full path", ALLOWED)
    if not folder.is_dir():
        check.refuse(FIELD, LABEL, f"{text} does not exist or is not a folder", ALLOWED)
    if not os.access(folder, os.W_OK | os.X_OK):
        check.refuse(FIELD, LABEL, f"{text} is not writable for you", ALLOWED)
    if folder.resolve() == db_path.parent.resolve():
        check.refuse(FIELD, LABEL, f"{text} is the database's own folder", ALLOWED)
    return str(folder.resolve())


def configured_folder(db_path: Path) -> Path | None:
    """The folder chosen in Preferences for ``db_path`` (None = the default), read with a
    read-only connection so backup threads and the command line need no session."""
    try:
        with closing(readonly_connect(db_path)) as conn:
            row = conn.execute(
                "SELECT value FROM app_meta WHERE key = ?", (SETTINGS_KEY,)
            ).fetchone()
    except sqlite3.DatabaseError:
        return None
    try:
        chosen = ClinicSettings.from_json(row[0] if row else None).backup_folder
    except (TypeError, ValueError, KeyError, IndexError):
        return None  # damaged settings: the default folder; the app names the damage
    return Path(chosen) if chosen else None
