"""The item view's cells as painted: the app's own cell delegate must show what Qt's
standard delegate showed from the model's roles (colour, number, focus frame), since a
screen reader and a tooltip still read those roles while the eye reads the pixels."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate
from ui_helpers import Clinic, open_patient

from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.storage import Database
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.widgets.heatmap import CellDelegate, ColumnHeader, ItemHeatmap


def _ink(image: QImage, rect: QRect, background: QColor) -> list[tuple[int, int]]:
    """Pixels of a cell (its grid line left out) that are not its background: the number."""
    return [
        (x, y)
        for x in range(rect.left() + 1, rect.right() - 1)
        for y in range(rect.top() + 1, rect.bottom() - 1)
        if _far(image.pixelColor(x, y), background)
    ]


def _strongest(image: QImage, ink: list[tuple[int, int]], background: QColor) -> QColor:
    """The number's colour as drawn: its pixel least blended with the background."""
    return max((image.pixelColor(x, y) for x, y in ink), key=lambda c: _distance(c, background))


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def _far(a: QColor, b: QColor) -> bool:
    return _distance(a, b) > 60


def _cells(heatmap: ItemHeatmap) -> list[tuple[int, int, QRect]]:
    table, model = heatmap.table, heatmap.model
    shown = table.viewport().rect()
    return [
        (row, column, rect)
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        if shown.contains(rect := table.visualRect(model.index(row, column)))
    ]


def _phq9_items_shown(qtbot, window: MainWindow, db: Database, clinic: Clinic) -> ItemHeatmap:  # type: ignore[no-untyped-def]
    """The clinic's patient open with a PHQ-9 holding a blank item and item 9 = 2 (a flag),
    the item view on the PHQ-9."""
    when = datetime.now() - timedelta(days=2)
    answers = [1, 3, None, 1, 0, 2, 1, 1, 2]
    record_assessment(db, clinic.course_id, AssessmentInput("PHQ9", answers, when))
    open_patient(qtbot, window, clinic.patient_id)
    heatmap = window.course.heatmap
    heatmap.show_instrument("PHQ9")
    qtbot.waitUntil(lambda: heatmap.table.isVisible(), timeout=60_000)
    return heatmap


def test_each_cell_shows_its_colour_and_number_as_the_standard_delegate_did(
    qtbot, window: MainWindow, db: Database, clinic: Clinic
) -> None:
    heatmap = _phq9_items_shown(qtbot, window, db, clinic)
    assert isinstance(heatmap.table.itemDelegate(), CellDelegate)
    ours = heatmap.table.viewport().grab().toImage()
    heatmap.table.setItemDelegate(QStyledItemDelegate(heatmap.table))
    standard = heatmap.table.viewport().grab().toImage()
    cells = _cells(heatmap)
    assert len(cells) >= 18, "at least two assessments of nine items on screen"
    model = heatmap.model
    for row, column, rect in cells:
        number, background = model.cell_colours(row, column)
        for image in (ours, standard):
            corner = image.pixelColor(rect.left() + 2, rect.top() + 2)
            assert not _far(corner, background), (row, column, corner.name(), background.name())
        mine, theirs = _ink(ours, rect, background), _ink(standard, rect, background)
        assert mine and theirs, (row, column, model.cell_text(row, column))
        assert abs(len(mine) - len(theirs)) <= max(3, len(theirs) // 5), (row, column)
        centre = [sum(p[i] for p in mine) / len(mine) for i in (0, 1)]
        expected = [sum(p[i] for p in theirs) / len(theirs) for i in (0, 1)]
        assert all(abs(a - b) <= 2 for a, b in zip(centre, expected, strict=True)), (row, column)
        strongest = [
            _strongest(image, ink, background) for image, ink in ((ours, mine), (standard, theirs))
        ]
        assert not _far(*strongest), (row, column, [c.name() for c in strongest])
        assert not _far(strongest[0], number) or len(mine) < 12, (row, column, number.name())


def test_the_keyboard_focus_is_framed_on_the_current_cell(
    qtbot, window: MainWindow, db: Database, clinic: Clinic
) -> None:
    """Tab into the item view and move with the arrows: the cell in focus is framed."""
    heatmap = _phq9_items_shown(qtbot, window, db, clinic)
    table, model = heatmap.table, heatmap.model
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(table.hasFocus, timeout=60_000)
    last = model.columnCount() - 1
    table.setCurrentIndex(model.index(0, last))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    rect = table.visualRect(table.currentIndex())
    image = table.viewport().grab().toImage()
    _, background = model.cell_colours(1, last)
    frame = [image.pixelColor(x, rect.top() + 1) for x in range(rect.left() + 1, rect.right() - 1)]
    assert sum(_far(c, background) for c in frame) >= len(frame) // 3, "a dotted frame"
    unframed = table.visualRect(model.index(3, last))
    plain = [
        image.pixelColor(x, unframed.top() + 1)
        for x in range(unframed.left() + 1, unframed.right() - 1)
    ]
    _, other = model.cell_colours(3, last)
    assert not any(_far(c, other) for c in plain), "only the cell in focus is framed"


def test_the_column_header_is_as_tall_as_qts_own_header_for_the_same_labels(
    qtbot, window: MainWindow, db: Database, clinic: Clinic
) -> None:
    """The header answers its height from one section (it skips asking 200 of them):
    it must be the height Qt's own header finds, so no label is clipped."""
    heatmap = _phq9_items_shown(qtbot, window, db, clinic)
    header = heatmap.table.horizontalHeader()
    assert isinstance(header, ColumnHeader)
    stock = QHeaderView(Qt.Orientation.Horizontal)
    stock.setFont(header.font())
    stock.setModel(heatmap.model)
    assert heatmap.model.columnCount() >= 2
    assert header.sizeHint().height() == stock.sizeHint().height()
    assert header.height() == stock.sizeHint().height()
