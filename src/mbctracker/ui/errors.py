"""Errors a person can act on are plain dialogs; bugs go to a crash dialog and the log.

(qutebrowser's KnownError habit.) A user-actionable message names the field it is
about; a traceback is never shown in a dialog, only written to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.course import SESSION_FIELDS
from ..domain.errors import DomainError
from ..storage.errors import StorageError

log = logging.getLogger(__name__)
T = TypeVar("T")

USER_ERRORS: tuple[type[Exception], ...] = (DomainError, StorageError)
"""Exceptions whose message is written for the user and says what to do."""

FIELD_LABELS = {
    "mrn": "MRN",
    "name": "Name",
    "date_of_birth": "Date of birth",
    "when": "Date and time",
    "start_date": "Start date",
    "end_date": "End date",
    "planned_sessions": "Planned sessions",
    "reason": "Reason",
    "text": "Action description",
    "timepoint": "Timepoint",
    "session_id": "Linked session",
    "responses": "Item responses",
    "side_effects": "Side effects",
    "prn_medication": "As-needed medication",
    "kind": "Event",
    "threshold_reason": "Reason for the change",
    "diagnosis": "Diagnosis",
    "current_medications": "Current medications",
    "prior_treatments": "Prior treatment trials",
    "prescriber": "Prescriber",
}


def _detail_labels() -> dict[str, str]:
    """Session detail fields by key, as the session form labels them ("Intensity (% MT)"),
    so a refusal never shows an internal name such as "Percent mt". A key two modalities
    label differently ("Infusion duration", "Session duration") gets their common words."""
    found: dict[str, list[str]] = {}
    for fields in SESSION_FIELDS.values():
        for spec in fields:
            found.setdefault(spec.key, []).append(
                f"{spec.label} ({spec.unit})" if spec.unit else spec.label
            )
    return {key: _common_tail(labels) for key, labels in found.items()}


def _common_tail(labels: list[str]) -> str:
    words = [label.split() for label in labels]
    tail: list[str] = []
    while all(len(w) > len(tail) for w in words) and len({w[-1 - len(tail)] for w in words}) == 1:
        tail.insert(0, words[0][-1 - len(tail)])
    text = " ".join(tail) or labels[0]
    return text[0].upper() + text[1:]


DETAIL_LABELS = _detail_labels()


def field_label(field: str | None) -> str | None:
    """A human label for a service's field key (``item9`` -> ``Item 9``)."""
    if not field:
        return None
    if field.startswith("item") and field[4:].isdigit():
        return f"Item {field[4:]}"
    found = FIELD_LABELS.get(field) or DETAIL_LABELS.get(field)
    return found or field.replace("_", " ").capitalize()


def user_message(exc: BaseException) -> str:
    """The plain text shown for a user-actionable error, naming the field once."""
    label = field_label(getattr(exc, "field", None))
    text = str(exc)
    if not label or text.startswith(label.split(" (")[0]):
        return text
    return f"{label}: {text}"


def show_user_error(parent: QWidget | None, exc: BaseException, title: str = "") -> QMessageBox:
    """A non-blocking, window-modal message box (so tests and the event loop keep running)."""
    box = QMessageBox(parent)
    box.setObjectName("userError")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or "Not saved")
    box.setText(user_message(exc))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("infoBox")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_crash(parent: QWidget | None, log_path: Path | None) -> QMessageBox:
    """Tell the user something went wrong without showing the traceback (it is in the log)."""
    where = f"\n\nDetails were written to the log file:\n{log_path}" if log_path else ""
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Unexpected problem")
    box.setText(
        "mbctracker hit an unexpected problem and the last action may not have finished. "
        "Everything saved before it is safe in the database; check the last entry and "
        "enter it again if it is missing." + where
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def guarded(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Run ``action``; a user-actionable error becomes a plain dialog, not a crash."""
    try:
        return action()
    except USER_ERRORS as exc:
        show_user_error(parent, exc)
        return None
