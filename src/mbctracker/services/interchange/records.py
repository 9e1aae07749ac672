"""Reading an interchange folder, part one: the import's plumbing, patients and courses.

:class:`RecordReader` holds what the files refer to across each other (patients by MRN
key, courses by key), gives ids (the write lock is held), queues rows for bulk inserts
as SQLite stores them, and applies the patient and course rules of the keyed entry.
Dated phase changes are read here too (they belong to the course).
``csv_import`` adds sessions, assessments, events and safety actions on top.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from ... import logs
from ...domain.course import (
    Comorbidity,
    CourseStatus,
    DropoutReason,
    Modality,
    Phase,
    Sex,
)
from ...domain.errors import DomainError
from ...domain.limits import (
    NAME_MAX,
    NOTES_MAX,
    PLANNED_SESSIONS_MAX,
    SHORT_TEXT_MAX,
)
from ...domain.schedule import changes_from_sessions
from ...domain.scoring import Score
from ...domain.settings import ClinicSettings
from ...domain.text import mrn_key
from ...storage.mappers import dumps
from ...storage.portable import insert_sql
from ...storage.search_text import search_key
from ...storage.tables import Course, Patient, utcnow
from ..courses import SESSION_INTERVAL_MAX
from . import spec
from .cells import (
    Problems,
    Reading,
    Row,
    p_choice,
    p_choices,
    p_date,
    p_int,
    p_mrn,
    p_optional_choice,
    p_text,
    records,
    wording,
)

Progress = Callable[[int, int], object]
"""Called with (bytes read, bytes in all files)."""

BATCH = 5000
"""Rows per bulk insert."""


@dataclass(frozen=True, slots=True)
class PatientRef:
    id: int
    born: date | None
    new: bool


@dataclass(frozen=True, slots=True)
class CourseRef:
    id: int
    patient_id: int
    born: date | None
    modality: Modality
    start: date
    phase: Phase
    settings: ClinicSettings


@dataclass
class Flagged:
    """A flagged assessment a safety action in the file may answer."""

    id: int
    level: int
    when: datetime
    answered: int = 0


@dataclass
class State:
    next_id: dict[str, int]
    patients: dict[str, PatientRef] = field(default_factory=dict)
    courses: dict[str, CourseRef] = field(default_factory=dict)
    failed: set[tuple[str, str]] = field(default_factory=set)
    sessions: dict[int, dict[int, tuple[int, datetime]]] = field(default_factory=dict)
    flagged: dict[tuple[int, str, datetime], Flagged | None] = field(default_factory=dict)
    """Flagged assessments by (course, instrument, time); None when two share the key."""
    pending: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    first_line: dict[tuple[str, str], int] = field(default_factory=dict)
    session_lines: dict[int, dict[int, int]] = field(default_factory=dict)
    """Course -> session number -> the line it is on (numbers are unique per course)."""
    by_patient: dict[int, list[CourseRef]] = field(default_factory=dict)
    dated: set[int] = field(default_factory=set)
    """Courses with phase changes in the file."""
    session_phases: dict[int, list[tuple[datetime, Phase]]] = field(default_factory=dict)
    """Course -> (local time, phase) of its sessions, to date the phases of an older file."""


TABLES = {
    spec.PATIENTS: "patient",
    spec.COURSES: "course",
    spec.PHASE_CHANGES: "course_phase_change",
    spec.SESSIONS: "treatment_session",
    spec.ASSESSMENTS: "assessment",
    spec.EVENTS: "event",
    spec.SAFETY_ACTIONS: "safety_action",
    spec.VITALS: "vital_sign",
    spec.REMS: "rems_record",
}


class RecordReader:
    """The import's state and plumbing, and the patients and courses files."""

    def __init__(
        self, session: Session, actor: str, clinic: ClinicSettings, merge: bool, source: str
    ) -> None:
        self.session, self.actor, self.clinic, self.merge = session, actor, clinic, merge
        self.source = source
        self.problems = Problems()
        self.state = State(next_id=self._next_ids())
        self.now = utcnow()
        self.stamp = stored_time(self.now)
        self.scores: dict[
            tuple[str, tuple[int | None, ...], int], tuple[Score, tuple[Any, ...]]
        ] = {}
        self.item_columns = spec.item_columns()
        self.settings_texts: dict[int, tuple[ClinicSettings, str]] = {}
        self.handlers: dict[str, Callable[[Row], None]] = {
            spec.PATIENTS: self.patient,
            spec.COURSES: self.course,
            spec.PHASE_CHANGES: self.phase_change,
        }

    # --- plumbing -----------------------------------------------------------------------

    def _next_ids(self) -> dict[str, int]:
        """Ids are given here (the write lock is held), so rows can refer to each other."""
        found = {}
        for table in (*TABLES.values(), "change_log"):
            top = self.session.connection().exec_driver_sql(f"SELECT max(id) FROM {table}")
            found[table] = (top.scalar() or 0) + 1
        return found

    def _id(self, table: str) -> int:
        new = self.state.next_id[table]
        self.state.next_id[table] = new + 1
        return new

    def _add(self, table: str, values: dict[str, Any]) -> None:
        """Queue a row for a bulk insert; values are already as SQLite stores them
        (times via :func:`stored_time`, dates ISO, bools 0/1), keys in one order a table."""
        if "deleted_at" not in values and table != "change_log":
            values.update(version=1, created_at=self.stamp, updated_at=self.stamp, deleted_at=None)
        batch = self.state.pending.setdefault(table, [])
        batch.append(values)
        if len(batch) >= BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        batch = self.state.pending.pop(table, [])
        if batch and not self.problems:  # after a problem nothing more is written
            conn = self.session.connection()
            sql = insert_sql(conn, table, list(batch[0]))
            rows = [tuple(r.values()) for r in batch]  # values are SQL-ready (see _add)
            conn.exec_driver_sql(sql, rows)

    def read(self, path: Path, reading: Reading, total: int, progress: Progress | None) -> None:
        handler = self.handlers[path.name]
        table = TABLES[path.name]
        count = 0
        for row in records(path, spec.columns(path.name), self.problems, reading):
            handler(row)
            count += 1 if row.ok else 0
            if progress is not None and count % 1000 == 0:
                progress(reading.done, total)
        self._flush(table)
        self.state.counts[path.name] = count
        if progress is not None:
            progress(reading.done, total)

    def _once(self, row: Row, column: str, key: str) -> bool:
        """False (and a problem) when ``key`` was already used in this file's ``column``."""
        first = self.state.first_line.setdefault((row.file + column, key), row.line)
        if first != row.line:
            row.problem(column, f"{key} appears twice (first on line {first}); allowed: once")
            return False
        return True

    def _check(self, row: Row, column: str, rule: Callable[[], object]) -> None:
        """Run a services/domain rule that needs several cells; a refusal becomes a problem."""
        try:
            rule()
        except DomainError as exc:
            row.problem(column, wording(exc, column))

    def _course_ref(self, row: Row, column: str = "course_key") -> CourseRef | None:
        key = row.raw(column).strip()
        found = self.state.courses.get(key)
        if found is None and (spec.COURSES, key) not in self.state.failed:
            row.problem(
                column,
                f"{key!r} is not a course in {spec.COURSES}; allowed: a course_key listed there",
            )
        if found is None:
            row.ok = False
        return found

    # --- patients -------------------------------------------------------------------------

    def patient(self, row: Row) -> None:
        mrn = row.get("mrn", p_mrn)
        name = row.get("name", p_text(NAME_MAX, required=True))
        born = row.get("date_of_birth", p_date(optional=True))
        sex = row.get("sex", p_choice(Sex))
        comorbidities = row.get("comorbidities", p_choices(Comorbidity))
        notes = row.get("notes", p_text(NOTES_MAX, multiline=True))
        unique = mrn is not None and self._once(row, "mrn", mrn_key(mrn))
        if mrn is None or not row.ok or not unique:
            if mrn is not None and unique:
                self.state.failed.add((spec.PATIENTS, _safe_key(mrn)))
            return
        key = mrn_key(mrn)
        existing = self.session.exec(select(Patient).where(col(Patient.mrn_key) == key)).first()
        if existing is not None:
            self._existing(row, mrn, key, existing)
            return
        new_id = self._id("patient")
        self.state.patients[key] = PatientRef(new_id, born, True)
        assert name is not None and sex is not None and comorbidities is not None
        logs.protect(names=[name], mrns=[mrn])
        self._add(
            "patient",
            {
                "id": new_id,
                "mrn": mrn,
                "mrn_key": key,
                "name": name,
                "search_key": search_key(name, mrn),
                "date_of_birth": _iso(born),
                "sex": str(sex),
                "comorbidities": dumps([str(c) for c in comorbidities]),
                "notes": notes,
            },
        )
        self._log("patient", new_id, new_id, None)

    def _existing(self, row: Row, mrn: str, key: str, existing: Patient) -> None:
        if existing.deleted_at is not None or not self.merge:
            self.state.failed.add((spec.PATIENTS, key))  # its courses are not reported too
        if existing.deleted_at is not None:
            row.problem(
                "mrn",
                f"{mrn} belongs to a deleted patient; allowed: a new MRN, or "
                "restore that patient first",
            )
        elif not self.merge:
            row.problem(
                "mrn",
                f"{mrn} is already registered; allowed: a new MRN, or --merge "
                "to add this file's courses to that patient",
            )
        else:
            assert existing.id is not None
            self.state.patients[key] = PatientRef(existing.id, existing.date_of_birth, False)

    def _log(self, table: str, record: int, patient: int, course: int | None) -> None:
        self._add(
            "change_log",
            {
                "id": self._id("change_log"),
                "at": self.stamp,
                "actor": self.actor,
                "table_name": table,
                "record_id": record,
                "patient_id": patient,
                "course_id": course,
                "action": "import",
                "changes": json.dumps({"source": [None, self.source]}, ensure_ascii=False),
            },
        )

    # --- courses --------------------------------------------------------------------------

    def course(self, row: Row) -> None:
        key = row.get("course_key", p_text(SHORT_TEXT_MAX, required=True))
        mrn = row.get("mrn", p_mrn)
        modality = row.get("modality", p_choice(Modality))
        start = row.get("start_date", p_date())
        planned = row.get("planned_sessions", p_int(1, PLANNED_SESSIONS_MAX))
        phase = row.get("phase", p_optional_choice(Phase)) or Phase.INDUCTION
        status = row.get("status", p_optional_choice(CourseStatus)) or CourseStatus.ACTIVE
        end = row.get("end_date", p_date(optional=True))
        reason = row.get("discontinue_reason", p_optional_choice(DropoutReason))
        notes = row.get("notes", p_text(NOTES_MAX, multiline=True))
        settings = self._settings(row)
        extras = self._course_extras(row, modality, start)
        patient = self._patient_ref(row, mrn)
        if key is not None and not self._once(row, "course_key", key):
            return
        if not row.ok or None in (key, modality, start, planned, patient, settings):
            if key is not None:
                self.state.failed.add((spec.COURSES, key))
            return
        assert key and modality and start and planned and patient and settings
        self._course_rules(row, patient, start, status, end, reason, modality)
        if not row.ok:
            self.state.failed.add((spec.COURSES, key))
            return
        new_id = self._id("course")
        ref = CourseRef(new_id, patient.id, patient.born, modality, start, phase, settings)
        self.state.courses[key] = ref
        self.state.by_patient.setdefault(patient.id, []).append(ref)
        self._add(
            "course",
            {
                "id": new_id,
                "patient_id": patient.id,
                "modality": str(modality),
                "start_date": start.isoformat(),
                "end_date": _iso(end),
                "planned_sessions": planned,
                "phase": str(phase),
                "status": str(status),
                "discontinue_reason": str(reason) if reason else None,
                "settings_json": self._settings_json(settings),
                "notes": notes,
                **extras,
            },
        )
        self._log("course", new_id, patient.id, new_id)

    def _course_extras(
        self, row: Row, modality: Modality | None, start: date | None
    ) -> dict[str, Any]:
        """The course record, payer count, motor threshold date and interval (all optional:
        a file made before they existed leaves them blank), checked as their forms do."""
        texts = {
            "diagnosis": p_text(SHORT_TEXT_MAX, multiline=True),
            "current_medications": p_text(NOTES_MAX, multiline=True),
            "prior_treatments": p_text(NOTES_MAX, multiline=True),
            "prescriber": p_text(NAME_MAX),
            "threshold_change_reason": p_text(SHORT_TEXT_MAX),
        }
        found: dict[str, Any] = {name: row.get(name, parse) for name, parse in texts.items()}
        found["authorised_sessions"] = row.get(
            "authorised_sessions", p_int(1, PLANNED_SESSIONS_MAX, optional=True)
        )
        found["session_interval_days"] = row.get(
            "session_interval_days", p_int(1, SESSION_INTERVAL_MAX, optional=True)
        )
        mt_day = row.get("mt_determined_on", p_date(optional=True))
        if mt_day is not None and modality is not None and modality != Modality.TMS:
            row.problem(
                "mt_determined_on",
                f"only TMS courses have a motor threshold; allowed: empty for {modality.label}",
            )
        if mt_day is not None and start is not None:
            self._not_before(row, "mt_determined_on", mt_day, start, "the course start")
        found["mt_determined_on"] = _iso(mt_day)
        return found

    # --- phase changes --------------------------------------------------------------------

    def phase_change(self, row: Row) -> None:
        """A dated phase change, stored as given (the sessions carry their own phase)."""
        course = self._course_ref(row)
        phase = row.get("phase", p_choice(Phase))
        day = row.get("started_on", p_date())
        if course is None or phase is None or day is None:
            return
        self._not_before(row, "started_on", day, course.start, "the course start")
        first = self.state.first_line.setdefault((row.file, f"{course.id} {day}"), row.line)
        if first != row.line:
            row.problem(
                "started_on",
                f"this course already changes phase on {day} (line {first}); allowed: "
                "one change per course and day",
            )
        if not row.ok:
            return
        self.state.dated.add(course.id)
        self._add(
            "course_phase_change",
            {
                "id": self._id("course_phase_change"),
                "course_id": course.id,
                "phase": str(phase),
                "started_on": day.isoformat(),
            },
        )

    def derive_phase_changes(self) -> None:
        """Courses the file gives no phase changes for (a file made before phases were
        dated) get them read back from their sessions, as the app does for an older file."""
        for refs in self.state.by_patient.values():
            for course in refs:
                if course.id in self.state.dated:
                    continue
                marks = self.state.session_phases.get(course.id, [])
                for change in changes_from_sessions(course.start, marks, course.phase):
                    self._add(
                        "course_phase_change",
                        {
                            "id": self._id("course_phase_change"),
                            "course_id": course.id,
                            "phase": str(change.phase),
                            "started_on": change.started_on.isoformat(),
                        },
                    )

    def _settings_json(self, settings: ClinicSettings) -> str:
        """``settings.to_json()``, once per thresholds object: courses share the clinic's
        object or one parsed per distinct text, and serialising one cost 0.8 ms."""
        found = self.settings_texts.get(id(settings))
        if found is None:  # the object is kept with its text, so its id is never reused
            found = self.settings_texts[id(settings)] = (settings, settings.to_json())
        return found[1]

    def _settings(self, row: Row) -> ClinicSettings | None:
        text = row.raw("settings").strip()
        if not text:
            return self.clinic
        try:
            return ClinicSettings.from_json(text)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            row.problem(
                "settings",
                f"not readable as course thresholds ({exc}); allowed: the "
                "JSON an export writes, or empty for the clinic's settings",
            )
            return None

    def _patient_ref(self, row: Row, mrn: str | None) -> PatientRef | None:
        if mrn is None:
            return None
        key = mrn_key(mrn)
        found = self.state.patients.get(key)
        if found is None and self.merge:
            found = self._merged_patient(key)
        if found is None and (spec.PATIENTS, _safe_key(mrn)) not in self.state.failed:
            allowed = "an MRN listed in patients.csv" + (
                " or already registered" if self.merge else ""
            )
            row.problem("mrn", f"{mrn} is not a patient in {spec.PATIENTS}; allowed: {allowed}")
        if found is None:
            row.ok = False
        return found

    def _merged_patient(self, key: str) -> PatientRef | None:
        query = select(Patient).where(
            col(Patient.mrn_key) == key, col(Patient.deleted_at).is_(None)
        )
        existing = self.session.exec(query).first()
        if existing is None or existing.id is None:
            return None
        found = PatientRef(existing.id, existing.date_of_birth, False)
        self.state.patients[key] = found
        return found

    def _course_rules(
        self,
        row: Row,
        patient: PatientRef,
        start: date,
        status: CourseStatus,
        end: date | None,
        reason: DropoutReason | None,
        modality: Modality,
    ) -> None:
        """The rules of starting and ending a course (services/courses.py), on one row."""
        if patient.born and start < patient.born:
            row.problem(
                "start_date",
                f"{start} is before the date of birth ({patient.born}); "
                f"allowed: from {patient.born}",
            )
        if status == CourseStatus.ACTIVE and end is not None:
            row.problem(
                "end_date",
                "an active course has no end date; allowed: empty, or "
                "status completed or discontinued",
            )
        if status != CourseStatus.ACTIVE and end is None:
            row.problem(
                "end_date",
                f"a {status} course needs its end date; allowed: a date "
                "YYYY-MM-DD from the start date",
            )
        if end is not None and end < start:
            row.problem(
                "end_date", f"{end} is before the start date ({start}); allowed: from {start}"
            )
        if status == CourseStatus.DISCONTINUED and reason is None:
            allowed = ", ".join(r.value for r in DropoutReason)
            row.problem(
                "discontinue_reason", f"a discontinued course needs a reason; allowed: {allowed}"
            )
        if not patient.new:
            self._not_imported_before(row, patient, start, modality)

    def _not_imported_before(
        self, row: Row, patient: PatientRef, start: date, modality: Modality
    ) -> None:
        """--merge adds new courses: the same course imported twice would double it."""
        query = select(Course.id).where(
            col(Course.patient_id) == patient.id,
            col(Course.modality) == str(modality),
            col(Course.start_date) == start,
            col(Course.deleted_at).is_(None),
        )
        if self.session.exec(query).first() is not None:
            row.problem(
                "start_date",
                f"the patient already has a {modality} course starting "
                f"{start} (imported before?); allowed: courses the patient does not "
                "have yet",
            )

    def _not_before(self, row: Row, column: str, day: date, floor: date | None, what: str) -> None:
        if floor is not None and day < floor:
            row.problem(column, f"{day} is before {what} ({floor}); allowed: from {floor}")


_PLAIN = frozenset({str, int, float, type(None)})


def _sql_value(value: object) -> object:
    """A value as SQLAlchemy stores it in SQLite (times as UTC text, dates ISO, bools 0/1).

    The rows go to ``executemany`` directly: SQLAlchemy's per-value processing cost
    more than the insert itself for a million assessments.
    """
    kind = value.__class__
    if kind in _PLAIN:
        return value
    if kind is bool:
        return int(value)  # type: ignore[call-overload]
    if isinstance(value, datetime):
        return stored_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


SCORE_KEYS = (
    "instrument",
    "responses",
    "valid",
    "total",
    "exact_total",
    "prorated",
    "severity",
    "safety_flag",
    "safety_reason",
    "safety_tier",
    "flag_level",
)


def score_values(result: Score) -> dict[str, Any]:
    """``storage.mappers.score_columns`` as SQLite stores them, without its JSON encoder
    (a test keeps the two equal): a fifth of the import's time went there."""
    items = ", ".join("null" if v is None else str(v) for v in result.responses)
    return {
        "instrument": result.instrument,
        "responses": f"[{items}]",
        "valid": int(result.valid),
        "total": result.total,
        "exact_total": result.exact_total,
        "prorated": int(result.prorated),
        "severity": result.severity,
        "safety_flag": int(result.safety_flag),
        "safety_reason": result.safety_reason,
        "safety_tier": result.safety_tier,
        "flag_level": result.flag_level,
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def stored_time(moment: datetime) -> str:
    """An aware time as the UTC text SQLAlchemy writes for sqlmodel's datetime columns."""
    utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    return utc.replace(tzinfo=None).isoformat(" ", "microseconds")  # 3x faster than strftime


def _safe_key(mrn: str) -> str:
    try:
        return mrn_key(mrn)
    except DomainError:
        return mrn
