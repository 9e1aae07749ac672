"""Clinic outcomes on a clinic server equal the file's for the same record (issue 13).

The same synthetic clinic is generated into a SQLite file and into the throw-away
PostgreSQL cluster, with patients whose sessions and scores fall near local midnight,
in a zone west and one east of Greenwich; every analysis must come out the same. The
server's own TimeZone is UTC (storage.server): only the zone the app passes counts.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from mbctracker.domain.course import EventKind, Modality, Phase, Timepoint
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.events import record_event
from mbctracker.services.outcomes import OutcomeFilters, run_clinic_outcomes
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database, open_database
from mbctracker.storage.portable import local_zone as zone_for_server

from .clinic_generator import generate, items_for

START = date(2024, 3, 4)
LATE, EARLY = time(23, 30), time(0, 30)


def _score(db: Database, course_id: int, code: str, when: datetime, total: int, **kw: Any) -> None:
    record_assessment(db, course_id, AssessmentInput(code, items_for(code, total), when, **kw))


def _near_midnight(db: Database) -> None:
    """Courses whose every boundary (induction end, 6-week window, C/M window, the
    hospitalization follow-up) sits half an hour either side of a local midnight."""
    for n, modality in enumerate((Modality.TMS, Modality.IV_KETAMINE, Modality.IV_KETAMINE)):
        start = START + timedelta(days=n)
        pid = register_patient(db, PatientInput(mrn=f"TZ-{n}", name=f"Zone Test {n}")).id
        cid = start_course(db, pid, modality, start, planned_sessions=6).id

        def at(day: int, clock: time, start: date = start) -> datetime:
            return datetime.combine(start + timedelta(days=day), clock)

        _score(db, cid, "PHQ9", at(-1, LATE), 20, timepoint=Timepoint.BASELINE)
        _score(db, cid, "MADRS", at(-1, EARLY), 30, timepoint=Timepoint.BASELINE)
        for visit, day in enumerate((0, 3, 7)):
            done = record_session(db, cid, SessionInput(at(day, LATE), phase=Phase.INDUCTION))
            _score(
                db, cid, "MADRS", at(day, time(23, 0)), 28 - 6 * visit, session_id=done.record.id
            )
        _score(db, cid, "PHQ9", at(7, time(23, 50)), 10 + n)  # the induction's last local day
        _score(db, cid, "PHQ9", at(8, EARLY), 2)  # the next local day: not
        _score(db, cid, "PHQ9", at(27, LATE), 0)  # day 27: before the 6-week window
        _score(db, cid, "PHQ9", at(28, EARLY), 14)  # the window's first day
        _score(db, cid, "PHQ9", at(56, LATE), 12 - n)  # its last day
        if modality == Modality.IV_KETAMINE:
            when = at(7 + 90 + n, LATE if n == 1 else EARLY)  # C/M window edge (90 days)
            record_session(db, cid, SessionInput(when, phase=Phase.MAINTENANCE))
            record_event(db, cid, EventKind.HOSPITALIZATION, start + timedelta(days=7 + 365))


def _outcomes(target: Path | str, filters: OutcomeFilters) -> str:
    db = open_database(target, actor="test clinician")
    try:
        generate(db, patients=60, tms=20)
        _near_midnight(db)
        result = run_clinic_outcomes(db, filters)
    finally:
        db.dispose()
    del result["generated"]
    return json.dumps(result, sort_keys=True, allow_nan=False)


FILTERS = (
    OutcomeFilters(),
    OutcomeFilters(date_from=date(2024, 3, 1), date_to=date(2024, 5, 1), modality="iv_ketamine"),
)


@pytest.mark.parametrize("local_zone", ["America/Los_Angeles", "Asia/Tokyo"], indirect=True)
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "filtered"])
def test_outcomes_on_the_server_equal_the_files(
    local_zone: str, filters: OutcomeFilters, db_path: Path, pg_url: str
) -> None:
    on_file = _outcomes(db_path, filters)
    on_server = _outcomes(pg_url, filters)
    assert on_server == on_file
    assert '"n": 0' not in on_file.split('"week6_phq9"')[1][:40], "the window found scores"


@pytest.mark.parametrize(
    ("setting", "name"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"),
        (":America/Los_Angeles", "America/Los_Angeles"),
        ("/usr/share/zoneinfo/Europe/Madrid", "Europe/Madrid"),
        ("", "UTC"),
    ],
)
def test_the_server_is_told_the_zone_sqlite_and_python_use(
    setting: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", setting)
    assert zone_for_server() == name


@pytest.mark.parametrize("local_zone", ["XYZ-5:30"], indirect=True)
def test_a_zone_without_a_name_is_passed_as_its_offset(local_zone: str) -> None:
    """A POSIX ``TZ`` no zone file names (5:30 east): its offset, as PostgreSQL reads it."""
    assert datetime(2024, 1, 1, 12).astimezone().utcoffset() == timedelta(hours=5, minutes=30)
    assert zone_for_server() == "<+0530>-5:30"
