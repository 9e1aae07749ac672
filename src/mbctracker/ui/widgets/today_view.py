"""The Today view: the day's worklist, one section per service query.

Keyboard only: arrows move through every line (section headings included),
Enter opens the patient and course of the line, Tab leaves the list for the
next control (it is never trapped), F5 reads the list again. The view follows
:attr:`Operations.changed` like every other view, but reads only while it is
visible, once per burst of changes, and off the UI thread: at clinic scale the
worklist's queries take 0.1-0.4 s, which would freeze the window right after every
save (the nurse is typing the next patient's scores by then).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.access import Action
from ...services.access import may
from ...services.clinic import load_clinic_settings
from ...services.today import SECTIONS, Section, SectionSpec, WorklistLine, today_worklist
from ...storage.db import Database
from .. import style
from ..i18n import number, term, weekday
from ..operations import Changed, Operations

log = logging.getLogger(__name__)

LINE_ROLE = Qt.ItemDataRole.UserRole
"""The :class:`WorklistLine` an item holds (section headings hold None)."""


class WorklistTree(QTreeWidget):
    """Enter opens the current line; Tab and Shift+Tab move the focus on, never cell to cell."""

    line_activated = Signal(object)
    """Emitted with the :class:`WorklistLine` the user opened (Enter or double-click)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayList")
        self.setAccessibleName(self.tr("Today's worklist"))
        self.setHeaderLabels([self.tr("Patient"), self.tr("MRN"), self.tr("What is due")])
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setTabKeyNavigation(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAllColumnsShowFocus(True)
        self.setUniformRowHeights(True)
        self.itemDoubleClicked.connect(lambda item, _col: self._activate(item))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.currentItem())
            event.accept()
            return
        super().keyPressEvent(event)

    def _activate(self, item: QTreeWidgetItem | None) -> None:
        line = _line_of(item)
        if line is not None:
            self.line_activated.emit(line)


class TodayView(QWidget):
    """Section headings with their counts, and a line per patient to see today."""

    open_requested = Signal(object, object)
    """(:class:`PatientId`, :class:`CourseId` or None): show this patient's course."""

    _read = Signal(int, object, object)
    """(generation, day, sections or None) from the background read, on the UI thread."""

    def __init__(
        self,
        ops: Operations,
        today: Callable[[], date] = date.today,
        sections: Sequence[SectionSpec] = SECTIONS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("todayView")
        self.ops = ops
        self.today = today
        self.spec = tuple(sections)
        self.sections: list[Section] = []
        self.tree = WorklistTree()
        self.tree.line_activated.connect(self._open)
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setAccessibleName(self.tr("Read today's worklist again"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        self._pending = QTimer(self, singleShot=True, interval=0)
        self._pending.timeout.connect(self._read_in_background)
        self._stale = True
        self._reader: threading.Thread | None = None
        self._generation = 0
        """Counts reads; a background read is shown only if none started after it."""
        self._read.connect(self._background_read_done)
        ops.changed.connect(self._on_changed)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        hint = QLabel(self.tr("↑/↓ move · Enter opens the patient · Tab leaves the list"))
        hint.setObjectName("muted")
        layout.addWidget(hint)

    # -- reading -----------------------------------------------------------------
    def refresh(self) -> None:
        """Read every section again and keep the current line when it is still listed."""
        self._pending.stop()
        self._stale = False
        self._generation += 1
        if not may(self.ops.db, Action.VIEW_RECORD):
            return  # signed out, or a role that sees no scores: the dock is hidden
        day = self.today()
        settings = load_clinic_settings(self.ops.db)
        kept = self.current_line()
        self.sections = today_worklist(self.ops.db, day, settings, sections=self.spec)
        self.heading.setText(self.tr("Today, {0} {1:%Y-%m-%d}").format(weekday(day), day))
        self._fill(kept)

    def _read_in_background(self) -> None:
        """Read the sections on a worker thread; one read at a time, the last change wins."""
        if self._reader is not None:
            self._stale = True  # read again when this one is in
            return
        if not may(self.ops.db, Action.VIEW_RECORD):
            return
        self._stale = False
        self._generation += 1
        args = (self.ops.db, self.today(), self._generation)
        self._reader = threading.Thread(
            target=self._work, args=args, name="today-worklist", daemon=True
        )
        self._reader.start()

    def wait_for_read(self, timeout_s: float = 30.0) -> None:
        """Let a background read finish before the window and its database go (its
        result is then dropped): a thread must not outlive the view it reports to."""
        if self._reader is not None:
            self._reader.join(timeout_s)

    def _work(self, db: Database, day: date, generation: int) -> None:
        sections: list[Section] | None = None
        try:
            settings = load_clinic_settings(db)
            sections = today_worklist(db, day, settings, sections=self.spec)
        except Exception:
            log.warning("today's worklist could not be read in the background", exc_info=True)
        with contextlib.suppress(RuntimeError):  # the view was closed while reading
            self._read.emit(generation, day, sections)

    def _background_read_done(
        self, generation: int, day: date, sections: list[Section] | None
    ) -> None:
        """Show what was read, unless F5 or another database came since it started."""
        self._reader = None
        if sections is None:
            return  # a failed read (logged); F5 reads again and says why
        if generation == self._generation:
            kept = self.current_line()
            self.sections = sections
            self.heading.setText(self.tr("Today, {0} {1:%Y-%m-%d}").format(weekday(day), day))
            self._fill(kept)
        if self._stale and self.isVisible():
            self._pending.start()

    def _on_changed(self, change: Changed) -> None:
        """Read again after a write, once per burst, and only while shown."""
        del change  # any write may move a line: a session, a flag, a phase, a course
        self._stale = True
        if self.isVisible():
            self._pending.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._pending.start()

    def forget(self) -> None:
        """Drop every line shown (a sign-out): names stay nowhere behind the curtain."""
        self._generation += 1  # a read under way is not shown either
        self.sections = []
        self.tree.clear()
        self._stale = True

    # -- showing -----------------------------------------------------------------
    def _fill(self, kept: WorklistLine | None) -> None:
        self.tree.clear()
        current: QTreeWidgetItem | None = None
        for section in self.sections:
            heading = self._heading_item(section)
            self.tree.addTopLevelItem(heading)
            heading.setFirstColumnSpanned(True)  # only once the item is in the tree
            for line in section.lines:
                item = self._line_item(line, urgent=section.key == "flags")
                self.tree.addTopLevelItem(item)
                if current is None and kept is not None and _same(line, kept):
                    current = item
            if section.total > len(section.lines):
                more = QTreeWidgetItem(
                    [self.tr("  … and {0} more").format(number(section.total - len(section.lines)))]
                )
                more.setFlags(Qt.ItemFlag.NoItemFlags)
                more.setForeground(0, QBrush(style.text_colour(style.MUTED)))
                self.tree.addTopLevelItem(more)
        for column, width in enumerate((150, 104)):
            self.tree.setColumnWidth(column, width)
        if current is not None:
            self.tree.setCurrentItem(current)

    def _heading_item(self, section: Section) -> QTreeWidgetItem:
        count = number(section.total) if section.total else self.tr("none")
        title = term(section.title)
        item = QTreeWidgetItem([f"{title} ({count})"])
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # arrows, Home and End skip headings
        item.setForeground(0, self.palette().text())  # not greyed: a heading, not off
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setData(
            0,
            Qt.ItemDataRole.AccessibleTextRole,
            self.tr("Section: {0}, {1}").format(title, count),
        )
        return item

    def _line_item(self, line: WorklistLine, urgent: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([line.name, line.mrn, line.what])
        item.setData(0, LINE_ROLE, line)
        item.setToolTip(2, line.what)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{line.name}, {line.mrn}: {line.what}")
        if urgent:  # a safety flag; the words say so too, colour is never the only signal
            item.setForeground(2, QBrush(style.text_colour(style.FLAG_RED)))
        return item

    # -- opening -----------------------------------------------------------------
    def current_line(self) -> WorklistLine | None:
        return _line_of(self.tree.currentItem())

    def lines(self, key: str) -> list[WorklistLine]:
        """The lines shown in one section (tests and scripts)."""
        return [line for s in self.sections if s.key == key for line in s.lines]

    def focus_list(self) -> None:
        """Ctrl+Shift+T: read the list afresh (another workstation may have saved) and take
        the focus on the line kept, else the first line."""
        self.refresh()
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.current_line() is None:
            first = next((item for item in self._items() if _line_of(item)), None)
            if first is not None:
                self.tree.setCurrentItem(first)

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _open(self, line: WorklistLine) -> None:
        self.open_requested.emit(line.patient_id, line.course_id)


def _line_of(item: QTreeWidgetItem | None) -> WorklistLine | None:
    line = item.data(0, LINE_ROLE) if item is not None else None
    return line if isinstance(line, WorklistLine) else None


def _same(a: WorklistLine, b: WorklistLine) -> bool:
    return (a.patient_id, a.course_id, a.what) == (b.patient_id, b.course_id, b.what)
