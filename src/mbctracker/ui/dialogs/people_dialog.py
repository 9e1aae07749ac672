"""Edit -> People…: who signs in at this desk (SQLite's people list).

An administrator (or, before anyone is listed, the desk itself) adds people with a
role and a PIN, deactivates them when they leave and resets a forgotten PIN. Every
change goes through the operations (so it is change-logged by the services) and a
refused one is a plain line under the form; nothing is half-saved. The first
person listed must be an administrator, so the form offers that role first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.access import Role
from ...domain.errors import DomainError
from ...services.people import Person, add_person, list_people, reset_pin, set_active
from ...storage.errors import StorageError
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations

ROLE_ORDER = (Role.ADMINISTRATOR, Role.CLINICIAN, Role.NURSE, Role.FRONT_DESK)


class PeopleDialog(QDialog):
    """The list of people, and a form to add one or change the selected one."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleDialog")
        self.setWindowTitle(self.tr("People who sign in"))
        self.ops = ops
        self.people = QListWidget()
        self.people.setObjectName("peopleList")
        self.people.setAccessibleName(self.tr("People listed"))
        self.name = QLineEdit()
        self.name.setObjectName("personName")
        self.role = QComboBox()
        self.role.setObjectName("personRole")
        for role in ROLE_ORDER:
            self.role.addItem(term(role.label), role)
        self.pin = QLineEdit()
        self.pin.setObjectName("personPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("peopleMessage")
        self.message.setWordWrap(True)
        self.add_button = self._button(self.tr("&Add person"), self.add)
        self.active_button = self._button(self.tr("&Deactivate / reactivate selected"), self.toggle)
        self.pin_button = self._button(self.tr("&Reset selected person's PIN"), self.new_pin)
        self._layout()
        self.reload()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("R&ole:"), self.role)
        form.addRow(self.tr("&PIN (4-12 digits):"), self.pin)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.active_button, self.pin_button):
            buttons.addWidget(button)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.people, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def reload(self) -> None:
        self.people.clear()
        for person in list_people(self.ops.db):
            state = "" if person.active else self.tr(" (inactive)")
            item = QListWidgetItem(f"{person.name} — {term(person.role.label)}{state}")
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.people.addItem(item)

    def selected(self) -> Person | None:
        item = self.people.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, Person) else None

    def add(self) -> None:
        role = self.role.currentData()
        done = self._run(add_person, self.name.text(), role, self.pin.text())
        if done is not None:
            self.name.clear()
            self.message.setText(
                self.tr("Added {0} ({1}).").format(done.name, term(done.role.label))
            )

    def toggle(self) -> None:
        person = self.selected()
        if person is None:
            self.message.setText(self.tr("Select a person in the list first."))
            return
        done = self._run(set_active, person.id, not person.active, expected_version=person.version)
        if done is not None:
            state = self.tr("{0} is active.") if done.active else self.tr("{0} is inactive.")
            self.message.setText(state.format(done.name))

    def new_pin(self) -> None:
        person = self.selected()
        if person is None:
            self.message.setText(self.tr("Select a person in the list first."))
            return
        done = self._run(reset_pin, person.id, self.pin.text(), expected_version=person.version)
        if done is not None:
            self.message.setText(self.tr("New PIN set for {0}.").format(done.name))

    def _run(
        self, service: Callable[..., Person], *args: object, **kwargs: object
    ) -> Person | None:
        """Save through the operations; a refusal is one plain line, the form kept."""
        try:
            done: Person = self.ops.run(Changed(ChangeKind.PEOPLE), service, *args, **kwargs)
        except (DomainError, StorageError) as exc:
            self.message.setText(str(exc))
            self.reload()
            return None
        self.pin.clear()
        self.reload()
        return done
