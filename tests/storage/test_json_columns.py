"""JSON columns: jsonb on a clinic server, text on a file, the same text to the app on both.

Migration 0013 and ``storage.jsontext`` (issue 13 §1). Every JSON-bearing record is
written through the storage tables and read back exactly; invalid JSON is refused before
it reaches either engine; a server at 0012 holding data keeps every value when upgraded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import StatementError
from sqlmodel import SQLModel

import mbctracker.storage.migrations as migrations
from engines import integrity_errors, raw_connect
from mbctracker.domain.course import CourseId
from mbctracker.services.procedure import latest_weight
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database, open_database
from mbctracker.storage.mappers import dumps
from mbctracker.storage.tables import (
    Assessment,
    ChangeLog,
    Course,
    CourseSummaryRow,
    Patient,
    RemsRecordRow,
    TreatmentSession,
)
from pg_cluster import Cluster

JSON_COLUMNS = {
    "patient": ("comorbidities",),
    "course": ("settings_json",),
    "treatment_session": ("details", "side_effects", "prn_medication", "warnings"),
    "assessment": ("responses",),
    "rems_record": ("concomitant",),
    "change_log": ("changes",),
    "course_summary": ("latest",),
}
"""Every JSON column (migration 0013's list, checked against the tables below)."""

TRICKY = {
    "name": 'Zoë "Ødegård" \\ ✓ 🙂',
    "nested": {"b": [1, 2.5, None, True, False], "a": {"z": "", "é": []}},
    "numbers": [0, -3, 70.5, 0.1, 0.30000000000000004, 1e-05, 3.0, 12345678901234567890],
}
"""Values the app's JSON may hold: non-ASCII text, nesting, floats that must stay exact."""


def _values() -> dict[tuple[str, str], str]:
    """(table, column) -> the JSON text written, as the app writes it (mappers.dumps)."""
    return {
        ("patient", "comorbidities"): dumps(["anxiety_disorder", "ptsd"]),
        ("course", "settings_json"): dumps({"clinic_name": "Clínica Ñandú", **TRICKY}),
        ("treatment_session", "details"): dumps({"weight_kg": 70.5, **TRICKY}),
        ("treatment_session", "side_effects"): dumps(["nausea", "mareo ✓"]),
        ("treatment_session", "prn_medication"): dumps(["ondansetrón"]),
        ("treatment_session", "warnings"): dumps(
            [{"field": "dose", "rule": "r", "text": "Dosis ✓", **TRICKY}]
        ),
        ("assessment", "responses"): dumps([0, 1, 2, 3, None, 0, 1, 2, 0]),
        ("rems_record", "concomitant"): dumps(["lorazepam", TRICKY]),
        ("change_log", "changes"): dumps({"notes": [None, "Zoë ✓"], "x": [TRICKY, 1]}),
    }


def _write_everything(db: Database) -> dict[tuple[str, str], str]:
    v = _values()
    stamp = datetime(2026, 1, 6, 9, tzinfo=UTC)
    with db.write() as s:
        patient = Patient(
            mrn="J-1", mrn_key="j-1", name="Json Test", comorbidities=v["patient", "comorbidities"]
        )
        s.add(patient)
        s.flush()
        course = Course(
            patient_id=patient.id,
            modality="esketamine",
            start_date=date(2026, 1, 5),
            planned_sessions=6,
            settings_json=v["course", "settings_json"],
        )
        s.add(course)
        s.flush()
        visit = TreatmentSession(
            course_id=course.id,
            number=1,
            performed_at=stamp,
            phase="induction",
            **{c: v["treatment_session", c] for c in JSON_COLUMNS["treatment_session"]},
        )
        s.add(visit)
        s.flush()
        s.add(
            Assessment(
                course_id=course.id,
                session_id=visit.id,
                instrument="PHQ9",
                responses=v["assessment", "responses"],
                valid=True,
                total=9,
                assessed_at=stamp,
            )
        )
        s.add(
            RemsRecordRow(
                session_id=visit.id,
                course_id=course.id,
                concomitant=v["rems_record", "concomitant"],
            )
        )
        s.add(
            ChangeLog(
                actor="json-test",
                table_name="course",
                record_id=1,
                action="update",
                changes=v["change_log", "changes"],
            )
        )
    return v


def test_every_json_column_is_listed() -> None:
    """The JSON columns above are those the tables type as JSON (none forgotten)."""
    typed = {
        (table.name, column.name)
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if type(column.type).__name__ == "JsonText"
    }
    assert typed == {(t, c) for t, cols in JSON_COLUMNS.items() for c in cols}


def test_json_columns_are_jsonb_on_the_server_and_text_on_a_file(db: Database) -> None:
    with closing(raw_connect(db)) as conn:
        for table, columns in JSON_COLUMNS.items():
            for column in columns:
                if db.on_server:
                    found = conn.execute(
                        "SELECT data_type FROM information_schema.columns "
                        "WHERE table_name = ? AND column_name = ?",
                        (table, column),
                    ).fetchone()[0]
                    assert (table, column, found) == (table, column, "jsonb")
                else:
                    declared = {r[1]: r[2] for r in conn.execute(f"PRAGMA table_info({table})")}
                    assert (table, column, declared[column]) == (table, column, "VARCHAR")


def test_every_json_bearing_record_round_trips_exactly(db: Database) -> None:
    written = _write_everything(db)
    tables = {
        "patient": Patient,
        "course": Course,
        "treatment_session": TreatmentSession,
        "assessment": Assessment,
        "rems_record": RemsRecordRow,
        "change_log": ChangeLog,
    }
    with db.read() as s:
        for (table, column), value in written.items():
            mine = "actor = 'json-test'" if table == "change_log" else "TRUE"  # not the audit's
            query = select(getattr(tables[table], column)).where(text(mine))
            assert s.execute(query).scalar_one() == value, (table, column)
            raw = s.execute(text(f"SELECT {column} FROM {table} WHERE {mine}")).scalar_one()
            assert json.loads(raw) == json.loads(value), (table, column)  # raw SQL: text
        latest = s.execute(select(CourseSummaryRow.latest)).scalar_one()
    assert latest == dumps({"PHQ9": "9"})  # the summary the commit hook wrote, read back
    assert latest_weight(db, 1) == 70.5  # json_extract on the JSON: a number on both engines


@pytest.mark.parametrize(
    "bad", ["not json", "{'a': 1}", "[1, 2", "", "NaN", '{"a": Infinity}', '{"a": 1} x']
)
def test_invalid_json_is_never_stored(db: Database, bad: str) -> None:
    _write_everything(db)
    stored = text("SELECT details, notes FROM treatment_session")
    with db.read() as s:
        before = s.execute(stored).one()
    with pytest.raises(StatementError, match=r"JSON|Expecting|Extra data|Unterminated"):  # noqa: SIM117
        with db.write() as s:
            row = s.get(TreatmentSession, 1)
            assert row is not None
            row.details = bad
            row.notes = "half-saved?"
    with db.read() as s:
        assert s.execute(stored).one() == before  # nothing half-saved
    with pytest.raises(StatementError), db.write() as s:
        s.add(ChangeLog(actor="t", table_name="x", record_id=1, action="a", changes=bad))
    if db.on_server:  # the server itself refuses it, whoever writes
        with closing(raw_connect(db)) as conn, pytest.raises(integrity_errors()):
            conn.execute("UPDATE treatment_session SET details = ?", (bad,))


# --- the upgrade 0012 -> 0013 on a server that holds data -------------------------------

STAMP = "'2026-01-01 00:00:00+00'"
OLD_TEXT = {
    ("patient", "comorbidities"): '["anxiety_disorder",   "ptsd"]',
    ("course", "settings_json"): '{"zeta": 1, "clinic_name": "Cl\\u00ednica", "a": [1.50, 2]}',
    ("treatment_session", "details"): '{"weight_kg": 70.5, "b": {"y": null, "x": true}}',
    ("treatment_session", "side_effects"): '["n\\u00e1usea"]',
    ("treatment_session", "prn_medication"): "[]",
    ("treatment_session", "warnings"): '[{"rule": "r", "field": "dose", "text": "\\"q\\""}]',
    ("assessment", "responses"): "[0,1,2,3,null,0,1,2,0]",
    ("rems_record", "concomitant"): '["Zo\\u00eb", {"n": 1e-05}]',
    ("change_log", "changes"): '{"notes": [null, "\\ud83d\\ude42"], "a": [0.1, 3.0]}',
    ("course_summary", "latest"): '{"PHQ9": "9", "GAD7": "4*"}',
}
"""Text as an older app or another program may have left it: any key order, spacing,
``\\u`` escapes. The upgrade keeps each value (jsonb keeps values, not spelling)."""

OLD_ROWS = (
    "INSERT INTO patient (id, mrn, mrn_key, name, search_key, sex, comorbidities, notes, "
    "version, created_at, updated_at) VALUES (1, 'OLD-1', 'old-1', 'Old Server', 'old', "
    f"'unknown', %(patient.comorbidities)s, '', 1, {STAMP}, {STAMP})",
    "INSERT INTO course (id, patient_id, modality, start_date, planned_sessions, phase, status, "
    f"settings_json, notes, version, created_at, updated_at) VALUES (1, 1, 'esketamine', "
    f"'2026-01-05', 6, 'induction', 'active', %(course.settings_json)s, '', 1, {STAMP}, {STAMP})",
    "INSERT INTO treatment_session (id, course_id, number, performed_at, phase, details, "
    "side_effects, side_effects_text, prn_medication, warnings, notes, version, created_at, "
    "updated_at) VALUES (1, 1, 1, '2026-01-06 10:00:00+00', 'induction', "
    "%(treatment_session.details)s, %(treatment_session.side_effects)s, '', "
    "%(treatment_session.prn_medication)s, %(treatment_session.warnings)s, '', 1, "
    f"{STAMP}, {STAMP})",
    "INSERT INTO assessment (id, course_id, session_id, instrument, responses, valid, total, "
    "prorated, safety_flag, rater, timepoint, assessed_at, version, created_at, updated_at) "
    "VALUES (1, 1, 1, 'PHQ9', %(assessment.responses)s, TRUE, 9, FALSE, FALSE, '', "
    f"'pre_session', '2026-01-06 09:00:00+00', 1, {STAMP}, {STAMP})",
    "INSERT INTO rems_record (id, session_id, course_id, lot_number, respiratory_status, "
    "concomitant, version, created_at, updated_at) VALUES (1, 1, 1, '', '', "
    f"%(rems_record.concomitant)s, 1, {STAMP}, {STAMP})",
    "INSERT INTO change_log (id, at, actor, table_name, record_id, action, changes) VALUES "
    f"(1, {STAMP}, 'old', 'course', 1, 'update', %(change_log.changes)s)",
    "INSERT INTO course_summary (course_id, patient_id, latest) VALUES "
    "(1, 1, %(course_summary.latest)s)",
)


def _alembic(url: str, revision: str) -> None:
    """Run the migrations to ``revision`` on a plain connection (no app hooks)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(Path(migrations.__file__).parent))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


@pytest.fixture
def server_at_0012(pg: Cluster) -> Iterator[str]:
    """A clinic server left at schema 0012 with one of each JSON-bearing record."""
    import psycopg

    name = pg.new_database()
    url = pg.url(name)
    _alembic(url, "0012")
    with closing(psycopg.connect(url)) as conn:
        params = {f"{t}.{c}": value for (t, c), value in OLD_TEXT.items()}
        for statement in OLD_ROWS:
            conn.execute(statement, params)
        conn.commit()
    yield url
    pg.drop_database(name)


def _stored(url: str) -> dict[tuple[str, str], Any]:
    import psycopg

    with closing(psycopg.connect(url)) as conn:
        return {(t, c): conn.execute(f"SELECT {c} FROM {t}").fetchone()[0] for t, c in OLD_TEXT}


def test_upgrading_a_server_from_0012_keeps_every_json_value(server_at_0012: str) -> None:
    before = _stored(server_at_0012)
    assert all(isinstance(v, str) for v in before.values()), "text at 0012"
    _alembic(server_at_0012, "0013")
    after = _stored(server_at_0012)  # psycopg parses jsonb: the values themselves
    assert after == {k: json.loads(v) for k, v in before.items()}
    import psycopg

    with closing(psycopg.connect(server_at_0012)) as conn:
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE change_log SET actor = 'x'")  # its triggers still hold
        conn.rollback()
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM change_log")
    db = open_database(server_at_0012, actor="t")  # the app reads the upgraded record
    try:
        timeline = load_timeline(db, CourseId(1))
        assert timeline.sessions[0].details["weight_kg"] == 70.5
        assert timeline.sessions[0].side_effects == ("náusea",)
        assert latest_weight(db, 1) == 70.5
    finally:
        db.dispose()


def test_downgrading_to_0012_gives_the_values_back_as_text(server_at_0012: str) -> None:
    _alembic(server_at_0012, "0013")
    engine = create_engine(server_at_0012.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(Path(migrations.__file__).parent))
            config.attributes["connection"] = connection
            command.downgrade(config, "0012")
    finally:
        engine.dispose()
    back = _stored(server_at_0012)
    assert all(isinstance(v, str) for v in back.values())
    assert {k: json.loads(v) for k, v in back.items()} == {
        k: json.loads(v) for k, v in OLD_TEXT.items()
    }
