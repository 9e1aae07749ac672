"""The Today view's worklist: sections, each fed by one indexed query.

A section is a title and a query ``(session, today, settings, limit) -> lines``;
the view shows them in order and every line opens its patient and course. A
query reads at most ``limit`` lines and tells how many there are in all (one
``count(*) OVER ()``), so a clinic of 22,481 patients with ten thousand overdue
courses still gets its list in milliseconds. New sections (REMS forms, courses
near their authorised count) are one more :class:`SectionSpec` in
:data:`SECTIONS`.

Dates: ``today`` is the local calendar day; stored times are UTC, so a local
day is turned into a UTC range before it reaches SQL. "Due" compares days in
SQL with ``julianday`` on UTC times, which may differ by the daylight-saving
hour for a session recorded within an hour of midnight; the due date shown is
computed exactly, in local time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import CourseId, CourseStatus, Modality, PatientId, Phase
from ..domain.instruments import INSTRUMENTS
from ..domain.settings import ClinicSettings
from ..storage.db import Database
from ..storage.mappers import to_local
from ..storage.tables import Patient
from .access import requires
from .procedure import courses_near_authorised_limit
from .rems import pending_rems_forms

DEFAULT_LIMIT = 200
"""Lines read per section; the rest are counted ("and 1,234 more")."""


@dataclass(frozen=True, slots=True)
class WorklistLine:
    """One line: who, which course, and what is due."""

    patient_id: PatientId
    course_id: CourseId | None
    name: str
    mrn: str
    what: str
    """ "IV ketamine · session 3 at 09:30", "Maintenance · due 2026-11-20 (every 21 days)"."""
    when: date | None = None
    """The day it happened or is due (sorting, and "overdue" in the view)."""


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    lines: tuple[WorklistLine, ...]
    total: int
    """Lines in all; more than ``len(lines)`` when the section was cut at the limit."""


Query = Callable[[Session, date, ClinicSettings, int], tuple[list[WorklistLine], int]]


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    title: str
    query: Query


# -- helpers ---------------------------------------------------------------------------------


def _utc_text(local_day: date) -> str:
    """Local midnight starting ``local_day`` as the stored UTC text (sortable, indexable)."""
    moment = datetime.combine(local_day, time.min).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _stored(value: Any) -> datetime:
    """A UTC time read by raw SQL (text) as a naive local time."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return to_local(moment)


def _course_label(modality: str) -> str:
    try:
        return Modality(modality).label
    except ValueError:
        return modality


def _phase_label(phase: str) -> str:
    try:
        return Phase(phase).label
    except ValueError:
        return phase


def _run(session: Session, sql: str, params: dict[str, Any]) -> tuple[list[Any], int]:
    rows = list(session.execute(text(sql), params).mappings())
    return rows, int(rows[0]["n_all"]) if rows else 0


_LIVE = "c.deleted_at IS NULL AND p.deleted_at IS NULL"

# -- sessions recorded today -----------------------------------------------------------------

_TODAY_SQL = f"""
SELECT c.patient_id, c.id AS course_id, p.name, p.mrn, c.modality, s.number, s.performed_at,
       count(*) OVER () AS n_all
FROM treatment_session s
JOIN course c ON c.id = s.course_id
JOIN patient p ON p.id = c.patient_id
WHERE s.performed_at >= :day_start AND s.performed_at < :day_end AND s.deleted_at IS NULL
  AND {_LIVE}
ORDER BY s.performed_at, s.id
LIMIT :limit
"""


def sessions_today(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Sessions recorded on ``today`` (served by ``ix_session_performed_at``)."""
    params = {
        "day_start": _utc_text(today),
        "day_end": _utc_text(today + timedelta(days=1)),
        "limit": limit,
    }
    rows, total = _run(session, _TODAY_SQL, params)
    return [_today_line(r) for r in rows], total


def _line(row: Any, what: str, when: date | None) -> WorklistLine:
    """A worklist line from a query row holding patient_id, course_id, name and mrn."""
    return WorklistLine(
        PatientId(row["patient_id"]),
        CourseId(row["course_id"]),
        row["name"],
        row["mrn"],
        what,
        when,
    )


def _today_line(row: Any) -> WorklistLine:
    when = _stored(row["performed_at"])
    what = f"session {row['number']} at {when:%H:%M} · {_course_label(row['modality'])}"
    return _line(row, what, when.date())


# -- scores typed today whose session is not recorded yet ----------------------------------

_AWAITING_SQL = f"""
SELECT c.patient_id, c.id AS course_id, p.name, p.mrn, c.modality,
       min(a.assessed_at) AS first_score, group_concat(DISTINCT a.instrument) AS codes,
       count(*) OVER () AS n_all
FROM assessment a
JOIN course c ON c.id = a.course_id
JOIN patient p ON p.id = c.patient_id
WHERE a.assessed_at >= :day_start AND a.assessed_at < :day_end AND a.deleted_at IS NULL
  AND a.timepoint = :pre_session AND +c.status = :active AND {_LIVE}
  AND NOT EXISTS (
    SELECT 1 FROM treatment_session s
    WHERE s.course_id = c.id AND s.deleted_at IS NULL
      AND s.performed_at >= :day_start AND s.performed_at < :day_end)
GROUP BY c.id, p.id
ORDER BY first_score, c.id
LIMIT :limit
"""


def awaiting_session(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Pre-session scores typed today on a course with no session recorded today: the
    nurse has entered the scores, the session is still to be recorded (real entry order).

    Served by the ``assessed_at`` index; each course's sessions of the day by
    ``ix_session_course_live_time``.
    """
    params = {
        "day_start": _utc_text(today),
        "day_end": _utc_text(today + timedelta(days=1)),
        "pre_session": "pre_session",
        "active": str(CourseStatus.ACTIVE),
        "limit": limit,
    }
    rows, total = _run(session, _AWAITING_SQL, params)
    return [_awaiting_line(r) for r in rows], total


def _awaiting_line(row: Any) -> WorklistLine:
    first = _stored(row["first_score"])
    codes = ", ".join(_instrument_name(c) for c in sorted(str(row["codes"]).split(",")))
    what = (
        f"scores at {first:%H:%M} ({codes}) · {_course_label(row['modality'])}: record the session"
    )
    return _line(row, what, first.date())


def _instrument_name(code: str) -> str:
    found = INSTRUMENTS.get(code)
    return found.name if found else code


# -- sessions due by the course's schedule ---------------------------------------------------


def _usable_days(value: object) -> bool:
    """A whole number of days 1-365: a settings file edited by hand cannot make every
    course due (0, "x") or none (-1, True)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 365


def _intervals(settings: ClinicSettings) -> dict[str, int]:
    found = settings.session_interval_days
    items = found.items() if isinstance(found, dict) else ()
    return {str(k): v for k, v in items if _usable_days(v)}


def _interval_sql(settings: ClinicSettings) -> tuple[str, dict[str, Any]]:
    """The course's own interval, else the clinic's default for its phase (NULL: none due)."""
    cases: list[str] = []
    params: dict[str, Any] = {}
    for index, (phase, days) in enumerate(sorted(_intervals(settings).items())):
        cases.append(f"WHEN :phase{index} THEN :every{index}")
        params[f"phase{index}"], params[f"every{index}"] = phase, days
    default = f"CASE c.phase {' '.join(cases)} END" if cases else "NULL"
    return f"coalesce(c.session_interval_days, {default})", params


_DUE_SQL = """
WITH courses AS MATERIALIZED (
  SELECT c.id AS course_id, c.patient_id, c.modality, c.phase, c.start_date,
         c.planned_sessions, {every} AS every,
         (SELECT max(s.performed_at) FROM treatment_session s
          WHERE s.course_id = c.id AND s.deleted_at IS NULL) AS last_session,
         (SELECT count(*) FROM treatment_session s
          WHERE s.course_id = c.id AND s.deleted_at IS NULL) AS done
  FROM course c
  WHERE c.status = :active AND c.deleted_at IS NULL
), listed AS (
  SELECT *, julianday(last_session) + every AS due_day FROM courses
  WHERE every IS NOT NULL AND NOT (phase = :induction AND done >= planned_sessions)
    AND ((last_session IS NULL AND start_date <= :today)
         OR julianday(last_session) + every < julianday(:tomorrow))
)
SELECT l.*, p.name, p.mrn, count(*) OVER () AS n_all
FROM listed l JOIN patient p ON p.id = l.patient_id
WHERE p.deleted_at IS NULL
ORDER BY coalesce(l.due_day, julianday(l.start_date)), l.course_id
LIMIT :limit
"""
"""The last session and the count are read once per active course (MATERIALIZED), from
the covering index ``ix_session_course_live_time``; patients are joined after the
filter. An induction that has had its planned sessions is not due (its next step is a
phase change or the end of the course, not another session)."""


def sessions_due(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Active courses whose next session is due today or overdue, oldest due first.

    Due = the last session's day + the course's interval (or its phase's default);
    a course without sessions is due from its start date. One pass over the active
    courses, each reading its last session from ``ix_session_course_time``.
    """
    every, params = _interval_sql(settings)
    sql = _DUE_SQL.format(every=every)
    params |= {
        "active": str(CourseStatus.ACTIVE),
        "induction": str(Phase.INDUCTION),
        "today": today.isoformat(),
        "tomorrow": _utc_text(today + timedelta(days=1)),
        "limit": limit,
    }
    rows, total = _run(session, sql, params)
    return [_due_line(r, today) for r in rows], total


def _due_line(row: Any, today: date) -> WorklistLine:
    every = int(row["every"])
    start = row["start_date"]
    start = start if isinstance(start, date) else date.fromisoformat(str(start))
    if row["last_session"] is None:
        due, since = start, "no session yet"
    else:
        last = _stored(row["last_session"]).date()
        due, since = last + timedelta(days=every), f"last {last:%Y-%m-%d}"
    late = (today - due).days
    when = "due today" if late <= 0 else f"{late} d overdue (due {due:%Y-%m-%d})"
    what = (
        f"{when} · {_course_label(row['modality'])}, {_phase_label(row['phase']).lower()} "
        f"every {every} d · {since}"
    )
    return _line(row, what, due)


# -- open safety flags -----------------------------------------------------------------------

_FLAGS_SQL = f"""
SELECT c.patient_id, p.name, p.mrn, max(a.assessed_at) AS latest,
       (SELECT n.course_id FROM assessment n JOIN course nc ON nc.id = n.course_id
        WHERE nc.patient_id = c.patient_id AND n.flag_open AND n.deleted_at IS NULL
          AND nc.deleted_at IS NULL
        ORDER BY n.assessed_at DESC, n.id DESC LIMIT 1) AS course_id,
       count(*) AS n, count(*) OVER () AS n_all
FROM assessment a
JOIN course c ON c.id = a.course_id
JOIN patient p ON p.id = c.patient_id
WHERE a.flag_open AND a.deleted_at IS NULL AND {_LIVE}
GROUP BY c.patient_id, p.id
ORDER BY latest DESC, c.patient_id
LIMIT :limit
"""
"""Served by the partial index ``ix_assessment_open_flag``; a line opens the course of
the patient's newest open flag (a subquery, not SQLite's bare column, so PostgreSQL
reads it the same way)."""


def open_flags(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Patients with an open safety flag, newest flag first (the same rule as the list)."""
    rows, total = _run(session, _FLAGS_SQL, {"limit": limit})
    return [_flag_line(r) for r in rows], total


def _flag_line(row: Any) -> WorklistLine:
    latest = _stored(row["latest"])
    n = int(row["n"])
    what = f"{n} open safety flag{'s' if n != 1 else ''} · latest {latest:%Y-%m-%d} · no action yet"
    return _line(row, what, latest.date())


# -- follow-ups due after induction ----------------------------------------------------------

_FOLLOW_UP_SQL = f"""
WITH ends AS (
  SELECT s.course_id, max(s.performed_at) AS ended
  FROM treatment_session s
  WHERE s.performed_at >= :from AND s.performed_at < :to
    AND s.phase = :induction AND s.deleted_at IS NULL
  GROUP BY s.course_id
)
SELECT c.patient_id, c.id AS course_id, p.name, p.mrn, c.modality, e.ended,
       (SELECT max(a.assessed_at) FROM assessment a
        WHERE a.course_id = c.id AND a.timepoint = :follow_up AND a.deleted_at IS NULL)
         AS last_follow_up
FROM ends e
JOIN course c ON c.id = e.course_id
JOIN patient p ON p.id = c.patient_id
WHERE {_LIVE} AND (c.phase != :induction OR c.status != :active)
  AND NOT EXISTS (
    SELECT 1 FROM treatment_session later
    WHERE later.course_id = c.id AND later.phase = :induction AND later.deleted_at IS NULL
      AND later.performed_at >= :to)
ORDER BY e.ended, c.id
"""


def follow_ups_due(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Follow-ups due 1 week and 1 month (``follow_up_days``) after the last induction session.

    Listed from ``follow_up_lead_days`` before the due day to ``follow_up_overdue_days``
    after it, until a follow-up assessment dated inside that window is recorded. Only
    inductions that ended in that window are read (``ix_session_performed_at``), and
    only courses that left induction (another phase, completed or discontinued).
    """
    days = tuple(d for d in settings.follow_up_days if _usable_days(d))
    if not days:
        return [], 0
    lead, overdue = settings.follow_up_lead_days, settings.follow_up_overdue_days
    params = {
        "from": _utc_text(today - timedelta(days=max(days) + overdue)),
        "to": _utc_text(today - timedelta(days=min(days) - lead - 1)),
        "induction": str(Phase.INDUCTION),
        "follow_up": "follow_up",
        "active": str(CourseStatus.ACTIVE),
    }
    lines = [
        line
        for row in session.execute(text(_FOLLOW_UP_SQL), params).mappings()
        for line in _follow_up_lines(row, today, settings)
    ]
    lines.sort(key=lambda line: (line.when or today, line.patient_id))
    return lines[:limit], len(lines)


def _follow_up_lines(row: Any, today: date, settings: ClinicSettings) -> list[WorklistLine]:
    ended = _stored(row["ended"]).date()
    last = _stored(row["last_follow_up"]).date() if row["last_follow_up"] else None
    lead, overdue = settings.follow_up_lead_days, settings.follow_up_overdue_days
    lines = []
    for days in (d for d in settings.follow_up_days if _usable_days(d)):
        due = ended + timedelta(days=days)
        opens = due - timedelta(days=lead)
        if not opens <= today <= due + timedelta(days=overdue) or (last and last >= opens):
            continue
        what = (
            f"{follow_up_name(days)} follow-up due {due:%Y-%m-%d} · "
            f"{_course_label(row['modality'])}, induction ended {ended:%Y-%m-%d}"
        )
        lines.append(
            WorklistLine(
                PatientId(row["patient_id"]),
                CourseId(row["course_id"]),
                row["name"],
                row["mrn"],
                what,
                due,
            )
        )
    return lines


def follow_up_name(days: int) -> str:
    """7 -> "1-week", 30 -> "1-month", 14 -> "14-day"."""
    return {7: "1-week", 14: "2-week", 30: "1-month", 90: "3-month"}.get(days, f"{days}-day")


# -- the worklist ----------------------------------------------------------------------------

# -- REMS forms and payer authorisations (queries in services/rems.py, services/procedure.py) --


def rems_forms_due(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Esketamine sessions of the last ``rems_worklist_days`` whose REMS monitoring form
    is still to be submitted (older ones are history to reconcile, not today's work: a
    record brought in from before the clinic tracked forms would flood the list)."""
    oldest = settings.rems_submit_days - settings.rems_worklist_days
    found = [f for f in pending_rems_forms(session, today) if f.days_left >= oldest]
    lines = [
        (
            f.patient_id,
            f.course_id,
            f"REMS form for the session of {f.performed_at:%Y-%m-%d}: "
            + (f"{f.days_left} day(s) left" if f.days_left >= 0 else f"{-f.days_left} day(s) late"),
            today + timedelta(days=f.days_left),
        )
        for f in found
    ]
    return _named(session, lines[:limit]), len(lines)


def authorisations_running_out(
    session: Session, today: date, settings: ClinicSettings, limit: int
) -> tuple[list[WorklistLine], int]:
    """Active courses near (or past) the sessions their payer authorised."""
    found = courses_near_authorised_limit(session, settings.authorised_remaining_warn)
    lines = [
        (
            c.patient_id,
            c.course_id,
            f"{c.used} of {c.authorised} authorised sessions used · {c.remaining} left",
            None,
        )
        for c in found
    ]
    return _named(session, lines[:limit]), len(lines)


def _named(
    session: Session, lines: Sequence[tuple[PatientId, CourseId, str, date | None]]
) -> list[WorklistLine]:
    """Add each live patient's name and MRN in one query (deleted patients drop out)."""
    ids = sorted({pid for pid, *_ in lines})
    if not ids:
        return []
    rows = session.exec(
        select(Patient.id, Patient.name, Patient.mrn).where(
            col(Patient.id).in_(ids), col(Patient.deleted_at).is_(None)
        )
    ).all()
    names = {pid: (name, mrn) for pid, name, mrn in rows}
    return [
        WorklistLine(pid, cid, *names[pid], what, when)
        for pid, cid, what, when in lines
        if pid in names
    ]


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("today", "Sessions recorded today", sessions_today),
    SectionSpec("awaiting", "Scores typed today, session not recorded yet", awaiting_session),
    SectionSpec("due", "Sessions due by the course schedule", sessions_due),
    SectionSpec("flags", "Open safety flags", open_flags),
    SectionSpec("follow_up", "Follow-ups due after induction", follow_ups_due),
    SectionSpec("rems", "REMS monitoring forms to submit", rems_forms_due),
    SectionSpec("authorised", "Payer-authorised sessions running out", authorisations_running_out),
)
"""The Today view's sections, in the order shown."""


@requires(Action.VIEW_RECORD)
def today_worklist(
    db: Database,
    today: date,
    settings: ClinicSettings,
    *,
    sections: Sequence[SectionSpec] = SECTIONS,
    limit: int = DEFAULT_LIMIT,
) -> list[Section]:
    """Every section, read in one snapshot so the counts agree with each other."""
    with db.read() as session:
        found = []
        for spec in sections:
            lines, total = spec.query(session, today, settings, limit)
            found.append(Section(spec.key, spec.title, tuple(lines), total))
        return found
