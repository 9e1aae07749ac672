"""The lazy patient list model: counted and paged in SQL, fetched as the view scrolls.

On 22,481 patients a keystroke costs one ``count`` and one page of rows; Python
never walks the whole table. ``canFetchMore``/``fetchMore`` let QTableView ask
for the next page when the user scrolls near the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from ...domain.access import Action
from ...domain.course import PatientId
from ...domain.instruments import list_instruments
from ...storage.errors import NotFoundError
from ...storage.list_rows import FirstPage, PatientListRow
from .. import style
from ..i18n import QT_TRANSLATE_NOOP, term, translate

if TYPE_CHECKING:
    from ...domain.timeline import CourseTimeline
    from ...services.patient_list import ListFilter
    from ...storage.db import Database

Index = QModelIndex | QPersistentModelIndex

FIRST_PAGE = 40
"""Rows loaded per keystroke: about one screenful, so typing stays under 50 ms."""
PAGE_SIZE = 60
"""Rows loaded each time the view scrolls near the end (``fetchMore``)."""

_HEAD = (
    QT_TRANSLATE_NOOP("patient_model", "Safety"),
    QT_TRANSLATE_NOOP("patient_model", "Name"),
    QT_TRANSLATE_NOOP("patient_model", "MRN"),
    QT_TRANSLATE_NOOP("patient_model", "Date of birth"),
    QT_TRANSLATE_NOOP("patient_model", "Modality"),
    QT_TRANSLATE_NOOP("patient_model", "Sessions"),
)
FLAG_COLUMN, NAME_COLUMN, SESSIONS_COLUMN = 0, 1, 5


def columns() -> tuple[str, ...]:
    """The list's columns: one score column per list instrument (PHQ-9, MADRS)."""
    return (
        *_HEAD,
        *(i.name for i in list_instruments()),
        QT_TRANSLATE_NOOP("patient_model", "Outcome"),
    )


COLUMNS = columns()
"""The columns for the built-in instruments; a model reads :func:`columns` when built."""


def _flag_text(row: PatientListRow) -> str:
    return translate("patient_model", "⚠ {0} open").format(row.open_flags) if row.open_flags else ""


def _sessions_text(row: PatientListRow) -> str:
    if not row.course_id:
        return translate("patient_model", "no course")
    return row.progress or f"{row.sessions_done} / {row.planned_sessions}"


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.UserRole,
    }
)
"""The roles :meth:`PatientListModel.data` answers."""

Cell = Callable[[PatientListRow], str]
_HEAD_CELLS: tuple[Cell, ...] = (
    _flag_text,
    lambda r: r.name,
    lambda r: r.mrn,
    lambda r: r.date_of_birth.isoformat() if r.date_of_birth else "",
    lambda r: term(r.modality),
    _sessions_text,
)


def _score_cell(code: str) -> Cell:
    return lambda r: r.latest(code)


def _cells() -> tuple[Cell, ...]:
    scores = tuple(_score_cell(i.code) for i in list_instruments())
    return (*_HEAD_CELLS, *scores, lambda r: term(r.badge))


class PatientListModel(QAbstractTableModel):
    """Patients whose name or MRN contains the search text, by name, paged lazily."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter: ListFilter | None = None
        """None: the unfiltered list, before the services (and SQLAlchemy) are loaded."""
        self._total = 0
        self._rows: list[PatientListRow | None] = []
        """Loaded rows; None marks a row skipped over by a jump (loaded when first shown)."""
        self._columns = columns()
        self._cells = _cells()
        self._outcome_column = len(self._columns) - 1
        self._score_columns = range(len(_HEAD), self._outcome_column)

    # -- loading ---------------------------------------------------------------
    def show_first_page(self, page: FirstPage) -> None:
        """Show rows read through stdlib sqlite3 at start-up, before the services load.

        Until :meth:`services_loaded`, nothing more is read: rows outside the page
        stay blank and the view does not fetch more, so the first paint never waits
        for SQLAlchemy.
        """
        self.beginResetModel()
        self._total = page.total
        self._rows = [None] * page.offset + list(page.rows)
        self.endResetModel()

    def services_loaded(self) -> None:
        """Start reading through the services (the list's filter is now theirs)."""
        from ...services.patient_list import ListFilter

        if self._filter is None:
            self._filter = ListFilter()

    @property
    def services_ready(self) -> bool:
        return self._filter is not None

    def set_database(self, db: Database) -> None:
        self._db = db
        self.set_query(self.query)

    def set_query(self, query: str, first: int = FIRST_PAGE) -> None:
        """Filter in SQL and load the first ``first`` rows (one count + one page query)."""
        from ...services.access import may
        from ...services.patient_list import count_patients, patient_page

        wanted = replace(self.worklist, query=query)
        total, rows = 0, []
        if may(self._db, Action.VIEW_PATIENTS):  # an administrator sees no patients
            total = count_patients(self._db, wanted)
            rows = patient_page(self._db, wanted, offset=0, limit=first, matches=total)
        self.beginResetModel()
        self._filter, self._total, self._rows = wanted, total, list(rows)
        self.endResetModel()

    def set_worklist(self, *, flagged_only: bool, flags_first: bool) -> None:
        """The open-flag worklist: only patients with open flags, or them first."""
        self._filter = replace(self.worklist, flagged_only=flagged_only, flags_first=flags_first)

    @property
    def query(self) -> str:
        return "" if self._filter is None else self._filter.query

    @property
    def flagged_only(self) -> bool:
        """Only patients with open flags are listed (the worklist)."""
        return self._filter is not None and self._filter.flagged_only

    @property
    def worklist(self) -> ListFilter:
        if self._filter is None:
            self.services_loaded()
        assert self._filter is not None
        return self._filter

    @property
    def db(self) -> Database:
        """The open database (whose signed-in role decides what the list may show)."""
        return self._db

    @property
    def total(self) -> int:
        """How many patients match, loaded or not (for the status bar)."""
        return self._total

    @property
    def loaded_rows(self) -> int:
        """How many rows have been read (rows skipped over by a jump are not, yet)."""
        return sum(r is not None for r in self._rows)

    def canFetchMore(self, parent: Index) -> bool:
        ready = self._filter is not None
        return ready and not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if not parent.isValid():
            self._append(PAGE_SIZE)

    def load_patient(self, patient_id: PatientId) -> int | None:
        """Jump to a patient's row: one position query, then one page from there.

        The rows skipped over are placeholders, each page of them read when the view
        first shows it, so reopening the last of 22,481 patients reads 60 rows, not 22,481.
        """
        from ...services.patient_list import patient_position

        position = patient_position(self._db, patient_id, self.worklist)
        if position is None:
            return None
        if position >= len(self._rows):
            skipped = position - len(self._rows)
            if skipped:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, position - 1)
                self._rows.extend([None] * skipped)
                self.endInsertRows()
            self._append(PAGE_SIZE)
        return self.row_of(patient_id)

    def _loaded(self, row: int) -> PatientListRow | None:
        """Row ``row``, reading its page first if it was skipped over by a jump."""
        found = self._rows[row]
        if found is None and self._filter is not None:
            from ...services.patient_list import patient_page

            start = row - row % PAGE_SIZE
            page = patient_page(
                self._db, self._filter, offset=start, limit=PAGE_SIZE, matches=self._total
            )
            for i, loaded in enumerate(page, start):
                if i < len(self._rows) and self._rows[i] is None:
                    self._rows[i] = loaded
            found = self._rows[row]
        return found

    def _append(self, count: int) -> None:
        from ...services.patient_list import patient_page

        page = patient_page(
            self._db, self.worklist, offset=len(self._rows), limit=count, matches=self._total
        )
        page = page[: self._total - len(self._rows)]
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def refresh_patient(
        self, patient_id: PatientId, timeline: CourseTimeline | None = None
    ) -> None:
        """Re-read one patient's row after a save (flags, latest scores, badge).

        ``timeline`` is the course the save already read: when it is the row's
        course, the row is built from it instead of reading the course again.
        """
        from ...services.ui_queries import patient_row, timeline_row

        row = self.row_of(patient_id)
        if row is None:
            return
        try:
            shown = self._rows[row]
            if timeline is not None and shown is not None and timeline.course.id == shown.course_id:
                self._rows[row] = timeline_row(self._db, timeline)
            else:
                self._rows[row] = patient_row(self._db, patient_id)
        except NotFoundError:
            self.set_query(self.query)
            return
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    # -- lookup ----------------------------------------------------------------
    def row_of(self, patient_id: PatientId) -> int | None:
        return next(
            (i for i, r in enumerate(self._rows) if r is not None and r.patient_id == patient_id),
            None,
        )

    def patient_at(self, row: int) -> PatientListRow | None:
        return self._loaded(row) if 0 <= row < len(self._rows) else None

    # -- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return translate("patient_model", self._columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # a repaint asks ~10 roles per cell: answer the others at once
        row = self._loaded(index.row())
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[column](row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.FontRole and column == FLAG_COLUMN and row.open_flags:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return int(row.patient_id)
        return None

    def _tooltip(self, row: PatientListRow, column: int) -> str | None:
        if column == FLAG_COLUMN and row.open_flags:
            return self.tr("{0} safety flag(s) without a recorded action").format(row.open_flags)
        scores = "".join(total for _code, total in row.latest_scores)
        if column in self._score_columns and "*" in scores:
            return self.tr("* prorated: one or more items were missing")
        if column == SESSIONS_COLUMN and row.status:
            return self.tr("Course status: {0}").format(term(row.status))
        return None

    def _foreground(self, row: PatientListRow, column: int) -> QBrush | None:
        if column == FLAG_COLUMN and row.open_flags:
            return QBrush(style.text_colour(style.FLAG_RED))
        if column == self._outcome_column and row.badge in style.BADGE_COLOURS:
            return QBrush(style.text_colour(style.BADGE_COLOURS[row.badge][0]))
        return None
