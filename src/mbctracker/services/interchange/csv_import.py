"""Import an interchange folder: every cell checked, then all written in one transaction.

The rules are the keyed entry's (:mod:`mbctracker.services.validation`, the domain's
scoring and session checks); the import only parses text into values first. Scores
and flags are computed by the app from the items, never read from the file, and a
flagged assessment is stored open exactly as a keyed one is until a safety action in
the file answers its level. Rows are written with bulk inserts inside the one write
transaction the import holds (``BEGIN IMMEDIATE``); if any problem is found the
transaction is rolled back, so a bad file changes nothing. The change log gets one
``import`` entry per patient and per course instead of one per record (a clinic's
years of data would otherwise double the file).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from ... import logs
from ...domain.course import (
    PRN_MEDICATIONS,
    SIDE_EFFECTS,
    Comorbidity,
    CourseStatus,
    DropoutReason,
    EventKind,
    Modality,
    Phase,
    SafetyActionKind,
    Sex,
    Timepoint,
    check_session_details,
)
from ...domain.errors import DomainError, ValidationError
from ...domain.instruments import INSTRUMENTS, Instrument
from ...domain.limits import (
    NAME_MAX,
    NOTES_MAX,
    PLANNED_SESSIONS_MAX,
    SESSION_NUMBER_MAX,
    SHORT_TEXT_MAX,
)
from ...domain.scoring import Score, check_supplementary, score
from ...domain.settings import ClinicSettings
from ...domain.text import mrn_key
from ...storage.db import Database
from ...storage.mappers import dumps
from ...storage.search_text import search_key
from ...storage.tables import Assessment, Course, Patient, utcnow
from ..clinic import load_clinic_settings
from . import spec
from .cells import (
    Moment,
    Problems,
    Reading,
    Row,
    answers,
    p_choice,
    p_choices,
    p_date,
    p_datetime,
    p_int,
    p_json_object,
    p_mrn,
    p_optional_choice,
    p_strings,
    p_text,
    records,
    wording,
)

Progress = Callable[[int, int], object]
"""Called with (bytes read, bytes in all files)."""

BATCH = 5000
"""Rows per bulk insert."""
SCORE_CACHE = 50_000
"""Scores remembered (answers repeat; every course's thresholds object lives all import)."""


class ImportRefused(ValidationError):
    """The folder has problems; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        listing = "\n".join(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.\n{listing}",
            field="file",
        )


@dataclass(frozen=True, slots=True)
class ImportResult:
    counts: dict[str, int]
    merged_patients: int
    unknown_columns: tuple[str, ...]


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
class _State:
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


_TABLES = {
    spec.PATIENTS: "patient",
    spec.COURSES: "course",
    spec.SESSIONS: "treatment_session",
    spec.ASSESSMENTS: "assessment",
    spec.EVENTS: "event",
    spec.SAFETY_ACTIONS: "safety_action",
}


def import_csv(
    db: Database, folder: Path, *, merge: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import every file of an interchange folder, all or nothing.

    Raises:
        ImportRefused: any bad cell, unknown reference or existing MRN (without
            ``merge``); its ``problems`` list every one and nothing is written.
        ValidationError: the folder is missing or has no ``patients.csv``.
    """
    files = _files(folder)
    total = sum(p.stat().st_size for p in files)
    clinic = load_clinic_settings(db)
    with db.write() as session:
        importer = _Importer(session, db.actor, clinic, merge, folder.name)
        reading = Reading()
        for path in files:
            importer.read(path, reading, total, progress)
        if importer.problems:
            raise ImportRefused(importer.problems.all())
        importer.finish()
        counts = dict(importer.state.counts)
        merged = sum(1 for p in importer.state.patients.values() if not p.new)
    return ImportResult(counts, merged, tuple(reading.unknown))


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ValidationError(
            f"{folder} is not a folder; allowed: a folder holding {spec.PATIENTS} and the "
            "other interchange files",
            field="folder",
        )
    if not (folder / spec.PATIENTS).is_file():
        raise ValidationError(
            f"{folder} has no {spec.PATIENTS}; allowed: a folder written by "
            "`mbctracker export --format csv` or laid out as docs/interchange.md describes",
            field="folder",
        )
    return [folder / name for name in spec.FILES if (folder / name).is_file()]


class _Importer:
    def __init__(
        self, session: Session, actor: str, clinic: ClinicSettings, merge: bool, source: str
    ) -> None:
        self.session, self.actor, self.clinic, self.merge = session, actor, clinic, merge
        self.source = source
        self.problems = Problems()
        self.state = _State(next_id=self._next_ids())
        self.now = utcnow()
        self.stamp = stored_time(self.now)
        self.scores: dict[
            tuple[str, tuple[int | None, ...], int], tuple[Score, tuple[Any, ...]]
        ] = {}
        self.item_columns = spec.item_columns()
        self.handlers: dict[str, Callable[[Row], None]] = {
            spec.PATIENTS: self.patient,
            spec.COURSES: self.course,
            spec.SESSIONS: self.treatment_session,
            spec.ASSESSMENTS: self.assessment,
            spec.EVENTS: self.event,
            spec.SAFETY_ACTIONS: self.action,
        }

    # --- plumbing -----------------------------------------------------------------------

    def _next_ids(self) -> dict[str, int]:
        """Ids are given here (the write lock is held), so rows can refer to each other."""
        found = {}
        for table in (*_TABLES.values(), "change_log"):
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
            names = list(batch[0])
            sql = (
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
            )
            rows = [tuple(r.values()) for r in batch]  # values are SQL-ready (see _add)
            self.session.connection().exec_driver_sql(sql, rows)

    def read(self, path: Path, reading: Reading, total: int, progress: Progress | None) -> None:
        handler = self.handlers[path.name]
        table = _TABLES[path.name]
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
                "settings_json": settings.to_json(),
                "notes": notes,
            },
        )
        self._log("course", new_id, patient.id, new_id)

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

    # --- sessions -------------------------------------------------------------------------

    def treatment_session(self, row: Row) -> None:
        course = self._course_ref(row)
        number = row.get("number", p_int(1, SESSION_NUMBER_MAX))
        when = row.get("performed_at", p_datetime())
        phase = row.get("phase", p_optional_choice(Phase))
        details = row.get("details", p_json_object)
        side_effects = row.get("side_effects", p_strings)
        notes = row.get("notes", p_text(NOTES_MAX, multiline=True))
        other = row.get("side_effects_text", p_text(SHORT_TEXT_MAX))
        prn = row.get("prn_medication", p_strings)
        if course is None:
            return
        self._session_rules(row, course, number, when, details, side_effects or (), prn or ())
        if not row.ok:
            return
        assert number and when and details is not None and side_effects is not None
        assert prn is not None
        new_id = self._id("treatment_session")
        self.state.sessions.setdefault(course.id, {})[number] = (new_id, when.utc)
        self._add(
            "treatment_session",
            {
                "id": new_id,
                "course_id": course.id,
                "number": number,
                "performed_at": stored_time(when.utc),
                "phase": str(phase or course.phase),
                "details": dumps(details),
                "side_effects": dumps(list(side_effects)),
                "side_effects_text": other,
                "prn_medication": dumps(list(prn)),
                "notes": notes,
            },
        )

    def _session_rules(
        self,
        row: Row,
        course: CourseRef,
        number: int | None,
        when: Moment | None,
        details: dict[str, object] | None,
        side_effects: tuple[str, ...],
        prn: tuple[str, ...],
    ) -> None:
        """The rules of services/sessions.py on one row (each on the cells that parsed)."""
        lines = self.state.session_lines.setdefault(course.id, {})
        first = lines.setdefault(number, row.line) if number is not None else row.line
        if first != row.line:
            row.problem(
                "number",
                f"{number} is already used in this course (line {first}); allowed: each "
                "number once per course",
            )
        if when is not None:
            day = when.local.date()
            self._not_before(row, "performed_at", day, course.born, "the date of birth")
            self._not_before(row, "performed_at", day, course.start, "the course start")
        for column, values, allowed in (
            ("side_effects", side_effects, SIDE_EFFECTS[course.modality]),
            ("prn_medication", prn, PRN_MEDICATIONS[course.modality]),
        ):
            for value in values:
                if value not in allowed:
                    row.problem(
                        column,
                        f"{value!r} is not listed for {course.modality.label}; "
                        f"allowed: {'; '.join(allowed)}",
                    )
        if details is not None:
            self._check(row, "details", lambda: _detail_texts(details))
            self._check(row, "details", lambda: check_session_details(course.modality, details))

    def _not_before(self, row: Row, column: str, day: date, floor: date | None, what: str) -> None:
        if floor is not None and day < floor:
            row.problem(column, f"{day} is before {what} ({floor}); allowed: from {floor}")

    # --- assessments ----------------------------------------------------------------------

    def assessment(self, row: Row) -> None:
        course = self._course_ref(row)
        instrument = self._instrument(row)
        when = row.get("assessed_at", p_datetime())
        timepoint = row.get("timepoint", p_optional_choice(Timepoint)) or Timepoint.PRE_SESSION
        number = row.get("session_number", p_int(1, SESSION_NUMBER_MAX, optional=True))
        rater = row.get("rater", p_text(NAME_MAX))
        if course is None or instrument is None:
            return
        listed = len(self.problems.lines)
        items, extra = self._items(row, instrument)
        clean = len(self.problems.lines) == listed and not self.problems.hidden
        result, columns = self._score(instrument, items, course.settings) if clean else (None, {})
        session_id = self._assessment_rules(row, course, when, number, timepoint, result)
        if not row.ok or when is None or result is None:
            return
        new_id = self._id("assessment")
        if result.flag_level:
            key = (course.id, instrument.code, when.utc)
            twice = key in self.state.flagged  # an action could not tell them apart
            self.state.flagged[key] = (
                None if twice else Flagged(new_id, result.flag_level, when.local)
            )
        self._add(
            "assessment",
            {
                "id": new_id,
                "course_id": course.id,
                "session_id": session_id,
                **columns,
                "flag_open": int(result.flag_level > 0),
                "rater": rater,
                "timepoint": str(timepoint),
                "assessed_at": stored_time(when.utc),
                "supplementary": extra,
            },
        )

    def _score(
        self, inst: Instrument, items: list[int | None], settings: ClinicSettings
    ) -> tuple[Score, dict[str, Any]]:
        """The app's score and its columns; the same answers under the same thresholds are
        scored once (every course's thresholds object lives as long as the import)."""
        key = (inst.code, tuple(items), id(settings))
        found = self.scores.get(key)
        if found is None:
            if len(self.scores) > SCORE_CACHE:
                self.scores.clear()
            result = score(inst, items, settings)
            found = self.scores[key] = (result, tuple(score_values(result).values()))
        return found[0], dict(zip(SCORE_KEYS, found[1], strict=True))

    def _instrument(self, row: Row) -> Instrument | None:
        code = row.raw("instrument").strip()
        found = INSTRUMENTS.get(code)
        if found is None:
            row.problem(
                "instrument", f"{code!r} is not an instrument; allowed: {', '.join(INSTRUMENTS)}"
            )
        return found

    def _items(self, row: Row, inst: Instrument) -> tuple[list[int | None], int | None]:
        """The items (blank = missing), then the unscored extra answer after them."""
        low, high = inst.item_min, inst.item_max
        parse = p_int(low, high, optional=True)
        known = answers(low, high)
        cells = row.cells
        items: list[int | None] = []
        for column in self.item_columns[: inst.n_items]:
            found = known.get(cells.get(column, ""), row)  # a million cells: look up first
            items.append(row.get(column, parse) if found is row else found)  # type: ignore[arg-type]
        extra_column = f"item_{inst.n_items + 1}"
        extra: int | None = None
        if inst.supplementary is not None:
            low, high = inst.supplementary.low, inst.supplementary.high
            extra = row.get(extra_column, p_int(low, high, optional=True))
            if extra is not None:
                self._check(row, extra_column, lambda: check_supplementary(inst, extra))
        start = inst.n_items + (2 if inst.supplementary else 1)
        for column in self.item_columns[start - 1 :]:
            if row.raw(column).strip():
                row.problem(column, f"{inst.name} has no item {column[5:]}; allowed: empty")
        return items, extra

    def _assessment_rules(
        self,
        row: Row,
        course: CourseRef,
        when: Moment | None,
        number: int | None,
        timepoint: Timepoint,
        result: Score | None,
    ) -> int | None:
        """The date, session and baseline rules of services/assessments.py, on one row."""
        if when is not None:
            self._not_before(
                row, "assessed_at", when.local.date(), course.born, "the date of birth"
            )
            days = course.settings.baseline_window_days
            floor = course.start - timedelta(days=days)
            window = f"the baseline window ({days} days before the course start)"
            self._not_before(row, "assessed_at", when.local.date(), floor, window)
        if timepoint == Timepoint.BASELINE and result is not None and not result.valid:
            allowed = course.settings.for_instrument(result.instrument).max_missing
            row.problem(
                "timepoint",
                f"a baseline needs a valid score ({result.n_missing} items "
                f"blank); allowed: at most {allowed} blank, or pre_session/follow_up",
            )
        if number is None:
            return None
        sessions = self.state.sessions.get(course.id, {})
        linked = sessions.get(number)
        if linked is None:
            row.problem(
                "session_number",
                f"session {number} is not in {spec.SESSIONS} for "
                "this course; allowed: a session number listed there, or empty",
            )
            return None
        later = [(n, t) for n, (_, t) in sessions.items() if n > number]
        if later:
            next_number, next_time = min(later)
            if when is not None and when.utc > next_time:
                row.problem(
                    "assessed_at",
                    f"an assessment for session {number} cannot be "
                    f"dated after session {next_number}; allowed: up to that session",
                )
        return linked[0]

    # --- events ---------------------------------------------------------------------------

    def event(self, row: Row) -> None:
        mrn = row.get("mrn", p_mrn)
        kind = row.get("kind", p_choice(EventKind))
        when = row.get("occurred_on", p_date())
        reason = row.get("reason", p_optional_choice(DropoutReason))
        description = row.get("description", p_text(NOTES_MAX, multiline=True))
        patient = self._patient_ref(row, mrn)
        if patient is None or when is None or not row.ok:
            return
        course = self._event_course(row, patient, when)
        if course is None:
            return
        self._not_before(row, "occurred_on", when, course.born, "the date of birth")
        self._not_before(row, "occurred_on", when, course.start, "the course start")
        if kind == EventKind.DROPOUT and reason is None:
            allowed = ", ".join(r.value for r in DropoutReason)
            row.problem("reason", f"a dropout needs a reason; allowed: {allowed}")
        if not row.ok:
            return
        self._add(
            "event",
            {
                "id": self._id("event"),
                "course_id": course.id,
                "kind": str(kind),
                "occurred_on": when.isoformat(),
                "reason": str(reason) if reason else None,
                "description": description,
            },
        )

    def _event_course(self, row: Row, patient: PatientRef, when: date) -> CourseRef | None:
        """The course named, else the patient's latest course started by that date."""
        if row.raw("course_key").strip():
            course = self._course_ref(row)
            if course is not None and course.patient_id != patient.id:
                row.problem(
                    "course_key",
                    "that course belongs to another patient; allowed: "
                    "one of this patient's courses, or empty",
                )
                return None
            return course
        started = [c for c in self.state.by_patient.get(patient.id, ()) if c.start <= when]
        if not started:
            row.problem(
                "course_key",
                f"empty, and the patient has no course started by {when} "
                "in this file; allowed: a course_key of theirs",
            )
            return None
        return max(started, key=lambda c: (c.start, c.id))

    # --- safety actions -------------------------------------------------------------------

    def action(self, row: Row) -> None:
        course = self._course_ref(row)
        code = row.raw("instrument").strip()
        when = row.get("assessed_at", p_datetime())
        kind = row.get("kind", p_choice(SafetyActionKind))
        text = row.get("text", p_text(SHORT_TEXT_MAX))
        by = row.get("taken_by", p_text(NAME_MAX)) or self.actor
        taken = row.get("taken_at", p_datetime())
        level = row.get("flag_level", p_int(1, 3, optional=True))
        if kind == SafetyActionKind.OTHER and not (text or "").strip():
            row.problem("text", "describe the action when kind is other; allowed: any text")
        if course is None or when is None or taken is None or not row.ok:
            return
        key = (course.id, code, when.utc)
        flagged = self.state.flagged.get(key)
        if flagged is None and key in self.state.flagged:
            row.problem(
                "assessed_at",
                f"two flagged {code} assessments of this course are dated "
                f"{spec.local_iso(when.local)}; allowed: one assessment per instrument and "
                "time when a safety action refers to it",
            )
            return
        if flagged is None:
            row.problem(
                "assessed_at",
                f"no flagged {code} assessment of this course at "
                f"{spec.local_iso(when.local)} in {spec.ASSESSMENTS}; allowed: the "
                "instrument and assessed_at of a flagged assessment",
            )
            return
        if taken.local < flagged.when:
            row.problem(
                "taken_at",
                "is before the assessment it answers; allowed: from "
                f"{spec.local_iso(flagged.when)}",
            )
        if not row.ok:
            return
        answered = min(level or flagged.level, flagged.level)  # never above what it saw
        flagged.answered = max(flagged.answered, answered)
        self._add(
            "safety_action",
            {
                "id": self._id("safety_action"),
                "assessment_id": flagged.id,
                "course_id": course.id,
                "kind": str(kind),
                "text": (text or "").strip(),
                "taken_by": by,
                "taken_at": stored_time(taken.utc),
                "flag_level": answered,
            },
        )

    # --- the end --------------------------------------------------------------------------

    def finish(self) -> None:
        """Close the flags the file's actions answered (as recording an action does)."""
        for table in self.state.next_id:
            self._flush(table)
        closed = [f.id for f in self.state.flagged.values() if f and f.answered >= f.level]
        for start in range(0, len(closed), 500):
            ids = closed[start : start + 500]
            self.session.execute(
                update(Assessment).where(col(Assessment.id).in_(ids)).values(flag_open=False)
            )


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
    return f"{utc:%Y-%m-%d %H:%M:%S}.{utc.microsecond:06d}"


def _detail_texts(details: dict[str, object]) -> None:
    """Text details (a TMS target, an anaesthetic) follow the one-line text rule."""
    for key, value in details.items():
        if isinstance(value, str):
            p_text(SHORT_TEXT_MAX)(value, f"details {key}")


def _safe_key(mrn: str) -> str:
    try:
        return mrn_key(mrn)
    except DomainError:
        return mrn
