"""FHIR R4 export: every resource validated with fhir.resources (R4B), codes checked."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from fhir_helpers import MRN_SYSTEM, answer_codes, load_bundle, resources, validate
from mbctracker.domain.course import Modality, Timepoint
from mbctracker.domain.settings import DEFAULT_SETTINGS
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.clinic import preferences_of, update_clinic_settings
from mbctracker.services.courses import start_course
from mbctracker.services.fhir.export import FhirWriteError, write_bundle, write_ndjson
from mbctracker.services.patients import PatientInput, delete_patient, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database

LOINC = "http://loinc.org"
DAY = datetime(2026, 1, 5, 9, 0)


def _at(day: int, hour: int = 9) -> datetime:
    return DAY.replace(day=DAY.day + day, hour=hour)


def _record(
    db: Database, course: CourseInfo, code: str, items: list[int | None], day: int, **kw: Any
) -> None:
    record_assessment(db, course.id, AssessmentInput(code, items, _at(day), **kw))


@pytest.fixture
def record(db: Database, patient: PatientInfo, course: CourseInfo) -> Database:
    """One IV ketamine course with every kind of score, and an ECT course of another patient."""
    _record(
        db,
        course,
        "PHQ9",
        [2, 3, 2, 2, 2, 2, 2, 2, 2],
        0,
        timepoint=Timepoint.BASELINE,
        supplementary=2,
    )
    record_session(db, course.id, SessionInput(_at(1, 10), {"dose_mg_per_kg": 0.5}))
    _record(db, course, "PHQ9", [1, None, 1, 1, None, 1, 1, 1, 0], 1)  # prorated: 2 missing
    _record(db, course, "PHQ9", [1, None, None, None, 1, 1, 1, 1, 1], 2)  # invalid: 3 missing
    _record(db, course, "GAD7", [1, 2, 2, 1, 0, 0, 3], 1)
    _record(db, course, "MADRS", [3, 3, 2, 2, 1, 2, 2, 2, 1, 4], 1)
    _record(db, course, "CGIS", [4], 1)
    _record(db, course, "CGIS", [0], 2)  # not assessed
    other = register_patient(db, PatientInput(mrn="ECT-7", name='O\'Brien "Ect" <b>'))
    ect = start_course(db, other.id, Modality.ECT, date(2026, 1, 5), planned_sessions=12)
    record_session(db, ect.id, SessionInput(_at(1), {"placement": "right unilateral"}))
    record_session(db, ect.id, SessionInput(_at(3), {"placement": "bitemporal"}))
    gone = register_patient(db, PatientInput(mrn="GONE-1", name="Deleted Person"))
    delete_patient(db, gone.id, expected_version=gone.version)
    update_clinic_settings(
        db, replace(preferences_of(DEFAULT_SETTINGS), mrn_identifier_system=MRN_SYSTEM)
    )
    return db


def _bundle(db: Database, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "export.json"
    write_bundle(db, out, mrn_system=MRN_SYSTEM)
    return load_bundle(out)


def test_bundle_validates_and_every_reference_resolves(record: Database, tmp_path: Path) -> None:
    bundle = _bundle(record, tmp_path)
    assert bundle["type"] == "collection"
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    refs = [r["reference"] for r in _references(bundle)]
    assert refs and all(ref in urls for ref in refs)
    kinds = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds.count("CodeSystem") == 2
    assert kinds.count("Patient") == 2  # the deleted patient is not exported
    assert kinds.count("Procedure") == 3 and kinds.count("QuestionnaireResponse") == 4
    assert kinds.count("Observation") == 4 + 3  # PHQ-9/GAD-7 totals + MADRS + 2 CGI-S


def _references(node: object) -> list[dict[str, str]]:
    if isinstance(node, dict):
        own = [node] if set(node) == {"reference"} else []
        return own + [r for v in node.values() for r in _references(v)]
    if isinstance(node, list):
        return [r for v in node for r in _references(v)]
    return []


def test_patient_carries_the_clinics_mrn_system(record: Database, tmp_path: Path) -> None:
    patients = resources(_bundle(record, tmp_path), "Patient")
    first = next(p for p in patients if p["identifier"][0]["value"] == "MRN-0001")
    assert first["identifier"][0]["system"] == MRN_SYSTEM
    assert first["birthDate"] == "1980-05-17" and first["name"] == [{"text": "Zoë Ødegård"}]


def test_phq9_response_uses_loinc_questionnaire_items_and_answers(
    record: Database, tmp_path: Path
) -> None:
    responses = resources(_bundle(record, tmp_path), "QuestionnaireResponse")
    baseline = next(r for r in responses if r["identifier"]["value"] == "1")
    assert baseline["questionnaire"] == "http://loinc.org/q/44249-1"
    codes = answer_codes(baseline)
    assert codes["44250-9"] == "LA6570-1" and codes["44255-8"] == "LA6571-9"
    assert codes["44260-8"] == "LA6570-1"  # item 9 = 2
    assert codes["69722-7"] == "LA6575-0"  # difficulty 2 = "Very difficult" (LL359-1)
    assert all(i["answer"][0]["valueCoding"]["system"] == LOINC for i in baseline["item"])


def test_gad7_item_2_answers_from_its_own_list(record: Database, tmp_path: Path) -> None:
    responses = resources(_bundle(record, tmp_path), "QuestionnaireResponse")
    gad7 = next(r for r in responses if r["questionnaire"].endswith("69737-5"))
    codes = answer_codes(gad7)
    assert codes["68509-9"] == "LA18938-3"  # 2 = "More days than not"
    assert codes["69733-4"] == "LA6570-1"  # 2 = "More than half the days"
    shown = {i["linkId"]: i["answer"][0]["valueCoding"]["display"] for i in gad7["item"]}
    assert shown["68509-9"] == "More days than not"


def _observation(bundle: dict[str, Any], assessment_id: int) -> dict[str, Any]:
    return next(
        o
        for o in resources(bundle, "Observation")
        if o["identifier"][0]["value"] == str(assessment_id)
    )


def test_totals_are_survey_observations_derived_from_the_response(
    record: Database, tmp_path: Path
) -> None:
    bundle = _bundle(record, tmp_path)
    total = _observation(bundle, 1)
    assert total["code"]["coding"][0] == {"system": LOINC, "code": "44261-6"}
    assert total["category"][0]["coding"][0]["code"] == "survey"
    assert total["valueQuantity"]["value"] == 19 and total["valueQuantity"]["unit"] == "{score}"
    assert total["valueQuantity"]["code"] == "{score}"
    response = next(
        e
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
        and e["resource"]["identifier"]["value"] == "1"
    )
    assert total["derivedFrom"] == [{"reference": response["fullUrl"]}]
    assert "extension" not in total
    gad7 = next(
        o for o in resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "70274-6"
    )
    assert gad7["valueQuantity"]["value"] == 9


def test_a_prorated_total_says_so_and_an_invalid_one_has_no_value(
    record: Database, tmp_path: Path
) -> None:
    bundle = _bundle(record, tmp_path)
    prorated = _observation(bundle, 2)
    marks = {e["url"].rsplit("/", 1)[-1]: e for e in prorated["extension"]}
    assert marks["prorated-total"]["valueBoolean"] is True
    assert marks["exact-total"]["valueDecimal"] == pytest.approx(6 * 9 / 7, abs=1e-4)
    assert prorated["valueQuantity"]["value"] == 8  # 7.714 rounded half up
    invalid = _observation(bundle, 3)
    assert "valueQuantity" not in invalid and "3 of 9 items" in invalid["dataAbsentReason"]["text"]


def test_madrs_and_cgi_s_use_the_local_code_system_never_loinc(
    record: Database, tmp_path: Path
) -> None:
    bundle = _bundle(record, tmp_path)
    madrs = _observation(bundle, 5)
    text = json.dumps(madrs)
    assert LOINC not in text and "MADRS" in madrs["code"]["coding"][0]["code"]
    assert madrs["valueQuantity"]["value"] == 22
    labels = [c["code"]["coding"][0]["display"] for c in madrs["component"]]
    assert labels[-1] == "Suicidal thoughts" and len(labels) == 10
    cgis = _observation(bundle, 6)
    assert cgis["code"]["coding"][0]["code"] == "CGIS" and cgis["valueQuantity"]["value"] == 4
    not_assessed = _observation(bundle, 7)  # 0 = not assessed: no value, no rating
    assert "valueQuantity" not in not_assessed and "component" not in not_assessed


def test_sessions_are_procedures_with_snomed_only_where_verified(
    record: Database, tmp_path: Path
) -> None:
    procedures = resources(_bundle(record, tmp_path), "Procedure")
    codings = sorted(tuple(c["code"] for c in p["code"]["coding"]) for p in procedures)
    assert codings == [("ect",), ("ect", "1010697006"), ("iv_ketamine",)]
    assert all(p["category"]["coding"][0]["code"] == "24642003" for p in procedures)


def test_ndjson_files_validate_and_reference_patients_by_id(
    record: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "bulk"
    counts = write_ndjson(record, folder, mrn_system=MRN_SYSTEM)
    lines = {f.stem: f.read_text(encoding="utf-8").splitlines() for f in folder.glob("*.ndjson")}
    assert sorted(lines) == [
        "CodeSystem",
        "Observation",
        "Patient",
        "Procedure",
        "QuestionnaireResponse",
    ]
    parsed = {k: [json.loads(x) for x in v] for k, v in lines.items()}
    for kind, found in parsed.items():
        assert len(found) == counts[kind]
        for resource in found:
            assert resource["resourceType"] == kind
            validate(resource)
    patients = {f"Patient/{p['id']}" for p in parsed["Patient"]}
    assert {o["subject"]["reference"] for o in parsed["Observation"]} <= patients
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in folder.iterdir())


def test_two_exports_give_the_same_ids(record: Database, tmp_path: Path) -> None:
    first = [e["fullUrl"] for e in _bundle(record, tmp_path)["entry"]]
    (tmp_path / "export.json").unlink()
    assert [e["fullUrl"] for e in _bundle(record, tmp_path)["entry"]] == first


def test_an_empty_database_gives_a_bundle_of_the_code_systems(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    assert write_bundle(db, out, mrn_system=MRN_SYSTEM) == {"CodeSystem": 2}
    assert [e["resource"]["resourceType"] for e in load_bundle(out)["entry"]] == ["CodeSystem"] * 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_never_over_an_existing_file_or_the_database(record: Database, tmp_path: Path) -> None:
    out = tmp_path / "there.json"
    out.write_text("keep me")
    with pytest.raises(FhirWriteError, match="already exists"):
        write_bundle(record, out, mrn_system=MRN_SYSTEM)
    assert out.read_text() == "keep me"
    with pytest.raises(FhirWriteError, match="clinic database"):
        write_bundle(record, record.path, mrn_system=MRN_SYSTEM, overwrite=True, keep=[record.path])
    with pytest.raises(FhirWriteError, match="is a file"):
        write_ndjson(record, out, mrn_system=MRN_SYSTEM)


def test_every_local_code_used_is_defined_in_the_exported_code_systems(
    record: Database, tmp_path: Path
) -> None:
    bundle = _bundle(record, tmp_path)
    defined = {
        (cs["url"], c["code"]): c["display"]
        for cs in resources(bundle, "CodeSystem")
        for c in cs["concept"]
    }
    used = [c for c in _codings(bundle) if c["system"].startswith("https://mbctracker.invalid/")]
    assert used and all((c["system"], c["code"]) in defined for c in used)
    assert all(
        c.get("display", defined[(c["system"], c["code"])]) == defined[(c["system"], c["code"])]
        for c in used
    )
    full_urls = {
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CodeSystem"
    }
    assert full_urls == {cs["url"] for cs in resources(bundle, "CodeSystem")}
    assert all(u.endswith(f"/CodeSystem/{u.rsplit('/', 1)[-1]}") for u in full_urls)


def _codings(node: object) -> list[dict[str, str]]:
    if isinstance(node, dict):
        own = [node] if {"system", "code"} <= set(node) else []
        return own + [c for v in node.values() for c in _codings(v)]
    if isinstance(node, list):
        return [c for v in node for c in _codings(v)]
    return []
