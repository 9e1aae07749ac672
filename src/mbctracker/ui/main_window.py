"""The main window: patient list on the left, the open patient's course on the right.

Every dialog writes through :class:`Operations`, whose one ``changed`` signal
says what changed; the patient list, the course view and this window each
subscribe to it and refresh their own part.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ..domain.access import Action
from ..domain.course import CourseId, CourseStatus, EventKind, PatientId
from ..paths import desk_settings_path
from ..services.access import may
from ..storage.list_rows import FirstPage, read_first_page
from . import i18n, theme
from .about import about_html, app_icon
from .access_ui import apply_role
from .errors import guarded
from .i18n import QT_TRANSLATE_NOOP, number, translate
from .models.patient_model import FIRST_PAGE
from .operations import Changed, ChangeKind, Operations
from .style import style_sheet
from .widgets.idle_lock import IdleLock
from .widgets.patient_panel import PatientPanel
from .widgets.welcome import WelcomePanel

if TYPE_CHECKING:  # dialogs are imported when first opened: start-up does not need them
    from ..domain.settings import ClinicSettings
    from ..domain.timeline import AssessmentRecord, CourseTimeline, EventRecord
    from ..services.assessments import AssessmentResult
    from ..storage.db import Database
    from .dialogs.correction import CorrectionDialog
    from .dialogs.course_dialogs import (
        EditCourseDialog,
        EndCourseDialog,
        EventDialog,
        StartCourseDialog,
    )
    from .dialogs.entry_dialog import EntryDialog
    from .dialogs.link_dialog import LinkSessionDialog
    from .dialogs.patient_dialog import PatientDialog
    from .dialogs.phase_dialog import PhaseChangesDialog
    from .dialogs.safety_dialog import SafetyActionDialog
    from .dialogs.schedule_dialog import SessionIntervalDialog
    from .dialogs.session_dialog import SessionDialog
    from .widgets.outcomes_window import OutcomesWindow

D = TypeVar("D", bound=QDialog)
TODAY_WIDTH = 520
"""The Today dock's width when opened: name, MRN and what is due on one line."""


NEEDS_COURSE = frozenset(
    {
        "entry",
        "session",
        "correct_session",
        "correct_assessment",
        "delete_assessment",
        "delete_session",
        "link_assessment",
        "event",
        "correct_event",
        "delete_event",
        "edit_course",
        "phases",
        "session_interval",
        "safety_action",
        "end_course",
        "save_pdf",
        "print",
    }
)
"""Actions that act on the course on screen: disabled until one is shown."""
SAVED = {
    ChangeKind.PATIENT: QT_TRANSLATE_NOOP("MainWindow", "Saved patient."),
    ChangeKind.COURSE: QT_TRANSLATE_NOOP("MainWindow", "Saved course."),
    ChangeKind.ASSESSMENT: QT_TRANSLATE_NOOP("MainWindow", "Saved assessment."),
    ChangeKind.SESSION: QT_TRANSLATE_NOOP("MainWindow", "Saved session."),
    ChangeKind.EVENT: QT_TRANSLATE_NOOP("MainWindow", "Saved event."),
    ChangeKind.SAFETY_ACTION: QT_TRANSLATE_NOOP("MainWindow", "Saved safety action."),
    ChangeKind.PEOPLE: QT_TRANSLATE_NOOP("MainWindow", "Saved people list."),
}
"""The status bar's line after a save, one whole sentence per kind (for translators)."""
NEEDS_PATIENT = frozenset({"edit_patient", "start_course"})
"""Actions that act on the patient on screen."""
ROW_HEIGHT = 24
"""The patient list's row height: how many rows the first paint needs."""
UNPAINTED_FINISH_MS = 1500
"""The rest of the window is built this long after start-up even if it never painted."""
REMEMBER_PATIENT_MS = 1000
"""The last patient is written this long after a switch (closing writes it at once):
QSettings rewrites and fsyncs its file on the next pass of the event loop, 5% of a
switch on an idle disk and its slowest ones on a busy disk; holding Down through
the list writes it once."""
FLAG_COUNT_MS = 30
"""The status bar's clinic-wide flag count is re-read this long after a save, once the
course view has painted: the count (2.5 ms at 22,481 patients) was a tenth of every
save's wait, and a burst of changes reads it once. The patient's own flag (banner,
alert, chart) never waits."""


def _dialogs(name: str) -> ModuleType:
    """A dialogs module, imported when first used (they load SQLAlchemy and the services)."""
    return importlib.import_module(f"{__package__}.dialogs.{name}")


class _FirstPaint(QObject):
    """Calls ``then`` once, right after the first paint of the watched widget."""

    def __init__(self, watched: QWidget, then: Any) -> None:
        super().__init__(watched)
        self._then = then
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)  # after this paint reaches the screen
        return False


class MainWindow(QMainWindow):
    """Menus, shortcuts, status bar and remembered state around the two panes."""

    ready = Signal()
    """Every part is built and the database is read through the services (SQLAlchemy)."""

    def __init__(
        self,
        db: Database,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        fast_start: bool = False,
    ) -> None:
        """Build the window; with ``fast_start``, in two steps around the first paint.

        The first step shows the patient list's first page (or the reopened patient's
        rows) read through stdlib ``sqlite3``; the course view, the Today dock and
        everything that loads SQLAlchemy and pyqtgraph follow once it has painted
        (:meth:`finish_loading`, then :attr:`ready`). Without it, or when the first
        page cannot be read that way, both steps run now.
        """
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.desk = QSettings(str(desk_settings_path()), QSettings.Format.IniFormat)
        """This desk's choices (the theme), not shared with other workstations."""
        self.theme = theme.apply_theme(str(self.desk.value(theme.THEME_KEY, "system")))
        self.dark = theme.is_dark(QApplication.palette())  # reaches this widget later
        self.setStyleSheet(style_sheet(self.dark))
        self.ops = Operations(db, self)
        self.dialog: QWidget | None = None
        self.outcomes: OutcomesWindow | None = None
        """The last dialog opened (non-blocking, so tests and the event loop can drive it)."""
        self.is_ready = False
        self._closed = False
        """Closed (and not shown again): nothing more is built automatically."""
        self.unpainted_timer: QTimer | None = None
        """Fast start: finishes a window that never paints (tests wait on its timeout)."""
        self.patients = PatientPanel(self.ops)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.patients)
        self.split.addWidget(QWidget())  # the course view's place until it is built
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([720, 1040])
        self.welcome = WelcomePanel()
        self.panes = QStackedWidget()
        self.panes.addWidget(self.split)
        self.panes.addWidget(self.welcome)
        self.setCentralWidget(self.panes)
        self.db_label = QLabel()
        self.flags_label = QLabel()
        self.flags_label.setObjectName("openFlagsStatus")
        self.flags_label.setAccessibleName(self.tr("Open safety flags in the clinic"))
        self.statusBar().addPermanentWidget(self.flags_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.actions_by_name: dict[str, QAction] = {}
        self.idle_lock = IdleLock(self)
        self.remember_patient = QTimer(self)
        self.remember_patient.setSingleShot(True)
        self.remember_patient.setInterval(REMEMBER_PATIENT_MS)
        self.remember_patient.timeout.connect(self._remember_patient)
        self.flag_count = QTimer(self, singleShot=True, interval=FLAG_COUNT_MS)
        self.flag_count.timeout.connect(self.update_flag_count)
        self._menus()
        self._restore_geometry()
        page = self._first_page() if fast_start else None
        if page is None:
            self.finish_loading()
            return
        self._show_title()
        self.patients.show_first_page(page)
        _FirstPaint(self.patients.table.viewport(), self._finish_unless_closed)  # viewport owns it
        # a window that is never exposed (started minimised, on another desktop) gets no
        # paint: finish anyway, so the backup and the rest do not wait for the user
        self.unpainted_timer = QTimer(self, singleShot=True, interval=UNPAINTED_FINISH_MS)
        self.unpainted_timer.timeout.connect(self._finish_unless_closed)
        self.unpainted_timer.start()

    def _first_page(self) -> FirstPage | None:
        """The list's first screen through stdlib sqlite3, or None to load it the usual way.

        None when SQLAlchemy is loaded already (a migration ran), a shown row needs
        its course computed, the clinic is empty (the welcome panel) or the read fails
        (the usual path then says why, in words).
        """
        if self.db.engine_made:
            return None
        last = self.settings.value("last/patient")
        rows = max(self.height() // ROW_HEIGHT + 2, FIRST_PAGE)
        try:
            page = read_first_page(self.db.path, rows, int(last) if last else None)
        except (sqlite3.Error, ValueError):
            return None
        return page if page is not None and page.total else None

    def _finish_unless_closed(self) -> None:
        """The first paint's or the unpainted timer's finish, skipped once the window closed:
        it would start live updates and the rest over a database already let go of."""
        if not self._closed:
            self.finish_loading()

    def finish_loading(self) -> None:
        """Build what the first paint did not need; then :attr:`ready` (once)."""
        if self.is_ready:
            return
        from .live_updates import LiveUpdates
        from .widgets.course_view import CourseView
        from .widgets.sign_in import SignInGate
        from .widgets.today_view import TodayView

        self.is_ready = True
        self.setWindowIcon(app_icon())
        self.course = CourseView(self.ops)
        placeholder = self.split.replaceWidget(1, self.course)
        if placeholder is not None:
            placeholder.deleteLater()
        self.split.setStretchFactor(1, 1)
        self.today = TodayView(self.ops)
        self.today_dock = self._today_dock()
        self.live = LiveUpdates(self.ops, self)
        self.sign_in = SignInGate(self)  # with a people list: nobody signed in yet
        self.idle_lock.gate = self.sign_in
        self._connect()
        self._database_shown()
        self._load_list()
        self.update_flag_count()
        self._restore_state()
        self.update_actions()
        self.ready.emit()

    def _load_list(self) -> None:
        """The list through the services: read now, or kept as the first paint read it."""
        if self.patients.model.services_ready or not self.patients.model.rowCount():
            self.patients.apply_search()
            return
        self.patients.services_loaded()
        self._list_updated(self.patients.model.total)

    # -- set-up ------------------------------------------------------------------
    @property
    def db(self) -> Database:
        return self.ops.db

    @property
    def timeline(self) -> CourseTimeline | None:
        """The course shown (what File -> Save / Print summary prints)."""
        return self.course.timeline

    def _action(self, menu: QMenu, name: str, text: str, slot: Any, keys: Any = None) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: guarded(self, self._loaded(slot)))
        menu.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _loaded(self, slot: Any) -> Any:
        """``slot``, run once every part of the window is built (a shortcut typed early)."""

        def run() -> Any:
            self.finish_loading()
            return slot()

        return run

    def _today_dock(self) -> QDockWidget:
        """The Today worklist docked at the left, closed until asked for (Ctrl+Shift+T), then
        where the user left it (the window state remembers docks)."""
        dock = QDockWidget(self.tr("Today"), self)
        dock.setObjectName("todayDock")
        dock.setWidget(self.today)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        dock.hide()
        return dock

    def _menus(self) -> None:
        bar = self.menuBar()
        f = bar.addMenu(self.tr("&File"))
        self._action(
            f,
            "new_db",
            self.tr("&New database…"),
            lambda: _dialogs("file_actions").new_database(self),
        )
        self._action(
            f,
            "open_db",
            self.tr("&Open database…"),
            lambda: _dialogs("file_actions").open_database_file(self),
            QKeySequence.StandardKey.Open,
        )
        self._action(
            f,
            "open_server",
            self.tr("Open a clinic ser&ver…"),
            lambda: _dialogs("file_actions").open_clinic_server(self),
        )
        f.addSeparator()
        self._action(
            f,
            "save_pdf",
            self.tr("&Save summary as PDF…"),
            lambda: _dialogs("file_actions").save_summary(self),
            "Ctrl+Shift+P",
        )
        self._action(
            f,
            "print",
            self.tr("&Print summary…"),
            lambda: _dialogs("file_actions").print_summary(self),
            "Ctrl+P",
        )
        self._action(
            f,
            "export_log",
            self.tr("&Export change log (CSV)…"),
            lambda: self.course.change_log.export(),
        )
        self._action(
            f, "import", self.tr("&Import…"), lambda: _dialogs("import_dialog").import_folder(self)
        )
        f.addSeparator()
        self._action(
            f, "backup", self.tr("&Back up now"), lambda: _dialogs("file_actions").back_up_now(self)
        )
        self._action(
            f,
            "restore",
            self.tr("&Restore from backup…"),
            lambda: _dialogs("file_actions").restore(self),
        )
        f.addSeparator()
        self._action(f, "quit", self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        e = bar.addMenu(self.tr("&Edit"))
        self._action(e, "preferences", self.tr("&Preferences…"), self.preferences, "Ctrl+,")
        self._action(e, "people", self.tr("P&eople (who signs in)…"), self.people)
        self._action(
            e, "sign_out", self.tr("Sign &out"), lambda: self.sign_in.lock(), "Ctrl+Shift+L"
        )
        p = bar.addMenu(self.tr("&Patient"))
        self._action(p, "new_patient", self.tr("&New patient…"), self.new_patient, "Ctrl+N")
        self._action(
            p, "find", self.tr("&Find patient"), lambda: self.patients.focus_search(), "Ctrl+F"
        )
        self._action(
            p, "edit_patient", self.tr("&Edit patient…"), self.edit_patient, "Ctrl+Shift+E"
        )
        v = bar.addMenu(self.tr("&View"))
        self._action(v, "today", self.tr("&Today (worklist)"), self.show_today, "Ctrl+Shift+T")
        self._action(v, "patients", self.tr("&Patient list"), lambda: self.patients.focus_search())
        self._theme_menu(v.addMenu(self.tr("T&heme")))
        self._language_menu(v.addMenu(self.tr("&Language")))
        c = bar.addMenu(self.tr("&Course"))
        self._action(
            c, "entry", self.tr("New &entry (pre-session scores)…"), self.new_entry, "Ctrl+E"
        )
        self._action(c, "session", self.tr("Record &session…"), self.record_session, "Ctrl+R")
        self._action(
            c, "correct_session", self.tr("&Correct selected session…"), self.correct_session
        )
        self._action(
            c,
            "correct_assessment",
            self.tr("Correct selected &assessment…"),
            self.correct_assessment,
        )
        self._action(
            c,
            "link_assessment",
            self.tr("&Link selected assessment to session…"),
            self.link_assessment,
            "Ctrl+L",
        )
        self._action(
            c,
            "delete_assessment",
            self.tr("Delete selected assess&ment (entered in error)…"),
            self.delete_assessment,
        )
        self._action(
            c,
            "restore_record",
            self.tr("&Restore deleted record (select its delete entry in the change log)"),
            self.restore_deleted,
        )
        self._action(
            c,
            "delete_session",
            self.tr("Delete selected session (entered in error)…"),
            self.delete_session,
        )
        self._action(c, "event", self.tr("Record e&vent…"), self.record_event)
        self._action(c, "correct_event", self.tr("Correct selected eve&nt…"), self.correct_event)
        self._action(
            c,
            "delete_event",
            self.tr("Delete selected event (entered in error)…"),
            self.delete_event,
        )
        self._action(
            c,
            "safety_action",
            self.tr("Record sa&fety action…"),
            self.record_safety_action,
            "Ctrl+Shift+A",
        )
        c.addSeparator()
        self._action(c, "start_course", self.tr("S&tart course…"), self.start_course)
        self._action(
            c,
            "edit_course",
            self.tr("Ed&it course (plan, thresholds, record)…"),
            self.edit_course,
            "Ctrl+Shift+C",
        )
        self._action(c, "phases", self.tr("P&hases (dates of phase changes)…"), self.edit_phases)
        self._action(c, "end_course", self.tr("En&d or reopen course…"), self.end_course)
        self._action(
            c, "session_interval", self.tr("Session interval (T&oday view)…"), self.set_interval
        )
        k = bar.addMenu(self.tr("C&linic"))
        self._action(k, "outcomes", self.tr("&Outcomes…"), self.open_outcomes)
        h = bar.addMenu(self.tr("&Help"))
        guide = QKeySequence.StandardKey.HelpContents
        self._action(h, "help", self.tr("&Keyboard reference and guide"), self.show_help, guide)
        self._action(h, "about", self.tr("&About mbctracker"), self.about)

    def _language_menu(self, menu: QMenu) -> None:
        """One checkable entry per shipped language, each named in itself; the choice is
        this desk's (the window's settings file) and applies from the next start."""
        group = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            group.addAction(action)
            menu.addAction(action)
            self.actions_by_name[f"language_{code}"] = action

    def choose_language(self, code: str) -> None:
        """Remember the desk's language; the window is rebuilt in it at the next start."""
        self.settings.setValue(i18n.SETTING_KEY, code)
        self.settings.sync()
        self.statusBar().showMessage(
            self.tr("Language: {0}. It applies the next time mbctracker starts.").format(
                i18n.LANGUAGES[code]
            ),
            10000,
        )

    def _theme_menu(self, menu: QMenu) -> None:
        """View -> Theme: follow the system, or light or dark at this desk."""
        group = QActionGroup(self)
        labels = {
            "system": self.tr("&System"),
            "light": self.tr("&Light"),
            "dark": self.tr("&Dark"),
        }
        for choice in theme.THEMES:
            action = menu.addAction(labels[choice])
            action.setCheckable(True)
            action.setChecked(choice == self.theme)
            action.triggered.connect(lambda _c=False, name=choice: self.set_theme(name))
            group.addAction(action)
            self.actions_by_name[f"theme_{choice}"] = action

    def set_theme(self, choice: str) -> None:
        """Apply and remember ``choice`` for this desk (the chart and heatmap follow)."""
        self.theme = theme.apply_theme(choice)
        self.desk.setValue(theme.THEME_KEY, self.theme)
        self.desk.sync()
        self.actions_by_name[f"theme_{self.theme}"].setChecked(True)

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark (the system's or View -> Theme): the style sheet's colours follow."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and theme.is_dark(self.palette()) != self.dark:
            self.dark = not self.dark
            self.setStyleSheet(style_sheet(self.dark))

    def _connect(self) -> None:
        self.ops.changed.connect(self._on_changed)
        self.welcome.new_patient_requested.connect(lambda: guarded(self, self.new_patient))
        self.welcome.demo_requested.connect(
            lambda: guarded(self, lambda: _dialogs("file_actions").open_demo_clinic(self))
        )
        self.welcome.open_requested.connect(
            lambda: guarded(self, lambda: _dialogs("file_actions").open_database_file(self))
        )
        self.welcome.help_requested.connect(lambda: guarded(self, self.show_help))
        self.patients.patient_selected.connect(self.show_patient)
        self.patients.new_patient_requested.connect(lambda: guarded(self, self.new_patient))
        self.patients.list_updated.connect(self._list_updated)
        self.today.open_requested.connect(self.open_course)
        self.course.action_requested.connect(self._course_action)
        self.course.summary_panel.record_action_requested.connect(
            lambda aid: guarded(self, lambda: self.record_safety_action(aid))
        )
        self.course.sessions_view.doubleClicked.connect(
            lambda _i: guarded(self, self.correct_session)
        )
        self.course.assessments_view.doubleClicked.connect(
            lambda _i: guarded(self, self.correct_assessment)
        )
        self.course.events_view.doubleClicked.connect(lambda _i: guarded(self, self.correct_event))

    def _course_action(self, name: str) -> None:
        self.actions_by_name[name].trigger()

    # -- state -------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        """Size and split as the user left them (before the first paint)."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._default_size()
        split = self.settings.value("window/split")
        if split is not None:
            self.split.restoreState(split)

    def _restore_state(self) -> None:
        """Docks, chart choices and the last patient (the first paint may have selected them)."""
        self.course.remember_in(self.settings)
        docks = self.settings.value("window/state")
        if docks is not None:
            self.restoreState(docks)
        shown = self.patients.current_patient()
        last = self.settings.value("last/patient")
        if shown is not None:
            self.show_patient(shown)
        elif last:
            self.open_patient(PatientId(int(last)))

    def _default_size(self) -> None:
        """Roomy on a clinic monitor, never larger than the screen."""
        screen = self.screen().availableGeometry()
        self.resize(min(1760, screen.width()), min(1000, screen.height()))

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/split", self.split.saveState())
        if not self.is_ready:  # closed before the rest was built: keep the rest as it was
            self.settings.sync()
            return
        self.settings.setValue("window/state", self.saveState())
        current = self.course.patient
        self.settings.setValue("last/patient", int(current.id) if current else "")
        self.settings.sync()
        ini = Path(self.settings.fileName())
        if os.name == "posix" and ini.exists():
            ini.chmod(0o600)  # holds a patient id: owner-only like the database

    def showEvent(self, event: QShowEvent) -> None:
        self._closed = False
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.remember_patient.stop()  # save_state writes the patient shown
        self.flag_count.stop()  # no read of a database about to be let go of
        self.save_state()
        self.idle_lock.stop()
        if self.is_ready:
            self.live.stop()
            self.today.wait_for_read()
        super().closeEvent(event)

    def _show_title(self) -> None:
        self.setWindowTitle(self.tr("mbctracker - {0}").format(self.db.path.name))
        self.db_label.setText(self.tr("Database: {0}").format(self.db.path))

    def _database_shown(self) -> None:
        from ..services.clinic import load_clinic_settings

        self._show_title()
        self._apply_clinic_settings(load_clinic_settings(self.db))

    def _apply_clinic_settings(self, settings: ClinicSettings) -> None:
        """The desk follows the clinic's preferences: backup interval and idle lock."""
        self.ops.backup_interval_minutes = float(settings.backup_interval_minutes)
        self.idle_lock.set_minutes(settings.idle_lock_minutes)

    def _list_updated(self, total: int) -> None:
        """A search or worklist change: the clinic's flag count is unchanged (a write
        recounts it in :meth:`_on_changed`), so a keystroke does not read it again."""
        self.statusBar().showMessage(self.tr("{0} patient(s) listed").format(number(total)), 3000)

    def update_flag_count(self) -> None:
        """The clinic's open safety flags, always in the status bar (the worklist's size)."""
        if not may(self.db, Action.VIEW_RECORD):
            return  # the label is hidden for a role that sees no flags
        from ..services.patient_list import open_flag_totals

        patients, flags = open_flag_totals(self.db)
        if flags:
            text = self.tr("⚠ {0} open safety flag(s), {1} patient(s)").format(
                number(flags), number(patients)
            )
            self.flags_label.setToolTip(self.tr("Show: Open safety flags only (Alt+W) lists them"))
        else:
            text = self.tr("No open safety flags")
            self.flags_label.setToolTip("")
        self.flags_label.setText(text)
        self.flags_label.setProperty("alert", bool(flags))
        self.flags_label.style().unpolish(self.flags_label)
        self.flags_label.style().polish(self.flags_label)

    # -- patients ----------------------------------------------------------------
    def show_patient(self, patient_id: PatientId) -> None:
        """Switch the right pane to ``patient_id`` (the list already shows it selected)."""
        guarded(self, lambda: self.course.show_patient(patient_id))
        self.remember_patient.start()  # a kill a second later still reopens it
        self.update_actions()

    def _remember_patient(self) -> None:
        current = self.course.patient
        if current is not None:
            self.settings.setValue("last/patient", int(current.id))

    def update_actions(self) -> None:
        """Course actions need a course on screen, patient actions a patient; an empty
        database shows the welcome panel instead of blank panes."""
        from ..services.patient_list import count_patients

        has_patient = self.course.patient is not None
        has_course = self.course.timeline is not None
        for name, action in self.actions_by_name.items():
            if name in NEEDS_COURSE:
                action.setEnabled(has_course)
            elif name in NEEDS_PATIENT:
                action.setEnabled(has_patient)
            else:
                action.setEnabled(True)  # apply_role below greys out what the role may not do
        empty = (
            not has_patient and may(self.db, Action.VIEW_PATIENTS) and count_patients(self.db) == 0
        )
        self.panes.setCurrentWidget(self.welcome if empty else self.split)
        apply_role(self)

    def open_patient(self, patient_id: PatientId) -> None:
        """Select in the list when possible, and show."""
        if not self.patients.select_patient(patient_id):
            self.show_patient(patient_id)

    def open_course(self, patient_id: PatientId, course_id: CourseId | None) -> None:
        """A worklist line: the patient selected in the list and the line's course shown."""
        self.open_patient(patient_id)
        shown = self.course.timeline.course.id if self.course.timeline else None
        if course_id is not None and shown != course_id:
            guarded(self, lambda: self.course.show_patient(patient_id, course_id))

    def show_today(self) -> None:
        """Ctrl+Shift+T: show the Today dock (reopened if closed) with the focus on its list."""
        if not self.today_dock.isVisible():
            self.today_dock.show()
            self.resizeDocks([self.today_dock], [TODAY_WIDTH], Qt.Orientation.Horizontal)
        self.today_dock.raise_()
        self.today.focus_list()

    def _close_outcomes(self) -> None:
        """Another database is shown: the outcomes window ran on the old one (its
        figures and patients are another clinic's), so it closes and opens afresh."""
        if self.outcomes is not None:
            self.outcomes.close()
            self.outcomes.deleteLater()
            self.outcomes = None

    def open_outcomes(self) -> QWidget:
        """Clinic -> Outcomes: one window, raised again if already open."""
        from .widgets.outcomes_window import OutcomesWindow

        if self.outcomes is None:
            self.outcomes = OutcomesWindow(self.db, self)
            self.outcomes.patient_open_requested.connect(
                lambda pid: self.open_patient(PatientId(pid))
            )
        self.outcomes.show()
        self.outcomes.activateWindow()
        return self.outcomes

    def new_patient(self) -> PatientDialog:
        from .dialogs.patient_dialog import PatientDialog

        dialog = PatientDialog(self.ops, None, self)
        return self._open(dialog)

    def edit_patient(self) -> PatientDialog | None:
        if self.course.patient is None:
            return None
        from .dialogs.patient_dialog import PatientDialog

        return self._open(PatientDialog(self.ops, self.course.patient, self))

    def _open(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- course actions ----------------------------------------------------------
    def _course_shown(self) -> CourseTimeline | None:
        """The course on screen, or None with a hint in the status bar."""
        t = self.course.timeline
        if t is None:
            self.statusBar().showMessage(
                self.tr("Select a patient with a course first (Ctrl+F)."), 5000
            )
        return t

    def new_entry(self, instrument: str | None = None) -> EntryDialog | None:
        t = self._course_shown()
        if t is None:
            return None
        from .dialogs.entry_dialog import EntryDialog

        return self._open(EntryDialog(self.ops, t, instrument, self))

    def record_session(self) -> SessionDialog | None:
        t = self.course.timeline
        if t is None or t.course.status != CourseStatus.ACTIVE:
            self.statusBar().showMessage(
                self.tr("Sessions are recorded on an active course."), 5000
            )
            return None
        from .dialogs.session_dialog import SessionDialog

        return self._open(SessionDialog(self.ops, t.course, None, self))

    def correct_session(self) -> SessionDialog | None:
        t = self.course.timeline
        row = self.course.sessions_view.currentIndex().row()
        if t is None or row < 0:
            self.statusBar().showMessage(
                self.tr("Select a session on the Sessions tab first."), 5000
            )
            return None
        record = self.course.sessions_model.record(row)
        from .dialogs.session_dialog import SessionDialog

        return self._open(SessionDialog(self.ops, t.course, record, self))

    def _selected_assessment(self) -> AssessmentRecord | None:
        row = self.course.assessments_view.currentIndex().row()
        if self.course.timeline is None or row < 0:
            self.statusBar().showMessage(
                self.tr("Select an assessment on the Assessments tab first."), 5000
            )
            return None
        record: AssessmentRecord = self.course.assessments_model.record(row)
        return record

    def correct_assessment(self) -> CorrectionDialog | None:
        record = self._selected_assessment()
        if record is None or self.course.timeline is None:
            return None
        settings = self.course.timeline.course.settings
        from .dialogs.correction import CorrectionDialog

        dialog = CorrectionDialog(self.ops, record, settings, self)
        dialog.saved.connect(self._alert_if_open)
        return self._open(dialog)

    def link_assessment(self) -> LinkSessionDialog | None:
        """Change the session a score belongs to (scores are linked automatically)."""
        record = self._selected_assessment()
        if record is None or self.course.timeline is None:
            return None
        from .dialogs.link_dialog import LinkSessionDialog

        return self._open(LinkSessionDialog(self.ops, self.course.timeline, record, self))

    def _alert_if_open(self, result: AssessmentResult) -> None:
        """A correction that raises a flag (or its level) shows the alert, like a new entry."""
        if result.record.flag_open:
            self.open_safety_alert(result.record)

    def delete_assessment(self) -> bool:
        record = self._selected_assessment()
        from .dialogs.correction import confirm_delete

        return record is not None and confirm_delete(self, self.ops, record)

    def delete_session(self) -> bool:
        t = self.course.timeline
        row = self.course.sessions_view.currentIndex().row()
        if t is None or row < 0:
            self.statusBar().showMessage(
                self.tr("Select a session on the Sessions tab first."), 5000
            )
            return False
        from .dialogs.correction import confirm_delete_session

        return confirm_delete_session(self, self.ops, self.course.sessions_model.record(row))

    def restore_deleted(self) -> bool:
        log = self.course.change_log
        row = log.table.currentIndex().row()
        if row < 0:
            self.statusBar().showMessage(
                self.tr("Select the delete entry on the Change log tab."), 5000
            )
            return False
        from .dialogs.correction import restore_from_log

        return restore_from_log(self.ops, log.model.record(row))

    def record_event(self) -> EventDialog | None:
        t = self.course.timeline
        from .dialogs.course_dialogs import EventDialog

        return self._open(EventDialog(self.ops, t.course, self)) if t else None

    def _selected_event(self) -> EventRecord | None:
        row = self.course.events_view.currentIndex().row()
        if self.course.timeline is None or row < 0:
            self.statusBar().showMessage(self.tr("Select an event on the Events tab first."), 5000)
            return None
        record: EventRecord = self.course.events_model.record(row)
        return record

    def correct_event(self) -> EventDialog | None:
        t, record = self.course.timeline, self._selected_event()
        if t is None or record is None:
            return None
        from .dialogs.course_dialogs import EventDialog

        return self._open(EventDialog(self.ops, t.course, self, existing=record))

    def delete_event(self) -> bool:
        record = self._selected_event()
        from .dialogs.correction import confirm_delete_event

        return record is not None and confirm_delete_event(self, self.ops, record)

    def edit_course(self) -> EditCourseDialog | None:
        t = self._course_shown()
        if t is None:
            return None
        from .dialogs.course_dialogs import EditCourseDialog

        return self._open(EditCourseDialog(self.ops, t.course, self))

    def edit_phases(self) -> PhaseChangesDialog | None:
        t = self._course_shown()
        if t is None:
            return None
        from .dialogs.phase_dialog import PhaseChangesDialog

        return self._open(PhaseChangesDialog(self.ops, t, self))

    def record_safety_action(self, assessment_id: int | None = None) -> SafetyActionDialog | None:
        flags = self.course.summary.open_flags if self.course.summary else ()
        chosen = [a for a in flags if assessment_id is None or a.id == assessment_id]
        if not chosen:
            self.statusBar().showMessage(self.tr("No open safety flag for this patient."), 5000)
            return None
        return self.open_safety_alert(chosen[-1])

    def open_safety_alert(self, record: AssessmentRecord) -> SafetyActionDialog:
        from .dialogs.safety_dialog import SafetyActionDialog

        dialog: SafetyActionDialog = self._open(SafetyActionDialog(self.ops, record, self))
        return dialog

    def start_course(self) -> StartCourseDialog | None:
        patient = self.course.patient
        from .dialogs.course_dialogs import StartCourseDialog

        if patient is None:
            return None
        return self._open(
            StartCourseDialog(
                self.ops, patient, _dialogs("file_actions").clinic_settings(self), self
            )
        )

    def end_course(self) -> EndCourseDialog | None:
        t = self.course.timeline
        if t is None:
            return None
        if t.course.status != CourseStatus.ACTIVE:
            self.course.reopen()
            return None
        from .dialogs.course_dialogs import EndCourseDialog

        dropout = next((e for e in t.events if e.kind == EventKind.DROPOUT), None)
        return self._open(EndCourseDialog(self.ops, t.course, self, dropout))

    def set_interval(self) -> SessionIntervalDialog | None:
        t = self.course.timeline
        if t is None:
            return None
        from .dialogs.file_actions import clinic_settings
        from .dialogs.schedule_dialog import SessionIntervalDialog

        settings = clinic_settings(self)
        return self._open(SessionIntervalDialog(self.ops, t.course, settings, self))

    def preferences(self) -> QWidget:
        from ..services.clinic import load_clinic_settings
        from .dialogs.preferences import PreferencesDialog

        return self._open(PreferencesDialog(self.ops, load_clinic_settings(self.db), self))

    def people(self) -> QWidget:
        """Edit -> People…: who signs in at this desk, their roles and PINs."""
        from .dialogs.people_dialog import PeopleDialog

        return self._open(PeopleDialog(self.ops, self))

    def show_help(self) -> QWidget:
        from .dialogs.help import HelpDialog

        keys = {
            name: (a.shortcut().toString(), a.text().replace("&", "").rstrip("…"))
            for name, a in self.actions_by_name.items()
        }
        return self._open(HelpDialog(keys, self))

    def about(self) -> QMessageBox:
        """Version, licence, the open files and each instrument's terms of use
        (non-blocking, like every message box here)."""
        box = QMessageBox(self)
        box.setObjectName("infoBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowTitle(self.tr("About mbctracker"))
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(about_html(self.db.path, self.settings.fileName()))
        box.open()
        return box

    # -- the window's part of the refresh -----------------------------------------
    def _on_changed(self, change: Changed) -> None:
        """The status bar and title follow every write; the list and course view
        subscribe to :attr:`Operations.changed` themselves."""
        from ..domain.settings import ClinicSettings
        from ..domain.timeline import PatientInfo
        from ..services.clinic import load_clinic_settings

        if change.kind == ChangeKind.DATABASE:
            self._close_outcomes()
            self._database_shown()
            self.statusBar().showMessage(self.tr("Opened {0}").format(self.db.path), 6000)
        elif change.kind == ChangeKind.EXTERNAL:
            if change.result.everything:
                self._apply_clinic_settings(load_clinic_settings(self.db))
            self.statusBar().showMessage(self.tr("Updated: another workstation saved."), 4000)
        elif change.kind == ChangeKind.SETTINGS and isinstance(change.result, ClinicSettings):
            self._apply_clinic_settings(change.result)
            self.statusBar().showMessage(self.tr("Preferences saved for every workstation"), 6000)
        elif change.kind == ChangeKind.PATIENT and isinstance(change.result, PatientInfo):
            info = change.result
            if change.patient_id is None:  # newly registered: the list found them; open
                self.open_patient(info.id)
            self.statusBar().showMessage(
                self.tr("Saved patient {0} ({1})").format(info.name, info.mrn), 6000
            )
        else:
            self.statusBar().showMessage(self._describe(change), 6000)
        self.flag_count.start()
        self.update_actions()

    @staticmethod
    def _describe(change: Changed) -> str:
        if change.stale:
            return translate(
                "MainWindow", "Someone else saved first: the current version was reloaded."
            )
        saved = SAVED.get(change.kind)
        return translate("MainWindow", saved) if saved else f"Saved {change.kind.value}."
