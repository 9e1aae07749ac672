"""File -> Open a clinic server…: the PostgreSQL address and password, then open it.

Non-blocking (``open()``): the window opens the server when the dialog is accepted,
exactly as File -> Open does with a file (``file_actions.switch_database``). The
password is typed here, never stored in the address the window shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ...storage.server import with_password

EXAMPLE = "postgresql://name@clinic-server/mbctracker"


class ServerDialog(QDialog):
    """Asks for ``postgresql://user@host/database`` and the person's password."""

    def __init__(self, parent: QWidget | None, opened: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open a clinic server"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._opened = opened
        self.address = QLineEdit(self)
        self.address.setPlaceholderText(EXAMPLE)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("The address your clinic's IT person gave you:")))
        form.addRow(self.tr("&Address:"), self.address)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(buttons)
        self.accepted.connect(self._open)

    def _open(self) -> None:
        self._opened(with_password(self.address.text().strip(), self.password.text()))


def ask_server(parent: QWidget | None, opened: Callable[[str], None]) -> ServerDialog:
    """Show the dialog (non-blocking); ``opened`` gets the address when it is accepted."""
    dialog = ServerDialog(parent, opened)
    dialog.open()
    return dialog
