"""Shared helpers for use cases: fetch live rows, check versions, validate dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from sqlmodel import Session, SQLModel

from ..storage.db import Database
from ..storage.errors import NotFoundError, StaleRecordError
from ..storage.tables import Versioned, utcnow
from .validation import not_before, record_id

RowT = TypeVar("RowT", bound=SQLModel)
VersionedT = TypeVar("VersionedT", bound=Versioned)


def live(session: Session, table: type[RowT], row_id: int, what: str) -> RowT:
    """The row with ``row_id`` unless it is missing or soft-deleted."""
    record_id(row_id, "id", f"The {what}'s id")
    row = session.get(table, row_id)
    if row is None or (isinstance(row, Versioned) and row.deleted_at is not None):
        raise NotFoundError(what, row_id)
    return row


def bump(row: Versioned, expected_version: int | None, what: str) -> None:
    """Refuse a stale save; otherwise take the next version number.

    Runs inside a ``BEGIN IMMEDIATE`` transaction, so the read and the bump are atomic
    against another window or workstation.
    """
    if expected_version is not None and row.version != expected_version:
        raise StaleRecordError(what)
    row.version += 1


def soft_delete(row: Versioned) -> None:
    row.deleted_at = utcnow()


def delete_row(
    db: Database,
    table: type[VersionedT],
    row_id: int,
    what: str,
    expected_version: int,
    check: Callable[[Session], None] | None = None,
) -> None:
    """Soft delete one live record: hidden everywhere, kept with its history, restorable.

    ``check`` runs first in the same transaction (e.g. refuse to hide an open flag).
    """
    with db.write() as session:
        row = live(session, table, row_id, what)
        if check is not None:
            check(session)
        bump(row, expected_version, what)
        soft_delete(row)
        session.add(row)


def restore_row(session: Session, table: type[VersionedT], row_id: int, what: str) -> VersionedT:
    """Undo a soft delete inside the caller's transaction (the change log records it)."""
    row = session.get(table, row_id)
    if row is None:
        raise NotFoundError(what, row_id)
    row.deleted_at = None
    row.version += 1
    session.add(row)
    session.flush()
    return row


def not_before_birth(value: date | datetime, birth: date | None, field: str, label: str) -> None:
    not_before(value, birth, field, label, "the date of birth")
