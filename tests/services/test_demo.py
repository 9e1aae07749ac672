"""The demo generator: deterministic, plausible, and readable through the services."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from engines import raw_connect
from mbctracker.domain.course import CourseId
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.timeline import summarize
from mbctracker.services.demo import generate_demo
from mbctracker.services.patient_list import count_patients, patient_page
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database, open_database

TODAY = date(2026, 11, 1)
CLINICAL_TABLES = ("patient", "course", "treatment_session", "assessment", "safety_action", "event")


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in CLINICAL_TABLES
        }


def _make(path: Path, seed: int, patients: int = 25) -> Path:
    db = open_database(path, actor="demo")
    generate_demo(db, patients=patients, seed=seed, today=TODAY)
    db.dispose()
    return path


def test_same_seed_same_data(tmp_path: Path) -> None:
    first = _dump(_make(tmp_path / "a.sqlite3", seed=3))
    assert first == _dump(_make(tmp_path / "b.sqlite3", seed=3))
    assert first != _dump(_make(tmp_path / "c.sqlite3", seed=4))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = _make(tmp_path_factory.mktemp("demo") / "demo.sqlite3", seed=1, patients=300)
    return open_database(path, actor="test")


def _scalar(db: Database, sql: str) -> list[tuple[object, ...]]:
    with closing(raw_connect(db)) as conn:
        return conn.execute(sql).fetchall()


def test_covers_every_modality_status_and_phase(demo_db: Database) -> None:
    modalities = {m for (m,) in _scalar(demo_db, "SELECT DISTINCT modality FROM course")}
    assert modalities == {"iv_ketamine", "im_ketamine", "esketamine", "tms", "ect"}
    statuses = {s for (s,) in _scalar(demo_db, "SELECT DISTINCT status FROM course")}
    assert statuses == {"active", "completed", "discontinued"}
    phases = {p for (p,) in _scalar(demo_db, "SELECT DISTINCT phase FROM treatment_session")}
    assert {"induction", "maintenance"} <= phases
    timepoints = {t for (t,) in _scalar(demo_db, "SELECT DISTINCT timepoint FROM assessment")}
    assert timepoints == {"baseline", "pre_session", "follow_up"}


def test_has_flags_with_and_without_actions_prorated_scores_and_events(demo_db: Database) -> None:
    open_flags, closed_flags = _scalar(
        demo_db,
        "SELECT sum(NOT EXISTS (SELECT 1 FROM safety_action s WHERE s.assessment_id = a.id)), "
        "sum(EXISTS (SELECT 1 FROM safety_action s WHERE s.assessment_id = a.id)) "
        "FROM assessment a WHERE a.safety_flag",
    )[0]
    assert open_flags and closed_flags and closed_flags > open_flags  # type: ignore[operator]
    assert _scalar(demo_db, "SELECT count(*) FROM assessment WHERE prorated")[0][0]
    kinds = {k for (k,) in _scalar(demo_db, "SELECT DISTINCT kind FROM event")}
    assert {"dropout", "hospitalization"} <= kinds
    reasons = _scalar(
        demo_db, "SELECT count(*) FROM event WHERE kind = 'dropout' AND reason IS NULL"
    )
    assert reasons == [(0,)], "every dropout has a reason category"


def test_trajectories_include_responders_and_non_responders(demo_db: Database) -> None:
    ids = [CourseId(i) for (i,) in _scalar(demo_db, "SELECT id FROM course")]
    categories = set()
    for course_id in ids:
        summary = summarize(load_timeline(demo_db, course_id))
        if summary.headline:
            categories.add(
                "remission"
                if summary.headline.change.remission
                else summary.headline.change.category
            )
    assert {"remission", "response", "partial", "non-response"} <= categories


def test_no_session_or_assessment_is_in_the_future(demo_db: Database) -> None:
    rows = _scalar(demo_db, "SELECT max(performed_at) FROM treatment_session")
    assert str(rows[0][0]) <= "2026-11-01 23:59"


def test_patient_list_reads_the_demo(demo_db: Database) -> None:
    assert count_patients(demo_db) == 300
    rows = patient_page(demo_db, "", limit=300)
    assert len(rows) == 300 and all(r.course_id for r in rows)
    assert any(r.open_flags for r in rows) and any(r.badge == "Remission" for r in rows)
    assert [r.name.casefold() for r in rows] == sorted(r.name.casefold() for r in rows)


def test_rejects_nonsense_counts(db: Database) -> None:
    from mbctracker.domain import ValidationError

    with pytest.raises(ValidationError, match="at least 1"):
        generate_demo(db, patients=0)


# --- the demo never destroys or mixes with real data (issue 8, section 3) -------------


def test_demo_command_needs_an_explicit_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mbctracker.__main__ import main
    from mbctracker.paths import DB_ENV

    clinic = tmp_path / "clinic.sqlite3"
    monkeypatch.setenv(DB_ENV, str(clinic))
    assert main(["demo", "--patients", "1"]) == 2
    assert "--db" in capsys.readouterr().err
    assert not clinic.exists()


def _clinic_with_a_typed_patient(path: Path) -> Path:
    from mbctracker.services.patients import PatientInput, register_patient

    db = open_database(path, actor="clinician")
    register_patient(db, PatientInput(mrn="SYN-0001", name="Synthetic Alpha"))
    db.dispose()
    return path


def test_demo_refuses_a_database_with_real_patients(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mbctracker.__main__ import main

    clinic = _clinic_with_a_typed_patient(tmp_path / "clinic.sqlite3")
    before = _dump(clinic)
    assert main(["demo", "--db", str(clinic), "--patients", "3"]) == 2
    assert "not demo data" in capsys.readouterr().err
    assert _dump(clinic) == before
    db = open_database(clinic, actor="t")
    with pytest.raises(ValidationError, match="not demo data"):
        generate_demo(db, patients=3, today=TODAY)  # the service refuses too
    db.dispose()
    assert _dump(clinic) == before


def test_demo_may_add_to_its_own_database_but_not_after_real_patients(tmp_path: Path) -> None:
    from mbctracker.services.patients import PatientInput, register_patient

    path = _make(tmp_path / "demo.sqlite3", seed=1, patients=2)
    db = open_database(path, actor="demo")
    assert generate_demo(db, patients=2, seed=2, today=TODAY) == 2
    register_patient(db, PatientInput(mrn="SYN-0009", name="Synthetic Typed"))
    with pytest.raises(ValidationError, match="not demo data"):
        generate_demo(db, patients=1, today=TODAY)
    db.dispose()


def test_demo_today_cannot_be_in_the_future(db: Database) -> None:
    with pytest.raises(ValidationError, match="cannot be in the future"):
        generate_demo(db, patients=1, today=date.today() + timedelta(days=1))


def test_demo_for_today_has_nothing_in_the_future(tmp_path: Path) -> None:
    db = open_database(tmp_path / "today.sqlite3", actor="demo")
    generate_demo(db, patients=60, seed=7)
    db.dispose()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    checks = {
        "patient": ("date_of_birth", "created_at", "updated_at"),
        "course": ("start_date", "end_date", "created_at"),
        "treatment_session": ("performed_at", "created_at"),
        "assessment": ("assessed_at", "created_at"),
        "safety_action": ("taken_at", "created_at"),
        "event": ("occurred_on", "created_at"),
    }
    with closing(raw_connect(db)) as conn:
        for table, columns in checks.items():
            for column in columns:
                (latest,) = conn.execute(f"SELECT max({column}) FROM {table}").fetchone()
                assert latest is None or str(latest) <= now, f"{table}.{column} = {latest}"
        early = conn.execute(
            "SELECT count(*) FROM safety_action s JOIN assessment a ON a.id = s.assessment_id "
            "WHERE s.taken_at < a.assessed_at"
        ).fetchone()[0]
        assert early == 0, "no action before the assessment it answers"


def test_demo_is_what_a_clinic_typing_in_real_order_would_get(demo_db: Database) -> None:
    """Scores typed first (some the evening before), linked when the session was recorded:
    the services' own rules (numbers by date, phases from dated changes, links) change
    nothing in the demo file."""
    from sqlmodel import select

    from mbctracker.services.schedule import settle_course
    from mbctracker.storage.tables import Course

    tables = (*CLINICAL_TABLES, "course_phase_change")
    before = {t: _scalar(demo_db, f"SELECT * FROM {t} ORDER BY id") for t in tables}
    with demo_db.write() as session:
        for course in session.exec(select(Course)).all():
            settle_course(session, course)
    after = {t: _scalar(demo_db, f"SELECT * FROM {t} ORDER BY id") for t in tables}
    assert after == before
    evening = _scalar(
        demo_db,
        "SELECT count(*) FROM assessment a JOIN treatment_session s ON s.id = a.session_id"
        " WHERE date(a.assessed_at) < date(s.performed_at)",
    )
    assert evening[0][0] > 0  # typed the day before, linked to the next day's session
    unlinked = _scalar(
        demo_db,
        "SELECT count(*) FROM assessment WHERE timepoint = 'pre_session' AND session_id IS NULL",
    )
    assert unlinked[0][0] == 0
    assert _scalar(demo_db, "SELECT count(DISTINCT course_id) FROM course_phase_change") == (
        _scalar(demo_db, "SELECT count(*) FROM course")
    )
