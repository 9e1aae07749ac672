"""The chart's readout changes on every patient switch without re-laying out the window,
and its box still fits the whole two-line text in any font.

``QLabel.setText`` asks every layout up to the window to lay out again (4 ms of each
switch); the readout lives in a box without a layout, so its text changes nothing
around it. What must not be lost doing so: the text fully shown, in a larger font too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from ui_helpers import Clinic, open_patient

from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.widgets.steady import LabelBox


class LayoutRequests(QObject):
    """Counts the layout requests ``widget`` receives (its layout would lay out again)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget, self.seen = widget, 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.widget and event.type() == QEvent.Type.LayoutRequest:
            self.seen += 1
        return False


def _requests_after_new_text(qtbot, boxed: bool) -> int:  # type: ignore[no-untyped-def]
    """A window laid out with a rich two-line label (in a box or not), given new text."""
    top = QWidget()
    qtbot.addWidget(top)
    label = QLabel("<b>PHQ-9</b> 18<br><small>legend</small>")
    layout = QVBoxLayout(top)
    layout.addWidget(LabelBox(label, label.text()) if boxed else label)
    layout.addWidget(QLabel("below"), 1)
    top.show()
    qtbot.waitExposed(top)
    QApplication.processEvents()
    requests = LayoutRequests(top)
    top.installEventFilter(requests)
    label.setText("<b>PHQ-9</b> 18 → 9 (−50%), responding<br><small>legend</small>")
    QApplication.processEvents()
    return requests.seen


def test_new_text_in_a_label_box_lays_out_nothing_around_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert _requests_after_new_text(qtbot, boxed=False) >= 1  # what a switch paid for
    assert _requests_after_new_text(qtbot, boxed=True) == 0


def test_the_readout_is_boxed_and_read_aloud(qtbot, window: MainWindow, clinic: Clinic) -> None:
    """Boxed, fully shown, and its words given to screen readers (its rich text never
    was: they heard only "Percent change readout")."""
    open_patient(qtbot, window, clinic.patient_id)
    readout = window.course.chart.readout
    assert isinstance(readout.parentWidget(), LabelBox)
    qtbot.waitUntil(lambda: "<br>" in readout.text() and readout.isVisible(), timeout=60_000)
    assert readout.geometry() == readout.parentWidget().rect()
    said = readout.accessibleDescription()
    assert said.startswith("PHQ-9 ") and "%" in said and "<" not in said
    assert said.split("PHQ-9 ", 1)[1] in readout.text()  # the same words as on screen


def test_the_readout_box_fits_the_whole_text_in_a_larger_font(
    qtbot, window: MainWindow, clinic: Clinic
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    chart = window.course.chart
    readout = chart.readout
    box = readout.parentWidget()
    assert isinstance(box, LabelBox)
    qtbot.waitUntil(lambda: "<br>" in readout.text() and readout.isVisible(), timeout=60_000)
    assert readout.geometry() == box.rect()
    assert box.height() >= readout.sizeHint().height()  # both lines, not clipped
    before = box.height()
    larger = QFont(readout.font())
    larger.setPointSizeF(readout.font().pointSizeF() * 1.6)
    readout.setFont(larger)
    qtbot.waitUntil(lambda: box.height() > before, timeout=60_000)
    qtbot.waitUntil(lambda: readout.geometry() == box.rect(), timeout=60_000)
    assert box.height() >= readout.sizeHint().height()
