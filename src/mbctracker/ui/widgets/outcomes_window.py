"""Clinic -> Outcomes: the clinic outcome analyses on screen, off the UI thread.

Filters (course start dates, modality, rating clinician), a progress bar with Cancel,
tables and pyqtgraph plots. Selecting a table row, a bar or a class lists the patients
behind it; Enter or a double-click on one opens that patient in the main window.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...analytics.data import OutcomeData
from ...analytics.run import class_members, responders
from ...domain.course import Modality
from ...domain.errors import ValidationError
from ...domain.outcome_definitions import OUTCOME_INSTRUMENTS
from ...services.outcomes import OutcomeFilters, analyse, fit_mixed_models
from ...storage.db import Database
from ..errors import show_user_error
from ..i18n import number, term, translate
from .outcome_job import OutcomeJob, Work
from .outcome_plots import RatePlot, SurvivalPlot, TrajectoryPlot, modality_label

OUTCOMES = ("evaluable", "response", "partial", "remission")
LABELS = {"PHQ9": "PHQ-9", "GAD7": "GAD-7", "MADRS": "MADRS"}


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectItems)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


class OutcomesWindow(QWidget):
    """The outcomes window; one analysis job at a time."""

    patient_open_requested = Signal(int)
    """Open this patient (id) in the main window."""
    analysis_finished = Signal()
    """A run ended (results shown, stopped, or failed): tests and the bench wait on it."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("outcomesWindow")
        self.setWindowTitle(self.tr("Clinic outcomes"))
        self.db = db
        self.job: OutcomeJob | None = None
        self.data: OutcomeData | None = None
        self.result: dict[str, Any] | None = None
        self._build()
        self.analysis_finished.connect(self._focus_after_run)
        self.resize(1280, 820)

    # -- layout -------------------------------------------------------------------
    def _build(self) -> None:
        self.date_from = self._line("outcomesFrom", self.tr("From (YYYY-MM-DD)"))
        self.date_to = self._line("outcomesTo", self.tr("To (YYYY-MM-DD)"))
        self.modality = QComboBox()
        self.modality.setObjectName("outcomesModality")
        self.modality.addItem(self.tr("All modalities"), None)
        for m in Modality:
            self.modality.addItem(term(m.label), str(m))
        self.clinician = self._line("outcomesClinician", self.tr("Clinician (rater)"))
        self.run_button = QPushButton(self.tr("&Run"))
        self.run_button.setObjectName("outcomesRun")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        filters = QHBoxLayout()
        for w in (
            QLabel(self.tr("Courses starting")),
            self.date_from,
            self.date_to,
            self.modality,
            self.clinician,
            self.run_button,
            self.cancel_button,
        ):
            filters.addWidget(w)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel(self.tr("Choose filters and press Run (Enter)."))
        self.status.setObjectName("outcomesStatus")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._rates_tab(), self.tr("&Rates"))
        self.tabs.addTab(self._week6_tab(), self.tr("&6-week change"))
        self.tabs.addTab(self._cm_tab(), "C/&M")
        self.tabs.addTab(self._trajectory_tab(), self.tr("&Trajectories"))
        self.tabs.addTab(self._retention_tab(), self.tr("R&etention"))
        self.tabs.addTab(self._mixed_tab(), self.tr("Mi&xed model"))
        self.patients = QListWidget()
        self.patients.setObjectName("outcomesPatients")
        self.patients.itemActivated.connect(self._open_item)
        self.patients_label = QLabel(self.tr("Patients: select a row, a bar or a class"))
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.patients_label)
        side_layout.addWidget(self.patients)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tabs)
        split.addWidget(side)
        split.setSizes([960, 280])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.setAccessibleName(placeholder)
        line.returnPressed.connect(self.run)
        return line

    def _rates_tab(self) -> QWidget:
        self.rates_table = _table(
            [
                self.tr("Modality"),
                self.tr("Instrument"),
                self.tr("Evaluable"),
                self.tr("Response"),
                self.tr("Partial"),
                self.tr("Remission"),
            ],
            "outcomesRates",
        )
        self.rates_table.currentCellChanged.connect(self._rates_cell)
        self.rate_instrument = QComboBox()
        for code in OUTCOME_INSTRUMENTS:
            self.rate_instrument.addItem(self.tr("{0} response").format(LABELS[code]), code)
        self.rate_instrument.currentIndexChanged.connect(self._show_rate_plot)
        self.rate_plot = RatePlot()
        self.rate_plot.bar_clicked.connect(self._bar_clicked)
        return self._stack(self.rates_table, self.rate_instrument, self.rate_plot)

    def _week6_tab(self) -> QWidget:
        self.week6_table = _table(
            [self.tr("Modality"), "n", self.tr("Mean change")], "outcomesWeek6"
        )
        self.adjusted_table = _table(
            [self.tr("Modality"), self.tr("Adjusted difference"), self.tr("95% CI")],
            "outcomesAdjusted",
        )
        self.adjusted_note = QLabel()
        self.adjusted_note.setWordWrap(True)
        return self._stack(self.week6_table, self.adjusted_note, self.adjusted_table)

    def _cm_tab(self) -> QWidget:
        self.cm_table = _table(
            [self.tr("Group"), self.tr("Eligible courses"), self.tr("Hospitalized")], "outcomesCm"
        )
        self.cm_note = QLabel()
        self.cm_note.setWordWrap(True)
        return self._stack(self.cm_table, self.cm_note)

    def _trajectory_tab(self) -> QWidget:
        self.trajectory_instrument = QComboBox()
        self.trajectory_instrument.setObjectName("outcomesTrajectoryInstrument")
        for code in ("MADRS", "GAD7", "PHQ9"):
            self.trajectory_instrument.addItem(LABELS[code], code)
        self.trajectory_instrument.currentIndexChanged.connect(self._show_trajectories)
        self.trajectory_plot = TrajectoryPlot()
        self.class_table: QTableWidget = _table(
            [
                self.tr("Class"),
                self.tr("Share"),
                self.tr("APPA"),
                self.tr("Mean by visit"),
                self.tr("Flags"),
            ],
            "outcomesClasses",
        )
        self.class_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.class_table.currentCellChanged.connect(lambda r, *_: self._list_class(r))
        self.trajectory_plot.class_clicked.connect(self.class_table.selectRow)
        self.trajectory_note = QLabel()
        return self._stack(
            self.trajectory_instrument, self.trajectory_plot, self.trajectory_note, self.class_table
        )

    def _retention_tab(self) -> QWidget:
        self.survival_plot = SurvivalPlot()
        self.dropout_table = _table(
            [self.tr("Dropout reason"), self.tr("Count"), self.tr("Share")], "outcomesDropouts"
        )
        return self._stack(self.survival_plot, self.dropout_table)

    def _mixed_tab(self) -> QWidget:
        self.mixed_button = QPushButton(
            self.tr("Fit the mixed-effects models (slow; runs in the background)")
        )
        self.mixed_button.setObjectName("outcomesMixed")
        self.mixed_button.setEnabled(False)
        self.mixed_button.clicked.connect(self.run_mixed)
        self.mixed_table = _table(
            [
                self.tr("Instrument"),
                self.tr("Intercept"),
                self.tr("Slope per visit (95% CI)"),
                self.tr("Data"),
            ],
            "outcomesMixedTable",
        )
        return self._stack(self.mixed_button, self.mixed_table)

    @staticmethod
    def _stack(*widgets: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for w in widgets:
            layout.addWidget(w)
        return page

    # -- running ------------------------------------------------------------------
    def filters(self) -> OutcomeFilters:
        """The filters as typed; a bad date names the field and the format."""
        chosen = OutcomeFilters(
            _date(self.date_from.text(), self.tr("From"), "from"),
            _date(self.date_to.text(), self.tr("To"), "to"),
            self.modality.currentData(),
            self.clinician.text().strip() or None,
        )
        chosen.check()
        return chosen

    def run(self) -> None:
        """Start the analyses in the background (one job at a time)."""
        if self.job is not None:
            return
        try:
            chosen = self.filters()
        except ValidationError as exc:
            show_user_error(self, exc)
            return
        db = self.db

        def work(progress: Any, _cancelled: Any) -> Any:
            return analyse(db, chosen, progress)

        self._start(work, self._shown)

    def run_mixed(self) -> None:
        if self.job is not None or self.data is None:
            return
        data = self.data

        def work(progress: Any, cancelled: Any) -> Any:
            return fit_mixed_models(data, progress, cancelled)

        self._start(work, self.show_mixed)

    def _start(self, work: Work, done: Any) -> None:
        job = OutcomeJob(work)
        job.progressed.connect(self._progressed)
        job.succeeded.connect(done)
        job.failed.connect(self._failed)
        job.stopped.connect(lambda: self._ended(self.tr("Stopped; nothing was changed.")))
        job.finished.connect(job.deleteLater)
        self.job = job
        self.run_button.setEnabled(False)
        self.mixed_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(self.tr("Starting…"))
        job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.status.setText(self.tr("Stopping…"))
            self.job.cancel()

    def _progressed(self, stage: str, fraction: float) -> None:
        self.status.setText(stage)
        self.progress.setValue(int(fraction * 100))

    def _failed(self, message: str) -> None:
        self._ended(message)
        show_user_error(self, ValidationError(message))

    def _ended(self, message: str) -> None:
        if self.job is not None:
            self.job.wait()
        self.job = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.mixed_button.setEnabled(self.data is not None)
        self.status.setText(message)
        self.analysis_finished.emit()

    def _focus_after_run(self) -> None:
        """Keyboard users go on from the results (or from Run, when nothing came back)."""
        if self.result is not None:
            self.rates_table.setFocus()
        else:
            self.run_button.setFocus()

    def closeEvent(self, event: Any) -> None:
        """Closing stops a running job first (a thread must not outlive its window)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
            self.job = None
        super().closeEvent(event)

    # -- showing --------------------------------------------------------------------
    def _shown(self, value: tuple[OutcomeData, dict[str, Any]]) -> None:
        self.data, self.result = value
        result = self.result
        scope = result["scope"]
        self._show_rates(result)
        self._show_week6(result)
        self._show_cm(result)
        self._show_trajectories()
        self._show_retention(result)
        self.progress.setValue(100)
        self._ended(
            self.tr("{0} courses of {1} patients; data {2} to {3}").format(
                number(scope["courses"]),
                number(scope["patients"]),
                scope["record_first_date"] or "-",
                scope["record_last_date"] or "-",
            )
        )

    def _show_rates(self, result: dict[str, Any]) -> None:
        rows: list[list[str]] = []
        self.rate_keys: list[tuple[str, str]] = []
        data = result["by_modality"]
        for modality, by_code in ({} if "not_run" in data else data).items():
            for code, c in by_code.items():
                n = c["evaluable"]
                rows.append(
                    [
                        modality_label(modality),
                        LABELS[code],
                        str(n),
                        *(_pct(c[k], n) for k in OUTCOMES[1:]),
                    ]
                )
                self.rate_keys.append((modality, code))
        _fill(self.rates_table, rows)
        self._show_rate_plot()

    def _show_rate_plot(self) -> None:
        if self.result is None:
            return
        code = self.rate_instrument.currentData()
        ci = self.result.get("intervals", {})
        self.bar_modalities = [m for m in ci if code in ci[m] and "response" in ci[m][code]]
        self.rate_plot.show_rates(
            [modality_label(m) for m in self.bar_modalities],
            [ci[m][code]["response"] for m in self.bar_modalities],
        )

    def _show_week6(self, result: dict[str, Any]) -> None:
        week6, adjusted = result["week6_phq9"], result["week6_adjusted"]
        _fill(
            self.week6_table,
            []
            if "not_run" in week6
            else [
                [modality_label(m), str(v["n"]), f"{v['mean_change']:.1f}"]
                for m, v in week6.items()
            ],
        )
        if "not_run" in adjusted:
            self.adjusted_note.setText(
                self.tr("Adjusted comparison not run: {0}").format(adjusted["not_run"])
            )
            _fill(self.adjusted_table, [])
            return
        self.adjusted_note.setText(
            self.tr("Adjusted difference from {0} (OLS, HC3 errors)").format(
                modality_label(adjusted["reference"])
            )
        )
        _fill(
            self.adjusted_table,
            [
                [
                    modality_label(m),
                    f"{v['estimate']:+.2f}",
                    self.tr("{0:+.2f} to {1:+.2f}").format(v["ci_low"], v["ci_high"]),
                ]
                for m, v in adjusted.items()
                if m != "reference"
            ],
        )

    def _show_cm(self, result: dict[str, Any]) -> None:
        cm = result["cm_hospitalization"]
        _fill(
            self.cm_table,
            [
                [name, str(cm[k]["n"]), _pct(cm[k]["events"], cm[k]["n"])]
                for k, name in (("cm", "C/M"), ("no_cm", self.tr("No C/M")))
            ],
        )
        if "not_run" in cm:
            self.cm_note.setText(self.tr("Relative risk not run: {0}").format(cm["not_run"]))
        else:
            self.cm_note.setText(
                self.tr(
                    "Crude RR {0:.2f}; adjusted RR {1:.2f} (95% CI {2:.2f} to {3:.2f}), "
                    "modified Poisson, HC0 errors"
                ).format(cm["rr_crude"], cm["rr_adjusted"], cm["ci_low"], cm["ci_high"])
            )

    def _show_trajectories(self) -> None:
        if self.result is None or self.data is None:
            return
        code = self.trajectory_instrument.currentData()
        traj = self.result["trajectories"][code]
        if "not_run" in traj:
            self.trajectory_note.setText(self.tr("Not run: {0}").format(traj["not_run"]))
            self.trajectory_plot.clear()
            _fill(self.class_table, [])
            return
        self.trajectory_note.setText(self.tr("{0} classes (lowest BIC)").format(traj["k"]))
        loaded = self.data.trajectories[code]
        width = len(traj["classes"][0]["mean"])
        where = {m: i for i, m in enumerate(loaded.mrn)}
        mrns = list(traj["assignment"])
        totals = loaded.totals[[where[m] for m in mrns], :width]
        assigned = np.array([traj["assignment"][m] for m in mrns])
        self.trajectory_plot.show_classes(traj["classes"], totals, assigned)
        _fill(
            self.class_table,
            [
                [
                    str(k + 1),
                    f"{c['share']:.0%}",
                    f"{c['appa']:.2f}",
                    " ".join(f"{v:.0f}" for v in c["mean"]),
                    ", ".join(c["flags"]) or "-",
                ]
                for k, c in enumerate(traj["classes"])
            ],
        )

    def _show_retention(self, result: dict[str, Any]) -> None:
        self.survival_plot.show_curves(result["retention"])
        drops = result["dropouts"]
        total = sum(drops.values()) or 1
        _fill(
            self.dropout_table,
            [[r.replace("_", " "), str(n), f"{n / total:.0%}"] for r, n in drops.items()],
        )

    def show_mixed(self, value: dict[str, Any]) -> None:
        rows = []
        for code, v in value.items():
            if "not_run" in v:
                rows.append([LABELS.get(code, code), "-", "-", v["not_run"]])
                continue
            data = self.tr("{0} patients, {1} visits").format(v["n_patients"], v["n_rows"])
            if not v["converged"]:
                rows.append(
                    [
                        LABELS.get(code, code),
                        "-",
                        self.tr("did not converge: estimates not shown"),
                        data,
                    ]
                )
                continue
            s = v["slope_per_visit"]
            rows.append(
                [
                    LABELS.get(code, code),
                    f"{v['intercept']['estimate']:.1f}",
                    f"{s['estimate']:+.2f} [{s['ci_low']:+.2f}, {s['ci_high']:+.2f}]",
                    data,
                ]
            )
        _fill(self.mixed_table, rows)
        self._ended(self.tr("Mixed-effects models fitted."))

    # -- patients behind a figure -------------------------------------------------------
    def _rates_cell(self, row: int, column: int, *_: int) -> None:
        if self.data is None or not 0 <= row < len(self.rate_keys):
            return
        modality, code = self.rate_keys[row]
        outcome = OUTCOMES[max(0, column - 2)] if column >= 2 else "evaluable"
        rows = responders(self.data, modality, code, outcome)
        self._list(f"{modality_label(modality)}, {LABELS[code]}: {outcome}", rows)

    def _bar_clicked(self, index: int) -> None:
        if self.data is None:
            return
        modality = self.bar_modalities[index]
        code = self.rate_instrument.currentData()
        rows = responders(self.data, modality, code, "response")
        self._list(
            self.tr("{0}, {1}: response").format(modality_label(modality), LABELS[code]), rows
        )

    def _list_class(self, k: int) -> None:
        if self.result is None or self.data is None or k < 0:
            return
        code = self.trajectory_instrument.currentData()
        wanted = set(class_members(self.result, code, k))
        courses = self.data.courses
        rows = [
            i
            for i, m in enumerate(courses.mrn)
            if m in wanted and courses.modality[i] == "iv_ketamine"
        ]
        self._list(self.tr("{0} class {1}").format(LABELS[code], k + 1), rows)

    def _list(self, what: str, rows: list[int]) -> None:
        """List the patients of these course rows (one line per patient)."""
        assert self.data is not None
        courses = self.data.courses
        self.patients.clear()
        seen: set[int] = set()
        for i in rows:
            pid = int(courses.patient_id[i])
            if pid in seen:
                continue
            seen.add(pid)
            item = QListWidgetItem(str(courses.mrn[i]))
            item.setData(Qt.ItemDataRole.UserRole, pid)
            self.patients.addItem(item)
        self.patients_label.setText(self.tr("{0}: {1} patient(s)").format(what, len(seen)))
        if self.patients.count():
            self.patients.setCurrentRow(0)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.patient_open_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))


def _pct(count: int, n: int) -> str:
    return f"{count} ({count / n:.0%})" if n else "-"


def _date(text: str, label: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            translate("outcomes_window", "{0}: {1!r} is not a date; allowed: YYYY-MM-DD").format(
                label, text
            ),
            field=field,
        ) from None
