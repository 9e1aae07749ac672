"""A bad interchange folder: every problem reported at once (file:line: column), nothing written."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from engines import raw_connect, target
from mbctracker.__main__ import main
from mbctracker.services.interchange.csv_export import export_csv
from mbctracker.services.interchange.csv_import import ImportRefused, import_csv
from mbctracker.services.patient_list import ListFilter, patient_page
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import Database

ITEMS = ",".join(f"item_{n}" for n in range(1, 11))

BAD = {
    "patients.csv": [
        "mrn,name,date_of_birth,sex,comorbidities,notes",
        "P-1,Ann Able,1980-13-01,female,,",
        "P-2,,1980-01-01,woman,anxiety_disorder;gout,",
        "p-1,Dup Able,,male,,",
        "P-3,Carl Cole,1970-01-01,male,,",
        "P-4\u200b,Dee Dunn,,female,,",
    ],
    "courses.csv": [
        "course_key,mrn,modality,start_date,planned_sessions,phase,status,end_date,discontinue_reason",
        "c1,P-3,laser,2026-01-01,six,,active,,",
        "c2,P-3,tms,2026-01-01,30,,discontinued,,",
        "c3,P-9,tms,2026-01-01,30,,,,",
        "c4,P-3,ect,2026-02-01,12,,,,",
        "c4,P-3,ect,2026-02-01,12,,,,",
    ],
    "sessions.csv": [
        "course_key,number,performed_at,phase,details,side_effects,notes",
        'c4,1,2026-02-02T09:00,,"{""placement"": ""left""}",memory loss,',
        "c4,1,2026-02-03T09:00,,,,",
        "c4,2,2099-01-01T09:00,,,,",
        "cX,1,2026-02-02T09:00,,,,",
        "c4,3,2026-02-04T09:00,,not json,hiccups,",
        "c4,4,2026-02-05,,,,",
    ],
    "assessments.csv": [
        f"course_key,instrument,assessed_at,timepoint,session_number,{ITEMS},rater,total",
        "c4,PHQ9,2026-02-02T08:00,baseline,,0,1,2,3,4,0,0,0,0,,,27",
        "c4,GAD8,2026-02-02T08:00,,,1,1,1,1,1,1,1,,,,,",
        "c4,GAD7,2026-02-02T08:00,,7,1,1,1,1,1,1,1,1,,,,",
        "c4,PHQ9,2026-02-03T08:00,baseline,,,,,,,,,,,,,",
        "c4,PHQ9,2026-02-03T08:00,,,1,1,1,1,1,1,1,1,2,9,,0",
    ],
    "events.csv": [
        "mrn,course_key,kind,occurred_on,reason,description",
        "P-3,,hospitalization,2025-01-01,,",
        "P-3,c4,dropout,2026-02-10,,",
    ],
    "safety_actions.csv": [
        "course_key,instrument,assessed_at,kind,text,taken_by,taken_at",
        "c4,PHQ9,2026-02-03T08:00,other,,,2026-02-03T07:00",
        "c4,MADRS,2026-02-03T08:00,reviewed,,,2026-02-03T09:00",
    ],
}

EXPECTED = [
    "patients.csv:2: date_of_birth: 1980-13-01 is not a calendar date; allowed: a date YYYY-MM-DD",
    "patients.csv:3: name: is required",
    "patients.csv:3: sex: 'woman' is not one of the choices; allowed: female, male, other, unknown",
    "patients.csv:3: comorbidities: 'gout' is not one of the choices; allowed: anxiety_disorder",
    "patients.csv:4: mrn: p-1 appears twice (first on line 2)",
    "patients.csv:6: mrn: holds an invisible or control character (U+200B ZERO WIDTH SPACE)",
    "courses.csv:2: modality: 'laser' is not one of the choices; allowed: iv_ketamine",
    "courses.csv:2: planned_sessions: 'six' is not a whole number; allowed: a whole number 1-500",
    "courses.csv:3: end_date: a discontinued course needs its end date",
    "courses.csv:3: discontinue_reason: a discontinued course needs a reason; allowed: logistical",
    "courses.csv:4: mrn: P-9 is not a patient in patients.csv",
    "courses.csv:6: course_key: c4 appears twice (first on line 5)",
    "sessions.csv:2: details: Electrode placement 'left' is not one of the choices; allowed: right",
    "sessions.csv:3: number: 1 is already used in this course",
    "sessions.csv:4: performed_at: 2099-01-01 09:00 is in the future",
    "sessions.csv:5: course_key: 'cX' is not a course in courses.csv",
    "sessions.csv:6: details: is not valid JSON",
    "sessions.csv:6: side_effects: 'hiccups' is not listed for ECT",
    "sessions.csv:7: performed_at: '2026-02-05' is not a date and time",
    "assessments.csv:2: item_5: 4 is out of range; allowed: a whole number 0-3 or empty",
    "assessments.csv:3: instrument: 'GAD8' is not an instrument; allowed: PHQ9",
    "assessments.csv:4: item_8: GAD-7 has no item 8; allowed: empty",
    "assessments.csv:4: session_number: session 7 is not in sessions.csv",
    "assessments.csv:5: timepoint: a baseline needs a valid score (9 items blank)",
    "assessments.csv:6: item_10: 9 is out of range; allowed: a whole number 0-3 or empty",
    "events.csv:2: course_key: empty, and the patient has no course started by 2025-01-01",
    "events.csv:3: reason: a dropout needs a reason",
    "safety_actions.csv:2: text: describe the action when kind is other; allowed: any text",
    "safety_actions.csv:3: assessed_at: no flagged MADRS assessment",
]


def write_folder(folder: Path, files: dict[str, list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return folder


def _counts(db: Database) -> dict[str, int]:
    tables = ("patient", "course", "treatment_session", "assessment", "event", "change_log")
    with closing(raw_connect(db)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_every_bad_cell_is_reported_at_once_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    before = _counts(db)
    with pytest.raises(ImportRefused) as refused:
        import_csv(db, write_folder(tmp_path / "bad", BAD))
    found = refused.value.problems
    for expected in EXPECTED:
        assert any(p.startswith(expected) for p in found), (expected, found)
    assert all("; allowed: " in p or "allowed " in p for p in found), found
    assert _counts(db) == before


def test_command_line_lists_the_problems_and_exits_2(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "bad", BAD)
    assert main(["import", "--db", target(db), str(folder)]) == 2
    err = capsys.readouterr().err
    assert "problems found; nothing was imported" in err
    assert "Traceback" not in err
    for expected in EXPECTED:
        assert expected in err


def test_a_good_hand_written_folder_imports_and_raises_its_flag(
    db: Database, tmp_path: Path
) -> None:
    good = {
        "patients.csv": ["\ufeffmrn,name,sex,shoe_size", "P-3,Carl Cole,male,44"],
        "courses.csv": [
            "course_key,mrn,modality,start_date,planned_sessions",
            "x,P-3,ect,2026-02-01,12",
        ],
        "assessments.csv": [
            f"course_key,instrument,assessed_at,{ITEMS}",
            "x,PHQ9,2026-02-01T08:00+01:00,0,0,0,0,0,0,0,0,2,",
        ],
    }
    result = import_csv(db, write_folder(tmp_path / "good", good))
    assert result.counts == {"patients.csv": 1, "courses.csv": 1, "assessments.csv": 1}
    assert result.unknown_columns == ("patients.csv: shoe_size",)
    flagged = patient_page(db, ListFilter(flagged_only=True))
    assert [(r.mrn, r.open_flags) for r in flagged] == [("P-3", 1)]


def _one_patient_folder(tmp_path: Path) -> Path:
    return write_folder(
        tmp_path / "one",
        {
            "patients.csv": ["mrn,name,sex", "p-3 ,Carl Cole,male"],
            "courses.csv": [
                "course_key,mrn,modality,start_date,planned_sessions",
                "x,P-3,tms,2026-02-01,30",
            ],
        },
    )


def test_existing_mrns_are_refused_unless_merged(db: Database, tmp_path: Path) -> None:
    register_patient(db, PatientInput(mrn="P-3", name="Carl Cole", date_of_birth=date(1970, 1, 1)))
    folder = _one_patient_folder(tmp_path)
    with pytest.raises(ImportRefused) as refused:
        import_csv(db, folder)
    assert refused.value.problems == [
        "patients.csv:2: mrn: p-3 is already registered; allowed: a new MRN, or --merge to add "
        "this file's courses to that patient"
    ]
    result = import_csv(db, folder, merge=True)
    assert result.merged_patients == 1 and result.counts["courses.csv"] == 1
    assert _counts(db)["patient"] == 1 and _counts(db)["course"] == 1
    with pytest.raises(ImportRefused, match="already has a tms course starting 2026-02-01"):
        import_csv(db, folder, merge=True)


def test_export_never_writes_over_the_database_or_existing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mbctracker.storage import open_database

    folder = tmp_path / "out"
    folder.mkdir()
    inside = open_database(folder / "patients.csv", actor="t")
    register_patient(inside, PatientInput(mrn="P-1", name="Ann Able"))
    inside.dispose()
    before = (folder / "patients.csv").read_bytes()
    assert main(["export", "--db", str(folder / "patients.csv"), "--out", str(folder)]) == 2
    assert "that is the clinic database" in capsys.readouterr().err
    assert (folder / "patients.csv").read_bytes() == before


def test_export_refuses_existing_files_without_force(db: Database, tmp_path: Path) -> None:
    from mbctracker.domain.errors import ValidationError

    register_patient(db, PatientInput(mrn="P-1", name="Ann Able"))
    export_csv(db, tmp_path / "out")
    with pytest.raises(ValidationError, match="already exists"):
        export_csv(db, tmp_path / "out")
    export_csv(db, tmp_path / "out", overwrite=True)


@pytest.mark.parametrize(
    ("code", "items"),
    [
        ("PHQ9", [0, 1, 2, 3, None, 0, 1, 2, None]),
        ("PHQ9", [None] * 9),
        ("GAD7", [3, 3, 3, 3, 3, 3, 3]),
        ("MADRS", [6, 0, 1, 2, 3, 4, 5, 6, None, 4]),
        ("CGIS", [0]),
    ],
)
def test_import_stores_the_score_columns_exactly_as_a_keyed_entry(
    code: str, items: list[int | None]
) -> None:
    from mbctracker.domain.scoring import score
    from mbctracker.services.interchange.records import SCORE_KEYS, _sql_value, score_values
    from mbctracker.storage.mappers import score_columns

    result = score(code, items)
    expected = {k: _sql_value(v) for k, v in score_columns(result).items()}
    assert score_values(result) == expected
    assert tuple(score_values(result)) == SCORE_KEYS


HOSTILE_FILES = [
    (b"mrn,name,sex\r\nP-1,Ren\xe9 Latin,male\r\n", "patients.csv:2: row: not UTF-8 text"),
    (b"mrn,name,sex\r\nP-1,Ann,female,extra\r\n", "patients.csv:2: row: has 4 cells but"),
    (b"mrn,name\r\nP-1,Ann\r\n", "patients.csv:1: sex: column is missing; allowed: a header"),
    (b"mrn,name,sex,sex\r\nP-1,Ann,female,male\r\n", "patients.csv:1: sex: column appears twice"),
    (b"mrn,name,sex\r\nP-1,An\x00n,female\r\n", "name: holds a control character (U+0000)"),
    (b'mrn,name,sex\r\nP-1,"' + b"x" * 200_000 + b'",female\r\n', "not readable as CSV"),
    (b'mrn,name,sex\r\nP-1,"Ann,female\r\n', "patients.csv:2: row: not readable as CSV"),
    (b"mrn,name,sex\r\nP-1,Ann\x07,female\r\n", "patients.csv:2: name: holds a control character"),
    (b"mrn,name,sex\r\nP-1," + b"n" * 201 + b",female\r\n", "name: is too long (201"),
]


@pytest.mark.parametrize(("content", "expected"), HOSTILE_FILES)
def test_hostile_files_are_refused_plainly(
    db: Database, tmp_path: Path, content: bytes, expected: str
) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "patients.csv").write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        import_csv(db, folder)
    assert any(expected in p for p in refused.value.problems), refused.value.problems
    assert _counts(db)["patient"] == 0


def test_a_folder_without_patients_is_one_plain_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", target(db), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "has no patients.csv" in err and "Traceback" not in err
    assert main(["import", "--db", target(db), str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_an_action_never_guesses_between_two_flagged_assessments(
    db: Database, tmp_path: Path
) -> None:
    """Two flagged PHQ-9s at the same time: an action naming that time is refused, so it
    can never close the wrong flag; without the action both import, both open."""
    twice = "x,PHQ9,2026-02-03T08:00,0,0,0,0,0,0,0,0,2,"
    files = {
        "patients.csv": ["mrn,name,sex", "P-3,Carl Cole,male"],
        "courses.csv": [
            "course_key,mrn,modality,start_date,planned_sessions",
            "x,P-3,ect,2026-02-01,12",
        ],
        "assessments.csv": [f"course_key,instrument,assessed_at,{ITEMS}", twice, twice],
        "safety_actions.csv": [
            "course_key,instrument,assessed_at,kind,taken_at",
            "x,PHQ9,2026-02-03T08:00,reviewed,2026-02-03T09:00",
        ],
    }
    with pytest.raises(ImportRefused, match="two flagged PHQ9 assessments of this course"):
        import_csv(db, write_folder(tmp_path / "a", files))
    del files["safety_actions.csv"]
    import_csv(db, write_folder(tmp_path / "b", files))
    assert [r.open_flags for r in patient_page(db, ListFilter(flagged_only=True))] == [2]
