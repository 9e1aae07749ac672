"""Correct or delete a saved assessment or session, and restore a deleted record.

A correction re-scores the items with the course's settings and keeps the old
values in the change log; a delete is soft ("entered in error") and can be undone
from the change log view. Stale saves are refused by the service (versions).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from ...domain.errors import DomainError
from ...domain.instruments import INSTRUMENTS
from ...domain.settings import ClinicSettings
from ...domain.timeline import AssessmentRecord, EventRecord, SessionRecord
from ...services.assessments import (
    AssessmentResult,
    correct_assessment,
    delete_assessment,
    restore_assessment,
)
from ...services.audit_log import ChangeEntry
from ...services.events import delete_event, restore_event
from ...services.sessions import delete_session, restore_session
from ..i18n import term, translate
from ..operations import Changed, ChangeKind, Operations
from ..widgets.entry_form import EntryForm
from .forms import SaveDialog, datetime_edit, from_qdatetime


class CorrectionDialog(SaveDialog):
    """One entry form filled with the saved items; Enter saves the correction, Esc cancels."""

    saved = Signal(object)
    """Emitted with the corrected :class:`AssessmentResult` (the window shows the
    safety alert when the correction raised a flag)."""

    def __init__(
        self,
        ops: Operations,
        record: AssessmentRecord,
        settings: ClinicSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.record = ops, record
        self.setObjectName("correctionDialog")
        name = INSTRUMENTS[record.instrument].name
        self.setWindowTitle(self.tr("Correct {0} of {1:%Y-%m-%d %H:%M}").format(name, record.when))
        self.form = EntryForm(INSTRUMENTS[record.instrument], settings)
        self.form.set_responses(list(record.score.responses), record.supplementary)
        self.form.save_requested.connect(self.save)
        self.form.cancel_requested.connect(self.reject)
        self.when = datetime_edit(record.when, self.tr("Assessed at"))
        self.field_widgets = {"when": self.when}
        note = QLabel(self.tr("The previous values stay in the change log."))
        note.setObjectName("muted")
        top = QFormLayout()
        top.addRow(self.tr("Assessed &at:"), self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.error)
        layout.addWidget(note)
        self.resize(760, 640)
        self.form.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> AssessmentResult:
        return self.ops.run(
            Changed(ChangeKind.ASSESSMENT, course_id=self.record.course_id),
            correct_assessment,
            self.record.id,
            list(self.form.responses),
            expected_version=self.record.version,
            when=from_qdatetime(self.when.dateTime()),
            supplementary=self.form.supplementary,
        )

    def succeeded(self, result: object) -> None:
        self.saved.emit(result)
        self.accept()


def confirm_delete(parent: QWidget, ops: Operations, record: AssessmentRecord) -> bool:
    """Soft-delete an assessment entered in error, after a plain yes/no question."""
    name = INSTRUMENTS[record.instrument].name
    question = translate(
        "correction", "Delete the {0} of {1:%Y-%m-%d %H:%M} (total {2}) as entered in error?"
    ).format(name, record.when, record.score.display_total)
    if record.flag_open:
        question += translate(
            "correction",
            "\n\nIt has an OPEN SAFETY FLAG with no action recorded: once deleted, the flag "
            "is no longer shown on the patient list, the banner or the printed summary.",
        )
    return _confirm_soft_delete(
        parent,
        ops,
        translate("correction", "Delete assessment"),
        question,
        ChangeKind.ASSESSMENT,
        delete_assessment,
        record,
    )


def confirm_delete_session(parent: QWidget, ops: Operations, record: SessionRecord) -> bool:
    """Soft-delete a session entered in error (its assessments stay, unlinked in time)."""
    question = translate(
        "correction", "Delete session {0} of {1:%Y-%m-%d %H:%M} as entered in error?"
    ).format(record.number, record.when)
    return _confirm_soft_delete(
        parent,
        ops,
        translate("correction", "Delete session"),
        question,
        ChangeKind.SESSION,
        delete_session,
        record,
    )


def confirm_delete_event(parent: QWidget, ops: Operations, record: EventRecord) -> bool:
    """Soft-delete an event entered in error (a discontinued course keeps its status)."""
    question = translate(
        "correction", "Delete the {0} of {1:%Y-%m-%d} as entered in error?"
    ).format(term(record.kind.label).lower(), record.when)
    return _confirm_soft_delete(
        parent,
        ops,
        translate("correction", "Delete event"),
        question,
        ChangeKind.EVENT,
        delete_event,
        record,
    )


def _confirm_soft_delete(
    parent: QWidget,
    ops: Operations,
    title: str,
    question: str,
    kind: ChangeKind,
    delete: Callable[..., None],
    record: AssessmentRecord | SessionRecord | EventRecord,
) -> bool:
    """Ask plainly, then soft-delete through the one operation path (stale saves refused)."""
    answer = QMessageBox.question(
        parent,
        title,
        translate(
            "correction", "{0}\n\nIt stays in the change log and can be restored from there."
        ).format(question),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    ops.run(
        Changed(kind, course_id=record.course_id),
        delete,
        record.id,
        expected_version=record.version,
    )
    return True


_RESTORERS: dict[str, tuple[ChangeKind, Callable[..., object]]] = {
    "assessment": (ChangeKind.ASSESSMENT, restore_assessment),
    "treatment_session": (ChangeKind.SESSION, restore_session),
    "event": (ChangeKind.EVENT, restore_event),
}


def restore_from_log(ops: Operations, entry: ChangeEntry) -> bool:
    """Undo a soft delete (assessment, session or event) chosen in the change log."""
    found = _RESTORERS.get(entry.table)
    if found is None or entry.action != "delete":
        raise DomainError(
            translate(
                "correction",
                "Choose a 'delete' entry of an assessment, session or event in the change log "
                "to restore it",
            ),
            field="change_log",
        )
    kind, restore = found
    ops.run(Changed(kind), restore, entry.record_id)
    return True
