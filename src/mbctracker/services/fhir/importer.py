"""Import patient-reported PHQ-9/GAD-7 QuestionnaireResponses: all or nothing.

Each response is matched to its patient by MRN and to the patient's active
course, then saved through the same use case as a keyed entry
(:func:`~mbctracker.services.assessments.add_assessment`): the app scores the
items, prorates, and raises and opens safety flags exactly as for the keyboard.
Every problem in the file is reported at once; if there is any, nothing is saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlmodel import Session, col, select

from ...domain.access import Action
from ...domain.course import CourseStatus, Timepoint
from ...domain.errors import DomainError
from ...domain.text import mrn_key
from ...storage.db import Database
from ...storage.mappers import to_utc
from ...storage.tables import Assessment, Course, Patient
from ..access import requires
from ..assessments import AssessmentInput, add_assessment
from .parse import ParsedResponse, parse_document

RATER = "patient (FHIR import)"
MAX_BYTES = 64 * 1024 * 1024
"""A portal batch is kilobytes; a larger file is a wrong file, refused before reading."""


class FhirImportError(DomainError):
    """The file was refused; ``problems`` holds one line per problem, all of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported"
        super().__init__("\n".join([head, *problems]))


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Saved responses, responses already in the record (skipped), other resources ignored."""

    saved: list[Imported] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Imported:
    """What was saved, for the summary line and the alert."""

    where: str
    instrument: str
    total: str
    flagged: bool


def read_document(path: Path) -> object:
    """The file's JSON; an unreadable, oversized or non-JSON file is a plain refusal."""
    if path.stat().st_size > MAX_BYTES:
        raise FhirImportError([f"{path}: larger than {MAX_BYTES // 2**20} MB; not a FHIR batch"])
    try:
        return json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FhirImportError([f"{path}: not JSON ({exc})"]) from None


@requires(Action.EXCHANGE)
def import_document(db: Database, data: object, *, mrn_system: str) -> ImportResult:
    """Save every response of ``data`` in one transaction, or none of them.

    A response already in the record (same course, questionnaire, time and answers:
    the same file imported twice) is skipped, so a portal batch can be sent again.

    Raises:
        FhirImportError: every problem found (structure, codes, patients, courses, dates).
    """
    parsed = parse_document(data, mrn_system)
    problems = list(parsed.problems)
    result = ImportResult(ignored=parsed.ignored)
    if not parsed.responses:
        raise FhirImportError(problems)
    with db.write() as session:  # the well-formed ones are checked too: all problems at once
        for response in parsed.responses:
            row = _save(session, response, problems)
            if row == "recorded":
                result.skipped.append(response.where)
            elif isinstance(row, Assessment):
                result.saved.append(_imported(response, row))
        if problems:
            raise FhirImportError(sorted(problems, key=_entry_number))  # rolls all back
    return result


def _entry_number(problem: str) -> int:
    """Problems in file order (each names its entry)."""
    found = re.search(r"\(entry (\d+)\)", problem)
    return int(found.group(1)) if found else 0


def _save(
    session: Session, response: ParsedResponse, problems: list[str]
) -> Assessment | Literal["recorded"] | None:
    """The new row, "recorded" for a response already in the record, None on a problem."""
    try:
        course = _active_course(session, response)
        if _recorded(session, course, response):
            return "recorded"
        data = AssessmentInput(
            response.instrument,
            response.responses,
            response.when,
            timepoint=Timepoint.PRE_SESSION,
            rater=RATER,
            supplementary=response.supplementary,
        )
        return add_assessment(session, course, data)
    except DomainError as exc:
        problems.append(f"{response.where}: {exc}")
        return None


def _recorded(session: Session, course: Course, response: ParsedResponse) -> bool:
    """The same answers at the same moment are already in this course (a re-sent file)."""
    when = to_utc(response.when)
    answers = list(response.responses)
    rows = session.exec(
        select(Assessment).where(
            Assessment.course_id == course.id,
            Assessment.instrument == response.instrument,
            col(Assessment.deleted_at).is_(None),
        )
    )
    return any(
        _utc(row.assessed_at) == when and json.loads(row.responses) == answers for row in rows
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _active_course(session: Session, response: ParsedResponse) -> Course:
    key = mrn_key(response.mrn, "subject")
    patient = session.exec(
        select(Patient).where(Patient.mrn_key == key, col(Patient.deleted_at).is_(None))
    ).first()
    if patient is None:
        raise DomainError(f"subject: unknown patient: no patient has MRN {response.mrn}")
    course = session.exec(
        select(Course)
        .where(
            Course.patient_id == patient.id,
            Course.status == str(CourseStatus.ACTIVE),
            col(Course.deleted_at).is_(None),
        )
        .order_by(col(Course.start_date).desc(), col(Course.id).desc())
    ).first()
    if course is None:
        raise DomainError(
            f"subject: patient {response.mrn} has no active course; start or reopen one first"
        )
    return course


def _imported(response: ParsedResponse, row: Assessment) -> Imported:
    total = "invalid" if row.total is None else f"{row.total}{'*' if row.prorated else ''}"
    return Imported(response.where, response.instrument, total, row.safety_flag)
