"""Clinic outcomes: load the record with SQL, run the analyses, write JSON (issue 15).

The loading is here (services own the database); the statistics are in
:mod:`mbctracker.analytics`, which never sees a session; the PDF is in
:mod:`mbctracker.reports.outcomes`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from ..domain.access import Action
from ..domain.course import Comorbidity, Modality
from ..domain.errors import ValidationError
from ..domain.outcome_definitions import OUTCOME_INSTRUMENTS, OutcomeDefinitions
from ..fileio import write_atomic
from ..storage.db import Database
from ..storage.portable import local_zone
from . import outcomes_sql as sql
from .access import requires
from .clinic import load_clinic_settings

if TYPE_CHECKING:
    from ..analytics.data import Courses, FloatArray, OutcomeData, Progress, Trajectories


@dataclass(frozen=True, slots=True)
class OutcomeFilters:
    """Which courses an outcome run covers: by start date, modality and rating clinician."""

    date_from: date | None = None
    date_to: date | None = None
    modality: str | None = None
    clinician: str | None = None

    def check(self) -> None:
        """Refuse an unknown modality or an empty range, naming the field and allowed values."""
        if self.modality is not None and self.modality not in set(Modality):
            allowed = ", ".join(Modality)
            raise ValidationError(
                f"Modality: unknown {self.modality!r}; allowed: {allowed}", field="modality"
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError(
                "From: after To; allowed: a start date on or before the end date",
                field="date_from",
            )

    def params(self, defs: OutcomeDefinitions) -> dict[str, Any]:
        return {
            "modality": self.modality,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "clinician": self.clinician or None,
            "cm_days": defs.cm_window_days,
            "follow_days": defs.hospitalization_days,
            "target": defs.week6_target_day,
            "first_day": defs.week6_first_day,
            "last_day": defs.week6_last_day,
            "max_visit": defs.trajectory_max_visit,
        }

    def as_dict(self) -> dict[str, str | None]:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "modality": self.modality,
            "clinician": self.clinician or None,
        }


@requires(Action.CLINIC_OUTCOMES)
def load_outcome_data(
    db: Database, filters: OutcomeFilters, progress: Progress | None = None
) -> OutcomeData:
    """The courses in scope as columns, from a few SQL aggregates in one read snapshot."""
    from ..analytics.data import OutcomeData, no_progress

    report = progress or no_progress
    filters.check()
    defs = load_clinic_settings(db).outcomes
    params = {**filters.params(defs), "zone": local_zone()}
    with db.engine.connect() as conn:
        lo, last, course_rows, value_rows, week6_rows, visit_rows = _read(conn, params, report)
    courses = _courses(course_rows, value_rows, week6_rows, last, defs)
    return OutcomeData(
        courses=courses,
        trajectories=_trajectories(visit_rows, defs.trajectory_max_visit),
        first_date=lo,
        last_date=last,
        definitions=defs,
        filters=filters.as_dict(),
    )


def _read(conn: Connection, params: dict[str, Any], report: Progress) -> tuple[Any, ...]:
    """The SQL steps in one read transaction on ``conn``, its TEMP tables dropped after.

    Returns the record's first and last dates, then the course, value, 6-week and visit
    rows. The engine's :class:`outcomes_sql.Fragments` spell its few differences.
    """
    f = sql.DIALECTS[conn.dialect.name]
    index = sql.indexes(f)

    def run(statement: str) -> Any:
        return conn.execute(text(statement), params)

    def made(table: str) -> None:
        run(index[table])
        if f.analyze:
            run(f"ANALYZE {table}")

    try:
        for name in sql.TEMP_TABLES:
            run(f"DROP TABLE IF EXISTS {f.temp}.{name}")
        report("loading courses", 0.0)
        lo, hi = (_iso(v) for v in run(sql.record_dates(f)).one())
        run(sql.scope(f))
        made("oc_scope")
        run(sql.sessions(f))
        made("oc_ses")
        course_rows = [tuple(_iso(v) for v in r) for r in run(sql.courses(f))]
        report("loading baselines", 0.2)
        run(sql.BASELINES)
        made("oc_base")
        report("loading end-of-induction values", 0.4)
        value_rows = run(sql.VALUES).all()
        week6_rows = run(sql.week6(f)).all()
        report("loading visits", 0.7)
        run(sql.INDUCTION_VISITS)
        made("oc_ind")
        visit_rows = run(sql.trajectory(f)).all()
    finally:
        conn.rollback()  # first: after a failed statement PostgreSQL accepts nothing else
        for name in sql.TEMP_TABLES:
            run(f"DROP TABLE IF EXISTS {f.temp}.{name}")
        conn.rollback()
    day = date.fromisoformat
    return (
        day(lo) if lo else None,
        day(hi) if hi else None,
        course_rows,
        value_rows,
        week6_rows,
        visit_rows,
    )


def _iso(value: Any) -> Any:
    """A date as SQLite returns it (ISO text); PostgreSQL returns ``date`` objects."""
    return value.isoformat() if isinstance(value, date) else value


def _days(later: Sequence[str | None], earlier: Sequence[str | None]) -> FloatArray:
    """Calendar days between ISO dates, element-wise; NaN where either is missing."""
    import numpy as np

    d = np.array(later, dtype="datetime64[D]") - np.array(earlier, dtype="datetime64[D]")
    out: FloatArray = np.where(np.isnat(d), np.nan, d.astype(np.int64).astype(float))
    return out


def _ages(born: Sequence[str | None], start: Sequence[str]) -> FloatArray:
    """Whole years at course start, element-wise (birthday not yet reached: one less)."""
    import numpy as np

    b = np.array(born, dtype="datetime64[D]")
    s = np.array(start, dtype="datetime64[D]")

    def year_and_day(d: Any) -> tuple[Any, Any]:
        year = d.astype("datetime64[Y]")
        month = (d.astype("datetime64[M]") - year.astype("datetime64[M]")).astype(np.int64)
        day = (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
        return year.astype(np.int64), month * 100 + day

    (by, bmd), (sy, smd) = year_and_day(b), year_and_day(s)
    out: FloatArray = np.where(np.isnat(b), np.nan, (sy - by - (smd < bmd)).astype(float))
    return out


@lru_cache(maxsize=512)
def _comorbid(text: str | None) -> frozenset[str]:
    """Parsed once per distinct list: a clinic has a few dozen combinations."""
    return frozenset(json.loads(text or "[]"))


def _courses(
    rows: Sequence[Any],
    values: Sequence[Any],
    week6: Sequence[Any],
    last: date | None,
    defs: OutcomeDefinitions,
) -> Courses:
    """Columns from the per-course rows (one pass over courses, never over timelines)."""
    import numpy as np

    from ..analytics.data import Courses

    n = len(rows)
    index = {int(r[0]): i for i, r in enumerate(rows)}
    col = list(zip(*rows, strict=True)) if rows else [()] * 18
    comorbid = [_comorbid(c) for c in col[8]]
    baseline = {code: np.full(n, np.nan) for code in OUTCOME_INSTRUMENTS}
    eoi = {code: np.full(n, np.nan) for code in OUTCOME_INSTRUMENTS}
    for course_id, code, base, end in values:
        if code in baseline:
            baseline[code][index[course_id]] = base
            eoi[code][index[course_id]] = np.nan if end is None else end
    w6 = np.full(n, np.nan)
    for course_id, total in week6:
        w6[index[course_id]] = total
    last_iso = last.isoformat() if last else None
    since_induction = _days([last_iso] * n, col[12])
    stop = [_stop_date(r, last_iso) for r in rows]
    return Courses(
        course_id=np.array(col[0], dtype=np.int64),
        patient_id=np.array(col[1], dtype=np.int64),
        mrn=np.array(col[2], dtype=object),
        modality=np.array(col[3], dtype=object),
        settings_json=np.array(col[4], dtype=object),
        age=_ages(col[6], col[5]),
        sex=np.array(col[7], dtype=object),
        comorbidities={str(c): np.array([str(c) in s for s in comorbid]) for c in Comorbidity},
        n_induction=np.array(col[9], dtype=np.int64),
        cm=np.array(col[10], dtype=bool),
        cm_eligible=since_induction >= defs.hospitalization_days,
        hospitalized=np.array(col[11], dtype=bool),
        days_in_treatment=_days(stop, col[5]),
        dropped_out=np.array([_dropped(r) for r in rows], dtype=bool),
        dropout_reason=np.array([r[17] if _dropped(r) else None for r in rows], dtype=object),
        baseline=baseline,
        end_of_induction=eoi,
        week6_phq9=w6,
    )


def _dropped(row: Sequence[Any]) -> bool:
    """Dropped out: a dropout event recorded, or the course discontinued."""
    return row[16] is not None or row[13] == "discontinued"


def _stop_date(row: Sequence[Any], last: str | None) -> str | None:
    """Where time in treatment ends: the dropout, else the course end or last session,
    else (still active) the record's last date (censored there)."""
    if row[16] is not None:
        return str(row[16])
    if row[13] == "active":
        return last
    end = row[14] or row[15]
    return None if end is None else str(end)


def _trajectories(rows: Sequence[Any], max_visit: int) -> dict[str, Trajectories]:
    import numpy as np

    from ..analytics.data import Trajectories

    out: dict[str, Trajectories] = {}
    for code in OUTCOME_INSTRUMENTS:
        mine = [r for r in rows if r[1] == code]
        mrns = sorted({r[0] for r in mine})
        where = {m: i for i, m in enumerate(mrns)}
        totals = np.full((len(mrns), max_visit + 1), np.nan)
        for mrn, _code, visit, total in mine:
            totals[where[mrn], visit] = total
        out[code] = Trajectories(mrn=mrns, totals=totals)
    return out


@requires(Action.CLINIC_OUTCOMES)
def analyse(
    db: Database, filters: OutcomeFilters, progress: Progress | None = None
) -> tuple[OutcomeData, dict[str, Any]]:
    """Load and analyse, keeping the loaded data (the app lists the patients behind a
    figure and fits the mixed models on it later without reading the database again)."""
    from ..analytics.run import run_outcomes

    data = load_outcome_data(db, filters, progress)
    return data, run_outcomes(data, progress)


def fit_mixed_models(
    data: OutcomeData, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
) -> dict[str, Any]:
    """Analysis 6 on already loaded data, each fit in a process Cancel can end."""
    from ..analytics.data import no_progress
    from ..analytics.mixed import mixed_models

    return mixed_models(
        data.trajectories, data.definitions.min_group, progress or no_progress, cancelled
    )


@requires(Action.CLINIC_OUTCOMES)
def run_clinic_outcomes(
    db: Database,
    filters: OutcomeFilters,
    progress: Progress | None = None,
    *,
    mixed_model: bool = False,
) -> dict[str, Any]:
    """Load and analyse: the JSON-ready result (docs/outcomes.md has the contract)."""
    from ..analytics.run import run_outcomes

    data = load_outcome_data(db, filters, progress)
    return run_outcomes(data, progress, mixed_model=mixed_model)


def write_outcomes_json(result: dict[str, Any], path: Path, *, overwrite: bool = True) -> Path:
    """Write the result atomically (a crash never leaves half a file); NaN is refused."""
    text = json.dumps(result, indent=1, sort_keys=False, allow_nan=False)
    return write_atomic(path, (text + "\n").encode("utf-8"), overwrite=overwrite)
