"""Online copies of the database with SQLite's backup API.

The backup API copies a consistent snapshot even while another connection
writes, which a plain file copy of a WAL database does not. Every copy is
checked with ``quick_check`` before it counts (1.9 s of a 3.3 s backup of the
460 MB, 22,481-patient file went to the full ``integrity_check``, which also
cross-checks every index against its table); the full check runs on the newest
copy as an idle job (``services.backups.verify_newest_backup``) and before every
restore. Each copy is a self-contained single file (rollback journal mode), so no
``-wal`` file can be left behind.

The copy is written without SQLite's own syncs and flushed to disk with one
``fsync`` that runs while ``quick_check`` reads the copy (the check is CPU, the
flush is the disk: about 0.3 s of 0.7 s each on the 539 MB file). A copy is moved
into place only when both succeeded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..fileio import TEMP_SUFFIX, publish, sync_folder
from ..paths import ensure_private_dir
from .errors import DatabaseInUseError, StorageError
from .sqlitefile import is_lock_error, quick_check, readonly_connect

PRIVATE_FILE = 0o600
BACKUP_SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M%S"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
LEFTOVER_TAIL = r"\.[a-z0-9_]{8}\.part(?:-journal|-wal|-shm)?$"
"""Our temp names end ``.{random}.part``: ``tempfile``'s random part is 8 characters."""
LEFTOVER_AGE_S = 15 * 60
"""A temp file untouched this long belongs to a killed process, not a running copy."""


def ensure_private_file(path: Path) -> None:
    """Create an empty owner-only database file, or tighten an existing one.

    Used for the database itself, which a user may keep behind a symlink; temp
    files use :func:`create_exclusive` instead.
    """
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def private_temp_dir(dest: Path) -> Path:
    """A fresh 0700 folder beside ``dest``, named ``.{dest.name}.{random}.part``.

    SQLite creates its own ``-journal``/``-wal`` files next to a file it writes and
    follows symlinks when it does; inside a folder only we can write, nobody can
    plant one. The random name cannot be guessed in advance, ``mkdir`` never
    follows a symlink, and the same folder means the final rename is atomic.
    """
    return Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=TEMP_SUFFIX, dir=dest.parent))


def create_exclusive(path: Path) -> None:
    """Create ``path`` empty and owner-only; fail if anything (even a symlink) is there."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, PRIVATE_FILE))


def remove_leftovers(folder: Path, prefix: str, *, min_age_s: float = LEFTOVER_AGE_S) -> list[Path]:
    """Delete our own temp files and folders left by a killed backup, migration or restore.

    Only names ``.{prefix}...{random}.part`` (and SQLite's ``-journal``/``-wal``
    beside them) untouched for ``min_age_s`` (another workstation may be writing
    one right now) are removed; symlinks are never followed or removed, and
    other programs' hidden ``.part`` files do not match the prefix.
    """
    pattern = re.compile(rf"^\.{re.escape(prefix)}.*{LEFTOVER_TAIL}")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    cutoff = time.time() - min_age_s
    for entry in entries:
        if not pattern.match(entry.name) or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def backups_dir(db_path: Path, folder: Path | None = None) -> Path:
    """Backups live in a folder beside the database they copy, unless the clinic chose
    another ``folder`` (Preferences)."""
    return folder if folder is not None else db_path.parent / "backups"


def integrity_ok(path: Path) -> bool:
    """True when SQLite's full ``integrity_check`` says "ok".

    Raises:
        DatabaseInUseError: another program holds the file locked (in use is not damage).
    """
    try:
        with closing(readonly_connect(path)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_lock_error(exc):
            raise DatabaseInUseError(path, "be checked") from exc
        return False
    return rows == [("ok",)]


def quick_ok(path: Path) -> bool:
    """True when SQLite's ``quick_check`` (pages and records, not index contents) passes.

    Raises:
        DatabaseInUseError: another program holds the file locked (in use is not damage).
    """
    try:
        return quick_check(path) is None
    except sqlite3.OperationalError as exc:
        raise DatabaseInUseError(path, "be checked") from exc


def _copy(source: Path, partial: Path) -> None:
    """Snapshot ``source`` into ``partial`` and make the copy a single journal-mode file.

    SQLite does not sync the copy (``synchronous = OFF``): :func:`_flush` does, once,
    alongside the check; nothing is published before it returned.
    """
    with closing(readonly_connect(source)) as src, closing(sqlite3.connect(partial)) as out:
        src.execute("PRAGMA busy_timeout = 5000")
        out.execute("PRAGMA synchronous = OFF")
        src.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")


def _flush(path: Path) -> None:
    """Write ``path``'s bytes to disk (``fsync``), so a power cut cannot leave a published
    copy whose pages were still in memory."""
    fd = os.open(path, os.O_RDWR | _NOFOLLOW)  # Windows syncs only a file open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flushed_and_checked(partial: Path) -> bool:
    """Flush the copy to disk while ``quick_check`` reads it; True when the check passed.

    Raises:
        OSError: the flush failed (the copy must not be kept).
        DatabaseInUseError: the copy was locked while being checked.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup-flush") as pool:
        flushed = pool.submit(_flush, partial)
        try:
            good = quick_ok(partial)
        finally:
            flushed.exception()  # wait for the flush whatever the check did
    flushed.result()
    return good


def backup_to(source: Path, dest: Path, *, overwrite: bool = False) -> Path:
    """Copy ``source`` to ``dest`` consistently, owner-only, and verify the copy.

    The copy is made in a private temp folder beside ``dest`` and moved into
    place only once verified, so a planted symlink is never written through and
    a killed copy leaves only a ``.part`` folder that the next start removes.

    Raises:
        StorageError: the copy could not be written, failed its integrity check,
            or ``dest`` exists (unless ``overwrite``).
    """
    try:
        ensure_private_dir(dest.parent)
        work = private_temp_dir(dest)
    except OSError as exc:
        raise StorageError(
            f"Backup to {dest} failed: {exc.strerror or exc}. Nothing was backed up; "
            "the database was not changed."
        ) from exc
    try:
        _copy_verified(source, dest, work / "copy.sqlite3", overwrite=overwrite)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sync_folder(dest.parent)
    return dest


def _copy_verified(source: Path, dest: Path, partial: Path, *, overwrite: bool) -> None:
    try:
        create_exclusive(partial)
        _copy(source, partial)
    except (sqlite3.Error, OSError) as exc:
        known = _locked(exc, source)
        if known is not None:
            raise known from exc
        raise StorageError(
            f"Backup to {dest} failed: {exc}. The database was not changed."
        ) from exc
    try:
        good = _flushed_and_checked(partial)
    except OSError as exc:
        raise StorageError(
            f"Backup to {dest} failed: the copy could not be written to disk "
            f"({exc.strerror or exc}); it was discarded. The database was not changed."
        ) from exc
    if not good:
        raise StorageError(
            f"Backup to {dest} failed its integrity check (quick_check); the copy was "
            "discarded. "
            "The database itself may be damaged: keep the older backups."
        )
    try:
        publish(partial, dest, overwrite=overwrite)
    except FileExistsError:
        raise StorageError(
            f"{dest} already exists; choose a new file name (nothing overwritten)."
        ) from None
    except OSError as exc:
        raise StorageError(f"Backup to {dest} failed: {exc.strerror or exc}.") from exc


def _locked(exc: BaseException, path: Path) -> StorageError | None:
    """The plain "in use" error when SQLite says busy or locked: locked is never damaged."""
    if is_lock_error(exc):
        return DatabaseInUseError(path, "be backed up")
    return None


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup found beside a database: its file, why it was made, and when."""

    path: Path
    label: str
    taken: datetime
    sequence: int = 0
    """Orders copies taken within the same second."""


BACKUP_LABELS = r"auto|manual|pre-restore|pre-migration-[0-9a-z]+"
"""The kinds of copy the app names (services.backups and the migration step). Only these
follow a database's name: with any label, "clinic-2024-auto-…" (a backup of
clinic-2024.sqlite3) was listed, offered for restore and named in messages as a backup
of clinic.sqlite3, and a new clinic.sqlite3 was refused as "missing"."""


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(db_path.stem)}-(?P<label>{BACKUP_LABELS})"
        rf"-(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<n>\d+))?{re.escape(BACKUP_SUFFIX)}$"
    )


def find_backups(db_path: Path, chosen: Path | None = None) -> list[BackupFile]:
    """This database's backups, newest first (named ``STEM-LABEL-YYYYmmdd-HHMMSS``).

    Copies named in the same second are ordered by when their file was written: the
    name's counter only orders copies of one kind, so a start-up copy and a "Back up
    now" in the same second came back in the folder's listing order, which varies.
    """
    folder = backups_dir(db_path, chosen)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found: list[tuple[datetime, int, int, BackupFile]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            match = pattern.match(entry.name)
            try:
                written = entry.stat().st_mtime_ns if match and entry.is_file() else None
            except OSError:  # rotated away by another workstation meanwhile
                written = None
            if match and written is not None:
                taken = datetime.strptime(match["stamp"], _STAMP)
                backup = BackupFile(Path(entry.path), match["label"], taken, int(match["n"] or 0))
                found.append((taken, written, backup.sequence, backup))
    return [b for *_key, b in sorted(found, key=lambda f: f[:3], reverse=True)]


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of ``db_path``, for "restore a backup?" messages."""
    found = find_backups(db_path)
    return found[0].path if found else None


def timestamped_name(db_path: Path, label: str, when: datetime | None = None) -> str:
    if not re.fullmatch(BACKUP_LABELS, label):  # a copy find_backups would never see
        raise ValueError(f"backup label {label!r} is not one of {BACKUP_LABELS}")
    stamp = (when or datetime.now()).strftime(_STAMP)
    return f"{db_path.stem}-{label}-{stamp}{BACKUP_SUFFIX}"


def new_backup_path(
    db_path: Path, label: str, when: datetime | None = None, folder: Path | None = None
) -> Path:
    """A fresh name in the backups folder; a counter keeps two copies in one second apart."""
    first = backups_dir(db_path, folder) / timestamped_name(db_path, label, when)
    candidate, counter = first, 1
    while candidate.exists():
        candidate = first.with_name(f"{first.stem}-{counter}{BACKUP_SUFFIX}")
        counter += 1
    return candidate
