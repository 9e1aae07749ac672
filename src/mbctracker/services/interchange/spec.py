"""The CSV interchange format: file names, columns, and how one cell is written and read.

One definition serves the export, the import, the research extract and the docs
(``docs/interchange.md``), so they cannot drift apart. Cells are UTF-8 text with
RFC 4180 quoting. Text a spreadsheet would run as a formula (a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return) is written behind an apostrophe, as the
change-log export does; a text that itself starts with an apostrophe gets one more,
so the import strips exactly one leading apostrophe and every value comes back
exactly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ...domain.instruments import INSTRUMENTS
from ..audit_log import spreadsheet_cell

PATIENTS = "patients.csv"
COURSES = "courses.csv"
PHASE_CHANGES = "phase_changes.csv"
SESSIONS = "sessions.csv"
ASSESSMENTS = "assessments.csv"
EVENTS = "events.csv"
SAFETY_ACTIONS = "safety_actions.csv"
VITALS = "vitals.csv"
REMS = "rems.csv"
FILES = (
    PATIENTS,
    COURSES,
    PHASE_CHANGES,
    SESSIONS,
    ASSESSMENTS,
    EVENTS,
    SAFETY_ACTIONS,
    VITALS,
    REMS,
)
"""In the order an import reads them: every file refers only to files before it."""

LIST_SEPARATOR = ";"
"""Between the choices of a list cell (comorbidities, side effects)."""

SCORE_COLUMNS = ("total", "exact_total", "prorated", "severity", "safety_flag")
"""Written by the export for the reader's convenience; an import scores the items itself."""


def item_columns() -> tuple[str, ...]:
    """``item_1`` .. ``item_N``: enough for every registered instrument's items and its
    unscored extra question (the PHQ-9 difficulty is ``item_10``)."""
    widest = max(i.n_items + (1 if i.supplementary else 0) for i in INSTRUMENTS.values())
    return tuple(f"item_{n}" for n in range(1, max(widest, 10) + 1))


COLUMNS: dict[str, tuple[str, ...]] = {
    PATIENTS: ("mrn", "name", "date_of_birth", "sex", "comorbidities", "notes"),
    COURSES: (
        "course_key",
        "mrn",
        "modality",
        "start_date",
        "planned_sessions",
        "phase",
        "status",
        "end_date",
        "discontinue_reason",
        "notes",
        "settings",
        "diagnosis",
        "current_medications",
        "prior_treatments",
        "prescriber",
        "threshold_change_reason",
        "authorised_sessions",
        "mt_determined_on",
        "session_interval_days",
    ),
    PHASE_CHANGES: ("course_key", "phase", "started_on"),
    SESSIONS: (
        "course_key",
        "number",
        "performed_at",
        "phase",
        "details",
        "side_effects",
        "notes",
        "side_effects_text",
        "prn_medication",
        "warnings",
    ),
    EVENTS: ("mrn", "course_key", "kind", "occurred_on", "reason", "description"),
    SAFETY_ACTIONS: (
        "course_key",
        "instrument",
        "assessed_at",
        "kind",
        "text",
        "taken_by",
        "taken_at",
        "flag_level",
    ),
    VITALS: (
        "course_key",
        "session_number",
        "point",
        "taken_at",
        "systolic",
        "diastolic",
        "heart_rate",
        "spo2",
    ),
    REMS: (
        "course_key",
        "session_number",
        "lot_number",
        "monitoring_start",
        "monitoring_end",
        "ready_to_leave_at",
        "respiratory_status",
        "concomitant",
        "submitted_on",
    ),
}
"""Every column the export writes (assessments: see :func:`assessment_columns`)."""


def assessment_columns() -> tuple[str, ...]:
    head = ("course_key", "instrument", "assessed_at", "timepoint", "session_number")
    return (*head, *item_columns(), "rater", "link_manual", *SCORE_COLUMNS)


def columns(file: str) -> tuple[str, ...]:
    return assessment_columns() if file == ASSESSMENTS else COLUMNS[file]


REQUIRED: dict[str, tuple[str, ...]] = {
    PATIENTS: ("mrn", "name", "sex"),
    COURSES: ("course_key", "mrn", "modality", "start_date", "planned_sessions"),
    PHASE_CHANGES: ("course_key", "phase", "started_on"),
    SESSIONS: ("course_key", "number", "performed_at"),
    ASSESSMENTS: ("course_key", "instrument", "assessed_at", "item_1"),
    EVENTS: ("mrn", "kind", "occurred_on"),
    SAFETY_ACTIONS: ("course_key", "instrument", "assessed_at", "kind", "taken_at"),
    VITALS: ("course_key", "session_number", "point"),
    REMS: ("course_key", "session_number"),
}
"""Columns an imported file must have; any other known column may be left out (blank)."""


_ESCAPED = frozenset("=+-@\t\r'")
"""First characters that get an apostrophe in front (the formula starts, and the escape)."""


def write_cell(value: object) -> object:
    """A value as the export writes it: blank for None, ISO dates, formulas neutralised.

    Ordered by how often each type occurs (a million rows go through it).
    """
    kind = value.__class__
    if kind is str:
        text: str = value  # type: ignore[assignment]
        if not text or text[0] not in _ESCAPED:
            return text
        return "'" + text if text[0] == "'" else spreadsheet_cell(text)
    if kind is int or kind is float or value is None:
        return "" if value is None else value
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return stored_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_cell(value)


def read_cell(raw: str) -> str:
    """A cell as the import reads it: one leading apostrophe (the export's escape) removed."""
    return raw[1:] if raw.startswith("'") else raw


def local_iso(moment: datetime) -> str:
    """A naive local wall-clock time as ISO 8601 with the clinic's UTC offset then."""
    return moment.astimezone().isoformat()


def stored_iso(moment: datetime) -> str:
    """A stored (UTC) time as the clinic's local time with its offset, in one conversion."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().isoformat()
