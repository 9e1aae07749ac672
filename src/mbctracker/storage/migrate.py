"""Open a database file: check it, migrate it if older, refuse it if newer.

Start-up must not pay for importing Alembic when the schema is already current,
so the stored revision is compared with :data:`SCHEMA_HEAD` using plain
``sqlite3`` first; Alembic is imported only to create or upgrade a schema.
A test keeps :data:`SCHEMA_REVISIONS` equal to Alembic's own history.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from .. import __version__
from .backup import (
    backup_to,
    backups_dir,
    ensure_private_dir,
    ensure_private_file,
    timestamped_name,
)
from .db import Database, make_engine
from .errors import NewerDatabaseError, NotADatabaseError

SCHEMA_REVISIONS: tuple[str, ...] = ("0001",)
"""Every Alembic revision, oldest first; the last one is the head."""
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
SQLITE_MAGIC = b"SQLite format 3\x00"


def _inspect(path: Path) -> tuple[str | None, set[str], str | None]:
    """(alembic revision, table names, last app version) read without Alembic."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            app_version = None
            if "app_meta" in tables:
                found = conn.execute(
                    "SELECT value FROM app_meta WHERE key='app_version'"
                ).fetchone()
                app_version = found[0] if found else None
    except sqlite3.DatabaseError as exc:
        raise NotADatabaseError(path, f"SQLite cannot read it: {exc}") from exc
    return revision, tables, app_version


def _check_header(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise NotADatabaseError(path, "it is not an SQLite database file")


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


def open_database(path: Path, actor: str) -> Database:
    """Open (creating or upgrading as needed) the clinic database at ``path``.

    Raises:
        NotADatabaseError: not SQLite, unreadable, or another program's database.
        NewerDatabaseError: written by a newer mbctracker; the file is left alone.
    """
    path = Path(path)
    ensure_private_dir(path.parent)
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh:
        ensure_private_file(path)
    else:
        _check_header(path)
    revision, tables, app_version = (None, set(), None) if fresh else _inspect(path)
    if revision is None and tables - {"sqlite_sequence"}:
        raise NotADatabaseError(path, "it holds another program's tables")
    if revision is not None and revision not in SCHEMA_REVISIONS:
        raise NewerDatabaseError(path, app_version or "unknown", revision, __version__, SCHEMA_HEAD)
    db = Database(path=path, engine=make_engine(path), actor=actor)
    if revision != SCHEMA_HEAD:
        if revision is not None:
            backup_to(path, backups_dir(path) / timestamped_name(path, f"pre-migration-{revision}"))
        _alembic_upgrade(db)
    return db
