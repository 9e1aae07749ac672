"""Every record reaches the right patient: one MRN key, refused invisible characters,
transliterating search and the possible-duplicate question (issue 8, section 2)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from engines import target
from mbctracker.__main__ import main
from mbctracker.domain.course import Modality
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.text import mrn_key
from mbctracker.services.courses import start_course
from mbctracker.services.patients import (
    PatientInput,
    PossibleDuplicateError,
    find_patients,
    get_patient,
    get_patient_by_mrn,
    register_patient,
    update_patient,
)
from mbctracker.storage import Database

SAME_MRN = [
    ("ØST-1", "øst-1"),
    ("ÅB-1", "åb-1"),
    ("ＳＹＮ-０００１", "SYN-0001"),
    (unicodedata.normalize("NFD", "MRN-Å1"), unicodedata.normalize("NFC", "mrn-å1")),
    ("MRN 1", "MRN  1"),
    ("MRN 1", " mrn\u00a01 "),
    ("STRASSE-1", "straße-1"),
]


@pytest.mark.parametrize(("first", "second"), SAME_MRN)
def test_spellings_of_one_mrn_are_one_mrn(db: Database, first: str, second: str) -> None:
    assert mrn_key(first) == mrn_key(second)
    register_patient(db, PatientInput(mrn=first, name="Ana First"))
    with pytest.raises(ValidationError, match="already used") as refused:
        register_patient(db, PatientInput(mrn=second, name="Ben Second"))
    assert refused.value.field == "mrn"
    assert get_patient_by_mrn(db, second).name == "Ana First"


INVISIBLE = [
    "MRN\u200b1",  # zero-width space
    "MRN\u200d1",  # zero-width joiner
    "\ufeffMRN1",  # byte-order mark
    "MRN\u202e1",  # right-to-left override
    "MRN\u200e1",  # left-to-right mark
    "MRN\x001",  # NUL
    "MRN\x1b1",  # escape
    "MRN\u31641",  # Hangul filler (a "letter" that draws nothing)
]


REFUSED = r"MRN contains an invisible|MRN: holds a control character"
"""Control characters are refused by the text rule, other invisible ones by the MRN rule."""


@pytest.mark.parametrize("mrn", INVISIBLE)
def test_invisible_and_control_characters_are_refused_not_stripped(db: Database, mrn: str) -> None:
    register_patient(db, PatientInput(mrn="MRN1", name="Ana First"))
    with pytest.raises(ValidationError, match=REFUSED) as refused:
        register_patient(db, PatientInput(mrn=mrn, name="Ben Second"))
    assert refused.value.field == "mrn"
    with pytest.raises(ValidationError, match=REFUSED):
        get_patient_by_mrn(db, mrn)
    assert [p.name for p in find_patients(db)] == ["Ana First"], "nothing half-saved"


def test_an_edit_cannot_take_another_patients_mrn_by_case(db: Database) -> None:
    register_patient(db, PatientInput(mrn="ØST-1", name="Ana First"))
    other = register_patient(db, PatientInput(mrn="OST-2", name="Ben Second"))
    with pytest.raises(ValidationError, match="already used"):
        update_patient(
            db, other.id, PatientInput(mrn="øst-1", name="Ben Second"), expected_version=1
        )


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_report_by_mrn_prints_that_patient_only(db: Database, tmp_path: Path) -> None:
    """The reported bug: ``report --patient ØST-1`` printed ``øst-1``'s summary."""
    for mrn, name in (("ØST-1", "Ana Østby"), ("OST-1", "Ben Ostrom"), ("0ST-1", "Cy Null")):
        patient = register_patient(db, PatientInput(mrn=mrn, name=name))
        start_course(db, patient.id, Modality.TMS, date(2026, 1, 5), planned_sessions=6)
    typings = ("ØST-1", "øst-1", "ØＳＴ-１", unicodedata.normalize("NFD", "øst-1"))
    for number, typed in enumerate(typings):
        out = tmp_path / f"summary-{number}.pdf"  # "øst-1" in NFD is the same name
        args = ["report", "--db", target(db), "--patient", typed, "--out", str(out)]
        assert main([*args, "--generated-at", "2026-11-01T12:00"]) == 0
        text = _pdf_text(out)
        assert "Ana Østby" in text and "ØST-1" in text
        assert "Ben Ostrom" not in text and "Cy Null" not in text


def test_report_with_an_invisible_character_in_the_mrn_is_a_plain_error(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register_patient(db, PatientInput(mrn="MRN1", name="Ana First"))
    args = ["report", "--db", target(db), "--patient", "MRN\u200b1"]
    assert main([*args, "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "MRN contains an invisible" in err and "Traceback" not in err


SEARCHES = [
    ("Ødegård", "odegard"),
    ("Ødegård", "ø"),
    ("Łukasz Wróbel", "lukasz"),
    ("Ærø Hansen", "aero"),
    ("Jürgen Strauß", "strauss"),
    ("José Núñez", "NUNEZ"),
    ("Oskar Olsen", "ø"),
]


@pytest.mark.parametrize(("name", "query"), SEARCHES)
def test_search_transliterates_name_and_query_alike(db: Database, name: str, query: str) -> None:
    register_patient(db, PatientInput(mrn="MRN-1", name=name))
    register_patient(db, PatientInput(mrn="MRN-2", name="Xavier Yu"))
    assert [p.name for p in find_patients(db, query)] == [name]


def test_search_finds_a_full_width_mrn_by_its_ascii_spelling(db: Database) -> None:
    register_patient(db, PatientInput(mrn="ＳＹＮ-０００１", name="Ana First"))
    assert [p.name for p in find_patients(db, "syn-0001")] == ["Ana First"]


def test_same_name_and_birth_date_asks_before_saving(db: Database) -> None:
    born = date(1980, 5, 17)
    register_patient(db, PatientInput(mrn="MRN-1", name="Zoë Ødegård", date_of_birth=born))
    again = PatientInput(mrn="MRN-2", name="  ZOE  odegard ", date_of_birth=born)
    with pytest.raises(PossibleDuplicateError) as asked:
        register_patient(db, again)
    assert asked.value.mrns == ("MRN-1",)
    assert len(find_patients(db)) == 1, "nothing saved before the answer"
    saved = register_patient(db, again, confirm_duplicate=True)
    assert saved.mrn == "MRN-2" and len(find_patients(db)) == 2


@pytest.mark.parametrize(
    ("name", "born"),
    [("Zoë Ødegård", date(1980, 5, 18)), ("Zoë Ødegårdsen", date(1980, 5, 17))],
)
def test_a_different_name_or_birth_date_is_not_a_duplicate(
    db: Database, name: str, born: date
) -> None:
    register_patient(
        db, PatientInput(mrn="MRN-1", name="Zoë Ødegård", date_of_birth=date(1980, 5, 17))
    )
    register_patient(db, PatientInput(mrn="MRN-2", name=name, date_of_birth=born))


def test_editing_a_patient_into_another_ones_name_and_birth_date_asks_too(
    db: Database,
) -> None:
    """The same question as registering; an edit that keeps name and date never asks."""
    born = date(1980, 5, 17)
    register_patient(db, PatientInput(mrn="MRN-1", name="Zoë Ødegård", date_of_birth=born))
    other = register_patient(db, PatientInput(mrn="MRN-2", name="Zoe Other", date_of_birth=born))
    typo_fixed = PatientInput(mrn="MRN-2", name="ZOE ODEGARD", date_of_birth=born)
    with pytest.raises(PossibleDuplicateError) as asked:
        update_patient(db, other.id, typo_fixed, expected_version=other.version)
    assert asked.value.mrns == ("MRN-1",), "never itself"
    assert get_patient(db, other.id).name == "Zoe Other", "nothing saved before the answer"
    saved = update_patient(
        db, other.id, typo_fixed, expected_version=other.version, confirm_duplicate=True
    )
    notes_only = replace(typo_fixed, notes="seen twice")
    assert update_patient(db, other.id, notes_only, expected_version=saved.version).notes
