"""Shared by the FHIR tests (imported by name: tests have no packages)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.7777.1"
"""A clinic's own MRN system (a made-up OID arc for tests)."""


def validate(resource: dict[str, Any]) -> None:
    """Raise on any FHIR R4 (R4B models) validation error of one resource."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def load_bundle(path: Path) -> dict[str, Any]:
    """The Bundle, validated whole and entry by entry."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    Bundle.model_validate(data)
    for entry in data["entry"]:
        validate(entry["resource"])
    return data


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def answer_codes(response: dict[str, Any]) -> dict[str, str]:
    return {i["linkId"]: i["answer"][0]["valueCoding"]["code"] for i in response.get("item", [])}


FREQUENCY = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
PHQ9_ITEMS = (
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
)
GAD7_ITEMS = ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")


def portal_response(
    rid: str,
    values: list[int | None],
    *,
    mrn: str = "MRN-0001",
    panel: str = "44249-1",
    authored: str | None = None,
    codes: dict[int, dict[int, str]] | None = None,
) -> dict[str, Any]:
    """A QuestionnaireResponse as a patient portal sends it: LOINC items, LA answer codes,
    the patient named by MRN identifier."""
    links = PHQ9_ITEMS if panel == "44249-1" else GAD7_ITEMS
    items = []
    for number, (link, value) in enumerate(zip(links, values, strict=True), start=1):
        if value is None:
            continue
        code = (codes or {}).get(number, FREQUENCY)[value]
        coding = {"system": "http://loinc.org", "code": code}
        items.append({"linkId": link, "answer": [{"valueCoding": coding}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": rid,
        "questionnaire": f"http://loinc.org/q/{panel}",
        "status": "completed",
        "subject": {"identifier": {"system": MRN_SYSTEM, "value": mrn}},
        "authored": authored or datetime(2026, 1, 8, 8, 30).astimezone().isoformat(),
        "item": items,
    }


def batch(*responses: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in responses],
    }
