"""The idle lock's clock restarts on the person's input only, whatever else passes.

Its filter sees every event of the application (each paint of a patient switch too);
it answers the non-input ones with one cheap test before looking at the type.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from mbctracker.ui.widgets.idle_lock import IdleLock


def _restarts(lock: IdleLock, event: QEvent) -> bool:
    lock.timer.stop()
    assert lock.eventFilter(lock, event) is False  # never swallowed
    return lock.timer.isActive()


def test_input_restarts_the_idle_clock_and_nothing_else_does(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    lock = IdleLock(window)
    lock.minutes = 5
    try:
        here = QPointF(5, 5)
        no_button = Qt.MouseButton.NoButton
        plain = Qt.KeyboardModifier.NoModifier
        for event in (
            QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, plain),
            QMouseEvent(
                QEvent.Type.MouseButtonPress,
                here,
                here,
                Qt.MouseButton.LeftButton,
                Qt.MouseButton.LeftButton,
                plain,
            ),
            QMouseEvent(QEvent.Type.MouseMove, here, here, no_button, no_button, plain),
            QWheelEvent(
                here,
                here,
                QPoint(),
                QPoint(0, 120),
                no_button,
                plain,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            ),
        ):
            assert _restarts(lock, event), event.type()
        for event in (
            QPaintEvent(QRect(0, 0, 10, 10)),
            QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Down, plain),
            QEvent(QEvent.Type.UpdateRequest),
            QEvent(QEvent.Type.LayoutRequest),
        ):
            assert not _restarts(lock, event), event.type()
    finally:
        lock.stop()
