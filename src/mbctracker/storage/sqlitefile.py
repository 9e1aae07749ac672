"""Cheap checks on an SQLite file made before the app trusts it.

Everything here reads only: a damaged or foreign file must never be written to.
The header checks cost a few bytes of I/O, so they run at every start-up; the
full ``quick_check`` reads every page, so it runs only on small files (see
:data:`QUICK_CHECK_MAX_BYTES`) and on every backup copy instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
"""Above this size start-up skips ``quick_check`` (it reads the whole file)."""
APPLICATION_ID = 0x4D424354
"""``PRAGMA application_id`` of every mbctracker database: "MBCT" in ASCII."""


class HeaderProblem(Exception):
    """The file is not SQLite (``foreign``) or its header does not match its size."""

    def __init__(self, detail: str, *, foreign: bool) -> None:
        super().__init__(detail)
        self.foreign = foreign


def readonly_connect(path: Path) -> sqlite3.Connection:
    """A read-only connection that can never create or change the file.

    A URI from :meth:`Path.as_uri` is percent-encoded, so folder names with
    ``?`` or ``#`` cannot turn into URI parameters.
    """
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_header(path: Path) -> None:
    """Refuse non-SQLite files and truncated ones from the 100-byte header alone.

    Raises:
        HeaderProblem: not SQLite (``foreign``), or damaged (truncated, bad page size).
    """
    with path.open("rb") as fh:
        header = fh.read(HEADER_SIZE)
    if not header.startswith(SQLITE_MAGIC):
        raise HeaderProblem("it is not an SQLite database file", foreign=True)
    if len(header) < HEADER_SIZE:
        raise HeaderProblem("the file is cut short", foreign=False)
    page_size = _page_size(header)
    if page_size is None:
        raise HeaderProblem("its header is damaged (impossible page size)", foreign=False)
    if _has_wal(path):
        return  # a checkpoint cut short by a crash is finished from the WAL: sizes may lag
    size = path.stat().st_size
    if size % page_size:
        raise HeaderProblem("the file is cut short (not a whole number of pages)", foreign=False)
    declared = _declared_pages(header)
    if declared and size < declared * page_size:
        raise HeaderProblem(
            f"the file is cut short ({size} of {declared * page_size} bytes)", foreign=False
        )


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _page_size(header: bytes) -> int | None:
    raw = int.from_bytes(header[16:18], "big")
    size = 65536 if raw == 1 else raw
    if size < 512 or size > 65536 or size & (size - 1):
        return None
    return size


def _declared_pages(header: bytes) -> int:
    """The in-header page count, valid only when its change counters agree."""
    if header[24:28] != header[92:96]:
        return 0
    return int.from_bytes(header[28:32], "big")


def is_lock_error(exc: BaseException) -> bool:
    """True when SQLite refused because another connection holds a lock (busy, not damaged)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def application_id(conn: sqlite3.Connection) -> int:
    """The file's ``PRAGMA application_id`` (0 for files that never set one).

    Read through SQLite, not from the header bytes: in WAL mode a fresh value may
    still sit in the ``-wal`` file.
    """
    row = conn.execute("PRAGMA application_id").fetchone()
    return int(row[0]) if row else 0


def quick_check(path: Path) -> str | None:
    """None when ``PRAGMA quick_check`` passes, else SQLite's first complaint.

    Raises:
        sqlite3.OperationalError: the file is locked by another connection
            (see :func:`is_lock_error`): in use, which is not damage.
    """
    try:
        conn = readonly_connect(path)
        try:
            rows = conn.execute("PRAGMA quick_check(1)").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_lock_error(exc):
            raise
        return str(exc)
    return None if rows == [("ok",)] else str(rows[0][0])
