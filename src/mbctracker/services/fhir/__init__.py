"""FHIR R4 exchange: export the record (Bundle or Bulk-Data NDJSON) and import
patient-reported PHQ-9/GAD-7 QuestionnaireResponses.

Resources are built as plain dicts from the domain objects, so the app needs no
FHIR library at run time; the tests validate every resource with ``fhir.resources``
(R4B models). The code tables are in :mod:`.codes`; docs/fhir.md maps each field.
"""
