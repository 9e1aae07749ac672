"""The patient list: filtered and paged in SQL, so it stays instant at 22,481 patients.

The Qt model asks for a count and then for pages of rows as they scroll into
view; each page costs a handful of indexed queries however large the clinic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from ..domain.course import CourseId, Modality, PatientId
from ..domain.timeline import AssessmentRecord, CourseTimeline, SessionRecord, summarize
from ..storage.db import Database
from ..storage.mappers import (
    assessment_record,
    course_info,
    patient_info,
    session_record,
)
from ..storage.tables import Assessment, Course, Patient, TreatmentSession
from .patients import like_pattern


@dataclass(frozen=True, slots=True)
class PatientListRow:
    """One line of the patient list."""

    patient_id: PatientId
    mrn: str
    name: str
    date_of_birth: date | None = None
    course_id: CourseId | None = None
    modality: str = ""
    sessions_done: int = 0
    planned_sessions: int = 0
    status: str = ""
    latest_phq9: str = ""
    latest_madrs: str = ""
    badge: str = ""
    open_flags: int = 0


_WHERE = "p.deleted_at IS NULL AND (:pattern = '%%' OR p.search_key LIKE :pattern ESCAPE '\\')"
_CURRENT_COURSE = (
    "(SELECT c.id FROM course c WHERE c.patient_id = p.id AND c.deleted_at IS NULL "
    "ORDER BY c.status = 'active' DESC, c.start_date DESC, c.id DESC LIMIT 1)"
)
_OPEN_FLAGS = (
    "SELECT a.course_id, count(*) FROM assessment a WHERE a.course_id IN ({ids}) "
    "AND a.safety_flag AND a.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM safety_action s "
    "WHERE s.assessment_id = a.id AND s.deleted_at IS NULL) GROUP BY a.course_id"
)


def count_patients(db: Database, query: str = "") -> int:
    """How many live patients match (name or MRN contains ``query``)."""
    sql = text(f"SELECT count(*) FROM patient p WHERE {_WHERE}")
    with db.read() as session:
        return int(session.execute(sql, {"pattern": like_pattern(query)}).scalar_one())


def patient_page(
    db: Database, query: str = "", *, offset: int = 0, limit: int = 100
) -> list[PatientListRow]:
    """Rows ``offset`` .. ``offset + limit`` of the filtered list, ordered by name."""
    sql = text(
        f"SELECT p.id, {_CURRENT_COURSE} AS course_id FROM patient p WHERE {_WHERE} "
        "ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit OFFSET :offset"
    )
    params = {"pattern": like_pattern(query), "limit": limit, "offset": offset}
    with db.read() as session:
        pairs = session.execute(sql, params).all()
        return _rows(session, [(int(p), c) for p, c in pairs])


def _rows(session: Session, pairs: list[tuple[int, int | None]]) -> list[PatientListRow]:
    ids = [p for p, _ in pairs]
    patients = {r.id: r for r in session.exec(select(Patient).where(col(Patient.id).in_(ids)))}
    course_ids = [c for _, c in pairs if c is not None]
    timelines = _timelines(session, course_ids, patients)
    flags = _open_flags(session, course_ids)
    return [
        _row(patients[p], timelines.get(c) if c else None, flags.get(c or 0, 0)) for p, c in pairs
    ]


def _open_flags(session: Session, course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    sql = _OPEN_FLAGS.format(ids=",".join(str(int(c)) for c in course_ids))
    return {int(c): int(n) for c, n in session.execute(text(sql)).all()}


def _row(patient: Patient, timeline: CourseTimeline | None, open_flags: int) -> PatientListRow:
    assert patient.id is not None
    if timeline is None:
        return PatientListRow(
            PatientId(patient.id), patient.mrn, patient.name, patient.date_of_birth
        )
    summary = summarize(timeline)
    phq9, madrs = summary.get("PHQ9"), summary.get("MADRS")
    return PatientListRow(
        patient_id=PatientId(patient.id),
        mrn=patient.mrn,
        name=patient.name,
        date_of_birth=patient.date_of_birth,
        course_id=timeline.course.id,
        modality=Modality(timeline.course.modality).label,
        sessions_done=summary.sessions_done,
        planned_sessions=summary.planned_sessions,
        status=timeline.course.status.label,
        latest_phq9=phq9.most_recent.score.display_total if phq9 and phq9.most_recent else "",
        latest_madrs=madrs.most_recent.score.display_total if madrs and madrs.most_recent else "",
        badge=_badge(summary.headline.change.category, summary.headline.change.remission)
        if summary.headline
        else "",
        open_flags=open_flags,
    )


def _badge(category: str, remission: bool) -> str:
    if remission:
        return "Remission"
    return {"response": "Response", "partial": "Partial", "non-response": "Non-response"}.get(
        category, ""
    )


LIST_INSTRUMENTS = ("PHQ9", "MADRS")
"""The list shows these two; loading only them keeps a page cheap."""


def _table_rows(session: Session, table: Any, *where: Any) -> list[Any]:
    """Plain Core rows (attribute access like the ORM, without its per-object cost)."""
    return list(session.execute(select(table).where(*where)).all())


def _timelines(
    session: Session, course_ids: list[int], patients: dict[int | None, Patient]
) -> dict[int, CourseTimeline]:
    """Light timelines (no events, no actions, list instruments only) in three queries."""
    if not course_ids:
        return {}
    courses = session.exec(select(Course).where(col(Course.id).in_(course_ids))).all()
    sessions: dict[int, list[SessionRecord]] = defaultdict(list)
    session_table = TreatmentSession.__table__  # type: ignore[attr-defined]
    for srow in _table_rows(
        session,
        session_table,
        session_table.c.course_id.in_(course_ids),
        session_table.c.deleted_at.is_(None),
    ):
        sessions[srow.course_id].append(session_record(srow))
    linked = {cid: {s.id: s for s in sorted_rows(rows)} for cid, rows in sessions.items()}
    assessments: dict[int, list[AssessmentRecord]] = defaultdict(list)
    table = Assessment.__table__  # type: ignore[attr-defined]
    for row in _table_rows(
        session,
        table,
        table.c.course_id.in_(course_ids),
        table.c.deleted_at.is_(None),
        table.c.instrument.in_(LIST_INSTRUMENTS),
    ):
        assessments[row.course_id].append(assessment_record(row, linked.get(row.course_id, {})))
    return {
        c.id: CourseTimeline(
            patient_info(patients[c.patient_id]),
            course_info(c),
            tuple(sorted_rows(sessions[c.id])),
            tuple(sorted(assessments[c.id], key=lambda a: (a.when, a.id))),
            (),
        )
        for c in courses
        if c.id is not None
    }


def sorted_rows(records: list[SessionRecord]) -> list[SessionRecord]:
    return sorted(records, key=lambda s: (s.when, s.number))
