"""Issue 10's records in the CSV interchange: bad cells named plainly, older files dated.

A file from before the phase changes existed (no ``phase_changes.csv``) gets them
read back from its sessions as the app does for an older database; every new
column is checked as its form checks it, and a bad one writes nothing.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from interchange_records import course_ids
from test_interchange_bad_files import ITEMS, write_folder

from engines import raw_connect
from mbctracker.domain.course import Phase
from mbctracker.domain.schedule import PhaseChange
from mbctracker.services.interchange.csv_import import ImportRefused, import_csv
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database

COURSE_HEAD = (
    "course_key,mrn,modality,start_date,planned_sessions,phase,diagnosis,prescriber,"
    "authorised_sessions,mt_determined_on,session_interval_days"
)

BAD = {
    "patients.csv": ["mrn,name,sex", "P-3,Carl Cole,male"],
    "courses.csv": [
        COURSE_HEAD,
        "e,P-3,ect,2026-02-01,12,,dx\u0007,,0,2026-02-02,x",
        "t,P-3,tms,2026-02-01,30,,,Dr. " + "n" * 200 + ",501,2026-01-31,366",
        "g,P-3,ect,2026-02-01,12,,,,,,",
    ],
    "phase_changes.csv": [
        "course_key,phase,started_on",
        "g,induction,2026-01-31",
        "g,taper,2026-02-05",
        "g,maintenance,2026-02-30",
        "g,maintenance,2026-03-01",
        "g,continuation,2026-03-01",
        "zz,maintenance,2026-03-01",
    ],
    "sessions.csv": [
        "course_key,number,performed_at,warnings",
        "g,1,2026-02-02T09:00,not json",
        'g,2,2026-02-03T09:00,"[{""rule"": 1}]"',
        'g,3,2026-02-04T09:00,"{""rule"": ""x""}"',
    ],
    "assessments.csv": [
        f"course_key,instrument,assessed_at,{ITEMS},link_manual",
        "g,PHQ9,2026-02-02T08:00,0,0,0,0,0,0,0,0,0,,maybe",
    ],
}

EXPECTED = [
    "courses.csv:2: diagnosis: holds a control character",
    "courses.csv:2: authorised_sessions: 0 is out of range; allowed: a whole number 1-500 or empty",
    "courses.csv:2: session_interval_days: 'x' is not a whole number; allowed: a whole number "
    "1-365 or empty",
    "courses.csv:2: mt_determined_on: only TMS courses have a motor threshold; allowed: empty",
    "courses.csv:3: prescriber: is too long",
    "courses.csv:3: authorised_sessions: 501 is out of range",
    "courses.csv:3: session_interval_days: 366 is out of range",
    "courses.csv:3: mt_determined_on: 2026-01-31 is before the course start (2026-02-01); "
    "allowed: from 2026-02-01",
    "phase_changes.csv:2: started_on: 2026-01-31 is before the course start",
    "phase_changes.csv:3: phase: 'taper' is not one of the choices; allowed: induction",
    "phase_changes.csv:4: started_on: 2026-02-30 is not a calendar date",
    "phase_changes.csv:6: started_on: this course already changes phase on 2026-03-01 (line 5); "
    "allowed: one change per course and day",
    "phase_changes.csv:7: course_key: 'zz' is not a course in courses.csv",
    "sessions.csv:2: warnings: is not valid JSON; allowed: a JSON list",
    "sessions.csv:3: warnings: is not a list of warnings with rule, field and text",
    "sessions.csv:4: warnings: is not a list of warnings with rule, field and text",
    "assessments.csv:2: link_manual: 'maybe' is not true or false; allowed: true, false or empty",
]


def _counts(db: Database) -> dict[str, int]:
    tables = ("patient", "course", "course_phase_change", "treatment_session", "assessment")
    with closing(raw_connect(db)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_bad_issue_10_cells_are_named_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    before = _counts(db)
    with pytest.raises(ImportRefused) as refused:
        import_csv(db, write_folder(tmp_path / "bad", BAD))
    problems = refused.value.problems
    for expected in EXPECTED:
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    assert _counts(db) == before


OLDER = {
    "patients.csv": ["mrn,name,sex", "P-3,Carl Cole,male"],
    "courses.csv": [
        "course_key,mrn,modality,start_date,planned_sessions,phase",
        "k,P-3,iv_ketamine,2026-02-01,6,follow_up",
        "n,P-3,tms,2026-04-01,30,",
    ],
    "sessions.csv": [
        "course_key,number,performed_at,phase",
        "k,1,2026-02-02T09:00,induction",
        "k,2,2026-02-09T09:00,induction",
        "k,3,2026-03-02T09:00,maintenance",
    ],
}


def _changes(db: Database) -> dict[str, list[PhaseChange]]:
    found = {}
    for cid in course_ids(db):
        timeline = load_timeline(db, cid)  # type: ignore[arg-type]
        found[str(timeline.course.modality)] = list(timeline.phase_changes)
    return found


def test_a_file_without_phase_changes_gets_them_from_its_sessions(
    db: Database, tmp_path: Path
) -> None:
    """As the app dates an older course: the first session's phase from the start, each
    change at its session's day, a later course phase the day after the last session."""
    import_csv(db, write_folder(tmp_path / "older", OLDER))
    assert _changes(db) == {
        "iv_ketamine": [
            PhaseChange(Phase.INDUCTION, date(2026, 2, 1)),
            PhaseChange(Phase.MAINTENANCE, date(2026, 3, 2)),
            PhaseChange(Phase.FOLLOW_UP, date(2026, 3, 3)),
        ],
        "tms": [PhaseChange(Phase.INDUCTION, date(2026, 4, 1))],
    }


def test_phase_changes_in_the_file_are_kept_as_given(db: Database, tmp_path: Path) -> None:
    """A change with no session after it (the course moved on, nobody came yet) stays."""
    files = dict(OLDER)
    files["phase_changes.csv"] = [
        "course_key,phase,started_on",
        "k,induction,2026-02-01",
        "k,maintenance,2026-02-20",
        "k,follow_up,2026-03-10",
    ]
    import_csv(db, write_folder(tmp_path / "dated", files))
    changes = _changes(db)
    assert [(c.phase, c.started_on) for c in changes["iv_ketamine"]] == [
        (Phase.INDUCTION, date(2026, 2, 1)),
        (Phase.MAINTENANCE, date(2026, 2, 20)),
        (Phase.FOLLOW_UP, date(2026, 3, 10)),
    ]
    assert changes["tms"] == [PhaseChange(Phase.INDUCTION, date(2026, 4, 1))]  # derived


MONITORED: dict[str, list[str]] = {
    "patients.csv": ["mrn,name,sex", "P-3,Carl Cole,male"],
    "courses.csv": [
        "course_key,mrn,modality,start_date,planned_sessions",
        "s,P-3,esketamine,2026-02-01,8",
        "t,P-3,tms,2026-02-01,30",
    ],
    "sessions.csv": [
        "course_key,number,performed_at,details",
        's,1,2026-02-02T10:00,"{""dose_mg"": ""56""}"',
        "t,1,2026-02-02T10:00,",
    ],
    "vitals.csv": [
        "course_key,session_number,point,taken_at,systolic,diastolic,heart_rate,spo2",
        "s,1,pre_dose,2026-02-02T10:00,120,130,70,98",
        "s,1,lying,,120,80,300,",
        "s,9,during,,,,,",
        "t,1,during,,120,80,,",
    ],
    "rems.csv": [
        "course_key,session_number,lot_number,monitoring_start,monitoring_end,"
        "respiratory_status,concomitant,submitted_on",
        "s,1,L1,2026-02-02T10:00,2026-02-02T09:00,normal,,",
        "s,1,L1,,,wheezy,opioids,2026-02-31",
        "t,1,,,,,,",
        "s,1,L2,2026-02-02T08:00,,,,",
    ],
}

MONITORED_EXPECTED = [
    "vitals.csv:2: diastolic: ",
    "vitals.csv:3: point: 'lying' is not one of the choices; allowed: pre_dose, during, discharge",
    "vitals.csv:3: heart_rate: 300 is out of range; allowed: a whole number 20-250 or empty",
    "vitals.csv:4: session_number: session 9 is not in sessions.csv for this course",
    "vitals.csv:5: course_key: TMS sessions have no vitals flowsheet; allowed: a course of",
    "rems.csv:2: monitoring_end: before the monitoring start; allowed: a time after the start",
    "rems.csv:3: submitted_on: 2026-02-31 is not a calendar date",
    "rems.csv:3: respiratory_status: 'wheezy' is not one of the choices; allowed: normal, changed",
    "rems.csv:3: concomitant: 'opioids' is not on the REMS form; allowed: benzodiazepines;",
    "rems.csv:3: session_number: this session already has a REMS record (line 2)",
    "rems.csv:4: course_key: TMS sessions have no REMS record; allowed: a course of Esketamine",
    "rems.csv:5: monitoring_start: is before the session (2026-02-02T10:00:00",
]


def test_bad_vitals_and_rems_cells_are_named_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_csv(db, write_folder(tmp_path / "bad", MONITORED))
    problems = refused.value.problems
    for expected in MONITORED_EXPECTED:
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    with closing(raw_connect(db)) as conn:
        for table in ("vital_sign", "rems_record", "treatment_session"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
