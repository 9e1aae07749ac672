"""A cancellable background job for the outcomes window: the analyses never block the UI.

The work runs on a QThread; its progress callback raises ``Cancelled`` once Cancel is
pressed, so the analyses stop at their next step (the mixed models, which cannot stop
mid-fit, run in a child process that Cancel ends at once).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from ...analytics.data import Cancelled
from ..errors import USER_ERRORS

log = logging.getLogger(__name__)

Work = Callable[[Callable[[str, float], None], Callable[[], bool]], Any]
"""The job's body: given a progress callback and a "was cancel pressed" check."""


class OutcomeJob(QThread):
    """Runs one piece of work off the UI thread and reports how it ended."""

    progressed = Signal(str, float)
    """A stage name and the fraction done (0-1)."""
    succeeded = Signal(object)
    """The work's return value."""
    failed = Signal(str)
    """A plain message: what went wrong and what to do."""
    stopped = Signal()
    """Cancel was pressed and the work stopped; nothing was kept."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def _progress(self, stage: str, fraction: float) -> None:
        if self._stop.is_set():
            raise Cancelled
        self.progressed.emit(stage, fraction)

    def run(self) -> None:
        try:
            value = self._work(self._progress, self._stop.is_set)
        except Cancelled:
            self.stopped.emit()
        except USER_ERRORS as exc:
            self.failed.emit(str(exc))
        except Exception:
            log.exception("outcome analysis failed")
            self.failed.emit("The analysis failed unexpectedly; the log has the details.")
        else:
            self.succeeded.emit(value)
