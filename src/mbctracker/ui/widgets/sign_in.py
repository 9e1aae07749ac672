"""Sign-in: who is at the desk, asked at start and after the idle lock.

On a desk file, only when the clinic lists people (Edit -> People…); otherwise the
desk works as before. On a clinic server every person has their own PostgreSQL
login, so the idle lock always signs out there: the last person's connections are
closed and live updates stop, and the next person types their login name and
password for the same server, which is opened again as them (their role read
again). The curtain covers the whole window, so nothing of the last person's
patient shows; it is driven by the keyboard alone: type the name, Tab, the PIN or
password, Enter. A wrong one gets one plain line; after five wrong in a row
sign-in pauses for 30 seconds (``services.people.SignInThrottle``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ...domain.access import Action
from ...domain.errors import DomainError
from ...services.access import may
from ...services.people import Person, SignInThrottle, has_people, sign_in, sign_out
from ...storage import open_database
from ...storage.errors import StorageError, WrongPasswordError
from ...storage.server import as_person
from ..i18n import term
from ..operations import Changed, ChangeKind

if TYPE_CHECKING:
    from ..main_window import MainWindow

MAX_LOGIN = 63
"""PostgreSQL's longest role name: a longer sign-in name is refused before connecting."""


class SignInCurtain(QWidget):
    """An opaque cover with the name and PIN fields; emits :attr:`submitted`."""

    submitted = Signal(str, str)
    """The name and PIN (or server password) typed, when Enter is pressed."""

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
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label = QLabel()
        self.secret_label.setBuddy(self.pin)
        self._ask_for_pin()
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
        form.addRow(self.secret_label, self.pin)
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

    def _ask_for_pin(self) -> None:
        self.title.setText(self.tr("Sign in: patient data is hidden until you do."))
        self.secret_label.setText(self.tr("&PIN:"))
        self.pin.setAccessibleName(self.tr("Your PIN"))

    def _ask_for_password(self, server: str) -> None:
        self.title.setText(
            self.tr("Sign in to {0}: patient data is hidden until you do.").format(server)
        )
        self.secret_label.setText(self.tr("&Password:"))
        self.pin.setAccessibleName(self.tr("Your password"))

    def cover(self, why: str, server: str | None = None) -> None:
        """Cover the window and ask for a name and PIN, or a login and password on ``server``."""
        if server is None:
            self._ask_for_pin()
        else:
            self._ask_for_password(server)
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
    no scores. On a clinic server the person signed in when the server was opened,
    and the lock signs them out of the server itself (:meth:`_leave_server`).
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
        self._server: str | None = None
        """The server's address (no password) while signed out of it, to sign in again."""
        self._today_open = False
        """The Today list was open at the lock: shown again, read afresh, after sign-in."""
        if not window.db.on_server and has_people(window.db):
            sign_out(window.db)  # nobody yet: every use case is refused until sign-in
            self.curtain.cover(self.tr("Sign in with your name and PIN."))

    @property
    def locked(self) -> bool:
        return self.curtain.isVisible()

    def needed(self) -> bool:
        """Whether this clinic asks who is there (a server, or someone is listed)."""
        return self.window.db.on_server or has_people(self.window.db)

    def lock(self, why: str = "") -> bool:
        """Sign the person out and cover the window; False when nobody is listed."""
        if self.needed():
            self._close_windows()
        if self.window.db.on_server:
            self._leave_server()
            self.curtain.cover(
                why or self.tr("Sign in with your name and password."),
                server=str(self.window.db.path),
            )
            return True
        if not self.needed():
            return False
        sign_out(self.window.db)
        self.window.update_actions()
        self.curtain.cover(why or self.tr("Sign in with your name and PIN."))
        return True

    def _close_windows(self) -> None:
        """Close what the last person left open over the curtain (a dialog, a question on
        it, the outcomes window): it shows their patients, and a dialog would save as the
        next person. Answers typed and not saved are dropped, as at any sign-out. The
        Today list forgets its lines (the next person's sign-in reads them again)."""
        for dialog in self.window.findChildren(QDialog):
            if isValid(dialog) and dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)
        if self.window.outcomes is not None:
            self.window.outcomes.close()
        self._today_open = self._today_open or self.window.today_dock.isVisible()
        self.window.today.forget()

    def _leave_server(self) -> None:
        """Close every connection of the person signed in: live updates stop first, then
        the engine goes with the password in its address; only the address is kept."""
        db = self.window.db
        if self._server is None:
            assert db.url is not None  # on a server
            self._server = db.url  # the password is hidden in it
        self.window.live.stop()
        sign_out(db)
        db.close()
        self.window.update_actions()

    def try_sign_in(self, name: str, pin: str) -> None:
        wait = self.throttle.wait_seconds()
        if wait > 0:
            self._paused(wait)
            return
        if self._server is not None:
            self._server_sign_in(self._server, name.strip(), pin)
            return
        try:
            person = sign_in(self.window.db, name, pin)
        except DomainError as exc:
            self.throttle.failed()
            self._refused(str(exc))
            return
        self.throttle.succeeded()
        self._opened(person)

    def _refused(self, message: str) -> None:
        """Say why plainly, forget what was typed, and pause after too many tries."""
        self.curtain.pin.clear()
        self.curtain.message.setText(message)
        if self.throttle.wait_seconds() > 0:
            self._paused(self.throttle.wait_seconds())

    def _server_sign_in(self, server: str, name: str, password: str) -> None:
        """Open the same server as ``name``; the last person's patient stays on screen
        only if the new person's role may see patients."""
        if not name or len(name) > MAX_LOGIN or not name.isprintable():
            self.curtain.pin.clear()
            self.curtain.message.setText(
                self.tr(
                    "Name: type your sign-in name; allowed: the name the clinic's "
                    "administrator gave you (up to {0} characters)."
                ).format(MAX_LOGIN)
            )
            return
        try:
            db = open_database(as_person(server, name, password), actor=name, upgrade=False)
        except StorageError as exc:
            if isinstance(exc, WrongPasswordError):
                self.throttle.failed()
            self._refused(str(exc))
            return
        self.throttle.succeeded()
        self._server = None
        shown = self.window.course.patient
        self.curtain.pin.clear()  # the password is not kept in the hidden field
        self.curtain.hide()
        self.window.ops.replace_database(db)  # every view reads again; live updates restart
        if shown is not None and may(db, Action.VIEW_PATIENTS):
            self.window.open_patient(shown.id)
        self._reopen_today()
        said = (
            self.tr("Signed in as {0} ({1})").format(name, term(db.role.label))
            if db.role is not None
            else self.tr("Signed in as {0}").format(name)
        )
        self.window.statusBar().showMessage(said, 8000)

    def _reopen_today(self) -> None:
        """The desk's layout comes back for whoever may see it (its lines read afresh)."""
        if self._today_open and may(self.window.db, Action.VIEW_RECORD):
            self._today_open = False
            self.window.show_today()

    def _paused(self, seconds: float) -> None:
        self.curtain.button.setEnabled(False)
        text = (
            self.tr("Too many wrong passwords: sign-in pauses for {0} seconds.")
            if self._server is not None
            else self.tr("Too many wrong PINs: sign-in pauses for {0} seconds.")
        )
        self.curtain.message.setText(text.format(math.ceil(seconds)))
        self._pause.start(int(seconds * 1000) + 1)

    def _resume(self) -> None:
        self.curtain.button.setEnabled(True)
        if self._server is not None:
            self.curtain.message.setText(self.tr("Try again: your name and password."))
        else:
            self.curtain.message.setText(self.tr("Try again: your name and PIN."))

    def _opened(self, person: Person) -> None:
        self.curtain.hide()
        ops = self.window.ops
        ops.changed.emit(Changed(ChangeKind.DATABASE, result=ops.db))  # every view reads again
        self._reopen_today()
        self.window.statusBar().showMessage(
            self.tr("Signed in as {0} ({1})").format(person.name, term(person.role.label)), 8000
        )
