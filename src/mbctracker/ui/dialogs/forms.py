"""Shared pieces for dialogs: the save-and-report base, inline field errors, dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from ...domain.errors import DomainError
from ...storage.errors import StaleRecordError, StorageError
from ..errors import show_user_error, user_message
from ..i18n import translate


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


WALL_CLOCK = QTimeZone(QTimeZone.Initialization.UTC)
"""The zone date-time fields hold their value in: one without daylight saving.

A field in local time moves a time inside the spring-forward gap (02:30 became 03:30
when shown, 01:30 when typed); held in UTC the typed digits reach the service as
typed, and the service refuses the time naming the gap. Only the date and time
fields are read back, never the instant.
"""


def to_qdatetime(value: datetime) -> QDateTime:
    time = QTime(value.hour, value.minute, value.second)
    return QDateTime(to_qdate(value.date()), time, WALL_CLOCK)


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def date_edit(value: date, accessible: str) -> QDateEdit:
    """A calendar-popup date field in ISO form (no ambiguity between 03/04 and 04/03)."""
    edit = QDateEdit(to_qdate(value))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(accessible)
    return edit


def datetime_edit(value: datetime, accessible: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(value))
    edit.setTimeZone(WALL_CLOCK)  # Qt >= 6.7; see WALL_CLOCK
    edit.setDateTime(to_qdatetime(value))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(accessible)
    return edit


def line_edit(accessible: str, placeholder: str = "") -> QLineEdit:
    """A text field with the accessible name every input must have."""
    edit = QLineEdit()
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    return edit


def notes_box(accessible: str, height: int = 60) -> QPlainTextEdit:
    """A short free-text box for notes, named for screen readers and tests."""
    box = QPlainTextEdit()
    box.setAccessibleName(accessible)
    box.setFixedHeight(height)
    return box


def parse_optional_date(text: str, field: str, label: str) -> date | None:
    """``YYYY-MM-DD`` or blank; the error names the field and the expected form."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            translate(
                "forms", "{0} must be a date as YYYY-MM-DD (for example 1984-03-27), got {1!r}"
            ).format(label, text),
            field=field,
        ) from None


class ErrorLabel(QLabel):
    """The inline message under a form: names the field, red, and read by screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("error")
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Error message"))
        self.hide()

    def show_error(self, exc: BaseException) -> None:
        self.setText("⚠ " + user_message(exc))
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


class SaveDialog(QDialog):
    """A dialog whose Save runs one operation, with the one way of reporting its outcome.

    A refused value is named under the form (:attr:`error`) and its field focused
    (:attr:`field_widgets`, by the service's field name); a save refused as stale is
    explained in a message box and the dialog closes (the views have already
    reloaded the version saved first); on success the dialog closes. Subclasses
    build the form and implement :meth:`submit`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = ErrorLabel()
        self.field_widgets: dict[str, QWidget] = {}

    def submit(self) -> object:
        """Run the operation with the form's values; return what the service returned."""
        raise NotImplementedError

    def save(self) -> object | None:
        """Submit; on success close and return the result, else report and return None."""
        self.error.clear_error()
        try:
            result = self.submit()
        except StaleRecordError as exc:
            show_user_error(self.parentWidget(), exc)
            self.reject()
            return None
        except (DomainError, StorageError) as exc:
            if not self.refused(exc):
                self.error.show_error(exc)
                self.focus_field(getattr(exc, "field", None))
            return None
        self.succeeded(result)
        return result

    def refused(self, exc: DomainError | StorageError) -> bool:
        """Handle a refusal specially (True) instead of naming it under the form."""
        del exc
        return False

    def succeeded(self, result: object) -> None:
        """After a successful save: close (a subclass may first do more)."""
        del result
        self.accept()

    def focus_field(self, field: str | None) -> None:
        widget = self.field_widgets.get(field or "")
        if widget is None:
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()


def ask(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    buttons: tuple[str, str],
    answered: Callable[[bool], None],
) -> QMessageBox:
    """A window-modal question that does not block: ``answered(True)`` for the first button.

    The second button is the default and the Escape answer, so Enter alone never
    confirms something unusual; the first is reached by its mnemonic (``&Save anyway``).
    """
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes = box.addButton(buttons[0], QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(buttons[1], QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _r: answered(box.clickedButton() is yes))
    box.open()
    return box
