"""The research extract leaks no identifier: every name, MRN and date of birth of the
source is searched for in every file, and any full date at all fails the test."""

from __future__ import annotations

import csv
import os
import re
import stat
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from interchange_records import HOSTILE_NOTES, fill

from engines import raw_connect
from mbctracker.__main__ import main
from mbctracker.domain.errors import ValidationError
from mbctracker.services.interchange import research, spec
from mbctracker.services.interchange.research import export_research
from mbctracker.storage import Database, open_database

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(tmp_path_factory.mktemp("source") / "clinic.sqlite3", actor="t")
    fill(db)
    return db


@pytest.fixture(scope="module")
def extract(source: Database, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("research") / "extract"
    export_research(source, folder, today=TODAY)
    return folder


def _identifiers(db: Database) -> tuple[list[str], list[str], list[date]]:
    with closing(raw_connect(db)) as conn:
        rows = conn.execute("SELECT name, mrn, date_of_birth FROM patient").fetchall()
    names = [r[0] for r in rows]
    mrns = [r[1] for r in rows]
    born = [date.fromisoformat(r[2]) for r in rows if r[2]]
    return names, mrns, born


def _date_spellings(day: date) -> list[str]:
    return [
        day.isoformat(),
        f"{day:%Y%m%d}",
        f"{day:%m/%d/%Y}",
        f"{day:%d/%m/%Y}",
        f"{day:%d.%m.%Y}",
        f"{day.month}/{day.day}/{day.year}",
    ]


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def test_no_name_mrn_or_date_of_birth_appears(source: Database, extract: Path) -> None:
    text = _all_text(extract)
    folded = text.casefold()
    names, mrns, born = _identifiers(source)
    assert len(names) > 25
    for name in names:
        assert name.casefold() not in folded, name
        for part in re.findall(r"\w{3,}", name):
            assert not re.search(rf"\b{re.escape(part)}\b", text, re.IGNORECASE), (name, part)
    for mrn in mrns:
        assert mrn.casefold() not in folded, mrn
        assert mrn.casefold().lstrip("-") not in folded, mrn
    for day in born:
        for spelling in _date_spellings(day):
            assert spelling not in text, spelling


def test_every_date_is_reduced_to_its_year(extract: Path) -> None:
    text = _all_text(extract)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not re.search(r"\d{1,2}:\d{2}", text), "no time of day either"


def test_free_text_is_removed(extract: Path) -> None:
    text = _all_text(extract)
    for free in (
        "HYPERLINK",
        HOSTILE_NOTES.split("\n")[1],
        "DLPFC",
        "moved away",
        "Dr Demo",
        "Synthetic demo patient",
        "called",
        "@ mild",
        "Interventional",
    ):
        assert free not in text, free


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_ages_over_89_are_one_category_without_a_birth_year(extract: Path) -> None:
    patients = _rows(extract, spec.PATIENTS)
    old = [p for p in patients if p["age"] == "90+"]
    assert len(old) == 1 and old[0]["birth_year"] == ""  # born 1933, 93 in 2026
    young = [p for p in patients if p["age"] not in ("90+", "")]
    assert young and all(int(p["age"]) <= 89 and len(p["birth_year"]) == 4 for p in young)
    course = next(c for c in _rows(extract, spec.COURSES) if c["study_id"] == old[0]["study_id"])
    assert course["age_at_start"] == "90+"


def test_days_since_start_only_when_asked(source: Database, extract: Path, tmp_path: Path) -> None:
    assert "day" not in _rows(extract, spec.SESSIONS)[0]
    with_days = tmp_path / "days"
    export_research(source, with_days, days_since_start=True, today=TODAY)
    sessions = _rows(with_days, spec.SESSIONS)
    assert all(int(s["day"]) >= 0 for s in sessions)
    assert {"1", "2"} <= {s["number"] for s in sessions if s["day"] == "0"} | {"1", "2"}


def test_study_ids_link_the_files_and_actions_find_their_assessment(extract: Path) -> None:
    ids = {p["study_id"] for p in _rows(extract, spec.PATIENTS)}
    courses = _rows(extract, spec.COURSES)
    assert {c["study_id"] for c in courses} <= ids
    flagged = {
        a["assessment_key"] for a in _rows(extract, spec.ASSESSMENTS) if a["safety_flag"] == "true"
    }
    actions = _rows(extract, spec.SAFETY_ACTIONS)
    assert actions and all(a["assessment_key"] in flagged for a in actions)


def test_key_table_only_on_request_owner_only_and_never_inside(
    source: Database, extract: Path, tmp_path: Path
) -> None:
    assert sorted(p.name for p in extract.iterdir()) == sorted(research.FILES)
    key = tmp_path / "key.csv"
    folder = tmp_path / "with-key"
    result = export_research(source, folder, key_file=key, today=TODAY)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    table = _rows(tmp_path, "key.csv")
    assert len(table) == result.patients
    assert {r["study_id"] for r in table} == {p["study_id"] for p in _rows(folder, spec.PATIENTS)}
    with pytest.raises(ValidationError, match="inside the extract folder"):
        export_research(source, folder, key_file=folder / "key.csv", overwrite=True)


def test_command_line(source: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    args = ["export", "--db", str(source.path), "--format", "research", "--out", str(out)]
    assert main(args) == 0
    assert "no key table written" in capsys.readouterr().out
    assert main(["export", "--db", str(source.path), "--out", str(out), "--days-since-start"]) == 2
    assert "belong to --format research" in capsys.readouterr().err
