"""A seeded synthetic clinic with planted effects, for the outcome analyses at scale.

Rows are scored by the domain's ``score`` and bulk-inserted through the storage tables
in one transaction (services' one-row-per-flush use cases take ~70 ms a patient, too
slow for 750 patients in every test run); the small hand-counted clinic in
``test_outcome_counts.py`` goes through the public use cases instead. (The CSV import of
issue 12 will replace this; the demo data is for the bench.)

Planted, for the tests to recover:
- C/M halves the 12-month hospitalization risk (``RR_CM``) among IV ketamine courses.
- Three MADRS trajectory classes (``CLASS_CURVES``, ``CLASS_SHARES``) in IV ketamine.
- TMS improves PHQ-9 by ``TMS_EFFECT`` more than IV ketamine at 6 weeks; an anxiety
  disorder by ``ANXIETY_EFFECT`` (negative: less), whatever the modality.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import SQLModel

from mbctracker.domain.course import Comorbidity, Modality
from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.scoring import score
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.domain.text import mrn_key
from mbctracker.storage import Database
from mbctracker.storage.mappers import score_columns
from mbctracker.storage.portable import advance_ids

RR_CM = 0.5
RISK_NO_CM = 0.30
CLASS_SHARES = (0.25, 0.45, 0.30)
CLASS_CURVES = (
    (35.0, 35.0, 34.0, 34.0, 33.0, 33.0, 32.0),  # non-responders
    (31.0, 30.0, 28.0, 26.0, 24.0, 22.0, 20.0),  # gradual
    (34.0, 29.0, 24.0, 19.0, 15.0, 12.0, 10.0),  # rapid responders
)
"""MADRS at visit 0 (baseline) to 6 (before the sixth infusion), highest mean level first,
the order the analysis reports classes in."""
NOISE_SD = 2.5
TMS_EFFECT = 3.0
ANXIETY_EFFECT = -2.0
BASE_CHANGE = 4.0
INFUSION_DAYS = (0, 3, 7, 10, 14, 17)
FIRST_START = date(2024, 1, 8)
TABLES = ("patient", "course", "treatment_session", "assessment", "event")


def items_for(code: str, total: float) -> list[int | None]:
    """Items that add up to ``total`` (clamped), spread evenly; the safety item stays 0."""
    inst = INSTRUMENTS[code]
    scored = inst.n_items - 1 if code in ("PHQ9", "MADRS") else inst.n_items
    whole = max(0, min(round(total), scored * inst.item_max))
    values: list[int | None] = [0] * inst.n_items
    for i in range(scored):
        values[i] = min(inst.item_max, whole // scored + (1 if i < whole % scored else 0))
    return values


@dataclass
class Planted:
    """What was generated, for hand counts in the tests (keyed by course id or MRN)."""

    mrn_class: dict[str, int] = field(default_factory=dict)
    cm: dict[int, bool] = field(default_factory=dict)
    hospitalized: dict[int, bool] = field(default_factory=dict)
    week6_change: dict[int, int] = field(default_factory=dict)


@dataclass
class _Rows:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> int:
        rows = self.tables.setdefault(table, [])
        stamp = datetime(2026, 1, 1, tzinfo=UTC)
        row = {
            "id": len(rows) + 1,
            "version": 1,
            "created_at": stamp,
            "updated_at": stamp,
            "deleted_at": None,
            **values,
        }
        rows.append(row)
        return int(row["id"])


def at(day: date, hour: int = 9) -> datetime:
    """A local wall-clock time on ``day``, stored as UTC as the app stores it."""
    return datetime.combine(day, time(hour, 0)).astimezone(UTC)


def generate(db: Database, *, patients: int = 600, tms: int = 150, seed: int = 15) -> Planted:
    """``patients`` IV ketamine and ``tms`` TMS patients (one course each), and an anchor
    course dated late enough that every course has a year of follow-up in the record."""
    rng, rows, planted = random.Random(seed), _Rows(), Planted()
    for i in range(patients + tms):
        modality = Modality.IV_KETAMINE if i < patients else Modality.TMS
        _patient(rows, rng, i, modality, planted)
    anchor = _course(rows, "SYN-ANCHOR", Modality.ECT, date(2025, 9, 1), date(1970, 1, 1), [])
    rows.add("treatment_session", **_session(anchor, 1, date(2025, 9, 1), "induction"))
    with db.engine.begin() as conn:
        for name in TABLES:
            conn.execute(SQLModel.metadata.tables[name].insert(), rows.tables.get(name, []))
        advance_ids(conn, TABLES)  # on a server, later use cases take the next ids
    return planted


def _course(
    rows: _Rows, mrn: str, modality: Modality, start: date, born: date, comorbid: list[str]
) -> int:
    pid = rows.add(
        "patient",
        mrn=mrn,
        mrn_key=mrn_key(mrn),
        name=f"Synthetic {mrn}",
        search_key=mrn.lower(),
        date_of_birth=born,
        sex=random.Random(mrn).choice(("female", "male")),
        comorbidities=json.dumps(comorbid),
        notes="",
    )
    return rows.add(
        "course",
        patient_id=pid,
        modality=str(modality),
        start_date=start,
        end_date=None,
        planned_sessions=6,
        phase="induction",
        status="active",
        discontinue_reason=None,
        settings_json=DEFAULT_SETTINGS.to_json(),
        notes="",
    )


def _session(course_id: int, number: int, day: date, phase: str) -> dict[str, Any]:
    return {
        "course_id": course_id,
        "number": number,
        "performed_at": at(day),
        "phase": phase,
        "details": "{}",
        "side_effects": "[]",
        "side_effects_text": "",
        "prn_medication": "[]",
        "notes": "",
    }


def _assess(
    rows: _Rows,
    course_id: int,
    code: str,
    total: float,
    when: datetime,
    timepoint: str = "pre_session",
    session_id: int | None = None,
) -> None:
    result = score(code, items_for(code, total))
    rows.add(
        "assessment",
        course_id=course_id,
        session_id=session_id,
        **score_columns(result),
        flag_open=False,
        rater="",
        timepoint=timepoint,
        assessed_at=when,
        supplementary=None,
    )


def _patient(rows: _Rows, rng: random.Random, i: int, modality: Modality, out: Planted) -> None:
    anxiety = rng.random() < 0.4
    comorbid = [str(Comorbidity.ANXIETY)] if anxiety else []
    if rng.random() < 0.2:
        comorbid.append(str(Comorbidity.PTSD))
    mrn = f"SYN-{i:05d}"
    start = FIRST_START + timedelta(days=rng.randrange(150))
    born = date(1950 + rng.randrange(50), 1 + rng.randrange(12), 10)
    course_id = _course(rows, mrn, modality, start, born, comorbid)
    cls = rng.choices(range(3), CLASS_SHARES)[0]
    out.mrn_class[mrn] = cls
    curve = CLASS_CURVES[cls]
    phq_base = rng.randint(14, 24)
    base_when = at(start - timedelta(days=2), 8)
    _assess(rows, course_id, "MADRS", curve[0] + rng.gauss(0, NOISE_SD), base_when, "baseline")
    _assess(rows, course_id, "PHQ9", phq_base, base_when, "baseline")
    days = INFUSION_DAYS if modality == Modality.IV_KETAMINE else tuple(range(0, 20, 2))
    for n, offset in enumerate(days, start=1):
        day = start + timedelta(days=offset)
        sid = rows.add("treatment_session", **_session(course_id, n, day, "induction"))
        if n < len(curve):
            _assess(
                rows,
                course_id,
                "MADRS",
                curve[n] + rng.gauss(0, NOISE_SD),
                at(day, 8),
                session_id=sid,
            )
    last = start + timedelta(days=days[-1])
    change = BASE_CHANGE + (TMS_EFFECT if modality == Modality.TMS else 0.0)
    change += (ANXIETY_EFFECT if anxiety else 0.0) + rng.gauss(0, 2.0)
    week6 = max(0, min(24, round(phq_base - change)))
    _assess(rows, course_id, "PHQ9", week6, at(start + timedelta(days=42)), "follow_up")
    out.week6_change[course_id] = phq_base - week6
    if modality == Modality.IV_KETAMINE:
        _cm_and_hospital(rows, rng, course_id, last, len(days), out)


def _cm_and_hospital(
    rows: _Rows, rng: random.Random, course_id: int, last: date, n_sessions: int, out: Planted
) -> None:
    cm = rng.random() < 0.5
    out.cm[course_id] = cm
    if cm:
        rows.add(
            "treatment_session",
            **_session(course_id, n_sessions + 1, last + timedelta(days=21), "maintenance"),
        )
    out.hospitalized[course_id] = rng.random() < RISK_NO_CM * (RR_CM if cm else 1.0)
    if out.hospitalized[course_id]:
        rows.add(
            "event",
            course_id=course_id,
            kind="hospitalization",
            occurred_on=last + timedelta(days=120),
            reason=None,
            description="",
        )
