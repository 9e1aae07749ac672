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
from .i18n import QT_TRANSLATE_NOOP, translate

log = logging.getLogger(__name__)
T = TypeVar("T")

USER_ERRORS: tuple[type[Exception], ...] = (DomainError, StorageError)
"""Exceptions whose message is written for the user and says what to do."""

FIELD_LABELS = {
    "mrn": QT_TRANSLATE_NOOP("errors", "MRN"),
    "name": QT_TRANSLATE_NOOP("errors", "Name"),
    "date_of_birth": QT_TRANSLATE_NOOP("errors", "Date of birth"),
    "when": QT_TRANSLATE_NOOP("errors", "Date and time"),
    "start_date": QT_TRANSLATE_NOOP("errors", "Start date"),
    "end_date": QT_TRANSLATE_NOOP("errors", "End date"),
    "planned_sessions": QT_TRANSLATE_NOOP("errors", "Planned sessions"),
    "reason": QT_TRANSLATE_NOOP("errors", "Reason"),
    "text": QT_TRANSLATE_NOOP("errors", "Action description"),
    "timepoint": QT_TRANSLATE_NOOP("errors", "Timepoint"),
    "session_id": QT_TRANSLATE_NOOP("errors", "Linked session"),
    "responses": QT_TRANSLATE_NOOP("errors", "Item responses"),
    "side_effects": QT_TRANSLATE_NOOP("errors", "Side effects"),
    "prn_medication": QT_TRANSLATE_NOOP("errors", "As-needed medication"),
    "kind": QT_TRANSLATE_NOOP("errors", "Event"),
    "threshold_reason": QT_TRANSLATE_NOOP("errors", "Reason for the change"),
    "diagnosis": QT_TRANSLATE_NOOP("errors", "Diagnosis"),
    "current_medications": QT_TRANSLATE_NOOP("errors", "Current medications"),
    "prior_treatments": QT_TRANSLATE_NOOP("errors", "Prior treatment trials"),
    "prescriber": QT_TRANSLATE_NOOP("errors", "Prescriber"),
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
        return translate("errors", "Item {0}").format(field[4:])
    found = FIELD_LABELS.get(field) or DETAIL_LABELS.get(field)
    found = translate("errors", found) if found else None
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
    box.setWindowTitle(title or translate("errors", "Not saved"))
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
    where = (
        translate("errors", "\n\nDetails were written to the log file:\n{0}").format(log_path)
        if log_path
        else ""
    )
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(translate("errors", "Unexpected problem"))
    box.setText(
        translate(
            "errors",
            "mbctracker hit an unexpected problem and the last action may not have finished. "
            "Everything saved before it is safe in the database; check the last entry and "
            "enter it again if it is missing.",
        )
        + where
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
