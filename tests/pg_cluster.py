"""A real, throw-away PostgreSQL 15 cluster for the tests (issue 13 §4).

``initdb`` and ``pg_ctl`` run as an unprivileged user (``nobody`` when the tests
run as root, which PostgreSQL refuses), the server listens on a unix socket in a
private temporary folder only (``listen_addresses=''``: no network), and every
connection needs a password (scram-sha-256), so a wrong password is a real refusal.
When the binaries are missing or the server cannot start, :func:`start` returns
the reason and the PostgreSQL half of the suite is skipped with it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

BIN_DIRS = tuple(f"/usr/lib/postgresql/{v}/bin" for v in (15, 16, 17))
SUPERUSER = "mbct_test_super"
PASSWORD = "synthetic-test-password"


@dataclass
class Cluster:
    """A running cluster; :meth:`url` addresses one of its databases through the socket."""

    bindir: Path
    base: Path
    run_as: Callable[[], None] | None
    _admin: Any = None
    template: str = "template1"
    """The migrated database every test's database is copied from (set by the fixture)."""

    @property
    def socket_dir(self) -> Path:
        return self.base / "sock"

    def url(self, database: str, user: str = SUPERUSER, password: str = PASSWORD) -> str:
        return (
            f"postgresql://{quote(user)}:{quote(password)}@/{database}"
            f"?host={quote(str(self.socket_dir))}"
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the superuser (set-up and tear-down only, never the code under test).

        The maintenance database is reached through one kept connection (a process per
        statement cost 45 ms, twice per test).
        """
        if database == "postgres":
            return self._admin_sql(sql)
        result = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-h",
                str(self.socket_dir),
                "-U",
                SUPERUSER,
                "-d",
                database,
                "-c",
                sql,
            ],
            env={**os.environ, "PGPASSWORD": PASSWORD},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def _admin_sql(self, sql: str) -> str:
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(
                dbname="postgres",
                user=SUPERUSER,
                password=PASSWORD,
                host=str(self.socket_dir),
                autocommit=True,
            )
        cursor = self._admin.execute(sql)
        rows = cursor.fetchall() if cursor.description else []
        return "".join("|".join(str(v) for v in row) + "\n" for row in rows)

    def new_database(self, template: str = "template1") -> str:
        """A new database copied from ``template`` (FILE_COPY: faster for a small one)."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY = FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
        subprocess.run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.base / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            preexec_fn=self.run_as,
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def find_bindir() -> Path | None:
    for folder in (os.environ.get("MBCT_PG_BIN", ""), *BIN_DIRS):
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _unprivileged() -> tuple[Callable[[], None] | None, int | None, int | None]:
    """How to drop root for the server (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return None, None, None
    nobody = pwd.getpwnam("nobody")

    def drop() -> None:
        os.setgid(nobody.pw_gid)
        os.setgroups([])
        os.setuid(nobody.pw_uid)

    return drop, nobody.pw_uid, nobody.pw_gid


def start() -> Cluster | str:
    """Start a cluster, or say why not (the reason the PostgreSQL tests are skipped)."""
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL server binaries not found (apt-get install postgresql; see Makefile)"
    try:
        drop, uid, gid = _unprivileged()
    except KeyError:
        return "running as root without a 'nobody' user to run PostgreSQL as"
    base = Path(tempfile.mkdtemp(prefix="mbct-pg-"))
    (base / "sock").mkdir()
    (base / "pw").write_text(PASSWORD + "\n")
    if uid is not None and gid is not None:
        for path in (base, base / "sock", base / "pw"):
            os.chown(path, uid, gid)
    try:
        _run(bindir, base, drop)
    except (OSError, subprocess.CalledProcessError) as exc:
        log = base / "log"
        detail = log.read_text()[-400:] if log.exists() else getattr(exc, "stderr", b"")
        shutil.rmtree(base, ignore_errors=True)
        return f"could not start a PostgreSQL cluster: {exc} {detail!r}"
    return Cluster(bindir, base, drop)


def _run(bindir: Path, base: Path, drop: Callable[[], None] | None) -> None:
    def run(*args: str) -> None:
        subprocess.run(args, preexec_fn=drop, capture_output=True, check=True, cwd=base)

    run(
        str(bindir / "initdb"),
        "-D",
        str(base / "data"),
        "-U",
        SUPERUSER,
        f"--pwfile={base / 'pw'}",
        "--auth=scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    )
    options = (
        f"-k {base / 'sock'} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
        "-c synchronous_commit=off -c max_connections=200 -c shared_buffers=64MB"
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(base / "data"),
        "-o",
        options,
        "-l",
        str(base / "log"),
        "-w",
        "-t",
        "60",
        "start",
    )
