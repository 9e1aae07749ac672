"""Open a database file: check it, migrate it if older, refuse it if newer.

Start-up must not pay for importing Alembic (nor SQLAlchemy) when the schema is
already current, so the stored revision is compared with :data:`SCHEMA_HEAD` using
plain ``sqlite3`` first; Alembic is imported only to create or upgrade a schema,
and SQLAlchemy when the engine is first used.
A test keeps :data:`SCHEMA_REVISIONS` equal to Alembic's own history.

A file that fails a check is never written to: the checks use read-only
connections, and the engine is made only after they pass.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import mbctracker

from ..paths import ensure_private_dir, is_server_url

if TYPE_CHECKING:
    from ..domain.access import Role

from .backup import (
    backup_to,
    backups_dir,
    ensure_private_file,
    new_backup_path,
    newest_backup,
    remove_leftovers,
)
from .db import BUSY_TIMEOUT_MS, Database, translate
from .errors import (
    CorruptDatabaseError,
    DatabaseInUseError,
    MissingDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    NotAllowedError,
    StorageError,
)
from .schema import known_revisions
from .sqlitefile import (
    APPLICATION_ID,
    QUICK_CHECK_MAX_BYTES,
    SQLITE_MAGIC,
    HeaderProblem,
    application_id,
    check_header,
    is_lock_error,
    quick_check,
    readonly_connect,
)

SCHEMA_REVISIONS: tuple[str, ...] = known_revisions()
"""Every Alembic revision, oldest first; the last one is the head."""
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
OUR_TABLES = frozenset({"patient", "course", "assessment", "change_log", "app_meta"})
"""Tables that, all present with a known ``alembic_version``, mark an unmarked file as ours."""

__all__ = ["SCHEMA_HEAD", "SCHEMA_REVISIONS", "SQLITE_MAGIC", "DbInfo", "check_database"]


@dataclass(frozen=True, slots=True)
class DbInfo:
    """What the read-only checks found: schema revision (None if new) and tables."""

    path: Path
    revision: str | None = None
    tables: frozenset[str] = field(default_factory=frozenset)
    app_version: str | None = None
    app_id: int = 0

    @property
    def fresh(self) -> bool:
        return self.revision is None


def _read_meta(conn: sqlite3.Connection) -> tuple[str | None, frozenset[str], str | None, int]:
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
    return revision, tables, app_version, application_id(conn)


def _inspect(path: Path) -> DbInfo:
    """Revision, tables and last app version, read without Alembic and without writing."""
    try:
        with closing(readonly_connect(path)) as conn:
            revision, tables, app_version, app_id = _read_meta(conn)
    except sqlite3.DatabaseError as exc:
        if is_lock_error(exc):
            raise DatabaseInUseError(path) from exc
        detail = f"SQLite cannot read it: {exc}"
        raise CorruptDatabaseError(path, detail, newest_backup(path)) from exc
    return DbInfo(path, revision, tables, app_version, app_id)


def _check_file(path: Path) -> None:
    try:
        check_header(path)
    except HeaderProblem as exc:
        backup = newest_backup(path)
        if exc.foreign:
            raise NotADatabaseError(path, str(exc), backup) from None
        raise CorruptDatabaseError(path, str(exc), backup) from None
    if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
        try:
            problem = quick_check(path)
        except sqlite3.OperationalError as exc:
            raise DatabaseInUseError(path) from exc
        if problem is not None:
            raise CorruptDatabaseError(path, f"SQLite reports: {problem}", newest_backup(path))


def _classify(info: DbInfo) -> None:
    """Refuse other programs' databases and newer mbctracker schemas.

    A file marked with our ``application_id`` is ours; one marked with any other
    id is not. An unmarked file (older mbctracker, or anything else) counts as
    ours only with a known revision and all of :data:`OUR_TABLES`: another
    program's Alembic database can be at revision "0002" too.
    """
    path = info.path
    if info.app_id not in (0, APPLICATION_ID):
        detail = f"another program's application id 0x{info.app_id & 0xFFFFFFFF:08X}"
        raise NotADatabaseError(path, detail, newest_backup(path))
    ours = info.app_id == APPLICATION_ID or info.tables >= OUR_TABLES
    if info.revision in SCHEMA_REVISIONS and not ours:
        detail = f"another program's tables at schema {info.revision}"
        raise NotADatabaseError(path, detail, newest_backup(path))
    if info.revision is None and info.tables - {"sqlite_sequence"}:
        raise NotADatabaseError(path, "it holds another program's tables", newest_backup(path))
    if info.revision is not None and info.revision not in SCHEMA_REVISIONS:
        if not ours:
            detail = f"another program's schema {info.revision}"
            raise NotADatabaseError(path, detail, newest_backup(path))
        raise NewerDatabaseError(
            path, info.app_version or "unknown", info.revision, mbctracker.__version__, SCHEMA_HEAD
        )


def check_database(path: Path) -> DbInfo:
    """Read-only checks of an existing file; an empty or missing file counts as new.

    ...unless backups of it exist: then the file was in use and has been lost or
    emptied, and opening it as new would hide that (and let the start-up backup
    rotate the good copies away).

    Raises:
        MissingDatabaseError: missing or empty, but backups of it exist.
        DatabaseInUseError: another program holds the file locked (not damage).
        NotADatabaseError: not SQLite, or another program's database.
        CorruptDatabaseError: damaged (truncated, bad header, ``quick_check`` fails).
        NewerDatabaseError: written by a newer mbctracker.
        StorageError: the file cannot be read at all (permissions, a folder).
    """
    try:
        if not path.exists() or path.stat().st_size == 0:
            _refuse_lost(path)
            return DbInfo(path)
        _check_file(path)
        info = _inspect(path)
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    _classify(info)
    return info


def _refuse_lost(path: Path) -> None:
    backup = newest_backup(path)
    if backup is not None:
        state = "missing" if not path.exists() else "empty (0 bytes)"
        raise MissingDatabaseError(path, state, backup)


def _alembic_upgrade(db: Database) -> None:
    from alembic import command  # deferred: only paid when the schema changes
    from alembic.config import Config
    from sqlalchemy import text

    from . import migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    with db.engine.execution_options(immediate=True).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.execute(
            text(
                "INSERT INTO app_meta(key, value) VALUES ('app_version', :v) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            ),
            {"v": mbctracker.__version__},
        )
        if not db.on_server:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def _remove_leftovers(path: Path) -> None:
    """Temp files of a backup, migration or restore that was killed (see ``remove_leftovers``)."""
    remove_leftovers(path.parent, path.name)  # restores
    remove_leftovers(backups_dir(path), f"{path.stem}-")  # backups and pre-migration copies


def _mark_ours(db: Database) -> None:
    """Stamp an unmarked mbctracker file (made before application ids) as ours."""
    from sqlalchemy.exc import DBAPIError

    try:
        with db.engine.execution_options(immediate=True).begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    except DBAPIError as exc:
        db.dispose()
        known = translate(exc.orig, db.path)
        if known is None:
            raise
        raise known from exc


def open_database(
    path: Path | str, actor: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, upgrade: bool = True
) -> Database:
    """Open (creating or upgrading as needed) the clinic database at ``path``.

    ``path`` is a SQLite file, or a ``postgresql://`` address of a clinic server
    (:func:`open_server`; ``upgrade=False`` refuses an older server schema instead of
    migrating it). ``busy_timeout_ms`` is how long a save waits for another window's
    write lock.

    Raises:
        NotADatabaseError: not SQLite, or another program's database (file unchanged).
        CorruptDatabaseError: damaged; the message names the newest backup (file unchanged).
        NewerDatabaseError: written by a newer mbctracker; the file is left alone.
        MissingDatabaseError: missing or empty where backups show it was used.
        DatabaseInUseError: another program holds it locked (not damaged).
    """
    if is_server_url(path):
        return open_server(str(path), actor, lock_timeout_ms=busy_timeout_ms, upgrade=upgrade)
    path = Path(path)
    info = check_database(path)
    existed = path.exists()
    try:
        ensure_private_dir(path.parent)
        ensure_private_file(path)  # creates a new file 0600, tightens an existing one
    except OSError as exc:
        raise StorageError(f"Cannot open {path} for writing: {exc.strerror or exc}.") from exc
    _remove_leftovers(path)
    db = Database(path=path, actor=actor, busy_timeout_ms=busy_timeout_ms)
    if info.revision != SCHEMA_HEAD:
        if info.revision is not None:
            backup_to(path, new_backup_path(path, f"pre-migration-{info.revision}"))
        _upgrade(db, created=info.fresh and not existed)
    elif info.app_id != APPLICATION_ID:
        _mark_ours(db)
    return db


def _upgrade(db: Database, *, created: bool) -> None:
    """Migrate; a failure SQLite explains (disk full, read-only) becomes its plain error.

    The migration runs in one transaction, so an old file is left as it was. A file
    this call created is removed, so a full disk never leaves a half-made database
    that would later open as an empty one.
    """
    from sqlalchemy.exc import DBAPIError

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


def open_server(
    address: str, actor: str, *, lock_timeout_ms: int = BUSY_TIMEOUT_MS, upgrade: bool = True
) -> Database:
    """Open a clinic's PostgreSQL database: checked, refused when newer, migrated when older.

    The same Alembic revisions as a file; an empty database is created only by
    someone allowed to (``server-init`` as the database owner). ``upgrade=False``
    refuses an older schema instead of migrating it (a workstation's sign-in).

    Raises:
        ServerError: unreachable, wrong password, not allowed (plain messages).
        NewerDatabaseError: written by a newer mbctracker; nothing is changed.
        NotADatabaseError: another program's tables.
    """
    from sqlalchemy.exc import DBAPIError

    from .server import label, make_server_engine, redact, server_url, translate_server

    url = server_url(address)
    where = label(url)
    db = Database(
        path=where,
        _engine=make_server_engine(url, lock_timeout_ms),
        actor=actor,
        url=redact(url.render_as_string(hide_password=True)),
    )
    info: DbInfo | None = None
    try:
        info = _inspect_server(db)
        _classify(info)
        if info.revision != SCHEMA_HEAD:
            if not upgrade:
                raise _needs_server_init(where, info.revision)
            _alembic_upgrade(db)
        db.role = _server_role(db)
    except DBAPIError as exc:
        db.dispose()
        known = translate_server(exc.orig, where)
        if known is None:
            raise
        if isinstance(known, NotAllowedError) and info is not None:  # owner-only upgrade
            raise _needs_server_init(where, info.revision) from exc
        raise known from exc
    except BaseException:
        db.dispose()
        raise
    return db


def _server_role(db: Database) -> Role | None:
    """The app's role for the person signed in to the server: their PostgreSQL group,
    so the window shows what the database will allow (the database still enforces it)."""
    from ..domain.access import Role
    from .roles import member_group

    with db.engine.connect() as conn:
        group = member_group(conn)
    roles = {
        "clinician": Role.CLINICIAN,
        "nurse": Role.NURSE,
        "frontdesk": Role.FRONT_DESK,
        "admin": Role.ADMINISTRATOR,
    }
    return roles.get(group) if group is not None else None


def _needs_server_init(where: Path, revision: str | None) -> StorageError:
    return StorageError(
        f"The clinic database {where} is at schema {revision or 'none (empty)'}; this "
        f"mbctracker needs {SCHEMA_HEAD}. Nothing was changed. Ask the clinic's IT person to "
        "run `mbctracker server-init` as the database owner (docs/clinic-server.md)."
    )


def _inspect_server(db: Database) -> DbInfo:
    """Revision, tables and last app version of a server database, read-only."""
    with db.engine.connect() as conn:
        tables = frozenset(
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        )
        revision = app_version = None
        if "alembic_version" in tables:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if "app_meta" in tables:
            app_version = conn.exec_driver_sql(
                "SELECT value FROM app_meta WHERE key = 'app_version'"
            ).scalar()
    return DbInfo(db.path, revision, tables, app_version, 0)
