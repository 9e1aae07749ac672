"""Shared fixtures: headless Qt, a real SQLite file per test, a synthetic patient."""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mbctracker.domain.course import Modality
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import Database, open_database


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test out of the user's real data, log and settings folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("MBCTRACKER_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A real, freshly migrated SQLite database file."""
    database = open_database(db_path, actor="test clinician")
    yield database
    database.dispose()


@pytest.fixture
def patient(db: Database) -> PatientInfo:
    return register_patient(
        db, PatientInput(mrn="MRN-0001", name="Zoë Ødegård", date_of_birth=date(1980, 5, 17))
    )


@pytest.fixture
def course(db: Database, patient: PatientInfo) -> CourseInfo:
    return start_course(db, patient.id, Modality.IV_KETAMINE, date(2026, 1, 5), planned_sessions=6)


@pytest.fixture
def local_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run in the time zone named by ``request.param`` (indirect), restored afterwards."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
