"""Shared fixtures: headless Qt, a real database per test (SQLite file or PostgreSQL), a
synthetic patient.

tests/storage and tests/services run over both engines: their ``db`` asks for the
``engine`` parameter (``pytest_generate_tests`` below), and a test or module marked
``sqlite_only`` (it is about the file itself: crash safety, damaged files, file
backups) runs on SQLite alone. The UI suite stays on SQLite.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pytestqt.qtbot import QtBot

import pg_cluster
from mbctracker.domain.course import Modality
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import Database, open_database
from summary_check import check_summaries

WAIT_CEILING_MS = 60_000
"""Every qtbot wait's default timeout: a ceiling for a hang, never a speed assertion.

pytest-qt's own default is 5 s, which a list refresh, a PDF render or a second
process's save can pass on a loaded CI machine (2 cores, other suites running).
A test that needs a condition NOT to happen must not use a qtbot wait for it.
"""
QT_WAITS = ("waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive", "waitCallback")
for _wait in QT_WAITS:
    getattr(QtBot, _wait).__kwdefaults__["timeout"] = WAIT_CEILING_MS

settings.register_profile("no-timing", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("no-timing")
"""Property tests judge results, never time: Hypothesis's 200 ms deadline per example
failed (DeadlineExceeded, then FlakyFailure on the quick replay) when a loaded machine
paused the process mid-example; its "too slow" check is timing too."""

ENGINES = ("sqlite", "postgresql")
_BOTH_ENGINES = ("tests/storage/", "tests/services/")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each storage/services test over both engines unless it is ``sqlite_only``."""
    if "engine" not in metafunc.fixturenames:
        return
    where = Path(str(metafunc.definition.fspath)).as_posix()
    both = any(part in where for part in _BOTH_ENGINES)
    if both and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("engine", ENGINES)


@pytest.fixture
def engine() -> str:
    """The engine of a test not run over both (``sqlite_only``, or outside storage/services)."""
    return ENGINES[0]


@pytest.fixture(scope="session")
def pg() -> Iterator[pg_cluster.Cluster]:
    """One real PostgreSQL cluster per test process, with a migrated template database.

    Skips (with the reason, shown by ``-ra``) when PostgreSQL cannot be started here.
    """
    cluster = pg_cluster.start()
    if isinstance(cluster, str):
        pytest.skip(f"PostgreSQL half skipped: {cluster}")
    try:
        template = cluster.new_database()
        open_database(cluster.url(template), actor="template").dispose()
        cluster.psql(f'ALTER DATABASE "{template}" WITH IS_TEMPLATE true')
        cluster.template = template
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg: pg_cluster.Cluster) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (copied from the template), dropped afterwards."""
    name = pg.new_database(pg.template)
    yield pg.url(name)
    pg.drop_database(name)


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
    """A real, freshly migrated SQLite database file (its list summaries checked after)."""
    database = open_database(db_path, actor="test clinician")
    yield database
    try:
        check_summaries(database)
    finally:
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
