"""The SQL that loads the clinic outcome analyses' inputs: one row per course.

The database does the filtering and the per-course picking (baseline, end-of-induction
value, 6-week value, C/M, hospitalization) with window functions, so loading 22,481
patients is a handful of scans and no Python loop over anyone's timeline. Every query
reads live rows only: a soft-deleted patient, course, session, assessment or event is
never read. Dates are local calendar dates (``date(x, 'localtime')``), as the app shows.
"""

from __future__ import annotations

SCOPE = """
scope AS (
  SELECT c.id AS course_id FROM course c JOIN patient p ON p.id = c.patient_id
  WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL
    AND (:modality IS NULL OR c.modality = :modality)
    AND (:date_from IS NULL OR c.start_date >= :date_from)
    AND (:date_to IS NULL OR c.start_date <= :date_to)
    AND (:clinician IS NULL OR EXISTS (
      SELECT 1 FROM assessment r WHERE r.course_id = c.id AND r.deleted_at IS NULL
      AND r.rater = :clinician))
),
ses AS (
  SELECT t.course_id,
    min(t.performed_at) AS first_at,
    max(t.performed_at) AS last_at,
    max(CASE WHEN t.phase = 'induction' THEN t.performed_at END) AS last_induction_at,
    sum(t.phase = 'induction') AS n_induction
  FROM treatment_session t JOIN scope ON scope.course_id = t.course_id
  WHERE t.deleted_at IS NULL GROUP BY t.course_id
)"""
"""Courses in scope (live course of a live patient, filters) and their session facts."""

ASSESSMENTS = """
a AS (
  SELECT a.id, a.course_id, a.instrument, a.total, a.assessed_at, a.timepoint, a.session_id
  FROM assessment a JOIN scope ON scope.course_id = a.course_id
  WHERE a.deleted_at IS NULL AND a.valid AND a.total IS NOT NULL
),
b AS (
  SELECT * FROM (
    SELECT a.*, row_number() OVER (PARTITION BY a.course_id, a.instrument
      ORDER BY a.timepoint = 'baseline' DESC, a.assessed_at, a.id) AS rn
    FROM a LEFT JOIN ses ON ses.course_id = a.course_id
    WHERE a.timepoint = 'baseline' OR ses.first_at IS NULL OR a.assessed_at <= ses.first_at
  ) WHERE rn = 1
)"""
"""Valid live assessments in scope, and each course's baseline per instrument: the one
marked baseline, else the first valid one at or before the first session."""

COURSES = f"""
WITH {SCOPE},
cm AS (
  SELECT DISTINCT t.course_id FROM treatment_session t JOIN ses ON ses.course_id = t.course_id
  WHERE t.deleted_at IS NULL AND t.phase IN ('continuation', 'maintenance')
    AND t.performed_at > ses.last_induction_at
    AND julianday(date(t.performed_at, 'localtime'))
        - julianday(date(ses.last_induction_at, 'localtime')) <= :cm_days
),
hosp AS (
  SELECT DISTINCT c.id AS course_id
  FROM scope JOIN course c ON c.id = scope.course_id
  JOIN ses ON ses.course_id = c.id
  JOIN course other ON other.patient_id = c.patient_id AND other.deleted_at IS NULL
  JOIN event e ON e.course_id = other.id
  WHERE e.deleted_at IS NULL AND e.kind = 'hospitalization'
    AND julianday(e.occurred_on) - julianday(date(ses.last_induction_at, 'localtime'))
        BETWEEN 0 AND :follow_days
),
drop_event AS (
  SELECT * FROM (
    SELECT e.course_id, e.occurred_on, e.reason, row_number() OVER (
      PARTITION BY e.course_id ORDER BY e.occurred_on, e.id) AS rn
    FROM event e JOIN scope ON scope.course_id = e.course_id
    WHERE e.deleted_at IS NULL AND e.kind = 'dropout'
  ) WHERE rn = 1
)
SELECT c.id, c.patient_id, p.mrn, c.modality, c.settings_json, c.start_date, p.date_of_birth,
  p.sex, p.comorbidities, coalesce(ses.n_induction, 0),
  cm.course_id IS NOT NULL, hosp.course_id IS NOT NULL,
  date(ses.last_induction_at, 'localtime'),
  c.status, c.end_date, date(ses.last_at, 'localtime'),
  drop_event.occurred_on, coalesce(drop_event.reason, c.discontinue_reason)
FROM scope JOIN course c ON c.id = scope.course_id JOIN patient p ON p.id = c.patient_id
LEFT JOIN ses ON ses.course_id = c.id
LEFT JOIN cm ON cm.course_id = c.id
LEFT JOIN hosp ON hosp.course_id = c.id
LEFT JOIN drop_event ON drop_event.course_id = c.id
ORDER BY c.id
"""

VALUES = f"""
WITH {SCOPE}, {ASSESSMENTS},
eoi AS (
  SELECT * FROM (
    SELECT a.course_id, a.instrument, a.total, row_number() OVER (
      PARTITION BY a.course_id, a.instrument ORDER BY a.assessed_at DESC, a.id DESC) AS rn
    FROM a JOIN b ON b.course_id = a.course_id AND b.instrument = a.instrument
    JOIN ses ON ses.course_id = a.course_id
    WHERE a.id <> b.id AND a.assessed_at >= b.assessed_at
      AND date(a.assessed_at, 'localtime') <= date(ses.last_induction_at, 'localtime')
  ) WHERE rn = 1
)
SELECT b.course_id, b.instrument, b.total, eoi.total
FROM b LEFT JOIN eoi ON eoi.course_id = b.course_id AND eoi.instrument = b.instrument
"""
"""Baseline and end-of-induction value per course and instrument: the latest valid
non-baseline assessment dated on or before the last induction session's date."""

WEEK6 = f"""
WITH {SCOPE}, {ASSESSMENTS},
w AS (
  SELECT a.course_id, a.total, a.assessed_at, a.id,
    julianday(date(a.assessed_at, 'localtime')) - julianday(c.start_date) AS day
  FROM a JOIN course c ON c.id = a.course_id
  JOIN b ON b.course_id = a.course_id AND b.instrument = 'PHQ9'
  WHERE a.instrument = 'PHQ9' AND a.id <> b.id
)
SELECT course_id, total FROM (
  SELECT w.*, row_number() OVER (PARTITION BY w.course_id
    ORDER BY abs(w.day - :target), w.day, w.assessed_at, w.id) AS rn
  FROM w WHERE w.day BETWEEN :first_day AND :last_day
) WHERE rn = 1
"""
"""The valid PHQ-9 closest to the target day within the window (a tie: the earlier)."""

TRAJECTORY = f"""
WITH {SCOPE}, {ASSESSMENTS},
latest AS (
  SELECT * FROM (
    SELECT c.id AS course_id, p.mrn, row_number() OVER (
      PARTITION BY c.patient_id ORDER BY c.start_date DESC, c.id DESC) AS rn
    FROM scope JOIN course c ON c.id = scope.course_id JOIN patient p ON p.id = c.patient_id
    WHERE c.modality = 'iv_ketamine'
  ) WHERE rn = 1
),
ind AS (
  SELECT t.id AS session_id, t.course_id, row_number() OVER (
    PARTITION BY t.course_id ORDER BY t.performed_at, t.id) AS visit
  FROM treatment_session t JOIN latest ON latest.course_id = t.course_id
  WHERE t.deleted_at IS NULL AND t.phase = 'induction'
),
pre AS (
  SELECT * FROM (
    SELECT a.course_id, a.instrument, ind.visit, a.total, row_number() OVER (
      PARTITION BY a.course_id, a.instrument, ind.visit
      ORDER BY a.assessed_at DESC, a.id DESC) AS rn
    FROM a JOIN ind ON ind.session_id = a.session_id
    WHERE a.timepoint = 'pre_session' AND ind.visit <= :max_visit
  ) WHERE rn = 1
)
SELECT latest.mrn, b.instrument, 0, b.total
FROM latest JOIN b ON b.course_id = latest.course_id
UNION ALL
SELECT latest.mrn, pre.instrument, pre.visit, pre.total
FROM latest JOIN pre ON pre.course_id = latest.course_id
JOIN b ON b.course_id = pre.course_id AND b.instrument = pre.instrument
"""
"""Visit totals of each patient's latest IV ketamine course in scope: visit 0 is the
baseline, visit n the valid pre-session assessment recorded with induction session n."""

RECORD_DATES = """
SELECT min(lo), max(hi) FROM (
  SELECT date(min(t.performed_at), 'localtime') AS lo, date(max(t.performed_at), 'localtime') AS hi
  FROM treatment_session t JOIN course c ON c.id = t.course_id
  JOIN patient p ON p.id = c.patient_id
  WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
  UNION ALL
  SELECT date(min(a.assessed_at), 'localtime'), date(max(a.assessed_at), 'localtime')
  FROM assessment a JOIN course c ON c.id = a.course_id
  JOIN patient p ON p.id = c.patient_id
  WHERE a.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
  UNION ALL
  SELECT min(e.occurred_on), max(e.occurred_on)
  FROM event e JOIN course c ON c.id = e.course_id
  JOIN patient p ON p.id = c.patient_id
  WHERE e.deleted_at IS NULL AND c.deleted_at IS NULL AND p.deleted_at IS NULL
)
"""
"""The record's first and last dates: any live session, assessment or event (whole
record, not the filtered scope: C/M eligibility is judged against what was recorded)."""
