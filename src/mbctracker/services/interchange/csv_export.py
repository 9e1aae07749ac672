"""Export every live record to the CSV interchange folder, streaming (bounded memory).

All the files are read in one read transaction, so they are one consistent
snapshot even while another workstation saves. Deleted records are not exported
(they are hidden everywhere else too); their history stays in the change log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from ...domain.access import Action
from ...storage.db import Database
from ...storage.tables import (
    Assessment,
    Course,
    CoursePhaseChange,
    Event,
    Patient,
    RemsRecordRow,
    SafetyActionRow,
    TreatmentSession,
    VitalSign,
)
from ..access import requires
from . import spec
from .target import csv_writer, database_files, prepare_folder

Progress = Callable[[int, int], object]
"""Called with (rows written, rows in all); the command line draws a bar with it."""

BATCH = 2000
"""Rows fetched from SQLite at a time: memory stays flat whatever the clinic's size."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    folder: Path
    rows: dict[str, int]


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


_BOOKKEEPING = frozenset({"created_at", "updated_at", "deleted_at", "version"})


def _data(table: Table) -> list[Any]:
    """A table's columns without the bookkeeping ones (three timestamp conversions a row)."""
    return [c for c in table.c if c.name not in _BOOKKEEPING]


def course_key(course_id: int) -> str:
    """The export's course key: the course's record number (unique in the database)."""
    return str(course_id)


PT, CT, ST, AT = (_table(t) for t in (Patient, Course, TreatmentSession, Assessment))
ET, XT, HT = _table(Event), _table(SafetyActionRow), _table(CoursePhaseChange)
P, C, S, A, E, X, H = PT.c, CT.c, ST.c, AT.c, ET.c, XT.c, HT.c
VT, RT = _table(VitalSign), _table(RemsRecordRow)
V, R = VT.c, RT.c


def live_courses() -> Any:
    """Live courses of live patients (the join every per-course file starts from)."""
    return (C.deleted_at.is_(None)) & (P.deleted_at.is_(None))


def patients_query() -> Select[Any]:
    return select(*_data(PT)).where(P.deleted_at.is_(None)).order_by(P.id)


def courses_query() -> Select[Any]:
    return (
        select(*_data(CT), P.mrn, P.date_of_birth)
        .join(PT, P.id == C.patient_id)
        .where(live_courses())
        .order_by(C.id)
    )


def phase_changes_query() -> Select[Any]:
    """Stored as the app keeps them (one per change, in date order); read back verbatim."""
    return (
        select(*_data(HT))
        .join(CT, C.id == H.course_id)
        .join(PT, P.id == C.patient_id)
        .where(live_courses(), H.deleted_at.is_(None))
        .order_by(H.course_id, H.started_on, H.id)
    )


def sessions_query() -> Select[Any]:
    return (
        select(*_data(ST))
        .join(CT, C.id == S.course_id)
        .join(PT, P.id == C.patient_id)
        .where(live_courses(), S.deleted_at.is_(None))
        .order_by(S.course_id, S.number)
    )


def assessments_query() -> Select[Any]:
    linked = ST.alias("linked")
    return (
        select(*_data(AT), linked.c.number.label("session_number"))
        .join(CT, C.id == A.course_id)
        .join(PT, P.id == C.patient_id)
        .outerjoin(linked, (linked.c.id == A.session_id) & linked.c.deleted_at.is_(None))
        .where(live_courses(), A.deleted_at.is_(None))
        .order_by(A.course_id, A.assessed_at, A.id)
    )


def events_query() -> Select[Any]:
    return (
        select(*_data(ET), P.mrn)
        .join(CT, C.id == E.course_id)
        .join(PT, P.id == C.patient_id)
        .where(live_courses(), E.deleted_at.is_(None))
        .order_by(E.course_id, E.occurred_on, E.id)
    )


def actions_query() -> Select[Any]:
    return (
        select(*_data(XT), A.instrument, A.assessed_at)
        .join(AT, A.id == X.assessment_id)
        .join(CT, C.id == X.course_id)
        .join(PT, P.id == C.patient_id)
        .where(live_courses(), X.deleted_at.is_(None), A.deleted_at.is_(None))
        .order_by(X.course_id, X.taken_at, X.id)
    )


def vitals_query() -> Select[Any]:
    """Each session's flowsheet rows in the order they were entered (as the app lists them)."""
    return (
        select(*_data(VT), S.number.label("session_number"))
        .join(ST, S.id == V.session_id)
        .join(CT, C.id == V.course_id)
        .join(PT, P.id == C.patient_id)
        .where(live_courses(), V.deleted_at.is_(None), S.deleted_at.is_(None))
        .order_by(V.course_id, S.number, V.id)
    )


def rems_query() -> Select[Any]:
    return (
        select(*_data(RT), S.number.label("session_number"))
        .join(ST, S.id == R.session_id)
        .join(CT, C.id == R.course_id)
        .join(PT, P.id == C.patient_id)
        .where(live_courses(), R.deleted_at.is_(None), S.deleted_at.is_(None))
        .order_by(R.course_id, S.number)
    )


def stream(session: Session, query: Select[Any]) -> Iterator[Any]:
    """Rows in batches: SQLite hands them over as they are read, never all at once."""
    result = session.execute(query.execution_options(yield_per=BATCH))
    yield from result


def count_rows(session: Session, query: Select[Any]) -> int:
    return int(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())


# --- one row of each file -------------------------------------------------------------------


def patient_cells(row: Any) -> list[object]:
    comorbidities = spec.LIST_SEPARATOR.join(json.loads(row.comorbidities))
    return [row.mrn, row.name, row.date_of_birth, row.sex, comorbidities, row.notes]


def course_cells(row: Any) -> list[object]:
    return [
        course_key(row.id),
        row.mrn,
        row.modality,
        row.start_date,
        row.planned_sessions,
        row.phase,
        row.status,
        row.end_date,
        row.discontinue_reason,
        row.notes,
        row.settings_json,
        row.diagnosis,
        row.current_medications,
        row.prior_treatments,
        row.prescriber,
        row.threshold_change_reason,
        row.authorised_sessions,
        row.mt_determined_on,
        row.session_interval_days,
    ]


def phase_change_cells(row: Any) -> list[object]:
    return [course_key(row.course_id), row.phase, row.started_on]


def session_cells(row: Any) -> list[object]:
    return [
        course_key(row.course_id),
        row.number,
        row.performed_at,
        row.phase,
        row.details,
        spec.LIST_SEPARATOR.join(json.loads(row.side_effects)),
        row.notes,
        row.side_effects_text,
        spec.LIST_SEPARATOR.join(json.loads(row.prn_medication)),
        "" if row.warnings == "[]" else row.warnings,
    ]


def assessment_cells(row: Any, width: int) -> list[object]:
    """Items and score columns as stored: the score columns are for the reader only (an
    import scores the items itself), and re-scoring a million rows here would triple the
    export's time."""
    items: list[object] = json.loads(row.responses)
    if row.supplementary is not None:
        items.append(row.supplementary)
    items += [None] * (width - len(items))
    return [
        course_key(row.course_id),
        row.instrument,
        row.assessed_at,
        row.timepoint,
        row.session_number,
        *items,
        row.rater,
        bool(row.link_manual),
        row.total,
        row.exact_total,
        row.prorated,
        row.severity,
        row.safety_flag,
    ]


def event_cells(row: Any) -> list[object]:
    return [
        row.mrn,
        course_key(row.course_id),
        row.kind,
        row.occurred_on,
        row.reason,
        row.description,
    ]


def action_cells(row: Any) -> list[object]:
    return [
        course_key(row.course_id),
        row.instrument,
        row.assessed_at,
        row.kind,
        row.text,
        row.taken_by,
        row.taken_at,
        row.flag_level,
    ]


def vital_cells(row: Any) -> list[object]:
    return [
        course_key(row.course_id),
        row.session_number,
        row.point,
        row.taken_at,
        row.systolic,
        row.diastolic,
        row.heart_rate,
        row.spo2,
    ]


def rems_cells(row: Any) -> list[object]:
    return [
        course_key(row.course_id),
        row.session_number,
        row.lot_number,
        row.monitoring_start,
        row.monitoring_end,
        row.ready_to_leave_at,
        row.respiratory_status,
        spec.LIST_SEPARATOR.join(json.loads(row.concomitant)),
        row.submitted_on,
    ]


# --- the export -------------------------------------------------------------------------------


@requires(Action.EXCHANGE)
def export_csv(
    db: Database,
    folder: Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the interchange files into ``folder`` (created 0700 when missing).

    Raises:
        ValidationError: a target is the database, a symlink, or exists without
            ``overwrite`` (checked before anything is written).
        OSError: the disk is full or the folder is not writable (no half file is left).
    """
    prepare_folder(folder, spec.FILES, keep=database_files(db.path), overwrite=overwrite)
    with db.read() as session:
        plan = _plan()
        total = sum(count_rows(session, query) for _, query, _ in plan)
        done = 0
        rows: dict[str, int] = {}
        for name, query, cells in plan:
            written = write_table(
                session,
                folder / name,
                spec.columns(name),
                query,
                cells,
                overwrite,
                done,
                total,
                progress,
            )
            rows[name] = written
            done += written
    return ExportResult(folder, rows)


def _plan() -> list[tuple[str, Select[Any], Callable[[Any], list[object]]]]:
    width = len(spec.item_columns())

    def assessment(row: Any) -> list[object]:
        return assessment_cells(row, width)

    return [
        (spec.PATIENTS, patients_query(), patient_cells),
        (spec.COURSES, courses_query(), course_cells),
        (spec.PHASE_CHANGES, phase_changes_query(), phase_change_cells),
        (spec.SESSIONS, sessions_query(), session_cells),
        (spec.ASSESSMENTS, assessments_query(), assessment),
        (spec.EVENTS, events_query(), event_cells),
        (spec.SAFETY_ACTIONS, actions_query(), action_cells),
        (spec.VITALS, vitals_query(), vital_cells),
        (spec.REMS, rems_query(), rems_cells),
    ]


def write_table(
    session: Session,
    out: Path,
    header: Sequence[str],
    query: Select[Any],
    cells: Callable[[Any], list[object] | None],
    overwrite: bool,
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    """Stream ``query`` into one CSV file (``cells`` None: leave the row out); returns
    the rows read. The interchange export and the research extract both write this way."""
    written = 0
    with csv_writer(out, overwrite=overwrite) as writer:
        writer.writerow(header)
        for row in stream(session, query):
            line = cells(row)
            if line is not None:
                writer.writerow([spec.write_cell(v) for v in line])
            written += 1
            if progress is not None and written % BATCH == 0:
                progress(done + written, total)
    if progress is not None:
        progress(done + written, total)
    return written
