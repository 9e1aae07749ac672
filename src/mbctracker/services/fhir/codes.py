"""Code systems and codes used in FHIR exchange, as data, with where each comes from.

LOINC codes come from the instrument definitions (``domain/instruments.py``). What
LOINC does not cover (MADRS, CGI-S, CGI-I, PHQ-8, the treatment modalities) is coded
in the project's own code systems, never with an invented LOINC or SNOMED CT code.
The project URIs use the reserved ``.invalid`` domain (RFC 6761): they identify, and
can never resolve to somebody else's site.
"""

from __future__ import annotations

from ...domain.course import Modality

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"

PROJECT_BASE = "https://mbctracker.invalid/fhir"
INSTRUMENT_SYSTEM = f"{PROJECT_BASE}/CodeSystem/instrument"
"""Local codes: ``MADRS`` (total), ``MADRS-1`` ... ``MADRS-10`` (items), and so on."""
MODALITY_SYSTEM = f"{PROJECT_BASE}/CodeSystem/modality"
PRORATED_EXTENSION = f"{PROJECT_BASE}/StructureDefinition/prorated-total"
"""valueBoolean true on a total computed from fewer items (CLINICAL.md proration)."""
EXACT_TOTAL_EXTENSION = f"{PROJECT_BASE}/StructureDefinition/exact-total"
"""valueDecimal: the unrounded prorated total (sum x n_items / n_answered)."""
ASSESSMENT_IDENTIFIER_SYSTEM = f"{PROJECT_BASE}/assessment"
SESSION_IDENTIFIER_SYSTEM = f"{PROJECT_BASE}/session"

PSYCHIATRY_PROCEDURE = {
    "system": SNOMED,
    "code": "24642003",
    "display": "Psychiatry procedure or service",
}
"""Procedure.category, from FHIR's own procedure-category value set (SNOMED CT)."""

RIGHT_UNILATERAL_ECT = {
    "system": SNOMED,
    "code": "1010697006",
    "display": "Right unilateral electroconvulsive therapy",
}
"""The one SNOMED CT procedure concept verified for our sessions (SNOMED CT core,
2021): an ECT session with right unilateral placement. Codes for ECT in general, TMS
and ketamine administration could not be verified here, so they stay local until
someone checks them against a SNOMED CT browser (never guessed)."""

SNOMED_BY_DETAIL: dict[tuple[Modality, str, str], dict[str, str]] = {
    (Modality.ECT, "placement", "right unilateral"): RIGHT_UNILATERAL_ECT,
}
"""Verified SNOMED CT codes by (modality, session detail, value)."""

MODALITY_DISPLAY: dict[Modality, str] = {
    Modality.IV_KETAMINE: "Intravenous ketamine infusion",
    Modality.IM_KETAMINE: "Intramuscular ketamine (ketamine-assisted psychotherapy)",
    Modality.ESKETAMINE: "Intranasal esketamine",
    Modality.TMS: "Transcranial magnetic stimulation",
    Modality.ECT: "Electroconvulsive therapy",
}
