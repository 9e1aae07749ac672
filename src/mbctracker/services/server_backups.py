"""Backups of a clinic server: ``pg_dump -Fc`` when it is installed, else the CSV interchange.

A workstation does not copy a server's files. With PostgreSQL's client tools on
PATH (Debian: ``postgresql-client``) a backup is one custom-format dump, checked
with ``pg_restore --list`` before it counts and published atomically; a restore is
``pg_restore --clean --if-exists --single-transaction`` (all or nothing). Without
them, the backup is a CSV interchange folder (docs/interchange.md), restored by
importing it into an empty database. The password goes to the tools in their
environment (``PGPASSWORD``), never on a command line another user could list.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from ..domain.errors import ValidationError
from ..fileio import publish
from ..paths import data_dir, ensure_private_dir
from ..storage.db import Database
from ..storage.errors import StorageError
from .interchange.csv_export import export_csv
from .interchange.csv_import import import_csv

DUMP_SUFFIX = ".dump"
TOOL_DIRS = tuple(f"/usr/lib/postgresql/{v}/bin" for v in (17, 16, 15))


def find_tool(name: str) -> str | None:
    """``pg_dump`` or ``pg_restore`` on PATH (or in Debian's versioned folder), else None."""
    found = shutil.which(name)
    if found:
        return found
    for folder in TOOL_DIRS:
        if (Path(folder) / name).exists():
            return str(Path(folder) / name)
    return None


def default_target(db: Database, when: datetime | None = None) -> Path:
    """``<data folder>/server-backups/<database>-<time>.dump`` (a folder for a CSV backup)."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = db.engine.url.database or "clinic"
    return data_dir() / "server-backups" / f"{name}-{stamp}{DUMP_SUFFIX}"


def _connection_env(db: Database) -> tuple[list[str], dict[str, str]]:
    """libpq options and environment for the tools (the password only in the environment)."""
    url = db.engine.url
    host = url.query.get("host") or url.host or ""
    args = ["--dbname", str(url.database), "--no-password"]
    if host:
        args += ["--host", str(host)]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StorageError(f"The {what} failed ({detail}). Nothing was changed.")


def server_backup(db: Database, to: Path | None = None) -> Path:
    """A checked backup of the whole clinic database; returns where it is.

    Raises:
        ValidationError: ``to`` exists already.
        StorageError: the server or the tool refused (a plain message).
    """
    dest = to or default_target(db)
    if dest.exists():
        raise ValidationError(f"--to: {dest} exists already; allowed: a new name", field="to")
    ensure_private_dir(dest.parent)
    pg_dump = find_tool("pg_dump")
    if pg_dump is None:
        export_csv(db, dest.with_suffix(""))  # a folder of the CSV interchange
        return dest.with_suffix("")
    args, env = _connection_env(db)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}.") as work:
        partial = Path(work) / dest.name
        _run(
            [pg_dump, "--format=custom", "--no-owner", "--file", str(partial), *args],
            env,
            "backup (pg_dump)",
        )
        pg_restore = find_tool("pg_restore")
        if pg_restore is not None:
            _run([pg_restore, "--list", str(partial)], env, "check of the backup (pg_restore)")
        os.chmod(partial, 0o600)
        publish(partial, dest, overwrite=False)
    return dest


def server_restore(db: Database, backup: Path) -> None:
    """Put a server backup back: a dump with ``pg_restore``, a CSV folder by importing it.

    A dump replaces every table in one transaction; a CSV folder is imported only into
    a database without patients (create a new database first, docs/clinic-server.md).

    Raises:
        ValidationError: no such backup, or a CSV folder into a database with patients.
        StorageError: the server or the tool refused (a plain message).
    """
    if backup.is_dir():
        import_csv(db, backup)  # refuses MRNs already present: nothing is written then
        _refresh_statistics(db)
        return
    if not backup.is_file():
        raise ValidationError(
            f"FILE: no backup at {backup}; allowed: a .dump file or a CSV interchange folder",
            field="file",
        )
    pg_restore = find_tool("pg_restore")
    if pg_restore is None:
        raise StorageError(
            f"{backup} is a pg_dump backup, and pg_restore is not installed here. Install "
            "PostgreSQL's client tools (Debian: postgresql-client) and try again."
        )
    args, env = _connection_env(db)
    db.dispose()  # our own connections would hold the tables the restore replaces
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            *args,
            str(backup),
        ],
        env,
        "restore (pg_restore)",
    )
    _refresh_statistics(db)


def _refresh_statistics(db: Database) -> None:
    """``ANALYZE`` the restored tables: PostgreSQL restores rows, not the planner's
    statistics, and until autovacuum gets to them the outcome analyses' plans were
    1.7-2× slower (measured at 2,000 patients). A table this person does not own is
    skipped by PostgreSQL with a warning, never refused."""
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
