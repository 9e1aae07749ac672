"""Fixtures for storage tests: a fresh database in a private temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from engines import engine_db
from mbctracker.domain.course import CourseId, Modality
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic" / "mbctracker.sqlite3"


@pytest.fixture
def db(engine: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A fresh database on each engine (``engine`` is parametrized in tests/conftest.py)."""
    yield from engine_db(engine, db_path, request, "tester")


@pytest.fixture
def course_id(db: Database) -> CourseId:
    """A synthetic patient with one IV ketamine course started 60 days ago."""
    patient = register_patient(
        db, PatientInput(mrn="SYN-0001", name="Synthetic Alpha", date_of_birth=date(1980, 5, 1))
    )
    start = (datetime.now() - timedelta(days=60)).date()
    return start_course(db, patient.id, Modality.IV_KETAMINE, start, 6).id
