"""The append-only change log, written for every create, update and delete.

A session listener records each flushed change, so no repository function can
forget to: who (``session.info["actor"]``), when, which record, and the old and
new value of each changed field. Soft deletes and restores are logged as such.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlmodel import Session, SQLModel

from .tables import ChangeLog, Course, Patient, Versioned, utcnow

_SKIP = {"created_at", "updated_at", "version"}
_SECRET = {"pin_hash", "pin_salt"}
"""Logged as changed, never with their value (a PIN's hash is not for the log)."""


def _plain(value: Any, key: str = "") -> Any:
    if key in _SECRET:
        return None if value is None else "(hidden)"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _context(obj: SQLModel) -> tuple[int | None, int | None]:
    """(patient_id, course_id) so the log can be shown per patient and per course."""
    if isinstance(obj, Patient):
        return obj.id, None
    if isinstance(obj, Course):
        return obj.patient_id, obj.id
    return None, getattr(obj, "course_id", None)


def _created(obj: SQLModel) -> dict[str, Any]:
    columns = inspect(obj).mapper.column_attrs
    return {
        c.key: [None, _plain(getattr(obj, c.key), c.key)] for c in columns if c.key not in _SKIP
    }


def _updated(obj: SQLModel) -> dict[str, Any]:
    state = inspect(obj)
    diff: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                diff[attr.key] = [_plain(old, attr.key), _plain(new, attr.key)]
    return diff


def _action(diff: dict[str, Any]) -> str:
    if "deleted_at" in diff:
        return "delete" if diff["deleted_at"][1] is not None else "restore"
    return "update"


def _row(session: Session, obj: SQLModel, action: str, diff: dict[str, Any]) -> dict[str, Any]:
    patient_id, course_id = _context(obj)
    return {
        "at": utcnow(),
        "actor": session.info.get("actor", "unknown"),
        "table_name": obj.__tablename__,
        "record_id": getattr(obj, "id"),  # noqa: B009  (every audited table has id)
        "patient_id": patient_id,
        "course_id": course_id,
        "action": action,
        "changes": json.dumps(diff, sort_keys=True, ensure_ascii=False),
    }


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    """Stamp updated_at on every modified record."""
    for obj in session.dirty:
        if isinstance(obj, Versioned) and session.is_modified(obj, include_collections=False):
            obj.updated_at = utcnow()


def _after_flush(session: Session, _ctx: Any) -> None:
    rows = [
        _row(session, o, "create", _created(o)) for o in session.new if isinstance(o, Versioned)
    ]
    for obj in session.dirty:
        if isinstance(obj, Versioned):
            diff = _updated(obj)
            if diff:
                rows.append(_row(session, obj, _action(diff), diff))
    for obj in session.deleted:
        if isinstance(obj, Versioned):
            rows.append(_row(session, obj, "purge", {}))
    if rows:
        session.connection().execute(insert(ChangeLog), rows)


class AuditedSession(Session):
    """The only session class storage writes through: every flush is logged."""


event.listen(AuditedSession, "before_flush", _before_flush)
event.listen(AuditedSession, "after_flush", _after_flush)


def _register_floor() -> None:
    """Each audited transaction notes the change log's floor (storage.watch): this
    desk's own writes are then told apart from other workstations'."""
    from .watch import mark_floor

    event.listen(AuditedSession, "after_begin", mark_floor)


_register_floor()
