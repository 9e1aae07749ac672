"""Dark mode: the chart and the item heatmap follow the palette, and every colour meant
to be read contrasts enough with what it is drawn on (WCAG 2: 4.5:1 for text, 3:1 for
lines), computed from the colours the widgets actually use; View -> Theme is stored
for this desk, never in the clinic database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsRectItem
from sqlmodel import select
from ui_helpers import Clinic, open_patient

from mbctracker.app import make_window
from mbctracker.domain.course import EventKind
from mbctracker.paths import desk_settings_path
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.events import record_event
from mbctracker.storage import Database
from mbctracker.storage.tables import AppMeta
from mbctracker.ui import theme
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.widgets.chart import TrajectoryChart

TEXT, LINE = 4.5, 3.0


def _linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, written here again so the test does not trust the app's."""

    def lum(c: QColor) -> float:
        return (
            0.2126 * _linear(c.redF()) + 0.7152 * _linear(c.greenF()) + 0.0722 * _linear(c.blueF())
        )

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _over(top: QColor, below: QColor) -> QColor:
    a = top.alphaF()
    return QColor.fromRgbF(
        *(
            t * a + b * (1 - a)
            for t, b in zip(
                (top.redF(), top.greenF(), top.blueF()),
                (below.redF(), below.greenF(), below.blueF()),
                strict=True,
            )
        )
    )


@pytest.fixture
def system_palette_after() -> Iterator[None]:
    """Whatever a test set, the next test starts with the platform's own palette."""
    yield
    theme.apply_theme("system")


@pytest.fixture
def busy_course(db: Database, clinic: Clinic) -> Clinic:
    """The clinic's course with what the chart draws in colour: two instruments, an open
    safety flag (PHQ-9 item 9 = 2), a prorated score and an event."""
    start = datetime.now() - timedelta(days=12)
    for n, when in enumerate((start, start + timedelta(days=3), start + timedelta(days=6))):
        record_assessment(
            db, clinic.course_id, AssessmentInput("GAD7", [2, 2, 1, 2, 1, 1, n], when)
        )
    when = datetime.now() - timedelta(days=2)
    record_assessment(
        db, clinic.course_id, AssessmentInput("PHQ9", [1, 1, None, 1, 1, 1, 1, 1, 2], when)
    )
    record_event(db, clinic.course_id, EventKind.ADVERSE_EVENT, when.date(), description="nausea")
    return clinic


def _colour_pairs(chart: TrajectoryChart) -> list[tuple[str, QColor, QColor, float]]:
    """(what, drawn colour, colour under it, minimum) for everything the plot draws."""
    plot = chart.plot
    bg = plot.backgroundBrush().color()
    shades = [bg] + [
        _over(region.brush().color(), bg) for region in _items(plot, QGraphicsRectItem)
    ]
    pairs: list[tuple[str, QColor, QColor, float]] = []
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        pairs += [
            (f"{name} axis numbers", axis.textPen().color(), bg, TEXT),
            (f"{name} axis line", axis.pen().color(), bg, LINE),
            (f"{name} axis title", axis.label.defaultTextColor(), bg, TEXT),
        ]
    for line in _items(plot, pg.InfiniteLine):
        if line.pen.style() != Qt.PenStyle.NoPen:
            pairs.append(("reference or event line", line.pen.color(), bg, LINE))
        label = getattr(line, "label", None)
        if label is None:
            continue
        backed = label.fill.style() != Qt.BrushStyle.NoBrush
        for shade in shades:
            under = _over(label.fill.color(), shade) if backed else shade
            text = f"label {label.toPlainText()!r}"
            pairs.append((text, label.textItem.defaultTextColor(), under, TEXT))
    for text in _items(plot, pg.TextItem):
        if isinstance(text, pg.InfLineLabel):
            continue
        colour = text.textItem.defaultTextColor()
        pairs += [(f"text {text.toPlainText()!r}", colour, shade, TEXT) for shade in shades]
    for series in _items(plot, pg.PlotDataItem):
        pairs.append(("series line", pg.mkPen(series.opts["pen"]).color(), bg, LINE))
    for scatter in _items(plot, pg.ScatterPlotItem):
        pens = [p for p in scatter.data["pen"] if p is not None] or [scatter.opts["pen"]]
        pairs += [("marker outline", pg.mkPen(p).color(), bg, LINE) for p in pens]
    return pairs


def _items(plot: pg.PlotWidget, kind: type) -> list:  # type: ignore[type-arg]
    """What is drawn: kept items waiting hidden are not, nor the faint score lines (a
    reading aid under the labelled axis, deliberately low contrast like any grid)."""
    chart = plot.parent()
    while chart is not None and not hasattr(chart, "pools"):
        chart = chart.parent()
    grid = set(map(id, chart.pools["grid"].items)) if chart is not None else set()
    return [
        item
        for item in plot.plotItem.items
        if isinstance(item, kind) and item.isVisible() and id(item) not in grid
    ]


def _set_palette(qtbot, window: MainWindow, how: str) -> None:  # type: ignore[no-untyped-def]
    if how == "system dark":  # the desktop switched to dark: a new application palette
        QApplication.instance().setPalette(theme.dark_palette())  # type: ignore[union-attr]
    else:
        window.set_theme(how)
    dark = how != "light"
    qtbot.waitUntil(lambda: theme.is_dark(window.palette()) is dark)  # posted to each widget


@pytest.mark.usefixtures("system_palette_after")
@pytest.mark.parametrize("how", ["system dark", "dark", "light"])
def test_chart_and_heatmap_are_readable_in_the_palette(
    qtbot, window: MainWindow, busy_course: Clinic, how: str
) -> None:
    _set_palette(qtbot, window, how)
    open_patient(qtbot, window, busy_course.patient_id)
    chart = window.course.chart
    chart.set_shown(["PHQ9", "GAD7"])
    window.course.heatmap.show_instrument("PHQ9")
    dark = how != "light"
    base = window.palette().color(QPalette.ColorRole.Base)
    assert theme.is_dark(window.palette()) is dark
    bg = chart.plot.backgroundBrush().color()
    assert bg == base, "the plot's background is the palette's, not white"
    image = chart.plot.grab().toImage()
    corner = image.pixelColor(image.width() - 3, 3)
    assert abs(corner.lightness() - bg.lightness()) <= 3, (corner.name(), bg.name())
    pairs = _colour_pairs(chart)
    kinds = {what.split(" ")[0] for what, *_ in pairs}
    assert {"left", "reference", "label", "text", "series", "marker"} <= kinds
    poor = [
        f"{what}: {fg.name()} on {under.name()} = {_contrast(fg, under):.2f} < {need}"
        for what, fg, under, need in pairs
        if _contrast(fg, under) < need
    ]
    assert not poor, poor
    _heatmap_is_readable(qtbot, window, dark)
    _summary_is_readable(window)


def _summary_is_readable(window: MainWindow) -> None:
    """The course summary's flag line, muted notes and "Record action…" link."""
    panel = window.course.summary_panel
    css = panel.document().defaultStyleSheet()
    base = panel.palette().color(QPalette.ColorRole.Base)
    found = dict(re.findall(r"(\.flag|\.muted|a) \{ color: (#[0-9a-f]{6})", css))
    assert set(found) == {".flag", ".muted", "a"}, css
    for what, colour in found.items():
        assert _contrast(QColor(colour), base) >= TEXT, (what, colour, base.name())
    assert "Record action" in panel.toPlainText()


def _heatmap_is_readable(qtbot, window: MainWindow, dark: bool) -> None:  # type: ignore[no-untyped-def]
    heatmap = window.course.heatmap
    model = heatmap.model
    assert model.columnCount() >= 3
    flagged = 0
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            fg = model.data(index, Qt.ItemDataRole.ForegroundRole).color()
            bg = model.data(index, Qt.ItemDataRole.BackgroundRole).color()
            assert _contrast(fg, bg) >= TEXT, (row, column, fg.name(), bg.name())
            flagged += fg.red() > fg.green() + 60
    assert flagged >= 1, "the flagged item 9 cell is red"
    heatmap.table.resizeColumnsToContents()
    qtbot.waitUntil(lambda: heatmap.table.isVisible())
    image = heatmap.table.viewport().grab().toImage()
    rect = heatmap.table.visualRect(model.index(0, 0))
    painted = image.pixelColor(rect.left() + 2, rect.top() + 2)
    expected = model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole).color()
    assert abs(painted.lightness() - expected.lightness()) <= 6, (painted.name(), expected.name())
    role = Qt.ItemDataRole.BackgroundRole
    cells = [model.data(model.index(0, c), role).color() for c in range(model.columnCount())]
    assert all((c.lightness() < 128) is dark for c in cells), "cells match the palette"


@pytest.mark.usefixtures("system_palette_after")
def test_view_theme_is_kept_for_this_desk_not_in_the_database(
    qtbot, window: MainWindow, clinic: Clinic, db_path, tmp_path
) -> None:
    window.actions_by_name["theme_dark"].trigger()
    qtbot.waitUntil(lambda: window.dark)  # the window's style sheet followed the palette
    assert window.actions_by_name["theme_dark"].isChecked()
    desk = QSettings(str(desk_settings_path()), QSettings.Format.IniFormat)
    assert desk.value(theme.THEME_KEY) == "dark"
    window.save_state()
    assert "theme" not in (tmp_path / "ui.ini").read_text(encoding="utf-8")
    with window.db.read() as session:
        rows = session.exec(select(AppMeta)).all()
        assert rows and all("theme" not in (row.value or "") for row in rows)
    theme.apply_theme("system")
    second = make_window(db_path, settings_path=tmp_path / "second.ini")
    qtbot.addWidget(second)
    assert second.theme == "dark" and second.dark
    qtbot.waitUntil(lambda: theme.is_dark(second.palette()))
    second.actions_by_name["theme_system"].trigger()
    qtbot.waitUntil(lambda: not theme.is_dark(second.palette()))
    second.close()
    second.db.dispose()


@pytest.mark.usefixtures("system_palette_after")
def test_an_unknown_theme_in_the_desk_file_means_system(
    qtbot, db_path, clinic: Clinic, tmp_path
) -> None:
    desk_settings_path().parent.mkdir(parents=True, exist_ok=True)
    desk_settings_path().write_text("[view]\ntheme=purple\n", encoding="utf-8")
    win = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    assert win.theme == "system" and win.actions_by_name["theme_system"].isChecked()
    assert not theme.is_dark(win.palette())
    win.close()
    win.db.dispose()
