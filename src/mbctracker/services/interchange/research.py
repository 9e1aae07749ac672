"""The de-identified research extract: the interchange files with HIPAA Safe Harbor applied.

Safe Harbor (45 CFR 164.514(b)(2)) as CLINICAL.md states it: names, record numbers
and free text are removed; each patient gets a random study id (the key table linking
it to the MRN is written only to ``--key-file``, owner-only); every date is reduced to
its year; ages over 89 are written ``90+`` and the birth year of such a patient is
left out. Whole days since the course start are added only with ``days_since_start``:
that is *not* Safe Harbor (it needs the clinic's expert determination or a limited
data set under a data use agreement), so it is off by default.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select

from ...domain.access import Action
from ...domain.course import SESSION_FIELDS
from ...domain.errors import ValidationError
from ...storage.db import Database
from ...storage.mappers import to_local
from ..access import requires
from . import spec
from .csv_export import (
    Progress,
    X,
    actions_query,
    assessments_query,
    count_rows,
    courses_query,
    events_query,
    patients_query,
    phase_changes_query,
    sessions_query,
    write_table,
)
from .target import check_file, csv_writer, database_files, prepare_folder

OLDEST_AGE = 89
"""Ages above this are one category, "90+" (Safe Harbor)."""
AGE_90_PLUS = "90+"

FREE_TEXT_DETAILS = frozenset(
    f.key for fields in SESSION_FIELDS.values() for f in fields if f.kind == "text"
)
"""Session details typed as free text (a TMS target, an anaesthetic): removed."""


FILES = tuple(f for f in spec.FILES if f not in (spec.VITALS, spec.REMS))
"""The extract's files: the session monitoring records (vitals, REMS) are not extracted."""


def columns(file: str, days: bool) -> tuple[str, ...]:
    """The extract's columns: the interchange's without identifiers or free text."""
    day = ("day",) if days else ()
    items = spec.item_columns()
    return {
        spec.PATIENTS: ("study_id", "birth_year", "age", "sex", "comorbidities"),
        spec.COURSES: (
            "course_key",
            "study_id",
            "modality",
            "start_year",
            "age_at_start",
            "planned_sessions",
            "phase",
            "status",
            "end_year",
            *(("end_day",) if days else ()),
            "discontinue_reason",
        ),
        spec.PHASE_CHANGES: ("course_key", "phase", "year", *day),
        spec.SESSIONS: (
            "course_key",
            "number",
            "year",
            *day,
            "phase",
            "details",
            "side_effects",
            "prn_medication",
        ),
        spec.ASSESSMENTS: (
            "course_key",
            "assessment_key",
            "instrument",
            "year",
            *day,
            "timepoint",
            "session_number",
            *items,
            *spec.SCORE_COLUMNS,
        ),
        spec.EVENTS: ("study_id", "course_key", "kind", "year", *day, "reason"),
        spec.SAFETY_ACTIONS: ("course_key", "assessment_key", "kind", "year", *day, "flag_level"),
    }[file]


@dataclass
class _Keys:
    """Study ids and course keys given in this extract (random; never stored in it)."""

    today: date
    days: bool
    study: dict[int, str] = field(default_factory=dict)
    mrn: dict[str, str] = field(default_factory=dict)
    born: dict[int, date | None] = field(default_factory=dict)
    course: dict[int, tuple[str, date]] = field(default_factory=dict)
    per_patient: dict[int, int] = field(default_factory=dict)
    assessment: dict[int, int] = field(default_factory=dict)
    acted_on: set[int] = field(default_factory=set)
    assessments: int = 0

    def new_study_id(self) -> str:
        while True:
            found = "S" + secrets.token_hex(5).upper()
            if found not in self.mrn:
                return found


@dataclass(frozen=True, slots=True)
class ResearchResult:
    folder: Path
    patients: int
    rows: dict[str, int]


def age(born: date | None, on: date) -> int | str | None:
    """Whole years on ``on``; over 89 the one category "90+"."""
    if born is None:
        return None
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return AGE_90_PLUS if years > OLDEST_AGE else years


@requires(Action.EXCHANGE)
def export_research(
    db: Database,
    folder: Path,
    *,
    key_file: Path | None = None,
    days_since_start: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> ResearchResult:
    """Write the de-identified extract into ``folder`` (and the key table to ``key_file``).

    Raises:
        ValidationError: a target is the database or exists without ``overwrite``, or
            the key file would sit inside the extract (it would travel with it).
    """
    keep = database_files(db.path)
    if key_file is not None:
        _check_key_file(key_file, folder, keep, overwrite)
    prepare_folder(folder, FILES, keep=keep, overwrite=overwrite)
    keys = _Keys(today or date.today(), days_since_start)
    rows: dict[str, int] = {}
    with db.read() as session:
        keys.acted_on = set(
            session.execute(select(X.assessment_id).where(X.deleted_at.is_(None))).scalars()
        )
        plan = _plan(keys)
        total = sum(count_rows(session, q) for _, q, _ in plan)
        for name, query, cells in plan:
            rows[name] = write_table(
                session,
                folder / name,
                columns(name, keys.days),
                query,
                lambda row, cells=cells: cells(row, keys),  # type: ignore[misc]
                overwrite,
                sum(rows.values()),
                total,
                progress,
            )
    if key_file is not None:
        _write_key_file(key_file, keys, overwrite)
    return ResearchResult(folder, len(keys.study), rows)


def _check_key_file(key_file: Path, folder: Path, keep: list[Path], overwrite: bool) -> None:
    if (
        key_file.resolve().parent == folder.resolve()
        or folder.resolve() in key_file.resolve().parents
    ):
        raise ValidationError(
            f"--key-file {key_file} is inside the extract folder; allowed: a file outside "
            f"{folder}, kept apart from the extract",
            field="key_file",
        )
    check_file(key_file, keep=keep, overwrite=overwrite)


def _write_key_file(key_file: Path, keys: _Keys, overwrite: bool) -> None:
    with csv_writer(key_file, overwrite=overwrite) as writer:
        writer.writerow(("study_id", "mrn"))
        for study_id, mrn in keys.mrn.items():
            writer.writerow((study_id, spec.write_cell(mrn)))


Cells = Callable[[Any, _Keys], list[object] | None]


def _plan(keys: _Keys) -> list[tuple[str, Select[Any], Cells]]:
    return [
        (spec.PATIENTS, patients_query(), _patient),
        (spec.COURSES, courses_query(), _course),
        (spec.PHASE_CHANGES, phase_changes_query(), _phase_change),
        (spec.SESSIONS, sessions_query(), _session),
        (spec.ASSESSMENTS, assessments_query(), _assessment),
        (spec.EVENTS, events_query(), _event),
        (spec.SAFETY_ACTIONS, actions_query(), _action),
    ]


def _day(keys: _Keys, course_id: int, moment: date | datetime) -> list[object]:
    """The whole days since the course start, when asked for (not Safe Harbor)."""
    if not keys.days:
        return []
    day = to_local(moment).date() if isinstance(moment, datetime) else moment
    return [(day - keys.course[course_id][1]).days]


def _year(moment: date | datetime | None) -> int | None:
    if moment is None:
        return None
    return to_local(moment).year if isinstance(moment, datetime) else moment.year


def _patient(row: Any, keys: _Keys) -> list[object]:
    study_id = keys.new_study_id()
    keys.study[row.id], keys.mrn[study_id], keys.born[row.id] = study_id, row.mrn, row.date_of_birth
    now = age(row.date_of_birth, keys.today)
    birth_year = None if now == AGE_90_PLUS or row.date_of_birth is None else row.date_of_birth.year
    comorbidities = spec.LIST_SEPARATOR.join(json.loads(row.comorbidities))
    return [study_id, birth_year, now, row.sex, comorbidities]


def _course(row: Any, keys: _Keys) -> list[object]:
    study_id = keys.study[row.patient_id]
    ordinal = keys.per_patient[row.patient_id] = keys.per_patient.get(row.patient_id, 0) + 1
    course_key = f"{study_id}-{ordinal}"
    keys.course[row.id] = (course_key, row.start_date)
    end_day = [(row.end_date - row.start_date).days if row.end_date else None] if keys.days else []
    return [
        course_key,
        study_id,
        row.modality,
        row.start_date.year,
        age(keys.born[row.patient_id], row.start_date),
        row.planned_sessions,
        row.phase,
        row.status,
        _year(row.end_date),
        *end_day,
        row.discontinue_reason,
    ]


def _phase_change(row: Any, keys: _Keys) -> list[object]:
    return [
        keys.course[row.course_id][0],
        row.phase,
        row.started_on.year,
        *_day(keys, row.course_id, row.started_on),
    ]


def _session(row: Any, keys: _Keys) -> list[object]:
    details = {k: v for k, v in json.loads(row.details).items() if k not in FREE_TEXT_DETAILS}
    return [
        keys.course[row.course_id][0],
        row.number,
        _year(row.performed_at),
        *_day(keys, row.course_id, row.performed_at),
        row.phase,
        json.dumps(details, sort_keys=True) if details else "",
        spec.LIST_SEPARATOR.join(json.loads(row.side_effects)),
        spec.LIST_SEPARATOR.join(json.loads(row.prn_medication)),
    ]


def _assessment(row: Any, keys: _Keys) -> list[object]:
    keys.assessments += 1
    number = keys.assessments  # the row's place in the file: actions refer to it
    if row.id in keys.acted_on:
        keys.assessment[row.id] = number
    items: list[object] = json.loads(row.responses)
    if row.supplementary is not None:
        items.append(row.supplementary)
    items += [None] * (len(spec.item_columns()) - len(items))
    return [
        keys.course[row.course_id][0],
        number,
        row.instrument,
        _year(row.assessed_at),
        *_day(keys, row.course_id, row.assessed_at),
        row.timepoint,
        row.session_number,
        *items,
        row.total,
        row.exact_total,
        row.prorated,
        row.severity,
        row.safety_flag,
    ]


def _event(row: Any, keys: _Keys) -> list[object]:
    course_key, _ = keys.course[row.course_id]
    return [
        course_key.rsplit("-", 1)[0],
        course_key,
        row.kind,
        row.occurred_on.year,
        *_day(keys, row.course_id, row.occurred_on),
        row.reason,
    ]


def _action(row: Any, keys: _Keys) -> list[object]:
    return [
        keys.course[row.course_id][0],
        keys.assessment.get(row.assessment_id),
        row.kind,
        _year(row.taken_at),
        *_day(keys, row.course_id, row.taken_at),
        row.flag_level,
    ]
