"""Migration 0005: every patient gets its MRN key; colliding MRNs stop the upgrade."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

import mbctracker.storage.migrations as migrations
from mbctracker.__main__ import main
from mbctracker.storage import SCHEMA_HEAD, open_database
from mbctracker.storage.errors import DuplicateMrnKeyError

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself (tests/conftest.py)


def _at_0004(path: Path, mrns: list[str]) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(config, "0004")
    with closing(sqlite3.connect(path)) as conn:
        conn.executemany(
            "INSERT INTO patient (id, mrn, name, search_key, sex, comorbidities, notes, version, "
            "created_at, updated_at) VALUES (?, ?, ?, '', 'unknown', '[]', '', 1, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            [(i, mrn, f"Person Ødegård {i}") for i, mrn in enumerate(mrns, start=1)],
        )
        conn.commit()


def _dump(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT * FROM patient ORDER BY id").fetchall()


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_keys_and_search_keys_are_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _at_0004(path, ["ØST-1", "ＳＹＮ-０００１", "MRN\u200b9"])
    open_database(path, actor="t").dispose()
    assert _revision(path) == SCHEMA_HEAD
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT mrn_key, search_key FROM patient ORDER BY id").fetchall()
    assert rows == [
        ("øst-1", "person odegard 1 ost-1"),
        ("syn-0001", "person odegard 2 syn-0001"),
        ("mrn\u200b9", "person odegard 3 mrn9"),  # kept visible; the form refuses it at next edit
    ]


def test_colliding_mrns_stop_the_upgrade_with_their_ids_and_change_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    _at_0004(path, ["ØST-1", "OK-1", "øst-1", "MRN 1", "mrn  1"])
    before = _dump(path)
    with pytest.raises(DuplicateMrnKeyError) as refused:
        open_database(path, actor="t")
    message = str(refused.value)
    assert "ids 1, 3; 4, 5 have MRNs that are the same" in message
    assert "ØST" not in message and "øst" not in message, "ids only, never MRNs"
    assert _revision(path) == "0004" and _dump(path) == before, "the file was not changed"


def test_the_cli_reports_a_collision_as_a_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite3"
    _at_0004(path, ["ÅB-1", "åb-1"])
    assert main(["report", "--db", str(path), "--patient", "ÅB-1", "--out", "x.pdf"]) == 2
    err = capsys.readouterr().err
    assert "ids 1, 2 have MRNs" in err and "Traceback" not in err
