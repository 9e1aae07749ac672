"""``mbctracker export --format fhir|ndjson`` and ``import --format fhir`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fhir_helpers import MRN_SYSTEM, batch, load_bundle, portal_response
from mbctracker.__main__ import main
from mbctracker.domain.course import Modality
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.services.clinic import (
    load_clinic_settings,
    preferences_of,
    update_clinic_settings,
)
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import open_database


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    db = open_database(path, actor="t")
    patient = register_patient(db, PatientInput(mrn="MRN-0001", name="Ana Bianchi"))
    start_course(db, patient.id, Modality.TMS, date(2026, 1, 5), planned_sessions=30)
    db.dispose()
    return path


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_import_then_export_from_the_command_line(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portal = _write(tmp_path / "portal.json", batch(portal_response("p1", [0] * 8 + [2])))
    common = ["--db", str(clinic), "--mrn-system", MRN_SYSTEM]
    assert main(["import", "--format", "fhir", str(portal), *common]) == 0
    out = capsys.readouterr().out
    assert "Imported 1 questionnaire responses (1 PHQ9)" in out and "SAFETY FLAG" in out
    bundle = tmp_path / "out.json"
    assert main(["export", "--format", "fhir", "--out", str(bundle), *common]) == 0
    kinds = [e["resource"]["resourceType"] for e in load_bundle(bundle)["entry"]]
    assert kinds == ["CodeSystem", "CodeSystem", "Patient", "QuestionnaireResponse", "Observation"]
    assert main(["export", "--format", "ndjson", "--out", str(tmp_path / "nd"), *common]) == 0
    assert (tmp_path / "nd" / "Patient.ndjson").read_text().count("\n") == 1


def _fails(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_bad_file_is_refused_whole_with_exit_status_2(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = portal_response("bad", [0] * 9)
    bad["item"][8]["answer"] = [{"valueInteger": 7}]
    path = _write(tmp_path / "bad.json", batch(portal_response("ok", [0] * 9), bad))
    err = _fails(
        ["import", "--db", str(clinic), "--format", "fhir", str(path), "--mrn-system", MRN_SYSTEM],
        capsys,
    )
    assert "1 problem in the file; nothing was imported" in err and "'bad'" in err
    db = open_database(clinic, actor="t")
    assert load_timeline(db, 1).assessments == ()
    db.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b'{"resourceType": "Patient"}', "resourceType 'Patient' is not accepted"),
    ],
)
def test_files_that_are_not_fhir_json(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    assert message in _fails(["import", "--db", str(clinic), "--format", "fhir", str(path)], capsys)


def test_plain_lines_for_missing_files_and_targets(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "none.json")
    assert "No such file" in _fails(
        ["import", "--db", str(clinic), "--format", "fhir", missing], capsys
    )
    taken = tmp_path / "taken.json"
    taken.write_text("keep")
    err = _fails(["export", "--db", str(clinic), "--format", "fhir", "--out", str(taken)], capsys)
    assert "--force" in err and taken.read_text() == "keep"
    err = _fails(
        ["export", "--db", str(clinic), "--format", "fhir", "--out", str(clinic), "--force"], capsys
    )
    assert "clinic database" in err
    nodb = str(tmp_path / "nodb.sqlite3")
    assert "no database" in _fails(
        ["export", "--db", nodb, "--format", "fhir", "--out", str(taken)], capsys
    )
    assert not Path(nodb).exists()


def test_the_mrn_system_comes_from_the_clinic_settings(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(clinic, actor="t")
    assert load_clinic_settings(db).mrn_identifier_system == "urn:mbctracker:mrn"  # placeholder
    update_clinic_settings(
        db, replace(preferences_of(DEFAULT_SETTINGS), mrn_identifier_system=MRN_SYSTEM)
    )
    db.dispose()
    portal = _write(tmp_path / "portal.json", portal_response("p1", [0] * 9))
    assert main(["import", "--db", str(clinic), "--format", "fhir", str(portal)]) == 0
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(clinic), "--format", "fhir", "--out", str(out)]) == 0
    patient = load_bundle(out)["entry"][2]["resource"]
    assert patient["identifier"][0] == {
        "use": "usual",
        "type": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]
        },
        "system": MRN_SYSTEM,
        "value": "MRN-0001",
    }
    err = _fails(
        [
            "import",
            "--db",
            str(clinic),
            "--format",
            "fhir",
            str(portal),
            "--mrn-system",
            "urn:other",
        ],
        capsys,
    )
    assert "urn:other" in err and MRN_SYSTEM in err


def test_export_and_import_load_no_qt_no_pdf_and_no_fhir_library(
    clinic: Path, tmp_path: Path
) -> None:
    """The FHIR code builds plain JSON: fhir.resources is a test dependency only."""
    portal = _write(tmp_path / "p.json", portal_response("p", [0] * 9))
    code = (
        "import sys; from mbctracker.__main__ import main; "
        f"assert main(['import', '--db', {str(clinic)!r}, '--format', 'fhir', {str(portal)!r}, "
        f"'--mrn-system', {MRN_SYSTEM!r}]) == 0; "
        f"assert main(['export', '--db', {str(clinic)!r}, '--format', 'fhir', "
        f"'--out', {str(tmp_path / 'o.json')!r}]) == 0; "
        "heavy = ('PySide6', 'pyqtgraph', 'reportlab', 'fhir'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
