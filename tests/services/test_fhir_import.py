"""FHIR import of patient-reported PHQ-9/GAD-7: scored by the app, flagged as when keyed,
every problem reported at once, nothing written on any problem."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_helpers import (
    GAD7_ITEMS,
    MRN_SYSTEM,
    batch,
    portal_response,
    validate,
)
from mbctracker.domain.course import CourseStatus, Modality
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services.courses import end_course, start_course
from mbctracker.services.fhir.export import write_bundle
from mbctracker.services.fhir.importer import FhirImportError, import_document
from mbctracker.services.patient_list import open_flag_totals
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database

GAD7_WORRY = {2: {0: "LA6568-5", 1: "LA6569-3", 2: "LA18938-3", 3: "LA6571-9"}}


def _import(db: Database, data: Any) -> list[Any]:
    for entry in data.get("entry", [{"resource": data}]):
        validate(entry["resource"])  # the test files are valid FHIR themselves
    return import_document(db, data, mrn_system=MRN_SYSTEM).saved


def _problems(db: Database, data: Any) -> list[str]:
    with pytest.raises(FhirImportError) as refused:
        import_document(db, data, mrn_system=MRN_SYSTEM)
    return refused.value.problems


def test_item_9_of_2_from_a_portal_raises_the_flag_as_a_keyed_entry(
    db: Database, course: CourseInfo
) -> None:
    saved = _import(db, portal_response("portal-1", [1, 1, 1, 1, 1, 1, 1, 1, 2]))
    assert [s.flagged for s in saved] == [True]
    record = load_timeline(db, course.id).assessments[-1]
    assert record.score.total == 10 and record.score.safety_tier == 2
    assert record.flag_open and record.stored_open
    assert open_flag_totals(db) == (1, 1)


def test_a_missing_item_9_flags_unanswered_and_a_wrong_total_never_enters(
    db: Database, course: CourseInfo
) -> None:
    response = portal_response("portal-2", [3, 3, 3, 3, 3, 3, 3, 0, None])
    response["item"].append({"linkId": "44261-6", "answer": [{"valueInteger": 2}]})
    _import(db, response)
    record = load_timeline(db, course.id).assessments[-1]
    assert record.score.total == 24 and record.score.prorated  # 21 x 9 / 8 = 23.6
    assert record.score.safety_reason == "unanswered" and record.flag_open


def test_gad7_item_2_is_read_from_its_own_loinc_list(db: Database, course: CourseInfo) -> None:
    _import(db, portal_response("g", [0, 2, 0, 0, 0, 0, 0], panel="69737-5", codes=GAD7_WORRY))
    record = load_timeline(db, course.id).assessments[-1]
    assert record.instrument == "GAD7" and record.score.responses[1] == 2


def test_a_bundle_with_patient_entries_and_offsets(db: Database, course: CourseInfo) -> None:
    patient = {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [
            {"system": "urn:other", "value": "X"},
            {"system": MRN_SYSTEM, "value": "mrn-0001"},
        ],  # MRNs compare by key
    }
    response = portal_response("r1", [0] * 9, authored="2026-01-08T08:30:00+00:00")
    response["subject"] = {"reference": "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"}
    data = batch(patient, response)
    data["entry"][0]["fullUrl"] = "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    _import(db, data)
    record = load_timeline(db, course.id).assessments[-1]
    assert record.when.astimezone().utcoffset() is not None
    assert record.rater == "patient (FHIR import)"


def _count(db: Database, course: CourseInfo) -> int:
    return len(load_timeline(db, course.id).assessments)


def test_every_problem_at_once_and_nothing_written(db: Database, course: CourseInfo) -> None:
    good = portal_response("good", [0] * 9)
    unknown_patient = portal_response("who", [0] * 9, mrn="MRN-404")
    unknown_form = portal_response("form", [0] * 9)
    unknown_form["questionnaire"] = "http://loinc.org/q/55757-9"
    out_of_range = portal_response("range", [0] * 9)
    out_of_range["item"][8]["answer"] = [{"valueInteger": 4}]
    wrong_list = portal_response("list", [0] * 9)
    wrong_list["item"][0]["answer"][0]["valueCoding"]["code"] = "LA18938-3"
    problems = _problems(db, batch(good, unknown_patient, unknown_form, out_of_range, wrong_list))
    text = "\n".join(problems)
    assert "'form'" in text and "55757-9" in text and "http://loinc.org/q/44249-1" in text
    assert "'range'" in text and "44260-8" in text and "item 9" in text and "0-3" in text
    assert "'list'" in text and "44250-9" in text and "LA18938-3" in text
    assert "'who'" in text and "unknown patient" in text and "MRN-404" in text
    assert len(problems) == 4 and "'who'" in problems[0]  # in file order
    assert _count(db, course) == 0


def test_a_patient_without_an_active_course_is_refused(db: Database) -> None:
    other = register_patient(db, PatientInput(mrn="MRN-0002", name="No Course"))
    problems = _problems(db, portal_response("x", [0] * 9, mrn="MRN-0002"))
    assert "no active course" in problems[0]
    done = start_course(db, other.id, Modality.TMS, date(2026, 1, 2), planned_sessions=30)
    end_course(db, done.id, CourseStatus.COMPLETED, date(2026, 1, 3), expected_version=done.version)
    assert "no active course" in _problems(db, portal_response("x", [0] * 9, mrn="MRN-0002"))[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": "in-progress"}, "status"),
        ({"authored": "2026-01-08"}, "authored"),
        ({"authored": "2999-01-01T00:00:00"}, "future"),
        ({"authored": "1999-01-01T00:00:00"}, "baseline window"),
        ({"subject": {"identifier": {"system": "urn:other", "value": "MRN-0001"}}}, "urn:other"),
        ({"subject": {"reference": "Patient/nowhere"}}, "Patient/nowhere"),
        ({"questionnaire": None}, "questionnaire"),
        ({"item": [{"linkId": "q1", "answer": [{"valueInteger": 1}]}]}, "'q1'"),
        ({"item": [{"linkId": "44250-9", "answer": [{"valueString": "2"}]}]}, "out of range"),
        ({"item": [{"linkId": "44250-9", "answer": [{"valueInteger": True}]}]}, "out of range"),
    ],
)
def test_hostile_responses_are_refused_naming_the_resource(
    db: Database, course: CourseInfo, change: dict[str, Any], expected: str
) -> None:
    response = {**portal_response("bad", [0] * 9), **change}
    problems = _problems(db, response)
    assert problems and all("'bad'" in p for p in problems)
    assert any(expected in p for p in problems), problems
    assert _count(db, course) == 0


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"resourceType": "Observation"},
        {"resourceType": "Bundle", "entry": "x"},
        {"resourceType": "Bundle", "entry": []},
        "QuestionnaireResponse",
    ],
)
def test_files_that_are_not_response_batches(db: Database, data: Any) -> None:
    assert _problems(db, data)


def test_the_apps_own_export_imports_back(
    db: Database, patient: PatientInfo, course: CourseInfo, tmp_path: Path
) -> None:
    """A Bundle the app wrote (QuestionnaireResponses referencing its Patient entries)."""
    _import(db, portal_response("one", [1, 2, 1, 2, 1, 2, 1, 2, 0]))
    _import(db, portal_response("two", [0] * 7, panel="69737-5", codes=GAD7_WORRY))
    out = tmp_path / "export.json"
    write_bundle(db, out, mrn_system=MRN_SYSTEM)
    again = import_document(db, json.loads(out.read_text()), mrn_system=MRN_SYSTEM)
    assert again.saved == [] and len(again.skipped) == 2  # already in the record
    assert again.ignored == {"CodeSystem": 2, "Observation": 2}
    assert len(load_timeline(db, course.id).assessments) == 2


def test_a_file_sent_twice_is_recorded_once(db: Database, course: CourseInfo) -> None:
    data = batch(portal_response("a", [1] * 9), portal_response("a-copy", [1] * 9))
    result = import_document(db, data, mrn_system=MRN_SYSTEM)
    assert len(result.saved) == 1 and result.skipped == ["QuestionnaireResponse 'a-copy' (entry 2)"]
    assert import_document(db, data, mrn_system=MRN_SYSTEM).saved == []
    changed = portal_response("b", [2] * 9)  # other answers at the same time: a new record
    assert len(import_document(db, changed, mrn_system=MRN_SYSTEM).saved) == 1
    assert len(load_timeline(db, course.id).assessments) == 2


def test_gad7_links_are_the_panel_items() -> None:
    assert len(GAD7_ITEMS) == 7


def test_lforms_paths_and_groups_are_understood(db: Database, course: CourseInfo) -> None:
    """Forms built from LOINC's panel use ``/44249-1/44250-9`` linkIds and nest items."""
    response = portal_response("lforms", [0, 0, 0, 0, 0, 0, 0, 1, 3])
    items = response.pop("item")
    for item in items[:5]:
        item["linkId"] = f"/44249-1/{item['linkId']}"
    response["item"] = [{"linkId": "/44249-1", "item": items[:7]}, *items[7:]]
    _import(db, response)
    record = load_timeline(db, course.id).assessments[-1]
    assert record.score.responses == (0, 0, 0, 0, 0, 0, 0, 1, 3)
    assert record.score.safety_tier == 2


def test_an_mrn_with_an_invisible_character_is_refused_not_stripped(
    db: Database, course: CourseInfo
) -> None:
    problems = _problems(db, portal_response("zw", [0] * 9, mrn="MRN-\u200b0001"))
    assert "'zw'" in problems[0] and "invisible" in problems[0]
    assert _count(db, course) == 0


def test_the_same_item_twice_is_refused(db: Database, course: CourseInfo) -> None:
    response = portal_response("twice", [0] * 9)
    response["item"].append({"linkId": "44260-8", "answer": [{"valueInteger": 0}]})
    assert "answered twice" in _problems(db, response)[0]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = ("resourceType", "questionnaire", "status", "subject", "authored", "item")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(FIELDS), value=JSON, item=st.integers(0, 8), where=st.booleans())
def test_any_json_in_any_field_is_refused_plainly_or_imported(
    db: Database, course: CourseInfo, field: str, value: object, item: int, where: bool
) -> None:
    """Hostile files: a random JSON value in a field or an answer never crashes the import."""
    response = portal_response("fuzz", [1] * 9)
    if where:
        response[field] = value
    else:
        response["item"][item]["answer"] = [{"valueCoding": {"code": value}}]
    try:
        import_document(db, batch(response), mrn_system=MRN_SYSTEM)
    except FhirImportError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)


def test_an_overlong_mrn_is_refused_without_a_lookup(db: Database, course: CourseInfo) -> None:
    problems = _problems(db, portal_response("long", [0] * 9, mrn="M" * 10_000))
    assert "longer than 64" in problems[0] and len(problems[0]) < 300
