"""The one door every change goes through (ARCHITECTURE habit 2, after Anki's CollectionOp).

A widget never calls a writing service and then pokes the other views itself: it
calls :meth:`Operations.run`, which calls the service with the open database and
then emits :attr:`Operations.changed` naming what changed. The main window
refreshes the patient list, the course view and the chart from that one signal,
so no view can be forgotten when a new kind of change is added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ..domain.course import CourseId, PatientId
from ..storage.db import Database
from ..storage.errors import StaleRecordError

T = TypeVar("T")


class ChangeKind(StrEnum):
    """What kind of record an operation changed."""

    PATIENT = "patient"
    COURSE = "course"
    ASSESSMENT = "assessment"
    SESSION = "session"
    EVENT = "event"
    SAFETY_ACTION = "safety action"
    DATABASE = "database"


@dataclass(frozen=True, slots=True)
class Changed:
    """The payload of :attr:`Operations.changed`.

    Attributes:
        kind: the kind of record written.
        patient_id: the patient concerned, when known (the list refreshes that row).
        course_id: the course concerned, when known (the course view reloads it).
        result: what the service returned (the new record, a score...).
        stale: True when the save was refused as stale; views reload the fresh data.
    """

    kind: ChangeKind
    patient_id: PatientId | None = None
    course_id: CourseId | None = None
    result: Any = None
    stale: bool = False


class Operations(QObject):
    """Runs writing use cases against the open database and announces them."""

    changed = Signal(object)
    """Emitted with a :class:`Changed` after every successful (or stale-refused) write."""

    database_replaced = Signal(object)
    """Emitted with the new :class:`Database` after File -> New / Open / Restore."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db

    def run(
        self,
        kind: ChangeKind,
        service: Callable[..., T],
        *args: Any,
        patient_id: PatientId | None = None,
        course_id: CourseId | None = None,
        **kwargs: Any,
    ) -> T:
        """Call ``service(db, *args, **kwargs)`` and emit :attr:`changed`.

        Errors propagate to the caller, which knows which field to point at. A
        stale save still emits (with ``stale=True``) so every view reloads the
        version someone else saved instead of keeping the outdated one on screen.
        """
        try:
            result = service(self.db, *args, **kwargs)
        except StaleRecordError:
            self.changed.emit(Changed(kind, patient_id, course_id, None, stale=True))
            raise
        self.changed.emit(Changed(kind, patient_id, course_id, result))
        return result

    def replace_database(self, db: Database) -> None:
        """Switch every view to another database file (the old engine is disposed)."""
        old, self.db = self.db, db
        if old is not db:
            old.dispose()
        self.database_replaced.emit(db)
