"""The one door every change goes through (ARCHITECTURE habit 2, after Anki's CollectionOp).

A widget never calls a writing service and then pokes the other views itself: it
calls :meth:`Operations.run`, which calls the service with the open database and
then emits :attr:`Operations.changed` naming what changed. Each view (the
patient list, the course view, the main window's status bar) subscribes to that
one signal and refreshes what it shows; no caller refreshes a view by hand, so
no view can be forgotten when a new kind of change is added.

Being the one door for changes, it is also where the backup after changes
starts: after each successful write a thread calls
:func:`~mbctracker.services.backups.maybe_backup`, which copies the file when
the newest automatic backup is older than :attr:`Operations.backup_interval_minutes`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from ..domain.course import CourseId, PatientId
from ..storage.errors import StaleRecordError, StorageError

if TYPE_CHECKING:
    from ..domain.timeline import CourseTimeline
    from ..storage.db import Database

T = TypeVar("T")
P = ParamSpec("P")
log = logging.getLogger(__name__)

BACKUP_INTERVAL_MINUTES = 30.0
"""At most one automatic backup after changes per this many minutes."""


class ChangeKind(StrEnum):
    """What kind of record an operation changed."""

    PATIENT = "patient"
    COURSE = "course"
    ASSESSMENT = "assessment"
    SESSION = "session"
    EVENT = "event"
    SAFETY_ACTION = "safety action"
    PEOPLE = "people"
    """Someone was added, deactivated or given a new PIN (Edit -> People…)."""
    SETTINGS = "settings"
    """The clinic's preferences (Edit -> Preferences); ``result`` is the new settings."""
    DATABASE = "database"
    """Another database file is open (File -> New / Open / Restore), or another person
    signed in; ``result`` is the database."""
    EXTERNAL = "external"
    """Another process or workstation saved (ui/live_updates.py); ``result`` is the
    :class:`~mbctracker.storage.watch.ExternalChange` naming the patients touched."""


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

    @property
    def timeline(self) -> CourseTimeline | None:
        """The course as the service read it after the write, when its result carries one.

        Views show it instead of reading the course again (an assessment's
        :class:`~mbctracker.services.assessments.AssessmentResult` carries it).
        """
        from ..domain.timeline import CourseTimeline  # a write has loaded it already

        found = getattr(self.result, "timeline", None)
        return found if isinstance(found, CourseTimeline) and not self.stale else None


class Operations(QObject):
    """Runs writing use cases against the open database and announces them."""

    changed = Signal(object)
    """Emitted with a :class:`Changed` after every successful (or stale-refused) write."""

    backup_finished = Signal(str)
    """Emitted (from the backup thread, delivered queued) with a status line when a
    backup after changes was written or failed."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.backup_interval_minutes = BACKUP_INTERVAL_MINUTES
        self._backup: threading.Thread | None = None

    def run(
        self,
        change: Changed,
        service: Callable[Concatenate[Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Call ``service(db, *args, **kwargs)`` and emit :attr:`changed`.

        ``change`` says what the write touches (kind, patient, course); the service's
        own arguments are checked by mypy against its signature (ParamSpec). Errors
        propagate to the caller, which knows which field to point at. A stale save
        still emits (with ``stale=True``) so every view reloads the version someone
        else saved instead of keeping the outdated one on screen.
        """
        try:
            result = service(self.db, *args, **kwargs)
        except StaleRecordError:
            self.changed.emit(replace(change, result=None, stale=True))
            raise
        self.changed.emit(replace(change, result=result))
        self._backup_after_change()
        return result

    def _backup_after_change(self) -> None:
        """Start the backup check off the UI thread; one at a time (a copy may take seconds)."""
        if self._backup is not None and self._backup.is_alive():
            return
        self._backup = threading.Thread(
            target=self._backup_work,
            args=(self.db, self.backup_interval_minutes),
            name="backup-after-changes",
            daemon=True,
        )
        self._backup.start()

    def _backup_work(self, db: Database, interval: float) -> None:
        from ..services.backups import maybe_backup

        try:
            made = maybe_backup(db, min_interval_minutes=interval)
        except StorageError as exc:
            log.warning("backup after changes failed: %s", exc)
            self._announce(self.tr("Backup after changes failed: {0}").format(exc))
            return
        except Exception:  # a thread has no caller to raise to: log it as the bug it is
            log.exception("backup after changes crashed")
            return
        if made is not None:
            self._announce(self.tr("Backup written: {0}").format(made.name))

    def _announce(self, text: str) -> None:
        try:
            self.backup_finished.emit(text)
        except RuntimeError:  # the window closed while the copy ran: nobody to tell
            log.info("backup finished after the window closed")

    def wait_for_backup(self, timeout_s: float | None = None) -> None:
        """Block until a running backup after changes ends (tests, and before closing)."""
        if self._backup is not None:
            self._backup.join(timeout_s)

    def replace_database(self, db: Database) -> None:
        """Switch every view to another database file (the old engine is disposed)."""
        old, self.db = self.db, db
        if old is not db:
            old.dispose()
        self.changed.emit(Changed(ChangeKind.DATABASE, result=db))
