"""The right pane: one patient, their courses, the chart, the summary and the records.

It reads through services and writes only through :class:`Operations`; it does
not refresh itself after a dialog saves: the main window calls :meth:`reload`
from the ``changed`` signal, like every other view.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.access import Action
from ...domain.course import CourseId, CourseStatus, PatientId, Phase
from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import CourseInfo, CourseSummary, CourseTimeline, PatientInfo, summarize
from ...services.access import may
from ...services.courses import reopen_course, set_phase
from ...services.patient_view import read_patient_view, warm_queries
from ...services.timeline import load_timeline
from ..errors import guarded
from ..i18n import progress_text, term
from ..models.record_tables import ASSESSMENT_COLUMNS, EVENT_COLUMNS, SESSION_COLUMNS
from ..models.table_model import Column, RecordTableModel
from ..operations import Changed, ChangeKind, Operations
from .change_log import ChangeLogView
from .heatmap import ItemHeatmap
from .procedure_bar import ProcedureBar
from .steady import SteadyLabel, keep_place, wide_enough
from .summary_panel import CourseSummaryPanel
from .vitals_sheet import VitalsSheet

if TYPE_CHECKING:
    from .chart import TrajectoryChart


def _table(columns: tuple[Column, ...], name: str) -> tuple[QTableView, RecordTableModel]:
    model = RecordTableModel(columns)
    view = QTableView()
    view.setAccessibleName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view, model


def age_on(birth: date | None, day: date) -> str:
    if birth is None:
        return ""
    years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    return f"{years} y"


def _item_instrument(shown: list[str]) -> str | None:
    """The instrument the item view follows: the chart's first, when it has items."""
    if shown and INSTRUMENTS[shown[0]].n_items > 1:
        return shown[0]
    return None


class CourseView(QWidget):
    """Patient header, course controls, safety banner and the course tabs."""

    action_requested = Signal(str)
    """A button asked for a window-level action by name ("entry", "session", "event",
    "start_course", "edit_course", "end_course", "edit_patient", "safety_action")."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        ops.changed.connect(self._on_changed)
        self.patient: PatientInfo | None = None
        self.timeline: CourseTimeline | None = None
        self.summary: CourseSummary | None = None
        self.title = SteadyLabel(self.tr("No patient selected"))
        self.title.setObjectName("patientTitle")
        self.subtitle = SteadyLabel()
        self.subtitle.setObjectName("muted")
        self.course_choice = QComboBox()
        self.course_choice.setAccessibleName(self.tr("Course"))
        self.course_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.course_choice.setMinimumContentsLength(30)
        self.course_choice.activated.connect(self._course_chosen)
        self.phase = QComboBox()
        self.phase.setAccessibleName(self.tr("Course phase"))
        for phase in Phase:
            self.phase.addItem(term(phase.label), phase)
        self.phase.activated.connect(self._phase_chosen)
        self.progress = SteadyLabel(chars=46)
        self.progress.setAccessibleName(self.tr("Sessions per phase"))
        self.banner = QLabel()
        self.banner.setObjectName("safetyBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(self.tr("Open safety flags"))
        self.banner_button = self._button(self.tr("Record safety action…"), "safety_action")
        keep_place(self.banner_button)
        self.buttons: dict[str, QPushButton] = {}
        self._chart: TrajectoryChart | None = None
        self.chart_holder = QWidget()
        QVBoxLayout(self.chart_holder).setContentsMargins(0, 0, 0, 0)
        self.heatmap = ItemHeatmap()
        self.summary_panel = CourseSummaryPanel()
        self.sessions_view, self.sessions_model = _table(SESSION_COLUMNS, self.tr("Sessions"))
        self.assessments_view, self.assessments_model = _table(
            ASSESSMENT_COLUMNS, self.tr("Assessments")
        )
        self.events_view, self.events_model = _table(EVENT_COLUMNS, self.tr("Events"))
        self.change_log = ChangeLogView(ops)
        self.vitals = VitalsSheet(ops)
        self.procedure = ProcedureBar(ops)
        self.tabs = QTabWidget()
        self.settings: QSettings | None = None
        """Where the chart's choices and the tab shown are remembered (see :meth:`remember_in`)."""
        self._build()
        self.show_patient(None)

    # -- construction ------------------------------------------------------------
    def _button(self, text: str, action: str, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.rstrip("…"))
        button.setToolTip(tip or text)
        button.clicked.connect(lambda: self.action_requested.emit(action))
        return button

    def _build(self) -> None:
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        head.addLayout(names, 1)
        self.buttons["edit_patient"] = self._button(self.tr("Edit patient…"), "edit_patient")
        head.addWidget(self.buttons["edit_patient"])
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Course:")))
        controls.addWidget(self.course_choice, 1)
        controls.addWidget(QLabel(self.tr("Phase:")))
        controls.addWidget(self.phase)
        for key, text, tip in (
            ("entry", self.tr("New entry…"), self.tr("Pre-session scores (Ctrl+E)")),
            ("session", self.tr("Record session…"), self.tr("Session details (Ctrl+R)")),
            (
                "link_assessment",
                self.tr("Link to session…"),
                self.tr(
                    "Link the selected assessment to a session, or back to the automatic rule "
                    "(Ctrl+L)"
                ),
            ),
            (
                "event",
                self.tr("Event…"),
                self.tr("Hospitalization, ED visit, adverse event, dropout"),
            ),
            (
                "edit_course",
                self.tr("Edit course…"),
                self.tr("Plan, thresholds, diagnosis, medications (Ctrl+Shift+C)"),
            ),
            ("end_course", self.tr("End course…"), self.tr("Completed or discontinued")),
            ("start_course", self.tr("Start course…"), self.tr("A new course for this patient")),
        ):
            self.buttons[key] = self._button(text, key, tip)
            controls.addWidget(self.buttons[key])
        wide_enough(self.buttons["end_course"], self.tr("Reopen course"))
        banner = QHBoxLayout()
        banner.addWidget(self.banner, 1)
        banner.addWidget(self.banner_button)
        self.banner_holder = QWidget()
        self.banner_holder.setLayout(banner)
        banner.setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._trajectory_tab(), self.tr("&Trajectory"))
        self.tabs.addTab(self.sessions_view, self.tr("&Sessions"))
        self.tabs.addTab(self.assessments_view, self.tr("&Assessments"))
        self.tabs.addTab(self.events_view, self.tr("E&vents"))
        self.tabs.addTab(self.change_log, self.tr("Change &log"))
        self.tabs.addTab(self.vitals, self.tr("V&itals"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(head)
        layout.addLayout(controls)
        layout.addWidget(self.banner_holder)
        status = QHBoxLayout()  # progress and payer line: room for text that changes
        status.addWidget(self.progress)
        status.addWidget(self.procedure, 1)
        layout.addLayout(status)
        layout.addWidget(self.tabs, 1)

    def _trajectory_tab(self) -> QSplitter:
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.chart_holder)
        top.addWidget(self.heatmap)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([640, 390])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.summary_panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([520, 300])
        return split

    @property
    def chart(self) -> TrajectoryChart:
        """The chart, built the first time a course is shown.

        pyqtgraph (and numpy under it) is imported here rather than at start-up: the
        first screen, the patient list, does not need it.
        """
        if self._chart is None:
            from .chart import TrajectoryChart

            self._chart = TrajectoryChart()
            self._chart.instruments_changed.connect(self._sync_heatmap)
            self._restore_chart(self._chart)
            layout = self.chart_holder.layout()
            assert layout is not None
            layout.addWidget(self._chart)
        return self._chart

    # -- remembered choices ------------------------------------------------------
    def remember_in(self, settings: QSettings) -> None:
        """Keep the tab shown, the chart's instruments and its axis across patients and
        restarts; each is written as soon as it is chosen (a killed app keeps it too)."""
        self.settings = settings
        tab = settings.value("course/tab")
        if tab is not None and str(tab).isdigit():
            self.tabs.setCurrentIndex(int(str(tab)))
        self.tabs.currentChanged.connect(lambda i: settings.setValue("course/tab", i))
        if self._chart is not None:
            self._restore_chart(self._chart)

    def _restore_chart(self, chart: TrajectoryChart) -> None:
        settings = self.settings
        if settings is None:
            return
        codes = str(settings.value("chart/instruments", "") or "")
        by_date = str(settings.value("chart/by_date", "false")).lower() == "true"
        chart.set_preferences([c for c in codes.split(",") if c], by_date)
        chart.preferences_changed.connect(lambda: self._save_chart(chart))

    def _save_chart(self, chart: TrajectoryChart) -> None:
        if self.settings is not None:
            self.settings.setValue("chart/instruments", ",".join(chart.preferred))
            self.settings.setValue("chart/by_date", "true" if chart.by_date() else "false")

    def warm_chart(self) -> None:
        """Build the chart now (pyqtgraph and numpy imported, items made) with nothing
        shown, and compile the queries a switch runs.

        Called once the first screen has painted, so the first patient switch does not
        pay for it (282 ms at 22,481 patients, against 48 ms for the next ones).
        """
        if self._chart is None:
            self.chart.set_timeline(self.timeline, self.summary)
            self.chart.make_items()
            warm_queries(self.ops.db)

    # -- following changes -------------------------------------------------------
    def _on_changed(self, change: Changed) -> None:
        """Reload when a write touched the patient shown; clear on another database."""
        if change.kind == ChangeKind.DATABASE:
            self.show_patient(None)
            return
        if change.kind == ChangeKind.EXTERNAL:  # another workstation: only if it was ours
            if self.patient is not None and change.result.touches(self.patient.id):
                self.reload()
            return
        if self.patient is None or (change.patient_id or self.patient.id) != self.patient.id:
            return
        shown = self.timeline.course.id if self.timeline else None
        if change.timeline is not None and change.timeline.course.id == shown:
            self._show_timeline(change.timeline)  # the course the save read: no second read
            return
        if change.kind in (ChangeKind.PATIENT, ChangeKind.SAFETY_ACTION) or change.stale:
            self.reload()  # a flag may be another course's: stay on the one shown
            return
        course_id = change.course_id
        if change.kind == ChangeKind.COURSE and change.result is not None:
            course_id = change.result.id  # a new course is shown once started
        if course_id is not None:
            self.show_patient(self.patient.id, course_id)
        else:
            self.reload()

    # -- loading -----------------------------------------------------------------
    def show_patient(self, patient_id: PatientId | None, course_id: CourseId | None = None) -> None:
        """Load a patient and their active (else latest) course, or the given course."""
        if not may(self.ops.db, Action.VIEW_PATIENTS):
            patient_id = None  # signed out, or an administrator: no patient on screen
        if patient_id is None:
            self.patient = None
            self._fill_patient()
            self._show_timeline(None)
            return
        view = read_patient_view(self.ops.db, patient_id, course_id)  # one read
        self.patient = view.patient
        self._fill_patient()
        self._fill_courses(view.courses, view.chosen)
        self._show_timeline(view.timeline)

    def reload(self) -> None:
        """Re-read everything shown (after any change reported by the operations)."""
        course = self.timeline.course.id if self.timeline else None
        patient = self.patient.id if self.patient else None
        self.show_patient(patient, course)

    def _fill_patient(self) -> None:
        p = self.patient
        for key in ("edit_patient", "start_course"):
            self.buttons[key].setEnabled(p is not None)
        if p is None:
            self.title.setText(self.tr("No patient selected"))
            self.subtitle.setText(self.tr("Find a patient (Ctrl+F) or register one (Ctrl+N)."))
            self.course_choice.clear()
            return
        self.title.setText(p.name)
        bits = [p.mrn]
        if p.date_of_birth:
            bits.append(
                self.tr("born {0:%Y-%m-%d} ({1})").format(
                    p.date_of_birth, age_on(p.date_of_birth, date.today())
                )
            )
        bits.append(term(p.sex.label) if p.sex.value != "unknown" else self.tr("sex not recorded"))
        if p.comorbidities:
            bits.append(
                self.tr("comorbidities: ") + ", ".join(term(c.label) for c in p.comorbidities)
            )
        self.subtitle.setText(" · ".join(bits))

    def _fill_courses(self, courses: Sequence[CourseInfo], chosen: CourseId | None) -> None:
        self.course_choice.clear()
        for course in courses:
            text = self.tr("{0} · from {1:%Y-%m-%d}").format(
                term(course.modality.label), course.start_date
            )
            text += f" · {term(course.status.label)}"
            self.course_choice.addItem(text, course.id)
        if chosen is not None:
            self.course_choice.setCurrentIndex(max(0, self.course_choice.findData(chosen)))

    def _course_chosen(self, index: int) -> None:
        course_id = self.course_choice.itemData(index)
        if course_id is not None:
            self._show_course(course_id)

    def _show_course(self, course_id: CourseId | None) -> None:
        if not may(self.ops.db, Action.VIEW_RECORD):
            course_id = None  # the front desk sees who, never scores or notes
        self._show_timeline(load_timeline(self.ops.db, course_id) if course_id else None)

    def _show_timeline(self, timeline: CourseTimeline | None) -> None:
        """Fill the course tabs, banner and controls from one timeline (or clear them)."""
        self.timeline = timeline
        self.summary = summarize(self.timeline) if self.timeline else None
        self._fill_course_controls()
        shown: list[str] = []
        if self.timeline is not None or self._chart is not None:
            self.chart.set_timeline(self.timeline, self.summary)
            shown = self.chart.shown()
        self.heatmap.set_timeline(self.timeline, _item_instrument(shown))
        self.summary_panel.show_summary(self.timeline, self.summary)
        t = self.timeline
        self.sessions_model.set_records(list(reversed(t.sessions)) if t else [])
        self.assessments_model.set_records(list(reversed(t.assessments)) if t else [])
        self.events_model.set_records(list(reversed(t.events)) if t else [])
        course_id = t.course.id if t else None
        self.change_log.set_target(self.patient.id if self.patient else None, course_id)
        self._fill_banner()
        self.vitals.set_timeline(t)
        # greyed rather than hidden for TMS and ECT: hiding re-laid out the whole tab area
        vitals, applies = self.tabs.indexOf(self.vitals), VitalsSheet.applies_to(t)
        if self.tabs.isTabEnabled(vitals) != applies:
            self.tabs.setTabEnabled(vitals, applies)
        self.procedure.set_timeline(t)

    def _fill_course_controls(self) -> None:
        t = self.timeline
        active = t is not None and t.course.status == CourseStatus.ACTIVE
        for key in ("entry", "session", "event", "end_course", "link_assessment", "edit_course"):
            self.buttons[key].setEnabled(t is not None)
        self.buttons["session"].setEnabled(active)
        self.phase.setEnabled(active)
        self.buttons["end_course"].setText(
            self.tr("End course…") if active or t is None else self.tr("Reopen course")
        )
        self.progress.setText(
            self.tr("Sessions: {0}").format(progress_text(t.progress)) if t else ""
        )
        self.progress.setToolTip(self.progress.text())
        if t is not None:
            self.phase.setCurrentIndex(self.phase.findData(t.course.phase))

    def flags_shown(self) -> bool:
        """Whether the banner is showing open safety flags (red, with its action button)."""
        return self.banner_button.isVisibleTo(self)

    def _fill_banner(self) -> None:
        """The safety line, always in its place: the open flags in red, or in muted words
        that this course has none. It never appears or goes, so a switch between a flagged
        and an unflagged patient moves nothing below it (that re-laid out and repainted the
        whole course view: a third more time on those switches)."""
        flags = self.summary.open_flags if self.summary else ()
        self.banner_button.setVisible(bool(flags))
        if flags:
            latest = flags[-1]
            text = self.tr(
                "⚠ {0} open safety flag(s): latest {1:%Y-%m-%d} {2} - no action recorded yet."
            ).format(len(flags), latest.when, INSTRUMENTS[latest.instrument].name)
        else:  # nothing claimed where no record is shown (no course, the front desk);
            # a space keeps the line's height
            text = self.tr("No open safety flags") if self.timeline is not None else " "
        self.banner.setText(text)
        calm = "false" if flags else "true"
        if self.banner.property("calm") != calm:
            self.banner.setProperty("calm", calm)
            self.banner.style().polish(self.banner)  # the style sheet follows the property

    def _sync_heatmap(self, shown: list[str]) -> None:
        code = _item_instrument(shown)
        if code is not None:
            self.heatmap.show_instrument(code)

    # -- course changes ----------------------------------------------------------
    def _phase_chosen(self, index: int) -> None:
        t = self.timeline
        phase = self.phase.itemData(index)
        if t is None or phase == t.course.phase:
            return
        guarded(self, lambda: self._set_phase(phase))

    def _set_phase(self, phase: Phase) -> None:
        t = self.timeline
        assert t is not None
        self.ops.run(
            Changed(ChangeKind.COURSE, patient_id=t.patient.id, course_id=t.course.id),
            set_phase,
            t.course.id,
            phase,
            expected_version=t.course.version,
        )

    def reopen(self) -> None:
        t = self.timeline
        if t is None:
            return
        self.ops.run(
            Changed(ChangeKind.COURSE, patient_id=t.patient.id, course_id=t.course.id),
            reopen_course,
            t.course.id,
            expected_version=t.course.version,
        )
