"""Cover patient data after the clinic's idle time (Edit -> Preferences).

A privacy curtain: an infusion room's screen is seen by passers-by, so after N
minutes without a key or mouse press the window is covered. Without a people list
the next person presses Enter to continue; with one, the sign-in curtain
(``sign_in.py``) signs the last person out and asks the next one for name and PIN.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
        QEvent.Type.MouseMove,
    }
)


class Gate(Protocol):
    """What the lock needs of the sign-in (it locks instead when people are listed)."""

    @property
    def locked(self) -> bool: ...

    def lock(self, why: str = "") -> bool: ...


class IdleCurtain(QWidget):
    """An opaque cover over the whole window, with one button to continue."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleCurtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.resume = QPushButton(self.tr("&Continue"))
        self.resume.setDefault(True)
        self.resume.clicked.connect(self.hide)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.resume, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()

    def cover(self, minutes: int) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.message.setText(
            self.tr(
                "Locked after {0} minute(s) without input: patient data is hidden.\n"
                "Press Enter to continue."
            ).format(minutes)
        )
        self.show()
        self.raise_()
        self.resume.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.hide()
            return
        super().keyPressEvent(event)


class IdleLock(QObject):
    """Watches the application's input; covers ``window`` after ``minutes`` without any."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.curtain = IdleCurtain(window)
        self.minutes = 0
        self.gate: Gate | None = None
        """The sign-in, when the window has one: it covers the window instead."""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._lock)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        """0 switches the lock off."""
        self.minutes = minutes
        self._restart()

    @property
    def locked(self) -> bool:
        return self.curtain.isVisible() or (self.gate is not None and self.gate.locked)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here (each paint of a patient switch
        # too): the cheap C++ test first, the enum only for input.
        if event.isInputEvent() and event.type() in _INPUT_EVENTS and not self.locked:
            self._restart()
        return False

    def _restart(self) -> None:
        if self.minutes > 0:
            self.timer.start(self.minutes * 60_000)
        else:
            self.timer.stop()

    def _lock(self) -> None:
        why = self.tr("Locked after {0} minute(s) without input: the next person signs in.").format(
            self.minutes
        )
        if self.gate is not None and self.gate.lock(why):
            return
        self.curtain.cover(self.minutes)

    def stop(self) -> None:
        """Remove the application-wide filter (the window is closing)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
