"""Open a database file: check it, migrate it if older, refuse it if newer.

Start-up must not pay for importing Alembic when the schema is already current,
so the stored revision is compared with :data:`SCHEMA_HEAD` using plain
``sqlite3`` first; Alembic is imported only to create or upgrade a schema.
A test keeps :data:`SCHEMA_REVISIONS` equal to Alembic's own history.

A file that fails a check is never written to: the checks use read-only
connections, and the engine is made only after they pass.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from .. import __version__
from .backup import (
    backup_to,
    ensure_private_dir,
    ensure_private_file,
    new_backup_path,
    newest_backup,
)
from .db import BUSY_TIMEOUT_MS, Database, make_engine, translate
from .errors import CorruptDatabaseError, NewerDatabaseError, NotADatabaseError, StorageError
from .schema import known_revisions
from .sqlitefile import (
    QUICK_CHECK_MAX_BYTES,
    SQLITE_MAGIC,
    HeaderProblem,
    check_header,
    quick_check,
    readonly_connect,
)

SCHEMA_REVISIONS: tuple[str, ...] = known_revisions()
"""Every Alembic revision, oldest first; the last one is the head."""
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
OUR_TABLES = frozenset({"patient", "course", "assessment", "change_log", "app_meta"})
"""Tables whose presence (with ``alembic_version``) marks a file as mbctracker's."""

__all__ = ["SCHEMA_HEAD", "SCHEMA_REVISIONS", "SQLITE_MAGIC", "DbInfo", "check_database"]


@dataclass(frozen=True, slots=True)
class DbInfo:
    """What the read-only checks found: schema revision (None if new) and tables."""

    path: Path
    revision: str | None = None
    tables: frozenset[str] = field(default_factory=frozenset)
    app_version: str | None = None

    @property
    def fresh(self) -> bool:
        return self.revision is None


def _read_meta(conn: sqlite3.Connection) -> tuple[str | None, frozenset[str], str | None]:
    tables = frozenset(
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    )
    revision = app_version = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    if "app_meta" in tables:
        found = conn.execute("SELECT value FROM app_meta WHERE key='app_version'").fetchone()
        app_version = found[0] if found else None
    return revision, tables, app_version


def _inspect(path: Path) -> DbInfo:
    """Revision, tables and last app version, read without Alembic and without writing."""
    try:
        with closing(readonly_connect(path)) as conn:
            revision, tables, app_version = _read_meta(conn)
    except sqlite3.DatabaseError as exc:
        detail = f"SQLite cannot read it: {exc}"
        raise CorruptDatabaseError(path, detail, newest_backup(path)) from exc
    return DbInfo(path, revision, tables, app_version)


def _check_file(path: Path) -> None:
    try:
        check_header(path)
    except HeaderProblem as exc:
        backup = newest_backup(path)
        if exc.foreign:
            raise NotADatabaseError(path, str(exc), backup) from None
        raise CorruptDatabaseError(path, str(exc), backup) from None
    if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
        problem = quick_check(path)
        if problem is not None:
            raise CorruptDatabaseError(path, f"SQLite reports: {problem}", newest_backup(path))


def _classify(info: DbInfo) -> None:
    """Refuse other programs' databases and newer mbctracker schemas."""
    path = info.path
    ours = bool(info.tables & OUR_TABLES)
    if info.revision is None and info.tables - {"sqlite_sequence"}:
        raise NotADatabaseError(path, "it holds another program's tables", newest_backup(path))
    if info.revision is not None and info.revision not in SCHEMA_REVISIONS:
        if not ours:
            detail = f"another program's schema {info.revision}"
            raise NotADatabaseError(path, detail, newest_backup(path))
        raise NewerDatabaseError(
            path, info.app_version or "unknown", info.revision, __version__, SCHEMA_HEAD
        )


def check_database(path: Path) -> DbInfo:
    """Read-only checks of an existing file; an empty or missing file counts as new.

    Raises:
        NotADatabaseError: not SQLite, or another program's database.
        CorruptDatabaseError: damaged (truncated, bad header, ``quick_check`` fails).
        NewerDatabaseError: written by a newer mbctracker.
        StorageError: the file cannot be read at all (permissions, a folder).
    """
    try:
        if not path.exists() or path.stat().st_size == 0:
            return DbInfo(path)
        _check_file(path)
        info = _inspect(path)
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    _classify(info)
    return info


def _alembic_upgrade(db: Database) -> None:
    from alembic import command  # deferred: only paid when the schema changes
    from alembic.config import Config

    from . import migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.exec_driver_sql(
            "INSERT INTO app_meta(key, value) VALUES ('app_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (__version__,),
        )


def open_database(path: Path, actor: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """Open (creating or upgrading as needed) the clinic database at ``path``.

    ``busy_timeout_ms`` is how long a save waits for another window's write lock.

    Raises:
        NotADatabaseError: not SQLite, or another program's database (file unchanged).
        CorruptDatabaseError: damaged; the message names the newest backup (file unchanged).
        NewerDatabaseError: written by a newer mbctracker; the file is left alone.
    """
    path = Path(path)
    info = check_database(path)
    existed = path.exists()
    try:
        ensure_private_dir(path.parent, tighten=False)
        ensure_private_file(path)  # creates a new file 0600, tightens an existing one
    except OSError as exc:
        raise StorageError(f"Cannot open {path} for writing: {exc.strerror or exc}.") from exc
    db = Database(path=path, engine=make_engine(path, busy_timeout_ms), actor=actor)
    if info.revision != SCHEMA_HEAD:
        if info.revision is not None:
            backup_to(path, new_backup_path(path, f"pre-migration-{info.revision}"))
        _upgrade(db, created=info.fresh and not existed)
    return db


def _upgrade(db: Database, *, created: bool) -> None:
    """Migrate; a failure SQLite explains (disk full, read-only) becomes its plain error.

    The migration runs in one transaction, so an old file is left as it was. A file
    this call created is removed, so a full disk never leaves a half-made database
    that would later open as an empty one.
    """
    try:
        _alembic_upgrade(db)
    except DBAPIError as exc:
        db.dispose()
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db.path}{suffix}").unlink(missing_ok=True)
        known = translate(exc.orig, db.path)
        if known is None:
            raise
        raise known from exc
