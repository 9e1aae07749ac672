"""Build FHIR R4 resources (plain dicts) from the domain record.

Pure functions of domain objects: no database, no files. Ids are name-based UUIDs
(uuid5 under the clinic's MRN system), so two exports of the same record give the
same ids and a receiver can update instead of duplicating.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...domain.instruments import INSTRUMENTS, LOINC_ANSWER_TEXT, Instrument, get_instrument
from ...domain.timeline import AssessmentRecord, CourseTimeline, PatientInfo, SessionRecord
from . import codes

Resource = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Context:
    """What every resource of one export shares.

    Attributes:
        mrn_system: Identifier.system of the clinic's MRNs.
        bundle: references as ``urn:uuid:...`` (entries of one Bundle) rather than
            ``Type/id`` (Bulk Data NDJSON files, resolved by the receiver's server).
    """

    mrn_system: str
    bundle: bool = True
    _namespace: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.mrn_system).bytes
        object.__setattr__(self, "_namespace", namespace)

    def id(self, kind: str, key: int) -> str:
        """``uuid5(namespace, "Kind/key")``, computed directly (a million per large export)."""
        digest = bytearray(hashlib.sha1(self._namespace + f"{kind}/{key}".encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = digest.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def ref(self, kind: str, key: int) -> dict[str, str]:
        rid = self.id(kind, key)
        return {"reference": f"urn:uuid:{rid}" if self.bundle else f"{kind}/{rid}"}


def fhir_datetime(local: datetime) -> str:
    """A naive local wall-clock time (as the domain keeps it) with its UTC offset."""
    return local.astimezone().isoformat(timespec="seconds")


def patient_resource(ctx: Context, patient: PatientInfo) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": ctx.id("Patient", patient.id),
        "identifier": [
            {
                "use": "usual",
                "type": {"coding": [{"system": codes.IDENTIFIER_TYPE, "code": "MR"}]},
                "system": ctx.mrn_system,
                "value": patient.mrn,
            }
        ],
        "name": [{"text": patient.name}],
        "gender": str(patient.sex),
    }
    if patient.date_of_birth is not None:
        resource["birthDate"] = patient.date_of_birth.isoformat()
    return resource


def course_resources(ctx: Context, timeline: CourseTimeline) -> Iterator[Resource]:
    """Procedures for the sessions, then the resources of every assessment."""
    for record in timeline.sessions:
        yield procedure_resource(ctx, timeline, record)
    for assessment in timeline.assessments:
        yield from assessment_resources(ctx, timeline.patient.id, assessment)


def procedure_resource(ctx: Context, timeline: CourseTimeline, record: SessionRecord) -> Resource:
    modality = timeline.course.modality
    coding = [
        {
            "system": codes.MODALITY_SYSTEM,
            "code": str(modality),
            "display": codes.MODALITY_DISPLAY[modality],
        }
    ]
    coding += [
        code
        for (mod, key, value), code in codes.SNOMED_BY_DETAIL.items()
        if mod == modality and record.details.get(key) == value
    ]
    return {
        "resourceType": "Procedure",
        "id": ctx.id("Procedure", record.id),
        "identifier": [{"system": codes.SESSION_IDENTIFIER_SYSTEM, "value": str(record.id)}],
        "status": "completed",
        "category": {"coding": [codes.PSYCHIATRY_PROCEDURE]},
        "code": {"coding": coding, "text": codes.MODALITY_DISPLAY[modality]},
        "subject": ctx.ref("Patient", timeline.patient.id),
        "performedDateTime": fhir_datetime(record.when),
        "note": [{"text": f"Session {record.number}, {record.phase.label.lower()} phase"}],
    }


def assessment_resources(ctx: Context, patient_id: int, record: AssessmentRecord) -> list[Resource]:
    """LOINC-coded scales: a QuestionnaireResponse and its total; others: one Observation."""
    instrument = get_instrument(record.instrument)
    if instrument.loinc_panel and instrument.loinc_total:
        response = questionnaire_response(ctx, patient_id, record, instrument)
        total = total_observation(ctx, patient_id, record, instrument)
        total["derivedFrom"] = [ctx.ref("QuestionnaireResponse", record.id)]
        return [response, total]
    observation = total_observation(ctx, patient_id, record, instrument)
    observation["component"] = _local_items(record, instrument)
    if not observation["component"]:
        del observation["component"]
    return [observation]


def questionnaire_response(
    ctx: Context, patient_id: int, record: AssessmentRecord, instrument: Instrument
) -> Resource:
    """Items keyed by their LOINC code (linkId), answered with the item's own LOINC list.

    The question texts are left out: the LOINC questionnaire defines them, and they
    would add a few hundred bytes to each of up to a million responses.
    """
    items = [
        _coded_item(item.loinc or "", instrument.item_answer_loinc(item.number), value)
        for item, value in zip(instrument.items, record.score.responses, strict=True)
        if value is not None
    ]
    extra = instrument.supplementary
    if extra is not None and extra.loinc and record.supplementary is not None:
        items.append(_coded_item(extra.loinc, extra.answer_loinc or {}, record.supplementary))
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": ctx.id("QuestionnaireResponse", record.id),
        "identifier": {"system": codes.ASSESSMENT_IDENTIFIER_SYSTEM, "value": str(record.id)},
        "questionnaire": f"http://loinc.org/q/{instrument.loinc_panel}",
        "status": "completed",
        "subject": ctx.ref("Patient", patient_id),
        "authored": fhir_datetime(record.when),
    }
    if items:
        resource["item"] = items
    return resource


def _coded_item(link_id: str, answers: dict[int, str], value: int) -> Resource:
    code = answers[value]
    coding = {"system": codes.LOINC, "code": code, "display": LOINC_ANSWER_TEXT[code]}
    return {"linkId": link_id, "answer": [{"valueCoding": coding}]}


def total_observation(
    ctx: Context, patient_id: int, record: AssessmentRecord, instrument: Instrument
) -> Resource:
    """The total as a survey Observation; a prorated one says so, an invalid one has none."""
    resource: Resource = {
        "resourceType": "Observation",
        "id": ctx.id("Observation", record.id),
        "identifier": [{"system": codes.ASSESSMENT_IDENTIFIER_SYSTEM, "value": str(record.id)}],
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": _total_code(instrument),
        "subject": ctx.ref("Patient", patient_id),
        "effectiveDateTime": fhir_datetime(record.when),
    }
    score = record.score
    if score.total is None:
        resource["dataAbsentReason"] = {
            "coding": [_absent("error")],
            "text": f"not scored: {score.n_missing} of {instrument.n_items} items missing "
            "or not assessed (more than the instrument allows)",
        }
        return resource
    resource["valueQuantity"] = {
        "value": score.total,
        "unit": "{score}",
        "system": codes.UCUM,
        "code": "{score}",
    }
    if score.severity:
        resource["interpretation"] = [{"text": score.severity}]
    if score.prorated:
        resource["extension"] = _prorated(score.exact_total)
    return resource


def _absent(code: str) -> dict[str, str]:
    return {"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": code}


def _prorated(exact: float | None) -> list[Resource]:
    marks: list[Resource] = [{"url": codes.PRORATED_EXTENSION, "valueBoolean": True}]
    if exact is not None:
        marks.append({"url": codes.EXACT_TOTAL_EXTENSION, "valueDecimal": round(exact, 4)})
    return marks


def _total_code(instrument: Instrument) -> Resource:
    text = f"{instrument.name} total score"
    if instrument.loinc_total:
        return {"coding": [{"system": codes.LOINC, "code": instrument.loinc_total}], "text": text}
    local = {"system": codes.INSTRUMENT_SYSTEM, "code": instrument.code, "display": text}
    return {"coding": [local], "text": text}


def _local_items(record: AssessmentRecord, instrument: Instrument) -> list[Resource]:
    """Item ratings as components under the local code system (short labels only).

    A "not assessed" rating (CGI 0) is no rating, so it is left out like a blank.
    """
    return [
        {
            "code": {
                "coding": [
                    {
                        "system": codes.INSTRUMENT_SYSTEM,
                        "code": f"{instrument.code}-{item.number}",
                        "display": item.label,
                    }
                ]
            },
            "valueInteger": value,
        }
        for item, value in zip(instrument.items, record.score.responses, strict=True)
        if value is not None and value != instrument.not_assessed_value
    ]


def full_url(resource: Resource) -> str:
    """A Bundle entry's fullUrl: a CodeSystem's canonical URL, else ``urn:uuid:<id>``."""
    url = resource.get("url") if resource["resourceType"] == "CodeSystem" else None
    return url if isinstance(url, str) else f"urn:uuid:{resource['id']}"


def code_systems() -> list[Resource]:
    """The project's own code systems, exported first so a receiver can read every local code.

    Instrument codes are generated from the definitions (any instrument without a
    LOINC total, with its items' short labels), so a new local scale is described too.
    """
    return [
        _code_system("instrument", codes.INSTRUMENT_SYSTEM, _instrument_concepts()),
        _code_system("modality", codes.MODALITY_SYSTEM, _modality_concepts()),
    ]


def _code_system(name: str, url: str, concepts: list[dict[str, str]]) -> Resource:
    """Its canonical URL ends in ``CodeSystem/<id>``: the Bundle uses it as the fullUrl."""
    return {
        "resourceType": "CodeSystem",
        "id": name,
        "url": url,
        "name": f"Mbctracker{name.capitalize()}",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "count": len(concepts),
        "concept": concepts,
    }


def _instrument_concepts() -> list[dict[str, str]]:
    concepts = []
    for instrument in INSTRUMENTS.values():
        if instrument.loinc_total:
            continue
        concepts.append({"code": instrument.code, "display": f"{instrument.name} total score"})
        concepts += [
            {"code": f"{instrument.code}-{item.number}", "display": item.label}
            for item in instrument.items
        ]
    return concepts


def _modality_concepts() -> list[dict[str, str]]:
    return [{"code": str(m), "display": display} for m, display in codes.MODALITY_DISPLAY.items()]
