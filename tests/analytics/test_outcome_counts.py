"""Rates equal hand counts; deleted records are never read; the command's JSON contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mbctracker.__main__ import main
from mbctracker.services.outcomes import OutcomeFilters, run_clinic_outcomes
from mbctracker.storage import Database

from .small_clinic import build


@pytest.fixture
def result(db: Database) -> dict[str, Any]:
    build(db)
    return run_clinic_outcomes(db, OutcomeFilters())


def test_rates_equal_hand_counts(result: dict[str, Any]) -> None:
    """A: response (exactly 50%); B: response and remission (its deleted 20 unread);
    C: baseline 0 and D: no value after baseline are not evaluable; E: partial;
    F (deleted course) and G (deleted patient) are not counted."""
    phq = {m: v["PHQ9"] for m, v in result["by_modality"].items()}
    assert phq["iv_ketamine"] == {"evaluable": 2, "response": 2, "partial": 0, "remission": 1}
    assert phq["tms"] == {"evaluable": 1, "response": 0, "partial": 1, "remission": 0}
    assert phq["ect"] == {"evaluable": 0, "response": 0, "partial": 0, "remission": 0}
    assert result["by_modality"]["iv_ketamine"]["MADRS"]["evaluable"] == 0


def test_four_versus_six_infusions_hand_counts(result: dict[str, Any]) -> None:
    infusions = result["ketamine_infusions"]
    assert infusions["4"]["PHQ9"] == {"evaluable": 1, "response": 1, "remission": 0}
    assert infusions["6"]["PHQ9"] == {"evaluable": 1, "response": 1, "remission": 1}
    assert "fewer than 10" in result["ketamine_comparison"]["PHQ9"]["not_run"]


def test_six_week_value_is_closest_to_day_42_and_deleted_values_are_unread(
    result: dict[str, Any],
) -> None:
    """E: days 27, 41, 43, 57 and a deleted 0 on day 42: day 41 (11) wins the tie."""
    assert result["week6_phq9"]["tms"] == {"n": 1, "mean_change": 5.0}
    assert "iv_ketamine" not in result["week6_phq9"]


def test_cm_and_hospitalization_hand_counts(result: dict[str, Any]) -> None:
    """B has C/M and a hospitalization on its later TMS course (counted); A's deleted
    hospitalization is not; D's induction ended on its first day."""
    cm = result["cm_hospitalization"]
    assert cm["cm"] == {"n": 1, "events": 1}
    assert cm["no_cm"] == {"n": 3, "events": 0}
    assert cm["not_run"].startswith("fewer than 10 eligible IV ketamine courses")
    assert "rr_adjusted" not in cm


def test_dropouts_and_scope(result: dict[str, Any]) -> None:
    assert result["dropouts"] == {"side_effects": 1}
    assert result["scope"]["courses"] == 7  # A, B and B's TMS, C, D, E, H
    assert result["scope"]["record_last_date"] == "2025-06-02"
    assert result["trajectories"]["PHQ9"]["not_run"].startswith("3 IV ketamine patients")


CONTRACT = {
    "generated",
    "definitions_version",
    "by_modality",
    "ketamine_infusions",
    "week6_phq9",
    "week6_adjusted",
    "cm_hospitalization",
    "trajectories",
    "dropouts",
}


def test_command_writes_the_json_contract(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(db)
    out = tmp_path / "outcomes.json"
    assert main(["outcomes", "--db", str(db_path), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data) >= CONTRACT
    assert data["definitions_version"] == 1
    assert data["by_modality"]["tms"]["PHQ9"]["partial"] == 1
    assert set(data["cm_hospitalization"]) >= {"cm", "no_cm", "not_run"}
    assert set(data["ketamine_infusions"]) == {"4", "6"}
    assert "not_run" in data["week6_adjusted"]
    captured = capsys.readouterr()
    assert "Outcomes written to" in captured.out
    assert "rates" in captured.err  # progress on stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--modality", "ketamine"], "Modality: unknown 'ketamine'; allowed: iv_ketamine"),
        (["--from", "2025-01-01", "--to", "2024-01-01"], "From: after To"),
        ([], "give --json FILE and/or --pdf FILE"),
    ],
)
def test_command_refuses_bad_input_plainly(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "o.json"
    extra = ["--json", str(out)] if args else []
    assert main(["outcomes", "--db", str(db_path), *args, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_command_refuses_a_date_that_is_not_one(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["outcomes", "--db", str(db_path), "--from", "last week", "--json", "x.json"])
    assert stop.value.code == 2
    assert "allowed: YYYY-MM-DD" in capsys.readouterr().err


def test_command_on_a_missing_database_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["outcomes", "--db", str(missing), "--json", str(tmp_path / "o.json")]) == 2
    assert "no database" in capsys.readouterr().err
    assert not missing.exists()


def test_command_never_writes_over_the_database_or_an_existing_file(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db_path.read_bytes()
    assert main(["outcomes", "--db", str(db_path), "--json", str(db_path)]) == 2
    assert "that is the clinic database" in capsys.readouterr().err
    assert db_path.read_bytes() == before
    old = tmp_path / "old.pdf"
    old.write_bytes(b"keep me")
    assert main(["outcomes", "--db", str(db_path), "--pdf", str(old)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert old.read_bytes() == b"keep me"
    assert main(["outcomes", "--db", str(db_path), "--pdf", str(old), "--force"]) == 0
    assert old.read_bytes().startswith(b"%PDF")
