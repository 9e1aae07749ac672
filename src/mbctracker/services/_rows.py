"""Shared helpers for use cases: fetch live rows, check versions, validate dates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel

from ..domain.access import Role
from ..storage.db import Database
from ..storage.errors import NotFoundError, StaleRecordError
from ..storage.roles import FRONT_DESK_HIDDEN
from ..storage.tables import Versioned, utcnow
from .validation import not_before, record_id

RowT = TypeVar("RowT", bound=SQLModel)
VersionedT = TypeVar("VersionedT", bound=Versioned)


def live(
    session: Session, table: type[RowT], row_id: int, what: str, hidden: Sequence[str] = ()
) -> RowT:
    """The row with ``row_id`` unless it is missing or soft-deleted; the ``hidden`` columns
    are never read (:func:`hidden_columns`) and hold their empty default."""
    record_id(row_id, "id", f"The {what}'s id")
    row = session.get(table, row_id, options=leave_out(table, hidden))
    if row is None or (isinstance(row, Versioned) and row.deleted_at is not None):
        raise NotFoundError(what, row_id)
    return blank(row, hidden)


def hidden_columns(db: Database, table: type[SQLModel]) -> tuple[str, ...]:
    """Columns of ``table`` the person's server login may not read (the front desk's column
    GRANTs in ``storage.roles``), so a read leaves them out instead of being refused.

    None on a file: there the services blank what the role may not see after reading.
    """
    if not db.on_server or db.role != Role.FRONT_DESK:
        return ()
    return FRONT_DESK_HIDDEN.get(str(table.__tablename__), ())


def leave_out(table: type[SQLModel], hidden: Sequence[str]) -> list[Any]:
    """Load options that keep ``hidden`` columns out of the SELECT."""
    return [defer(getattr(table, name)) for name in hidden]


def blank(row: RowT, hidden: Sequence[str]) -> RowT:
    """``row`` with each ``hidden`` column set to its empty default, as if read (never
    loaded later: that read would be refused)."""
    for name in hidden:
        set_committed_value(row, name, type(row).model_fields[name].default)
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
