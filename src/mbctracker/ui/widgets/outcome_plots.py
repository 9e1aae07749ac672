"""pyqtgraph plots of the outcomes window: rates with intervals, trajectory classes with
each patient's course faint behind, Kaplan-Meier curves. They draw the result; the
numbers come from the analyses (the same dict the JSON and the PDF are made from)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

from ...domain.course import Modality
from ..i18n import term, translate

COLOURS = ("#1f3a80", "#bf590d", "#1a7f40", "#8c1a73", "#595959", "#b31a1a")
FAINT_LINES = 600
"""At most this many patients' courses are drawn faint behind the class curves."""


def modality_label(code: str) -> str:
    try:
        return term(Modality(code).label)
    except ValueError:
        return code


class RatePlot(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph ships no stubs
    """Bars of one rate per modality with 95% intervals; a click picks a bar."""

    bar_clicked = Signal(int)
    """The index of the bar clicked (the modality in the order drawn)."""

    def __init__(self) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().setLabel("left", "rate")
        self.scene().sigMouseClicked.connect(self._clicked)
        self.count = 0

    def show_rates(self, labels: Sequence[str], rows: Sequence[Sequence[float]]) -> None:
        """``rows``: (rate, low, high) per bar."""
        self.clear()
        self.count = len(rows)
        if not rows:
            return
        x = np.arange(len(rows), dtype=float)
        values = np.array(rows, dtype=float)
        self.addItem(pg.BarGraphItem(x=x, height=values[:, 0], width=0.6, brush=COLOURS[0]))
        self.addItem(
            pg.ErrorBarItem(
                x=x,
                y=values[:, 0],
                top=values[:, 2] - values[:, 0],
                bottom=values[:, 0] - values[:, 1],
                beam=0.2,
            )
        )
        axis = self.getPlotItem().getAxis("bottom")
        axis.setTicks([list(enumerate(labels))])
        self.setYRange(0, 1)
        self.setXRange(-0.6, len(rows) - 0.4)

    def _clicked(self, event: Any) -> None:
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        index = round(float(point.x()))
        if 0 <= index < self.count and 0 <= point.y() <= 1:
            self.bar_clicked.emit(index)


class TrajectoryPlot(pg.PlotWidget):  # type: ignore[misc]
    """Each class's mean curve over each patient's course drawn faint; a click picks a class."""

    class_clicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.getPlotItem().setLabel(
            "bottom", translate("TrajectoryPlot", "visit (0 = baseline, n = before infusion n)")
        )
        self.getPlotItem().addLegend(offset=(-10, 10))

    def show_classes(
        self, classes: Sequence[dict[str, Any]], totals: np.ndarray, assigned: np.ndarray
    ) -> None:
        self.clear()
        rng = np.random.default_rng(0)  # the same faint lines every time
        for k, cls in enumerate(classes):
            colour = pg.mkColor(COLOURS[k % len(COLOURS)])
            rows = np.flatnonzero(assigned == k)
            if len(rows) > FAINT_LINES // max(1, len(classes)):
                rows = rng.choice(rows, FAINT_LINES // len(classes), replace=False)
            if len(rows):
                self.addItem(_faint(totals[rows], colour))
            curve = pg.PlotDataItem(
                np.arange(len(cls["mean"])),
                cls["mean"],
                pen=pg.mkPen(colour, width=3),
                name=f"class {k + 1} ({cls['share']:.0%})",
            )
            curve.setCurveClickable(True, width=8)
            curve.sigClicked.connect(lambda _item, _ev=None, k=k: self.class_clicked.emit(k))
            self.addItem(curve)
        visits = max((len(c["mean"]) for c in classes), default=0)
        self.getPlotItem().getAxis("bottom").setTicks([[(v, str(v)) for v in range(visits)]])


def _faint(totals: np.ndarray, colour: Any) -> pg.PlotDataItem:
    """All the patients' lines as one item (NaN breaks them), so hundreds draw at once."""
    n, t = totals.shape
    x = np.tile(np.append(np.arange(t, dtype=float), np.nan), n)
    y = np.hstack([totals, np.full((n, 1), np.nan)]).ravel()
    faint = pg.mkColor(colour)  # a copy: the class's own curve keeps its full colour
    faint.setAlpha(40)
    return pg.PlotDataItem(x, y, pen=pg.mkPen(faint, width=1), connect="finite")


class SurvivalPlot(pg.PlotWidget):  # type: ignore[misc]
    """Kaplan-Meier step curves per modality."""

    def __init__(self) -> None:
        super().__init__()
        self.setMenuEnabled(False)
        self.getPlotItem().setLabel("bottom", translate("SurvivalPlot", "days from course start"))
        self.getPlotItem().setLabel("left", translate("SurvivalPlot", "still in treatment"))
        self.getPlotItem().addLegend(offset=(-10, -10))

    def show_curves(self, retention: dict[str, Any]) -> None:
        self.clear()
        for i, (modality, value) in enumerate(retention.items()):
            if not isinstance(value, dict) or "curve" not in value:
                continue
            points = np.array(value["curve"], dtype=float)
            x = np.repeat(points[:, 0], 2)[1:]
            y = np.repeat(points[:, 1], 2)[:-1]
            pen = pg.mkPen(
                COLOURS[i % len(COLOURS)],
                width=2,
                style=(Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)[i % 2],
            )
            self.addItem(pg.PlotDataItem(x, y, pen=pen, name=modality_label(modality)))
        self.setYRange(0, 1.02)
