"""Today's pre-session scores: one tab per instrument, saved one at a time with Enter.

After a save the dialog moves to the next instrument not yet entered, so PHQ-9,
GAD-7, MADRS and CGI-S can be typed in a row; Esc closes, and asks first when a
tab holds typed answers not yet saved (Esc again, or "Keep typing", goes back to
them). A safety flag opens the alert before anything else happens.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import Phase, Timepoint
from ...domain.errors import DomainError
from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import AssessmentRecord, CourseTimeline
from ...presentation import texts
from ...services.assessments import AssessmentInput, AssessmentResult, record_assessment
from ...storage.errors import StorageError
from ..i18n import progress_text, term, translate, words
from ..operations import Changed, ChangeKind, Operations
from ..widgets.entry_form import EntryForm
from .forms import ErrorLabel, datetime_edit, from_qdatetime
from .safety_dialog import SafetyActionDialog

AUTO = "automatic"
"""The linked-session choice that leaves the link to the clinic's rule (the default)."""


class EntryDialog(QDialog):
    """Pre-session entry for one course; each instrument is saved on its own (Enter)."""

    """Emitted with the :class:`AssessmentResult` of each save."""

    def __init__(
        self,
        ops: Operations,
        timeline: CourseTimeline,
        instrument: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.timeline = timeline
        self.saved_codes: set[str] = set()
        self.alert: SafetyActionDialog | None = None
        self.confirm: QMessageBox | None = None
        """The "discard typed answers?" question Esc asks, while it is open."""
        self.setObjectName("entryDialog")
        patient = timeline.patient
        self.setWindowTitle(self.tr("New entry - {0} ({1})").format(patient.name, patient.mrn))
        self.when = datetime_edit(
            datetime.now().replace(second=0, microsecond=0), self.tr("Assessed at")
        )
        self.timepoint = self._timepoint_combo()
        self.session = self._session_combo()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Instruments"))
        self.forms: dict[str, EntryForm] = {}
        for code, inst in INSTRUMENTS.items():
            form = EntryForm(inst, timeline.course.settings)
            form.save_requested.connect(self.save_current)
            form.cancel_requested.connect(self.reject)
            self.forms[code] = form
            self.tabs.addTab(form, inst.name)
        self.tabs.currentChanged.connect(lambda _i: self.current_form().setFocus())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        self._build()
        self.show_instrument(instrument or next(iter(INSTRUMENTS)))  # first tab: PHQ-9

    # -- construction ------------------------------------------------------------
    def _timepoint_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(self.tr("Timepoint"))
        for point in Timepoint:
            combo.addItem(term(point.label), point)
        has_baseline = any(a.timepoint == Timepoint.BASELINE for a in self.timeline.assessments)
        default = (
            Timepoint.PRE_SESSION if has_baseline or self.timeline.sessions else Timepoint.BASELINE
        )
        in_follow_up = self.timeline.phase_on(date.today()) == Phase.FOLLOW_UP
        if self.timeline.course.status.value != "active" or in_follow_up:
            default = Timepoint.FOLLOW_UP
        combo.setCurrentIndex(combo.findData(default))
        return combo

    def _session_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(self.tr("Linked session"))
        window = self.timeline.course.settings.link_window_days
        combo.addItem(
            self.tr("Automatic (same day, or the next session within {0} days)").format(window),
            AUTO,
        )
        combo.addItem(self.tr("Not linked"), None)
        for s in reversed(self.timeline.sessions):
            combo.addItem(
                self.tr("Session {0} - {1:%Y-%m-%d %H:%M}").format(s.number, s.when), s.id
            )
        return combo

    def _build(self) -> None:
        course = self.timeline.course
        phase = self.timeline.phase_on(date.today())
        header = QLabel(
            self.tr("<b>{0}</b> · {1} · {2} · sessions {3}").format(
                self.timeline.patient.name,
                term(course.modality.label),
                term(phase.label),
                progress_text(self.timeline.progress),
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Assessed &at:"), self.when)
        form.addRow(self.tr("&Timepoint:"), self.timepoint)
        form.addRow(self.tr("&Linked session:"), self.session)
        save = QPushButton(self.tr("Save (Enter)"))
        save.setAccessibleName(self.tr("Save this instrument"))
        save.setDefault(True)  # Enter in the date or timepoint field saves too
        save.clicked.connect(self.save_current)
        close = QPushButton(self.tr("Close (Esc)"))
        close.setAccessibleName(self.tr("Close without saving the current instrument"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(820, 720)

    # -- navigation --------------------------------------------------------------
    def current_form(self) -> EntryForm:
        form = self.tabs.currentWidget()
        assert isinstance(form, EntryForm)
        return form

    def show_instrument(self, code: str) -> None:
        self.tabs.setCurrentWidget(self.forms[code])
        self.forms[code].setFocus(Qt.FocusReason.OtherFocusReason)

    def _next_unsaved(self) -> str | None:
        order = list(INSTRUMENTS)
        start = order.index(self.current_form().instrument.code)
        rest = order[start + 1 :] + order[:start]
        return next(
            (c for c in rest if c not in self.saved_codes and INSTRUMENTS[c].auto_next), None
        )

    # -- saving ------------------------------------------------------------------
    def _input(self, form: EntryForm) -> AssessmentInput:
        chosen = self.session.currentData()
        return AssessmentInput(
            instrument=form.instrument.code,
            responses=list(form.responses),
            when=from_qdatetime(self.when.dateTime()),
            timepoint=self.timepoint.currentData(),
            session_id=None if chosen in (AUTO, None) else chosen,
            auto_link=chosen == AUTO,
            supplementary=form.supplementary,
        )

    def save_current(self) -> AssessmentResult | None:
        """Save the instrument on the current tab; name any refused field."""
        form = self.current_form()
        self.error.clear_error()
        if form.is_empty():
            self.error.show_error(
                DomainError(self.tr("Enter at least one {0} item").format(form.instrument.name))
            )
            return None
        try:
            result = self.ops.run(
                Changed(
                    ChangeKind.ASSESSMENT,
                    patient_id=self.timeline.patient.id,
                    course_id=self.timeline.course.id,
                ),
                record_assessment,
                self.timeline.course.id,
                self._input(form),
            )
        except (DomainError, StorageError) as exc:
            self.error.show_error(exc)
            if getattr(exc, "field", None) == "when":
                self.when.setFocus()
            return None
        self._after_save(form, result)
        return result

    def _after_save(self, form: EntryForm, result: AssessmentResult) -> None:
        code = form.instrument.code
        self.saved_codes.add(code)
        self.tabs.setTabText(self.tabs.indexOf(form), f"✓ {form.instrument.name}")
        self.status.setText(describe_saved(result))
        form.clear()
        if result.record.flag_open:
            self.open_alert(result.record)
        else:
            self._advance()

    def _advance(self) -> None:
        following = self._next_unsaved()
        if following:
            self.show_instrument(following)
        else:
            self.current_form().setFocus()

    def open_alert(self, record: AssessmentRecord) -> SafetyActionDialog:
        """The alert that cannot be missed: modal over the entry dialog."""
        self.alert = SafetyActionDialog(self.ops, record, self)
        self.alert.setWindowModality(Qt.WindowModality.WindowModal)
        self.alert.finished.connect(self._alert_closed)
        self.alert.open()
        return self.alert

    def _alert_closed(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.status.setText(self.status.text() + self.tr("  ⚠ Safety flag left OPEN."))
        else:
            self.status.setText(self.status.text() + self.tr("  Safety action recorded."))
        self._advance()

    def unsaved(self) -> list[EntryForm]:
        """Forms holding typed answers that are not saved yet."""
        return [f for f in self.forms.values() if not f.is_empty() or f.supplementary is not None]

    def reject(self) -> None:
        """Esc: close; typed answers not yet saved are only thrown away once confirmed."""
        if self.alert is not None and self.alert.isVisible():
            return
        if self.confirm is not None:
            return
        typed = self.unsaved()
        if typed:
            self._ask_discard(typed)
            return
        super().reject()

    def _ask_discard(self, typed: list[EntryForm]) -> None:
        names = ", ".join(f.instrument.name for f in typed)
        box = QMessageBox(self)
        box.setObjectName("discardTyped")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Discard typed answers?"))
        box.setText(
            self.tr("Answers typed for {0} are not saved. Discard them and close?").format(names)
        )
        keep = box.addButton(self.tr("&Keep typing"), QMessageBox.ButtonRole.RejectRole)
        box.addButton(self.tr("&Discard and close"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _result: self._discard_answered(box.clickedButton() != keep))
        self.confirm = box
        box.open()

    def _discard_answered(self, discard: bool) -> None:
        self.confirm = None
        if discard:
            super().reject()
        else:
            self.current_form().setFocus(Qt.FocusReason.OtherFocusReason)


def describe_saved(result: AssessmentResult) -> str:
    """One line after Save: score, change from baseline, category."""
    record, change = result.record, result.change
    name = INSTRUMENTS[record.instrument].name
    text = translate("entry_dialog", "Saved {0} {1}").format(name, record.score.display_total)
    if record.score.severity:
        text += f" ({term(record.score.severity)})"
    if result.is_baseline:
        return text + translate("entry_dialog", " as the baseline.")
    if change.percent_change is not None:
        text += translate("entry_dialog", "; {0} from baseline {1}").format(
            texts.change_text(change, words()), change.baseline_total
        )
        text += f", {change.category}" + (
            translate("entry_dialog", ", remission") if change.remission else ""
        )
    return text + "."
