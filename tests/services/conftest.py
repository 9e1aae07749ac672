"""Services run over both engines: the root ``db`` fixture, parametrized by ``engine``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engines import engine_db
from mbctracker.storage import Database


@pytest.fixture
def db(engine: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A real, freshly migrated database on each engine."""
    yield from engine_db(engine, db_path, request, "test clinician")
