"""Search by the FTS5 trigram index, exact MRN first, and a patient's row in one query."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import mbctracker.storage.migrations as migrations
from mbctracker.__main__ import main
from mbctracker.domain.course import Modality
from mbctracker.services import patient_list
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, get_patient, register_patient, update_patient
from mbctracker.storage import Database, open_database
from mbctracker.storage.search_text import fold

NAMES = [
    ("Zed Quill", "MRN-1"),
    ("Aaron Mrnson", "MRN-10"),
    ("Ødegård Åse", "MRN-11"),
    ("Łukasz Strauß", "X-MRN-1"),
    ("Bea O'Neil", "B_100%"),
    ("Anna Anna", "ANN-42"),
]


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    return {
        mrn: register_patient(db, PatientInput(mrn, name, date(1980, 1, 1))).id
        for name, mrn in NAMES
    }


def _names(db: Database, query: str | patient_list.ListFilter, **page: int) -> list[str]:
    return [r.name for r in patient_list.patient_page(db, query, **page)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(alphabet="aeonmrsquzł-_%1 0ß'", max_size=5))
def test_search_finds_exactly_the_keys_that_contain_the_query(
    db: Database, people: dict[str, int], query: str
) -> None:
    """The index (three characters and more) and the plain scan (fewer) mean 'contains'."""
    want = sorted(
        (name for name, mrn in NAMES if fold(query) in " ".join((fold(name), fold(mrn)))),
    )
    rows = patient_list.patient_page(db, query, limit=50)
    assert sorted(r.name for r in rows) == want
    assert patient_list.count_patients(db, query) == len(want)


def test_an_exact_mrn_comes_first_then_the_others_by_name(
    db: Database, people: dict[str, int]
) -> None:
    # SQLite's NOCASE folds ASCII only (Ø and Ł sort after Z, by code point); PostgreSQL's
    # ICU "nocase" collation sorts them with their letters (Łukasz among the L's).
    others = ["Ødegård Åse", "Łukasz Strauß"]
    if db.on_server:
        others.reverse()
    assert _names(db, "mrn-1") == ["Zed Quill", "Aaron Mrnson", *others]
    assert _names(db, " MRN-1 ", offset=1, limit=2) == ["Aaron Mrnson", others[0]]
    assert _names(db, "ＭＲＮ-1", offset=0, limit=1) == ["Zed Quill"]  # full-width, NFKC
    assert _names(db, "mrn-1", offset=3, limit=5) == [others[1]]
    assert patient_list.count_patients(db, "mrn-1") == 4


def test_the_index_follows_a_rename_in_the_same_transaction(
    db: Database, people: dict[str, int]
) -> None:
    pid = people["ANN-42"]
    info = get_patient(db, pid)  # type: ignore[arg-type]
    update_patient(
        db,
        info.id,
        PatientInput("ANN-42", "Hanna Vexley", date(1980, 1, 1)),
        expected_version=info.version,
    )
    assert _names(db, "vexl") == ["Hanna Vexley"]
    assert _names(db, "anna anna") == []


def test_every_patients_position_is_their_row_in_the_paged_list(
    db: Database, people: dict[str, int]
) -> None:
    course = start_course(db, people["MRN-11"], Modality.TMS, date(2026, 1, 5), 20)  # type: ignore[arg-type]
    entry = AssessmentInput("PHQ9", [1] * 8 + [2], datetime(2026, 1, 6, 9, 0))
    record_assessment(db, course.id, entry)
    for wanted in (
        patient_list.ListFilter(),
        patient_list.ListFilter("mrn-1"),
        patient_list.ListFilter("a"),
        patient_list.ListFilter(flags_first=True),
        patient_list.ListFilter("mrn", flags_first=True),
        patient_list.ListFilter(flagged_only=True),
    ):
        rows = patient_list.patient_page(db, wanted, limit=100)
        order = {r.patient_id: i for i, r in enumerate(rows)}
        for pid in people.values():
            found = patient_list.patient_position(db, pid, wanted)  # type: ignore[arg-type]
            assert found == order.get(pid), (wanted, pid)


def _facts(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT course_id, patient_id, sessions_done, latest, badge, open_flags "
            "FROM course_summary ORDER BY course_id"
        ).fetchall()


def test_the_migration_backfills_summaries_and_the_index(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    assert main(["demo", "--db", str(path), "--patients", "30", "--seed", "3"]) == 0
    made = _facts(path)
    assert len(made) >= 30
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0005")
    open_database(path, actor="t").dispose()
    assert _facts(path) == made
    db = open_database(path, actor="t")
    try:
        first = patient_list.patient_page(db, limit=1)[0]
        assert _names(db, first.name[1:6]) and first.name in _names(db, first.name[1:6])
    finally:
        db.dispose()


def test_rebuild_summaries_repairs_a_file_changed_outside_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clinic.sqlite3"
    assert main(["demo", "--db", str(path), "--patients", "20", "--seed", "4"]) == 0
    made = _facts(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE course_summary SET badge = 'Remission', sessions_done = 99")
        conn.execute("DELETE FROM course_summary WHERE course_id = 1")
        conn.commit()
    assert _facts(path) != made
    assert main(["rebuild-summaries", "--db", str(path)]) == 0
    assert _facts(path) == made
    assert "Recomputed the summaries of" in capsys.readouterr().out


def test_rebuild_summaries_of_a_missing_file_is_one_line_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere.sqlite3"
    assert main(["rebuild-summaries", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no database at" in err and "Traceback" not in err
    assert not path.exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(query="e", offset=0, limit=4)
@example(query="mrn-1", offset=0, limit=3)
@given(
    query=st.text(alphabet="aeonmrsquzł-_%1 0ß'\"", max_size=6),
    offset=st.integers(0, 6),
    limit=st.integers(1, 4),
)
def test_both_page_plans_give_the_same_rows(
    db: Database, people: dict[str, int], query: str, offset: int, limit: int
) -> None:
    """Few matches are found then sorted, many walk the name index (issue 11: 'zo', 'dem'
    took 20 ms one way); the rows, their order and the exact MRN pin are the same."""
    if not patient_list.count_patients(db, "low-1"):  # a lower-case name sorts without case
        register_patient(db, PatientInput("low-1", "bea lower", date(1981, 2, 3)))
    usual = _names(db, query, offset=offset, limit=limit)
    for matches in (0, patient_list.MANY_MATCHES + 1):
        assert _names(db, query, offset=offset, limit=limit, matches=matches) == usual
