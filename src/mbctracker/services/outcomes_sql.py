"""The SQL that loads the clinic outcome analyses' inputs: one row per course.

The database does the filtering and the per-course picking. At 22,481 patients the
assessment table holds a million rows and reading them is the cost, so no query scans
it: each pick is a correlated ``ORDER BY ... LIMIT 1`` per course and instrument that the
(course, time) index answers by reading the few rows at one end of the course (the
baseline at the start, the end-of-induction value just before the induction's end).
Per-course bounds are worked out once per course in small TEMP tables. Every
query reads live rows only: a soft-deleted patient, course, session, assessment or event
is never read. Dates are local calendar dates, as the app shows them: a local day is
turned into its UTC bounds once per course (its local midnight as a UTC instant) and
stored UTC times are compared with those.

One query text per step serves both engines; the few date operations and parameter
types that differ are the :class:`Fragments` below (issue 13). "Local" is this
computer's zone on both: SQLite's ``'localtime'`` reads it from the C library, and
PostgreSQL is given its name (``AT TIME ZONE :zone``, ``storage.portable.local_zone``),
never the server's own ``TimeZone``.

The TEMP tables live on the one connection a load uses and are dropped at its end.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMP_TABLES = ("oc_scope", "oc_ses", "oc_base", "oc_ind")

LIVE_VALID = "a.deleted_at IS NULL AND a.valid AND a.total IS NOT NULL"
CODES = "(SELECT 'PHQ9' AS code UNION ALL SELECT 'GAD7' UNION ALL SELECT 'MADRS')"
"""The outcome instruments (domain.outcome_definitions.OUTCOME_INSTRUMENTS)."""


@dataclass(frozen=True, slots=True)
class Fragments:
    """What an engine spells its own way; ``{0}``, ``{1}`` are SQL expressions."""

    temp: str
    """The TEMP tables' schema (for ``DROP``)."""
    index_in: str
    """Prefix of a TEMP table's index name (SQLite names the schema, PostgreSQL may not)."""
    local_day: str
    """The local calendar day of the UTC instant {0}."""
    midnight_utc: str
    """The UTC instant of local midnight starting day {0} plus {1} days."""
    plus_days: str
    """Day {0} plus {1} days."""
    days_between: str
    """Whole days from day {1} to day {0}."""
    param: str
    """Parameter {0} of SQL type {1} (PostgreSQL cannot infer ``:x IS NULL``'s type)."""
    analyze: bool
    """Give the planner the TEMP tables' sizes (PostgreSQL's autovacuum never does)."""

    def p(self, name: str, sql_type: str) -> str:
        return self.param.format(name, sql_type)


SQLITE = Fragments(
    temp="temp",
    index_in="temp.",
    local_day="date({0}, 'localtime')",
    midnight_utc="datetime({0}, '+' || ({1}) || ' days', 'utc')",
    plus_days="date({0}, '+' || ({1}) || ' days')",
    days_between="(julianday({0}) - julianday({1}))",
    param=":{0}",
    analyze=False,
)
POSTGRESQL = Fragments(
    temp="pg_temp",
    index_in="",
    local_day="CAST(({0}) AT TIME ZONE CAST(:zone AS text) AS date)",
    midnight_utc="(CAST(({0}) + ({1}) AS timestamp) AT TIME ZONE CAST(:zone AS text))",
    plus_days="(({0}) + ({1}))",
    days_between="(({0}) - ({1}))",
    param="CAST(:{0} AS {1})",
    analyze=True,
)
DIALECTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def indexes(f: Fragments) -> dict[str, str]:
    """Keys of the TEMP tables, made after they are filled (every join below uses one)."""
    keys = {
        "oc_scope": "(course_id)",
        "oc_ses": "(course_id)",
        "oc_base": "(course_id, instrument)",
        "oc_ind": "(session_id)",
    }
    return {
        table: f"CREATE UNIQUE INDEX {f.index_in}{table}_key ON {table} {key}"
        for table, key in keys.items()
    }


def scope(f: Fragments) -> str:
    """Courses in scope: a live course of a live patient, by start date, modality, rater."""
    first, last = f.p("first_day", "integer"), f.p("last_day", "integer")
    modality, clinician = f.p("modality", "text"), f.p("clinician", "text")
    date_from, date_to = f.p("date_from", "date"), f.p("date_to", "date")
    return f"""
CREATE TEMP TABLE oc_scope AS
SELECT c.id AS course_id, c.patient_id, c.start_date,
  {f.midnight_utc.format("c.start_date", first)} AS week6_from_utc,
  {f.midnight_utc.format("c.start_date", f"{last} + 1")} AS week6_until_utc
FROM course c
JOIN patient p ON p.id = c.patient_id
WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL
  AND ({modality} IS NULL OR c.modality = {modality})
  AND ({date_from} IS NULL OR c.start_date >= {date_from})
  AND ({date_to} IS NULL OR c.start_date <= {date_to})
  AND ({clinician} IS NULL OR EXISTS (
    SELECT 1 FROM assessment r WHERE r.course_id = c.id AND r.deleted_at IS NULL
    AND r.rater = {clinician}))
"""


def sessions(f: Fragments) -> str:
    """Each course's session facts, with the UTC instants where its last induction day and
    its C/M window end (local midnights)."""
    day = f.local_day.format("last_induction_at")
    cm_days = f.p("cm_days", "integer")
    return f"""
CREATE TEMP TABLE oc_ses AS
SELECT course_id, first_at, last_at, last_induction_at, n_induction,
  {day} AS last_induction_day,
  {f.midnight_utc.format(day, "1")} AS induction_end_utc,
  {f.midnight_utc.format(day, f"{cm_days} + 1")} AS cm_end_utc
FROM (
  SELECT t.course_id, min(t.performed_at) AS first_at, max(t.performed_at) AS last_at,
    max(CASE WHEN t.phase = 'induction' THEN t.performed_at END) AS last_induction_at,
    sum(CASE WHEN t.phase = 'induction' THEN 1 ELSE 0 END) AS n_induction
  FROM treatment_session t JOIN oc_scope s ON s.course_id = t.course_id
  WHERE t.deleted_at IS NULL GROUP BY t.course_id
) facts
"""


BASELINES = f"""
CREATE TEMP TABLE oc_base AS
SELECT x.course_id, x.instrument, a.assessed_at AS at, a.total, a.id FROM (
  SELECT s.course_id, i.code AS instrument, coalesce(
    (SELECT a.id FROM assessment a WHERE a.course_id = s.course_id AND a.instrument = i.code
      AND a.timepoint = 'baseline' AND {LIVE_VALID} ORDER BY a.assessed_at, a.id LIMIT 1),
    (SELECT a.id FROM assessment a WHERE a.course_id = s.course_id AND a.instrument = i.code
      AND {LIVE_VALID} AND (ses.first_at IS NULL OR a.assessed_at <= ses.first_at)
      ORDER BY a.assessed_at, a.id LIMIT 1)) AS id
  FROM oc_scope s CROSS JOIN {CODES} i LEFT JOIN oc_ses ses ON ses.course_id = s.course_id
) x JOIN assessment a ON a.id = x.id
"""
"""Each course's baseline per instrument: the earliest valid assessment marked baseline,
else the first valid one if it is at or before the first session (else none)."""

VALUES = f"""
SELECT b.course_id, b.instrument, b.total, (
  SELECT a.total FROM assessment a WHERE a.course_id = b.course_id
    AND a.instrument = b.instrument AND {LIVE_VALID}
    AND a.assessed_at >= b.at AND a.id <> b.id AND a.assessed_at < s.induction_end_utc
  ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1)
FROM oc_base b LEFT JOIN oc_ses s ON s.course_id = b.course_id
"""
"""Baseline and end-of-induction value per course and instrument: the latest valid
non-baseline assessment dated on or before the last induction session's (local) date."""


def week6(f: Fragments) -> str:
    """The valid PHQ-9 closest to the target day within the window (a tie: the earlier);
    the window is cut by UTC bounds first so only a few rows per course get a local date."""
    offset = f.days_between.format(f.local_day.format("a.assessed_at"), "s.start_date")
    return f"""
SELECT course_id, total FROM (
  SELECT b.course_id, (
    SELECT w.total FROM (
      SELECT a.total, a.assessed_at, a.id,
        abs({offset} - {f.p("target", "integer")}) AS distance
      FROM assessment a WHERE a.course_id = b.course_id
        AND a.instrument = 'PHQ9' AND {LIVE_VALID} AND a.id <> b.id
        AND a.assessed_at >= s.week6_from_utc AND a.assessed_at < s.week6_until_utc
    ) w ORDER BY w.distance, w.assessed_at, w.id LIMIT 1) AS total
  FROM oc_base b JOIN oc_scope s ON s.course_id = b.course_id WHERE b.instrument = 'PHQ9'
) picked WHERE total IS NOT NULL
"""


def courses(f: Fragments) -> str:
    """One row per course: who, what, C/M, hospitalization, dates, dropout and its reason."""
    follow_end = f.plus_days.format("ses.last_induction_day", f.p("follow_days", "integer"))
    return f"""
SELECT c.id, c.patient_id, p.mrn, c.modality, c.settings_json, c.start_date, p.date_of_birth,
  p.sex, p.comorbidities, coalesce(ses.n_induction, 0),
  EXISTS (
    SELECT 1 FROM treatment_session t WHERE t.course_id = c.id AND t.deleted_at IS NULL
    AND t.phase IN ('continuation', 'maintenance')
    AND t.performed_at > ses.last_induction_at AND t.performed_at < ses.cm_end_utc),
  EXISTS (
    SELECT 1 FROM course other JOIN event e ON e.course_id = other.id
    WHERE other.patient_id = c.patient_id AND other.deleted_at IS NULL
    AND e.deleted_at IS NULL AND e.kind = 'hospitalization'
    AND e.occurred_on >= ses.last_induction_day
    AND e.occurred_on <= {follow_end}),
  ses.last_induction_day,
  c.status, c.end_date, {f.local_day.format("ses.last_at")},
  (SELECT min(e.occurred_on) FROM event e WHERE e.course_id = c.id AND e.deleted_at IS NULL
    AND e.kind = 'dropout'),
  coalesce((SELECT e.reason FROM event e WHERE e.course_id = c.id AND e.deleted_at IS NULL
    AND e.kind = 'dropout' ORDER BY e.occurred_on, e.id LIMIT 1), c.discontinue_reason)
FROM oc_scope s JOIN course c ON c.id = s.course_id JOIN patient p ON p.id = c.patient_id
LEFT JOIN oc_ses ses ON ses.course_id = c.id
ORDER BY c.id
"""


INDUCTION_VISITS = """
CREATE TEMP TABLE oc_ind AS
SELECT t.id AS session_id, t.course_id, latest.mrn, row_number() OVER (
  PARTITION BY t.course_id ORDER BY t.performed_at, t.id) AS visit
FROM treatment_session t JOIN (
  SELECT course_id, mrn FROM (
    SELECT c.id AS course_id, p.mrn, row_number() OVER (
      PARTITION BY c.patient_id ORDER BY c.start_date DESC, c.id DESC) AS rn
    FROM oc_scope s JOIN course c ON c.id = s.course_id JOIN patient p ON p.id = c.patient_id
    WHERE c.modality = 'iv_ketamine'
  ) ranked WHERE rn = 1
) latest ON latest.course_id = t.course_id
WHERE t.deleted_at IS NULL AND t.phase = 'induction'
"""
"""The induction sessions of each patient's latest IV ketamine course in scope, numbered."""


def trajectory(f: Fragments) -> str:
    """Visit totals: visit 0 is the baseline, visit n the valid pre-session assessment
    recorded with induction session n (the latest, if several)."""
    return f"""
SELECT i.mrn, b.instrument, 0, b.total
FROM (SELECT DISTINCT course_id, mrn FROM oc_ind) i JOIN oc_base b ON b.course_id = i.course_id
UNION ALL
SELECT mrn, instrument, visit, total FROM (
  SELECT i.mrn, b.instrument, i.visit, (
    SELECT a.total FROM assessment a WHERE a.session_id = i.session_id
      AND a.instrument = b.instrument AND a.timepoint = 'pre_session' AND {LIVE_VALID}
    ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1) AS total
  FROM oc_ind i JOIN oc_base b ON b.course_id = i.course_id
  WHERE i.visit <= {f.p("max_visit", "integer")}
) visits WHERE total IS NOT NULL
"""


def record_dates(f: Fragments) -> str:
    """The record's first and last dates: any live session, assessment or event (the whole
    record, not the filtered scope: C/M eligibility is judged against what was recorded);
    the assessments' ends are read from their time index."""
    live = "a.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL"
    one = (
        "(SELECT a.assessed_at FROM assessment a JOIN course c ON c.id = a.course_id "
        f"JOIN patient p ON p.id = c.patient_id WHERE {live} ORDER BY a.assessed_at {{}} "
        "LIMIT 1)"
    )
    return f"""
SELECT min(lo), max(hi) FROM (
  SELECT {f.local_day.format("min(t.performed_at)")} AS lo,
    {f.local_day.format("max(t.performed_at)")} AS hi
  FROM treatment_session t JOIN course c ON c.id = t.course_id
  JOIN patient p ON p.id = c.patient_id
  WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
  UNION ALL
  SELECT {f.local_day.format(one.format("ASC"))}, {f.local_day.format(one.format("DESC"))}
  UNION ALL
  SELECT min(e.occurred_on), max(e.occurred_on)
  FROM event e JOIN course c ON c.id = e.course_id
  JOIN patient p ON p.id = c.patient_id
  WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
) ends
"""
