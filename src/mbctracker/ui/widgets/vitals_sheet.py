"""The vitals flowsheet of one ketamine or esketamine session, typed from the keyboard.

Three rows (pre-dose, during, discharge) of time, systolic, diastolic, heart rate
and SpO2; Tab walks them in reading order and Ctrl+Return saves. A reading
outside the course's limits turns red as it is typed and is named in words below
(colour is never the only signal). For esketamine the REMS monitoring record,
its printable form and its submission live here too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import Modality, SessionId
from ...domain.errors import DomainError
from ...domain.procedure import (
    VITAL_FIELDS,
    VITALS_MODALITIES,
    VitalPoint,
    VitalSigns,
    discharge_status,
    vital_alerts,
)
from ...domain.timeline import CourseTimeline, SessionRecord
from ...services.clinic import load_clinic_settings
from ...services.procedure import Flowsheet, save_vitals
from ...services.rems import load_rems_record, mark_rems_submitted, rems_form_pdf
from ..errors import guarded
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations
from ..style import FLAG_BG, FLAG_RED

ALERT_STYLE = f"background: {FLAG_BG}; color: {FLAG_RED}; font-weight: bold;"
COLUMNS = ("at", *(spec.key for spec in VITAL_FIELDS))


class VitalsSheet(QWidget):
    """The flowsheet of the chosen session; saving goes through :class:`Operations`."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.timeline: CourseTimeline | None = None
        self._stale = False
        """The course shown changed while the sheet was hidden (filled when shown)."""
        self.session_choice = QComboBox()
        self.session_choice.setAccessibleName(self.tr("Vitals of session"))
        self.session_choice.activated.connect(lambda _i: self._load())
        self.cells: dict[tuple[VitalPoint, str], QLineEdit] = {}
        self.alerts = QLabel()
        self.alerts.setObjectName("error")
        self.alerts.setWordWrap(True)
        self.alerts.setAccessibleName(self.tr("Vitals outside the clinic's limits"))
        self.discharge = QLabel()
        self.discharge.setAccessibleName(self.tr("Discharge criteria"))
        self.message = QLabel()
        self.message.setObjectName("muted")
        self.save_button = QPushButton(self.tr("Save vitals (Ctrl+Return)"))
        self.save_button.setToolTip(self.tr("Save the flowsheet (Ctrl+Return)"))
        self.save_button.clicked.connect(lambda: guarded(self, self.save))
        self.rems_buttons = self._rems_buttons()
        self._build()
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: guarded(self, self.save))
        self.set_timeline(None)

    # -- construction ------------------------------------------------------------
    def _cell(self, point: VitalPoint, key: str) -> QLineEdit:
        edit = QLineEdit()
        if key == "at":
            edit.setPlaceholderText(self.tr("HH:MM"))
            edit.setInputMask("99:99;_")
            edit.setAccessibleName(self.tr("{0} time").format(term(point.label)))
        else:
            spec = next(s for s in VITAL_FIELDS if s.key == key)
            edit.setValidator(QIntValidator(0, 999, edit))
            edit.setAccessibleName(f"{term(point.label)} {term(spec.label)}")
        edit.setMaximumWidth(90)
        edit.textEdited.connect(lambda _t: self._highlight())
        return edit

    def _build(self) -> None:
        grid = QGridLayout()
        heads = (self.tr("Time"), *(f"{term(s.label)} ({s.unit})" for s in VITAL_FIELDS))
        for col, head in enumerate(heads, start=1):
            grid.addWidget(QLabel(head), 0, col)
        for row, point in enumerate(VitalPoint, start=1):
            grid.addWidget(QLabel(term(point.label) + ":"), row, 0)
            for col, key in enumerate(COLUMNS, start=1):
                self.cells[(point, key)] = self._cell(point, key)
                grid.addWidget(self.cells[(point, key)], row, col)
        grid.setColumnStretch(len(COLUMNS) + 1, 1)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("Session:")))
        chooser.addWidget(self.session_choice, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        for button in self.rems_buttons.values():
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addLayout(grid)
        layout.addWidget(self.alerts)
        layout.addWidget(self.discharge)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addStretch(1)
        order = [self.session_choice, *self.cells.values(), self.save_button]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _rems_buttons(self) -> dict[str, QPushButton]:
        buttons = {
            "record": QPushButton(self.tr("&REMS record…")),
            "print": QPushButton(self.tr("Pri&nt REMS form")),
            "submitted": QPushButton(self.tr("&Mark REMS form submitted today")),
        }
        buttons["record"].clicked.connect(lambda: guarded(self, self.edit_rems))
        buttons["print"].clicked.connect(lambda: guarded(self, self.print_rems))
        buttons["submitted"].clicked.connect(lambda: guarded(self, self.mark_submitted))
        return buttons

    # -- showing -----------------------------------------------------------------
    def set_timeline(self, timeline: CourseTimeline | None) -> None:
        """Follow the course shown; the sheet is filled when it is on screen.

        Behind another tab it is filled the moment it is shown: on a patient switch the
        session list and the cells are worded for nobody (about 1 ms a switch).
        """
        self.timeline = timeline
        self._stale = True
        if self.isVisible():
            self._refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._refresh()
        super().showEvent(event)

    def _refresh(self) -> None:
        """Fill the sheet from the course shown; keep the chosen session when it is still there."""
        self._stale = False
        timeline = self.timeline
        kept = self.session_id()
        self.session_choice.clear()
        # A course without vitals (TMS, ECT) hides this tab: its sessions are not listed
        # (300 entries worded and added on every switch to a long TMS course).
        listed = timeline is not None and self.applies_to(timeline)
        sessions = list(reversed(timeline.sessions)) if listed and timeline else []
        for sess in sessions:
            self.session_choice.addItem(
                self.tr("Session {0} · {1:%Y-%m-%d %H:%M}").format(sess.number, sess.when), sess.id
            )
        if kept is not None and self.session_choice.findData(kept) >= 0:
            self.session_choice.setCurrentIndex(self.session_choice.findData(kept))
        esketamine = timeline is not None and timeline.course.modality == Modality.ESKETAMINE
        for button in self.rems_buttons.values():
            button.setVisible(esketamine)
        self._load()

    @staticmethod
    def applies_to(timeline: CourseTimeline | None) -> bool:
        return timeline is not None and timeline.course.modality in VITALS_MODALITIES

    def session_id(self) -> SessionId | None:
        found = self.session_choice.currentData()
        return SessionId(found) if found is not None else None

    def session(self) -> SessionRecord | None:
        wanted = self.session_id()
        sessions = self.timeline.sessions if self.timeline else ()
        return next((s for s in sessions if s.id == wanted), None)

    def _load(self) -> None:
        for cell in self.cells.values():
            cell.clear()
        sess = self.session()
        enabled = sess is not None and self.applies_to(self.timeline)
        for widget in (*self.cells.values(), self.save_button, *self.rems_buttons.values()):
            widget.setEnabled(enabled)
        if sess is not None and enabled and self.timeline is not None:
            self._fill([v for v in self.timeline.vitals if v.session_id == sess.id])
            self._show_rems_state(sess)
        self._highlight()

    def _fill(self, readings: list[VitalSigns]) -> None:
        """The first reading of each point (a later one at the same point shows in the PDF)."""
        seen: set[VitalPoint] = set()
        for reading in readings:
            if reading.point in seen:
                continue
            seen.add(reading.point)
            if reading.at is not None:
                self.cells[(reading.point, "at")].setText(f"{reading.at:%H:%M}")
            for spec in VITAL_FIELDS:
                value = reading.value(spec.key)
                self.cells[(reading.point, spec.key)].setText("" if value is None else str(value))

    def _show_rems_state(self, sess: SessionRecord) -> None:
        if self.timeline is None or self.timeline.course.modality != Modality.ESKETAMINE:
            self.message.clear()
            return
        record = load_rems_record(self.ops.db, sess.id)
        if record is None:
            self.message.setText(self.tr("REMS monitoring record not filled in yet."))
        elif record.submitted_on is None:
            self.message.setText(self.tr("REMS form filled in, not yet submitted."))
        else:
            self.message.setText(
                self.tr("REMS form submitted {0:%Y-%m-%d}.").format(record.submitted_on)
            )
        self.rems_buttons["submitted"].setEnabled(record is not None)

    # -- values ------------------------------------------------------------------
    def readings(self) -> list[VitalSigns]:
        """The rows as typed (empty rows included; the service drops them)."""
        sess = self.session()
        day = sess.when.date() if sess else date.today()
        return [self._reading(point, day) for point in VitalPoint]

    def _reading(self, point: VitalPoint, day: date) -> VitalSigns:
        return replace(self._typed(point), at=self._time(point, day))

    def _typed(self, point: VitalPoint) -> VitalSigns:
        """The row's readings without its time (enough to judge them against the limits)."""
        sys, dia, hr, spo2 = (self._number(point, key) for key in COLUMNS[1:])
        return VitalSigns(point, None, sys, dia, hr, spo2)

    def _number(self, point: VitalPoint, key: str) -> int | None:
        text = self.cells[(point, key)].text().strip()
        return int(text) if text else None

    def _time(self, point: VitalPoint, day: date) -> datetime | None:
        text = self.cells[(point, "at")].text()
        digits = "".join(c for c in text if c.isdigit())
        if not digits:
            return None
        hours, minutes = (int(digits[:2]), int(digits[2:])) if len(digits) == 4 else (99, 99)
        if hours > 23 or minutes > 59:
            raise DomainError(
                self.tr("{0} time: {1!r} is not a time; allowed: HH:MM, 00:00-23:59").format(
                    point.label, text
                ),
                field="at",
            )
        return datetime.combine(day, time(hours, minutes))

    def _highlight(self) -> None:
        """Mark readings outside the course's limits as they are typed."""
        if self.timeline is None:
            self.alerts.clear()
            self.discharge.clear()
            return
        settings = self.timeline.course.settings
        words: list[str] = []
        readings = []
        for point in VitalPoint:
            reading = self._typed(point)
            readings.append(reading)
            alerts = vital_alerts(reading, settings)
            words += [f"{term(point.label)}: {text}" for text in alerts.values()]
            for spec in VITAL_FIELDS:
                cell = self.cells[(point, spec.key)]
                cell.setStyleSheet(ALERT_STYLE if spec.key in alerts else "")
                cell.setToolTip(alerts.get(spec.key, ""))
        self.alerts.setText("⚠ " + "; ".join(words) if words else "")
        self.discharge.setText(discharge_status(readings, settings).text)

    # -- saving ------------------------------------------------------------------
    def save(self) -> Flowsheet | None:
        sess = self.session()
        if sess is None or self.timeline is None:
            return None
        course = self.timeline.course
        change = Changed(ChangeKind.SESSION, course.patient_id, course.id)
        sheet = self.ops.run(change, save_vitals, sess.id, self.readings())
        self.message.setText(self.tr("Vitals saved for session {0}.").format(sess.number))
        return sheet

    def edit_rems(self) -> QDialog | None:
        """Open the REMS record of the chosen session (window-modal, not blocking)."""
        from ..dialogs.rems_dialog import RemsDialog

        sess = self.session()
        if sess is None or self.timeline is None:
            return None
        dialog = RemsDialog(self.ops, self.timeline.course, sess, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def print_rems(self) -> None:
        from ..dialogs.file_actions import print_preview

        sess = self.session()
        if sess is None:
            return
        data = rems_form_pdf(self.ops.db, sess.id, load_clinic_settings(self.ops.db))
        print_preview(self, data, self.tr("REMS form, session {0}").format(sess.number))
        self.message.setText(
            self.tr("REMS form of session {0} shown for printing.").format(sess.number)
        )

    def mark_submitted(self) -> None:
        sess = self.session()
        if sess is None or self.timeline is None:
            return
        record = load_rems_record(self.ops.db, sess.id)
        if record is None:
            return
        course = self.timeline.course
        change = Changed(ChangeKind.SESSION, course.patient_id, course.id)
        self.ops.run(
            change, mark_rems_submitted, sess.id, date.today(), expected_version=record.version
        )
