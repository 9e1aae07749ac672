"""Live updates: another workstation's save appears here within a second, without a click.

The Qt side of :mod:`mbctracker.storage.watch`: a QTimer asks an SQLite watcher
every 500 ms (one ``PRAGMA data_version``), or a QSocketNotifier wakes when the
PostgreSQL listening connection has a NOTIFY, so nothing blocks the UI thread.
A change is announced through :attr:`Operations.changed` as
:attr:`ChangeKind.EXTERNAL`, so the patient list (safety flags), the Today view and
the open course refresh through the same door as this desk's own saves; an open
entry dialog is left alone (a stale save is still refused as the last defence).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from ..storage.watch import POLL_INTERVAL_MS, ChangeWatcher, watcher_for
from .operations import Changed, ChangeKind, Operations

log = logging.getLogger(__name__)


class LiveUpdates(QObject):
    """Watches the open database for other processes' writes while the window lives."""

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.watcher: ChangeWatcher | None = None
        self._notifier: QSocketNotifier | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        ops.changed.connect(self._on_changed)
        self.start()

    def start(self) -> None:
        """Watch the database open now (again after File -> Open)."""
        self.stop()
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
        if change is None or self.ops.db.signed_out:
            return  # signed out: the next sign-in reads everything again anyway
        self.ops.changed.emit(Changed(ChangeKind.EXTERNAL, result=change))

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
