"""Item-level view beside the chart: which items drive the total over time.

A table rather than an image: every cell shows its number (colour is never the
only signal), has a tooltip with the answer's label, and is read by screen
readers. Rows are items, columns are assessments in time order.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import Timepoint
from ...domain.instruments import INSTRUMENTS, Instrument
from ...domain.timeline import AssessmentRecord, CourseTimeline
from ...presentation import safety_cell_flagged
from .. import style
from ..i18n import translate

Index = QModelIndex | QPersistentModelIndex


def column_label(record: AssessmentRecord) -> str:
    """Short enough for a narrow column: BL, S3 (before session 3), FU (follow-up), and
    the day ("3 Nov") for a score not linked to a session yet, so each column says
    which visit it is."""
    if record.timepoint == Timepoint.BASELINE:
        return translate("heatmap", "BL")
    if record.session_number:
        return f"S{record.session_number}"
    if record.timepoint == Timepoint.FOLLOW_UP:
        return translate("heatmap", "FU")
    return f"{record.when.day} {record.when:%b}"


class HeatmapModel(QAbstractTableModel):
    """Item responses of one instrument: rows = items, columns = assessments."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.instrument: Instrument = next(iter(INSTRUMENTS.values()))
        self.records: list[AssessmentRecord] = []

    def set_data(self, instrument: Instrument, records: list[AssessmentRecord]) -> None:
        self.beginResetModel()
        self.instrument, self.records = instrument, list(records)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.records else self.instrument.n_items

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and 0 <= section < self.instrument.n_items:
            item = self.instrument.items[section]
            if role == Qt.ItemDataRole.DisplayRole:
                warn = " ⚠" if item.number == self.instrument.safety_item else ""
                return f"{item.number} {item.label}{warn}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return item.text
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.records):
            record = self.records[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column_label(record)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("{0:%Y-%m-%d %H:%M} · total {1}").format(
                    record.when, record.score.display_total
                )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.records):
            return None
        record = self.records[index.column()]
        value = record.score.responses[index.row()]
        inst = self.instrument
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return "–" if value is None else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            if value is None:
                return QBrush(QColor("#eeeeee"))
            return QBrush(
                style.heat_colour((value - inst.item_min) / (inst.item_max - inst.item_min))
            )
        if role == Qt.ItemDataRole.ForegroundRole and safety_cell_flagged(record, index.row() + 1):
            return QBrush(QColor(style.FLAG_RED))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            item = inst.items[index.row()]
            answer = "missing" if value is None else inst.answer_labels.get(value, str(value))
            return f"{item.label}: {answer}"
        return None


class ItemHeatmap(QWidget):
    """A heatmap table with its own instrument choice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemHeatmap")
        self.timeline: CourseTimeline | None = None
        self.model = HeatmapModel(self)
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Item view instrument"))
        for code, inst in INSTRUMENTS.items():
            if inst.n_items > 1:
                self.choice.addItem(inst.name, code)
        self.choice.currentIndexChanged.connect(self._refill)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Item responses over time"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setMinimumSectionSize(24)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setShowGrid(True)
        top = QHBoxLayout()
        title = QLabel(self.tr("Items over time"))
        title.setObjectName("sectionTitle")
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.choice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_timeline(self, timeline: CourseTimeline | None) -> None:
        self.timeline = timeline
        self._refill()

    def show_instrument(self, code: str) -> None:
        index = self.choice.findData(code)
        if index >= 0:
            self.choice.setCurrentIndex(index)

    def _refill(self) -> None:
        code = self.choice.currentData() or next(iter(INSTRUMENTS))
        records = self.timeline.of(code) if self.timeline else []
        self.model.set_data(INSTRUMENTS[code], records)
        if records:
            self.table.scrollToBottom()
            self.table.horizontalScrollBar().setValue(self.table.horizontalScrollBar().maximum())
