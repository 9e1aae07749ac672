"""Live updates: another workstation's save appears here within a second, without a click.

The Qt side of :mod:`mbctracker.storage.watch`: a QTimer asks an SQLite watcher
every 500 ms (one ``PRAGMA data_version``), or a QSocketNotifier wakes when the
PostgreSQL listening connection has a NOTIFY, so nothing blocks the UI thread.
A change is announced through :attr:`Operations.changed` as
:attr:`ChangeKind.EXTERNAL`, so the patient list (safety flags), the Today view and
the open course refresh through the same door as this desk's own saves; an open
entry dialog is left alone (a stale save is still refused as the last defence).

A write by another *program* (not another copy of mbctracker) leaves its courses
named in ``summary_dirty``; when watching starts and after every outside change
those courses are settled (:func:`~mbctracker.services.summaries.settle_outside_changes`),
so a safety flag its new items show reaches the list and the worklist too.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from ..services.summaries import settle_outside_changes
from ..storage import StorageError
from ..storage.watch import POLL_INTERVAL_MS, ChangeWatcher, ExternalChange, watcher_for
from .operations import Changed, ChangeKind, Operations

log = logging.getLogger(__name__)


class LiveUpdates(QObject):
    """Watches the open database for other processes' writes while the window lives."""

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.watcher: ChangeWatcher | None = None
        self._notifier: QSocketNotifier | None = None
        self._unsettled = True
        """Outside changes may wait to be settled (made while no window watched)."""
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        ops.changed.connect(self._on_changed)
        self.start()

    def start(self) -> None:
        """Watch the database open now (again after File -> Open)."""
        self.stop()
        self._unsettled = True
        QTimer.singleShot(0, self, self.check)
        try:
            self.watcher = watcher_for(self.ops.db.engine)
        except Exception as exc:  # no live updates is not worth refusing the window
            log.warning("live updates are off: %s", type(exc).__name__)
            return
        fd = self.watcher.fileno()
        if fd is None:
            self.timer.start()
            return
        self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.check)

    def check(self) -> None:
        """Ask the watcher; announce what another process committed."""
        if self.watcher is None:
            return
        change = self.watcher.poll()
        if self.ops.db.signed_out:
            return  # signed out: the next sign-in reads everything again anyway
        if (change is not None or self._unsettled) and self._settle():
            change = ExternalChange(everything=True)
        if change is not None:
            self.ops.changed.emit(Changed(ChangeKind.EXTERNAL, result=change))

    def _settle(self) -> bool:
        """Settle what another program changed; True when a course was settled."""
        try:
            settled = settle_outside_changes(self.ops.db)
        except StorageError as exc:  # locked or unreadable now: the next change tries again
            log.warning("outside changes not settled yet: %s", type(exc).__name__)
            return False
        self._unsettled = False
        return settled > 0

    def _on_changed(self, change: Changed) -> None:
        if change.kind == ChangeKind.DATABASE:  # another file, or another person signed in
            self.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None
