"""Sign-in: who is at the desk, asked at start and after the idle lock.

Only when the clinic lists people (Edit -> People…); otherwise the desk works as
before. The curtain covers the whole window, so nothing of the last person's
patient shows; it is driven by the keyboard alone: type the name, Tab, the PIN,
Enter. A wrong name or PIN gets one plain line; after five wrong PINs in a row
sign-in pauses for 30 seconds (``services.people.SignInThrottle``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import DomainError
from ...services.people import Person, SignInThrottle, has_people, sign_in, sign_out
from ..i18n import term
from ..operations import Changed, ChangeKind

if TYPE_CHECKING:
    from ..main_window import MainWindow


class SignInCurtain(QWidget):
    """An opaque cover with the name and PIN fields; emits :attr:`submitted`."""

    submitted = Signal(str, str)
    """The name and PIN typed, when Enter is pressed."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("signInCurtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel(self.tr("Sign in: patient data is hidden until you do."))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLineEdit()
        self.name.setObjectName("signInName")
        self.name.setAccessibleName(self.tr("Your name"))
        self.pin = QLineEdit()
        self.pin.setObjectName("signInPin")
        self.pin.setAccessibleName(self.tr("Your PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.button = QPushButton(self.tr("&Sign in"))
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        self.name.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self._submit)
        self._layout()
        parent.installEventFilter(self)  # follow the window's size
        self.hide()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&PIN:"), self.pin)
        box = QWidget()
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def cover(self, why: str) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.message.setText(why)
        self.name.clear()
        self.pin.clear()
        self.show()
        self.raise_()
        self.name.setFocus()

    def _submit(self) -> None:
        if self.button.isEnabled():
            self.submitted.emit(self.name.text(), self.pin.text())


class SignInGate(QObject):
    """Asks who is there at start and after the idle lock, when the clinic lists people.

    The person signed in becomes the database's actor and role; every view then
    reads again for them (the operations' ``DATABASE`` change), so a nurse never
    sees what the clinician before them left on screen, and the front desk sees
    no scores.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.curtain = SignInCurtain(window)
        self.curtain.submitted.connect(self.try_sign_in)
        self.throttle = SignInThrottle()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.timeout.connect(self._resume)
        if self.needed():
            sign_out(window.db)  # nobody yet: every use case is refused until sign-in
            self.curtain.cover(self.tr("Sign in with your name and PIN."))

    @property
    def locked(self) -> bool:
        return self.curtain.isVisible()

    def needed(self) -> bool:
        """Whether this clinic asks who is there (someone is listed)."""
        return has_people(self.window.db)

    def lock(self, why: str = "") -> bool:
        """Sign the person out and cover the window; False when nobody is listed."""
        if not self.needed():
            return False
        sign_out(self.window.db)
        self.window.update_actions()
        self.curtain.cover(why or self.tr("Sign in with your name and PIN."))
        return True

    def try_sign_in(self, name: str, pin: str) -> None:
        wait = self.throttle.wait_seconds()
        if wait > 0:
            self._paused(wait)
            return
        try:
            person = sign_in(self.window.db, name, pin)
        except DomainError as exc:
            self.throttle.failed()
            self.curtain.pin.clear()
            self.curtain.message.setText(str(exc))
            if self.throttle.wait_seconds() > 0:
                self._paused(self.throttle.wait_seconds())
            return
        self.throttle.succeeded()
        self._opened(person)

    def _paused(self, seconds: float) -> None:
        self.curtain.button.setEnabled(False)
        self.curtain.message.setText(
            self.tr("Too many wrong PINs: sign-in pauses for {0} seconds.").format(
                math.ceil(seconds)
            )
        )
        self._pause.start(int(seconds * 1000) + 1)

    def _resume(self) -> None:
        self.curtain.button.setEnabled(True)
        self.curtain.message.setText(self.tr("Try again: your name and PIN."))

    def _opened(self, person: Person) -> None:
        self.curtain.hide()
        ops = self.window.ops
        ops.changed.emit(Changed(ChangeKind.DATABASE, result=ops.db))  # every view reads again
        self.window.statusBar().showMessage(
            self.tr("Signed in as {0} ({1})").format(person.name, term(person.role.label)), 8000
        )
