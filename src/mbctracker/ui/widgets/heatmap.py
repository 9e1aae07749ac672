"""Item-level view beside the chart: which items drive the total over time.

A table rather than an image: every cell shows its number (colour is never the
only signal), has a tooltip with the answer's label, and is read by screen
readers. Rows are items, columns are assessments in time order. Each cell's number
is black or white, whichever reads better on its colour, so it stays readable in a
light or a dark palette; a flagged safety item is red on pale red (light red on
dark red in a dark palette).
"""

from __future__ import annotations

from collections import Counter
from string import ascii_lowercase
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import Timepoint
from ...domain.instruments import INSTRUMENTS, Instrument
from ...domain.timeline import AssessmentRecord, CourseTimeline
from ...presentation import safety_cell_flagged
from .. import style, theme
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


def distinct_labels(labels: list[str]) -> list[str]:
    """Labels that repeat told apart in time order: two scores before one session read
    "S1a" and "S1b" (after a word or a date: "FU a", "3 Nov b"), never "S1" twice; past
    the 26th, by number ("FU 27")."""
    counts = Counter(labels)
    seen: Counter[str] = Counter()
    distinct = []
    for label in labels:
        if counts[label] > 1:
            n = seen[label]
            seen[label] += 1
            mark = ascii_lowercase[n] if n < len(ascii_lowercase) else str(n + 1)
            label += mark if label[-1:].isdigit() and mark.isalpha() else f" {mark}"
        distinct.append(label)
    return distinct


_CELL_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)
"""The roles a cell answers; the view asks for others (font, check state, icon...) too."""
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)


class HeatmapModel(QAbstractTableModel):
    """Item responses of one instrument: rows = items, columns = assessments."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.instrument: Instrument = next(iter(INSTRUMENTS.values()))
        self.records: list[AssessmentRecord] = []
        self.dark = False
        self.brushes: dict[tuple[bool, int | None], tuple[QBrush, QBrush]] = {}
        """(number, background) brushes per (flagged, answer): asked on every paint."""
        self.cells: dict[tuple[int, int], tuple[QBrush, QBrush]] = {}
        """The same per cell (row, column), found once per course shown."""
        self.labels: list[str] = []
        """Each column's label (:func:`column_label`), asked on every paint of the header."""

    def set_dark(self, dark: bool) -> None:
        """Cell colours for a dark palette (or a light one); every cell repaints."""
        if dark != self.dark:
            self.dark = dark
            self.brushes, self.cells = {}, {}
            if self.records:
                last = self.index(self.rowCount() - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def cell_colours(self, row: int, column: int) -> tuple[QColor, QColor]:
        """(number, background) of a cell: what :meth:`data` paints with."""
        record = self.records[column]
        value = record.score.responses[row]
        if safety_cell_flagged(record, row + 1):
            return style.flag_cell_colours(self.dark)
        if value is None:
            background = QColor("#3a3a3a" if self.dark else "#eeeeee")
        else:
            inst = self.instrument
            fraction = (value - inst.item_min) / (inst.item_max - inst.item_min)
            background = style.heat_colour(fraction, dark=self.dark)
        return theme.text_on(background), background

    def cell_brushes(self, row: int, column: int) -> tuple[QBrush, QBrush]:
        cell = self.cells.get((row, column))
        if cell is not None:
            return cell
        record = self.records[column]
        key = (safety_cell_flagged(record, row + 1), record.score.responses[row])
        found = self.brushes.get(key)
        if found is None:
            number, background = self.cell_colours(row, column)
            found = self.brushes[key] = (QBrush(number), QBrush(background))
        self.cells[(row, column)] = found
        return found

    def set_data(self, instrument: Instrument, records: list[AssessmentRecord]) -> None:
        self.beginResetModel()
        self.instrument, self.records = instrument, list(records)
        self.labels = distinct_labels([column_label(r) for r in self.records])
        self.brushes, self.cells = {}, {}
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
                return self.labels[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("{0:%Y-%m-%d %H:%M} · total {1}").format(
                    record.when, record.score.display_total
                )
        return None

    def cell_text(self, row: int, column: int) -> str:
        """A cell's number as shown ("–" for an item left blank)."""
        value = self.records[column].score.responses[row]
        return "–" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked for about eight roles per visible cell on every paint: the roles the
        # cells do not use are answered before the index is looked at.
        if role not in _CELL_ROLES or not index.isValid() or index.column() >= len(self.records):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRED
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.cell_brushes(index.row(), index.column())[1]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.cell_brushes(index.row(), index.column())[0]
        record = self.records[index.column()]
        value = record.score.responses[index.row()]
        inst = self.instrument
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            item = inst.items[index.row()]
            answer = "missing" if value is None else inst.answer_labels.get(value, str(value))
            return f"{item.label}: {answer}"
        return None


class CellDelegate(QStyledItemDelegate):
    """Paints a cell as the standard delegate would (its colour, its number centred, the
    focus frame), straight from the model's kept brushes.

    The standard delegate asked the model for eight roles per cell through Python on
    every paint: 2.5 ms to paint the ~80 cells on screen, a tenth of a patient switch.
    Screen readers and tooltips still read the model's roles.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, HeatmapModel) or index.column() >= len(model.records):
            super().paint(painter, option, index)
            return
        row, column = index.row(), index.column()
        number, background = model.cell_brushes(row, column)
        rect = option.rect
        painter.fillRect(rect, background)
        painter.setPen(number.color())
        painter.drawText(rect, _CENTRED, model.cell_text(row, column))
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(number.color(), 1, Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))


class ColumnHeader(QHeaderView):
    """The assessments' header: every label is one short line in one font.

    QHeaderView's size hint asks the model for the sizes of up to 200 sections
    (four roles each, twice per course shown): 1,600 calls through Python on a
    300-session course, a third of filling the heatmap. All sections are equally
    tall here, so the last one answers for them; the table reads only the height.
    """

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setSectionsClickable(True)  # as the header QTableView makes for itself
        self.setHighlightSections(True)

    def sizeHint(self) -> QSize:
        if self.count() == 0:
            return super().sizeHint()
        return self.sectionSizeFromContents(self.count() - 1)


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
        self.table.setHorizontalHeader(ColumnHeader())
        self.table.setAccessibleName(self.tr("Item responses over time"))
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # One width for all columns, from the labels alone: sizing to contents asked
        # every cell of a 300-session course for its size on every patient switch.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setMinimumSectionSize(24)
        self.table.horizontalHeader().setDefaultSectionSize(30)
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
        self.model.set_dark(theme.is_dark(self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark palette switched: the cells follow."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_dark(theme.is_dark(self.palette()))

    def set_timeline(self, timeline: CourseTimeline | None, instrument: str | None = None) -> None:
        """Show a course's items, of ``instrument`` if given (else the one chosen).

        Filled once: choosing the instrument first refilled the table with the last
        course's answers, then again with this one's (300 columns twice on a long course).
        """
        self.timeline = timeline
        if instrument:
            with QSignalBlocker(self.choice):  # chosen without a fill of its own
                self.show_instrument(instrument)
        self._refill()

    def show_instrument(self, code: str) -> None:
        index = self.choice.findData(code)
        if index >= 0:
            self.choice.setCurrentIndex(index)

    def _refill(self) -> None:
        code = self.choice.currentData() or next(iter(INSTRUMENTS))
        records = self.timeline.of(code) if self.timeline else []
        self.model.set_data(INSTRUMENTS[code], records)
        self._fit_columns()
        if records:
            self.table.scrollToBottom()
            self.table.horizontalScrollBar().setValue(self.table.horizontalScrollBar().maximum())

    def _fit_columns(self) -> None:
        """The widest column label (plus the cell margins) sets every column's width."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        labels = set(self.model.labels)
        widest = max((metrics.horizontalAdvance(label) for label in labels), default=0)
        width = max(header.minimumSectionSize(), widest + 2 * metrics.averageCharWidth() + 4)
        if width != header.defaultSectionSize():
            header.setDefaultSectionSize(width)
