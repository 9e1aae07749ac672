"""Synthetic demo courses: plausible, deterministic for a seed, never real data.

Bulk-inserted in one transaction with ``executemany`` so that 22,481 patients
(the size of the largest study this project started from) take seconds, not
hours. Each patient gets one ``import`` change-log row instead of one per
record: the data is synthetic and the log stays readable.

Demo data never mixes with a clinic's: a database is demo data when its
``app_meta`` has ``demo_data = 1`` (written with the first demo patients) and
every patient has a ``DEMO-`` MRN. Any other database with a patient is refused.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..domain.course import (
    PRN_MEDICATIONS,
    SIDE_EFFECTS,
    TYPICAL_PLANNED_SESSIONS,
    Comorbidity,
    DropoutReason,
    EventKind,
    Modality,
    Phase,
    SafetyActionKind,
)
from ..domain.errors import ValidationError
from ..domain.instruments import INSTRUMENTS
from ..domain.schedule import changes_from_sessions, link_target
from ..domain.scoring import score
from ..domain.settings import DEFAULT_SETTINGS
from ..domain.text import mrn_key
from ..storage.db import Database
from ..storage.mappers import score_columns
from ..storage.portable import advance_ids, upsert_meta_sql
from ..storage.search_text import search_key
from ..storage.sqlitefile import readonly_connect

DEMO_MARKER = "demo_data"
"""``app_meta`` key written by the demo generator."""
DEMO_MRN_PREFIX = "DEMO-"

FIRST = (
    "Ana",
    "Ben",
    "Chloé",
    "David",
    "Elif",
    "Farah",
    "George",
    "Hana",
    "Ivan",
    "José",
    "Kai",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zoë",
)
LAST = (
    "Abara",
    "Bianchi",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Ødegård",
    "Patel",
    "Quintero",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ulrich",
    "Varga",
    "Weber",
    "Núñez",
    "Zhou",
)
CJK_NAMES = ("王芳", "李娜", "张伟")

# (weight, description, fraction of improvement reached at the end, how late it comes)
TRAJECTORIES: dict[str, tuple[float, float, float]] = {
    "remitter": (0.22, 0.75, 0.3),
    "responder": (0.25, 0.58, 0.4),
    "late_responder": (0.13, 0.55, 2.5),
    "partial": (0.18, 0.33, 0.8),
    "non_responder": (0.17, 0.08, 1.0),
    "worsening": (0.05, -0.15, 1.0),
}
MODALITY_WEIGHTS = {
    Modality.IV_KETAMINE: 0.3,
    Modality.IM_KETAMINE: 0.15,
    Modality.ESKETAMINE: 0.15,
    Modality.TMS: 0.25,
    Modality.ECT: 0.15,
}
SPACING_DAYS = {
    Modality.IV_KETAMINE: 3,
    Modality.IM_KETAMINE: 7,
    Modality.ESKETAMINE: 4,
    Modality.TMS: 1,
    Modality.ECT: 2,
}


@dataclass
class Rows:
    """Rows to insert, by table, with ids assigned here so they can be linked."""

    next_id: dict[str, int]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> int:
        row_id = self.next_id[table]
        self.next_id[table] = row_id + 1
        self.tables.setdefault(table, []).append({"id": row_id, **values})
        return row_id


def _stamp(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _common(created: datetime) -> dict[str, Any]:
    return {"version": 1, "created_at": created, "updated_at": created, "deleted_at": None}


def _items_for_total(rng: random.Random, code: str, total: int) -> list[int | None]:
    """Spread a target total over the items one point at a time, each within its range."""
    inst = INSTRUMENTS[code]
    total = max(0, min(total, inst.total_max))
    values: list[int | None] = [0] * inst.n_items
    free = list(range(inst.n_items))
    for _ in range(total):
        slot = rng.randrange(len(free))
        item = free[slot]
        values[item] = (values[item] or 0) + 1
        if values[item] == inst.item_max:
            free[slot] = free[-1]
            free.pop()
    return values


class _Generator:
    def __init__(self, seed: int, today: date, rows: Rows) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.rows = rows
        morning = datetime.combine(today, time(8, 0)).astimezone(UTC)
        self.created = min(morning, datetime.now(UTC))  # never stamped in the future
        self.course_sessions: list[tuple[int, datetime, Phase]] = []
        self.waiting: list[tuple[dict[str, Any], datetime]] = []
        """The current course's pre-session scores not linked yet, with their local time."""
        """The current course's sessions (id, local time, phase), as recorded so far."""

    def patient(self, index: int) -> None:
        rng = self.rng
        name = (
            rng.choice(CJK_NAMES)
            if rng.random() < 0.02
            else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        )
        born = self.today - timedelta(days=rng.randint(19 * 365, 78 * 365))
        comorbid = sorted(
            {str(c) for c in rng.sample(list(Comorbidity), rng.choice((0, 0, 1, 1, 2)))}
        )
        mrn = f"{DEMO_MRN_PREFIX}{index:06d}"
        pid = self.rows.add(
            "patient",
            mrn=mrn,
            name=name,
            mrn_key=mrn_key(mrn),
            search_key=search_key(name, mrn),
            date_of_birth=born,
            sex=rng.choice(("female", "female", "male", "male", "other", "unknown")),
            comorbidities=json.dumps(comorbid),
            notes="Synthetic demo patient.",
            **_common(self.created),
        )
        self.rows.add(
            "change_log",
            at=self.created,
            actor="demo generator",
            table_name="patient",
            record_id=pid,
            patient_id=pid,
            course_id=None,
            action="import",
            changes=json.dumps({"note": [None, "synthetic demo data"]}),
        )
        if rng.random() < 0.08:
            self.course(pid, past=True)
        self.course(pid, past=False)

    def course(self, patient_id: int, *, past: bool) -> None:
        rng = self.rng
        modality = rng.choices(list(MODALITY_WEIGHTS), list(MODALITY_WEIGHTS.values()))[0]
        kind = rng.choices(list(TRAJECTORIES), [t[0] for t in TRAJECTORIES.values()])[0]
        planned = TYPICAL_PLANNED_SESSIONS[modality]
        maintenance = (
            modality in (Modality.IV_KETAMINE, Modality.IM_KETAMINE) and rng.random() < 0.4
        )
        spacing = SPACING_DAYS[modality]
        span = planned * spacing + (rng.randint(2, 8) * 21 if maintenance else 0) + 40
        back = rng.randint(span + 400, span + 900) if past else rng.randint(5, span + 120)
        start = self.today - timedelta(days=back)
        dropout = rng.random() < 0.08
        course_id = self.rows.add(
            "course",
            patient_id=patient_id,
            modality=str(modality),
            start_date=start,
            end_date=None,
            planned_sessions=planned,
            phase=str(Phase.INDUCTION),
            status="active",
            discontinue_reason=None,
            settings_json=DEFAULT_SETTINGS.to_json(),
            notes="",
            **_common(self.created),
        )
        plan = _Plan(modality, kind, planned, maintenance, dropout, rng)
        self.course_sessions, self.waiting = [], []
        last = self.sessions(course_id, start, plan)
        self.finish(course_id, start, last, plan, past)

    def sessions(self, course_id: int, start: date, plan: _Plan) -> date:
        rng = self.rng
        base = {
            "MADRS": rng.randint(24, 42),
            "PHQ9": rng.randint(14, 25),
            "GAD7": rng.randint(8, 19),
        }
        baseline_day = start - timedelta(days=rng.randint(1, 7))
        self.assessments(course_id, baseline_day, base, 0.0, "baseline", plan)
        day, number, last = start, 0, start
        for phase, count, gap in plan.schedule():
            for _ in range(count):
                if day >= self.today or (plan.dropout and number >= plan.dropout_at):
                    return last
                number += 1
                # as a clinic types them: the scores first (some the evening before),
                # unlinked; the session afterwards, which links them by the clinic's rule
                typed = self.score_time(day)
                self.assessments(
                    course_id, typed.date(), base, plan.progress(number), "pre_session", plan, typed
                )
                self.session(course_id, number, day, phase, plan)
                self.link_waiting(course_id)
                last = day
                day += timedelta(days=gap + (rng.random() < 0.3))
        for weeks in (1, 4):  # follow-up at 1 week and 1 month
            if plan.modality == Modality.IV_KETAMINE and last + timedelta(weeks=weeks) < self.today:
                self.assessments(
                    course_id,
                    last + timedelta(weeks=weeks),
                    base,
                    plan.progress(number) * 0.9,
                    "follow_up",
                    plan,
                )
        return last

    def session(self, course_id: int, number: int, day: date, phase: Phase, plan: _Plan) -> int:
        rng = self.rng
        moment = datetime.combine(
            day, time(rng.choice((8, 9, 10, 13, 14)), rng.choice((0, 15, 30, 45)))
        )
        effects = [e for e in SIDE_EFFECTS[plan.modality] if rng.random() < 0.15]
        prn = [m for m in PRN_MEDICATIONS[plan.modality] if rng.random() < 0.08]
        sid = self.rows.add(
            "treatment_session",
            course_id=course_id,
            number=number,
            performed_at=_stamp(moment),
            phase=str(phase),
            details=json.dumps(plan.details(), sort_keys=True),
            side_effects=json.dumps(effects),
            side_effects_text="",
            prn_medication=json.dumps(prn),
            notes="",
            **_common(self.created),
        )
        self.course_sessions.append((sid, moment, phase))
        return sid

    def score_time(self, day: date) -> datetime:
        """Pre-session scores: mostly that morning, one in five the evening before."""
        if self.rng.random() < 0.2 and day - timedelta(days=1) >= self.course_start():
            return datetime.combine(day - timedelta(days=1), time(18, self.rng.choice((0, 30))))
        return datetime.combine(day, time(7, self.rng.choice((30, 40, 50))))

    def course_start(self) -> date:
        start: date = self.rows.tables["course"][-1]["start_date"]
        return start

    def link_waiting(self, course_id: int) -> None:
        """What recording a session does: link the waiting pre-session scores by the rule."""
        window = DEFAULT_SETTINGS.link_window_days
        dated = [(sid, when) for sid, when, _ in self.course_sessions]
        still: list[tuple[dict[str, Any], datetime]] = []
        for row, moment in self.waiting:
            row["session_id"] = link_target(dated, moment, window)
            if row["session_id"] is None:
                still.append((row, moment))
        self.waiting = still

    def assessments(
        self,
        course_id: int,
        day: date,
        base: dict[str, int],
        progress: float,
        timepoint: str,
        plan: _Plan,
        moment: datetime | None = None,
    ) -> None:
        rng = self.rng
        moment = moment or datetime.combine(day, time(7, rng.choice((30, 40, 50))))
        for code, baseline in base.items():
            noise = rng.gauss(0, 0.08 * baseline)
            target = round(baseline * (1 - progress) + noise)
            items = _items_for_total(rng, code, target)
            self.suicidality(code, items, progress)
            if rng.random() < 0.04 and timepoint != "baseline":
                items[rng.randrange(len(items) - 1)] = None  # prorated, never the safety item
            if code == "PHQ9" and timepoint != "baseline" and rng.random() < 0.005:
                items[8] = None  # item 9 left blank: flagged "unanswered"
            result = score(code, items)
            acted = result.safety_flag and self.acted_on(moment.date())
            aid = self.rows.add(
                "assessment",
                course_id=course_id,
                session_id=None,
                link_manual=False,
                **score_columns(result),
                flag_open=result.safety_flag and not acted,
                rater="Dr Demo" if code == "MADRS" else "",
                timepoint=timepoint,
                assessed_at=_stamp(moment),
                **_common(self.created),
            )
            if timepoint == "pre_session":
                self.waiting.append((self.rows.tables["assessment"][-1], moment))
            if acted:
                self.rows.add(
                    "safety_action",
                    assessment_id=aid,
                    course_id=course_id,
                    kind=str(rng.choice(list(SafetyActionKind)[:4])),
                    text="",
                    taken_by="Dr Demo",
                    taken_at=_stamp(moment + timedelta(minutes=25)),
                    flag_level=result.flag_level,
                    **_common(self.created),
                )

    def acted_on(self, day: date) -> bool:
        """Flags older than two weeks were acted on, as in a clinic that works its worklist;
        a few recent ones are still open (flags follow the patient, so old ones would pile up)."""
        return day < self.today - timedelta(days=14) or self.rng.random() < 0.6

    def suicidality(self, code: str, items: list[int | None], progress: float) -> None:
        """Most patients deny item 9; a few endorse it, more often early in a course."""
        if code == "PHQ9":
            chance = 0.10 * (1 - progress)
            items[8] = self.rng.choice((1, 1, 2, 3)) if self.rng.random() < chance else 0
        elif code == "MADRS" and items[9] is not None and items[9] >= 4 and self.rng.random() < 0.5:
            items[9] = 2

    def finish(self, course_id: int, start: date, last: date, plan: _Plan, past: bool) -> None:
        rng = self.rng
        course = self.rows.tables["course"][-1]
        if plan.dropout:
            reason = rng.choices(list(DropoutReason), (0.5, 0.1, 0.2, 0.1, 0.1))[0]
            course.update(status="discontinued", end_date=last, discontinue_reason=str(reason))
            self.event(course_id, EventKind.DROPOUT, last, str(reason))
        elif past or last + timedelta(days=60) < self.today:
            course.update(status="completed", end_date=last, phase=str(Phase.FOLLOW_UP))
        elif plan.maintenance and last > start + timedelta(
            days=plan.planned * SPACING_DAYS[plan.modality]
        ):
            course.update(phase=str(Phase.MAINTENANCE))
        self.phase_changes(course_id, start, Phase(course["phase"]))
        if rng.random() < 0.03:
            self.event(
                course_id,
                EventKind.HOSPITALIZATION,
                min(last, self.today),
                None,
                "Admitted for worsening depression (synthetic).",
            )
        if rng.random() < 0.03:
            self.event(
                course_id, EventKind.ED_VISIT, min(last, self.today), None, "ED visit (synthetic)."
            )
        if rng.random() < 0.04:
            self.event(
                course_id,
                EventKind.ADVERSE_EVENT,
                start,
                None,
                "Transient hypertension (synthetic).",
            )

    def phase_changes(self, course_id: int, start: date, current: Phase) -> None:
        """The dated phase changes the sessions show (the one record of phase over time)."""
        marks = [(when, phase) for _, when, phase in self.course_sessions]
        for change in changes_from_sessions(start, marks, current):
            self.rows.add(
                "course_phase_change",
                course_id=course_id,
                phase=str(change.phase),
                started_on=change.started_on,
                **_common(self.created),
            )

    def event(
        self, course_id: int, kind: EventKind, when: date, reason: str | None, description: str = ""
    ) -> None:
        self.rows.add(
            "event",
            course_id=course_id,
            kind=str(kind),
            occurred_on=when,
            reason=reason,
            description=description,
            **_common(self.created),
        )


@dataclass
class _Plan:
    modality: Modality
    kind: str
    planned: int
    maintenance: bool
    dropout: bool
    rng: random.Random
    dropout_at: int = 0

    def __post_init__(self) -> None:
        self.dropout_at = self.rng.randint(1, max(1, self.planned - 1))

    def schedule(self) -> Iterator[tuple[Phase, int, int]]:
        yield Phase.INDUCTION, self.planned, SPACING_DAYS[self.modality]
        if self.maintenance:
            yield Phase.MAINTENANCE, self.rng.randint(2, 8), 21

    def progress(self, number: int) -> float:
        """Fraction of baseline improved by session ``number`` for this trajectory."""
        _, final, lateness = TRAJECTORIES[self.kind]
        t = min(1.0, number / self.planned)
        return final * t**lateness if final > 0 else final * t

    def details(self) -> dict[str, object]:
        rng = self.rng
        bp = {
            "bp_before_sys": rng.randint(105, 140),
            "bp_before_dia": rng.randint(65, 88),
            "bp_peak_sys": rng.randint(120, 165),
            "bp_peak_dia": rng.randint(70, 100),
            "bp_after_sys": rng.randint(105, 145),
            "bp_after_dia": rng.randint(65, 90),
        }
        if self.modality == Modality.IV_KETAMINE:
            kg = rng.uniform(55, 110)
            return {"dose_mg_per_kg": 0.5, "dose_mg": round(0.5 * kg, 1), "duration_min": 40, **bp}
        if self.modality == Modality.IM_KETAMINE:
            dose = rng.choice((0.75, 1.0, 1.13, 1.25, 1.5))
            return {
                "dose_mg_per_kg": dose,
                "dose_mg": round(dose * rng.uniform(55, 100), 1),
                "duration_min": 120,
                **bp,
            }
        if self.modality == Modality.ESKETAMINE:
            return {
                "dose_mg": rng.choice(("56", "84")),
                "monitoring_min": 120,
                **bp,
                "sedation": rng.choice(("none", "mild")),
                "dissociation": rng.choice(("none", "mild")),
            }
        if self.modality == Modality.TMS:
            protocol = rng.choice(("10 Hz", "iTBS"))
            return {
                "protocol": protocol,
                "target": "L-DLPFC",
                "motor_threshold": rng.randint(40, 70),
                "percent_mt": 120,
                "pulses": 3000 if protocol == "10 Hz" else 600,
            }
        return {
            "placement": rng.choice(("right unilateral", "bitemporal")),
            "pulse_width_ms": 0.3,
            "charge_mc": rng.choice((100, 200, 300, 400)),
            "seizure_eeg_s": rng.randint(25, 70),
            "seizure_motor_s": rng.randint(15, 45),
            "anaesthetic": "methohexital",
            "relaxant": "succinylcholine",
        }


TABLE_ORDER = (
    "patient",
    "course",
    "course_phase_change",
    "treatment_session",
    "assessment",
    "safety_action",
    "event",
    "change_log",
)


def _next_ids(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t: (conn.exec_driver_sql(f"SELECT max(id) FROM {t}").scalar() or 0) + 1
            for t in TABLE_ORDER
        }


_NON_DEMO_SQL = (
    "SELECT EXISTS (SELECT 1 FROM patient) AND ("
    "  NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'demo_data' AND value = '1')"
    "  OR EXISTS (SELECT 1 FROM patient WHERE substr(mrn, 1, 5) <> 'DEMO-'))"
)
"""True when the file holds patients that are not the demo generator's."""


def non_demo_refusal(path: Path) -> str | None:
    """Why the demo must not write into ``path`` (read-only check), or None when it may.

    Run before the file is opened for writing, so a clinic file is not even migrated.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        with closing(readonly_connect(path)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not {"patient", "app_meta"} <= tables:
                return None  # new, or not ours: opening it gives the plain message
            found = conn.execute(_NON_DEMO_SQL).fetchone()
    except sqlite3.DatabaseError:
        return None  # opening it reports the problem plainly
    return _REFUSAL.format(path=path) if found and found[0] else None


_REFUSAL = (
    "{path} holds patients that are not demo data; demo patients are written only into "
    "a new database or one the demo made. Nothing was written."
)


def _insert(db: Database, rows: Rows) -> None:
    """One transaction; Core inserts so 22,481 patients take seconds."""
    from sqlmodel import SQLModel

    from ..storage import tables  # noqa: F401  (registers the tables)

    with db.engine.execution_options(immediate=True).begin() as conn:
        if conn.exec_driver_sql(_NON_DEMO_SQL).scalar():
            raise ValidationError(_REFUSAL.format(path=db.path), field="db")
        conn.exec_driver_sql(upsert_meta_sql(conn), (DEMO_MARKER,))
        for name in TABLE_ORDER:
            batch = rows.tables.get(name)
            if batch:
                conn.execute(SQLModel.metadata.tables[name].insert(), batch)
        advance_ids(conn, TABLE_ORDER)


def generate_demo(
    db: Database,
    *,
    patients: int = 200,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 2000,
) -> int:
    """Add ``patients`` synthetic patients with courses; returns how many were added.

    The same seed and ``today`` give the same database, byte for byte in content.
    Every date is on or before ``today``, which may not be in the future: demo
    data passes the same "not in the future" rule as typed data.

    Raises:
        ValidationError: a bad count, ``today`` in the future, or the database
            holds non-demo patients (nothing written).
    """
    if patients < 1:
        raise ValidationError("--patients must be at least 1", field="patients")
    day = today or date.today()
    if day > date.today():
        raise ValidationError(
            f"--today ({day:%Y-%m-%d}) cannot be in the future: demo data follows the same "
            "rules as typed data",
            field="today",
        )
    gen = _Generator(seed, day, Rows(_next_ids(db)))
    first_index = gen.rows.next_id["patient"]
    for done in range(patients):
        gen.patient(first_index + done)
        if len(gen.rows.tables.get("patient", ())) >= batch_size:
            _flush(db, gen)
            if progress:
                progress(done + 1, patients)
    _flush(db, gen)
    if progress:
        progress(patients, patients)
    return patients


def _flush(db: Database, gen: _Generator) -> None:
    _insert(db, gen.rows)
    gen.rows.tables.clear()
