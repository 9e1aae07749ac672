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

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from ...domain.access import Action
from ...domain.course import (
    PRN_MEDICATIONS,
    SIDE_EFFECTS,
    DropoutReason,
    EventKind,
    Modality,
    Phase,
    SafetyActionKind,
    Timepoint,
    check_session_details,
)
from ...domain.errors import ValidationError
from ...domain.instruments import INSTRUMENTS, Instrument
from ...domain.limits import (
    NAME_MAX,
    NOTES_MAX,
    SESSION_NUMBER_MAX,
    SHORT_TEXT_MAX,
)
from ...domain.procedure import (
    REMS_CONCOMITANT,
    RESPIRATORY_STATUS,
    VITAL_FIELDS,
    VITALS_MODALITIES,
    RemsRecord,
    VitalPoint,
    VitalSigns,
    check_rems,
    check_vitals,
)
from ...domain.scoring import Score, check_supplementary, score
from ...domain.settings import ClinicSettings
from ...storage.db import Database
from ...storage.mappers import dumps
from ...storage.portable import advance_ids
from ...storage.tables import Assessment
from ..access import requires
from ..clinic import load_clinic_settings
from ..rems import LOT_NUMBER_MAX
from . import spec
from .cells import (
    Moment,
    Reading,
    Row,
    answers,
    p_bool,
    p_choice,
    p_date,
    p_datetime,
    p_int,
    p_json_object,
    p_mrn,
    p_optional_choice,
    p_strings,
    p_text,
    p_warnings,
)
from .records import (
    SCORE_KEYS,
    CourseRef,
    Flagged,
    PatientRef,
    Progress,
    RecordReader,
    score_values,
    stored_time,
)

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


@requires(Action.EXCHANGE)
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


class _Importer(RecordReader):
    """Sessions, assessments, events and safety actions, on top of the patients and courses."""

    def __init__(
        self, session: Session, actor: str, clinic: ClinicSettings, merge: bool, source: str
    ) -> None:
        super().__init__(session, actor, clinic, merge, source)
        self.handlers.update(
            {
                spec.SESSIONS: self.treatment_session,
                spec.ASSESSMENTS: self.assessment,
                spec.EVENTS: self.event,
                spec.SAFETY_ACTIONS: self.action,
                spec.VITALS: self.vital,
                spec.REMS: self.rems,
            }
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
        warnings = row.get("warnings", p_warnings)
        if course is None:
            return
        self._session_rules(row, course, number, when, details, side_effects or (), prn or ())
        if not row.ok:
            return
        assert number and when and details is not None and side_effects is not None
        assert prn is not None and warnings is not None
        new_id = self._id("treatment_session")
        self.state.sessions.setdefault(course.id, {})[number] = (new_id, when.utc)
        marks = self.state.session_phases.setdefault(course.id, [])
        marks.append((when.local, phase or course.phase))
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
                "warnings": warnings,
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

    # --- assessments ----------------------------------------------------------------------

    def assessment(self, row: Row) -> None:
        course = self._course_ref(row)
        instrument = self._instrument(row)
        when = row.get("assessed_at", p_datetime())
        timepoint = row.get("timepoint", p_optional_choice(Timepoint)) or Timepoint.PRE_SESSION
        number = row.get("session_number", p_int(1, SESSION_NUMBER_MAX, optional=True))
        rater = row.get("rater", p_text(NAME_MAX))
        manual = row.get("link_manual", p_bool)
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
                "link_manual": int(bool(manual)),
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

    # --- vitals and REMS records ---------------------------------------------------------

    def _session_ref(
        self, row: Row, course: CourseRef, allowed: set[Modality], what: str
    ) -> tuple[int, datetime] | None:
        """The session a vitals or REMS row belongs to (by number), of a modality that has it:
        its id and UTC time."""
        number = row.get("session_number", p_int(1, SESSION_NUMBER_MAX))
        if course.modality not in allowed:
            names = ", ".join(sorted(m.label for m in allowed))
            row.problem(
                "course_key",
                f"{course.modality.label} sessions have no {what}; allowed: a course of {names}",
            )
            return None
        if number is None:
            return None
        found = self.state.sessions.get(course.id, {}).get(number)
        if found is None:
            row.problem(
                "session_number",
                f"session {number} is not in {spec.SESSIONS} for this course; allowed: a "
                "session number listed there",
            )
            return None
        return found

    def vital(self, row: Row) -> None:
        course = self._course_ref(row)
        point = row.get("point", p_choice(VitalPoint))
        at = row.get("taken_at", p_datetime(optional=True))
        values = {f.key: row.get(f.key, p_int(*f.possible, optional=True)) for f in VITAL_FIELDS}
        if course is None:
            return
        owner = self._session_ref(row, course, set(VITALS_MODALITIES), "vitals flowsheet")
        if point is not None and row.ok:
            self._check(row, "diastolic", lambda: check_vitals(_reading(point, values)))
        if owner is None or point is None or not row.ok:
            return
        self._add(
            "vital_sign",
            {
                "id": self._id("vital_sign"),
                "session_id": owner[0],
                "course_id": course.id,
                "point": str(point),
                "taken_at": stored_time(at.utc) if at else None,
                **values,
            },
        )

    def rems(self, row: Row) -> None:
        course = self._course_ref(row)
        lot = row.get("lot_number", p_text(LOT_NUMBER_MAX))
        times = {
            c: row.get(c, p_datetime(optional=True))
            for c in ("monitoring_start", "monitoring_end", "ready_to_leave_at")
        }
        status = row.get("respiratory_status", p_text(SHORT_TEXT_MAX))
        concomitant = row.get("concomitant", p_strings)
        submitted = row.get("submitted_on", p_date(optional=True))
        if course is None:
            return
        owner = self._session_ref(row, course, {Modality.ESKETAMINE}, "REMS record")
        session_id = owner[0] if owner else None
        start = times["monitoring_start"]
        if owner is not None and start is not None and start.utc < owner[1] - timedelta(hours=1):
            performed = spec.local_iso(owner[1].astimezone().replace(tzinfo=None))
            row.problem(
                "monitoring_start",
                f"is before the session ({performed}); allowed: from the session's time",
            )
        if session_id is not None:
            first = self.state.first_line.setdefault((row.file, str(session_id)), row.line)
            if first != row.line:
                row.problem(
                    "session_number",
                    f"this session already has a REMS record (line {first}); allowed: one "
                    "per session",
                )
        self._rems_choices(row, status or "", concomitant or ())
        record = RemsRecord(
            monitoring_start=times["monitoring_start"].local if times["monitoring_start"] else None,
            monitoring_end=times["monitoring_end"].local if times["monitoring_end"] else None,
            respiratory_status=status or "",
            concomitant=tuple(concomitant or ()),
        )
        if row.ok:
            self._check(row, "monitoring_end", lambda: check_rems(record, course.settings))
        if session_id is None or not row.ok:
            return
        self._add(
            "rems_record",
            {
                "id": self._id("rems_record"),
                "session_id": session_id,
                "course_id": course.id,
                "lot_number": lot,
                **{c: stored_time(m.utc) if m else None for c, m in times.items()},
                "respiratory_status": status,
                "concomitant": dumps(list(dict.fromkeys(concomitant or ()))),
                "submitted_on": submitted.isoformat() if submitted else None,
            },
        )

    def _rems_choices(self, row: Row, status: str, concomitant: tuple[str, ...]) -> None:
        """The form's choices, each wrong cell named (check_rems stops at the first)."""
        if status and status not in RESPIRATORY_STATUS:
            row.problem(
                "respiratory_status",
                f"{status!r} is not one of the choices; allowed: {', '.join(RESPIRATORY_STATUS)}",
            )
        for name in concomitant:
            if name not in REMS_CONCOMITANT:
                row.problem(
                    "concomitant",
                    f"{name!r} is not on the REMS form; allowed: {'; '.join(REMS_CONCOMITANT)}",
                )

    # --- the end --------------------------------------------------------------------------

    def finish(self) -> None:
        """Date the phases of courses the file has none for, and close the flags the
        file's actions answered (as recording an action does)."""
        self.derive_phase_changes()
        for table in self.state.next_id:
            self._flush(table)
        advance_ids(self.session.connection(), self.state.next_id)
        closed = [f.id for f in self.state.flagged.values() if f and f.answered >= f.level]
        for start in range(0, len(closed), 500):
            ids = closed[start : start + 500]
            self.session.execute(
                update(Assessment).where(col(Assessment.id).in_(ids)).values(flag_open=False)
            )


def _reading(point: VitalPoint, values: dict[str, int | None]) -> VitalSigns:
    return VitalSigns(
        point,
        systolic=values["systolic"],
        diastolic=values["diastolic"],
        heart_rate=values["heart_rate"],
        spo2=values["spo2"],
    )


def _detail_texts(details: dict[str, object]) -> None:
    """Text details (a TMS target, an anaesthetic) follow the one-line text rule."""
    for key, value in details.items():
        if isinstance(value, str):
            p_text(SHORT_TEXT_MAX)(value, f"details {key}")
