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
_OPEN = (
    "SELECT c.patient_id AS patient_id, count(*) AS n FROM assessment a "
    "JOIN course c ON c.id = a.course_id JOIN patient o ON o.id = c.patient_id "
    "WHERE a.flag_open AND a.deleted_at IS NULL AND c.deleted_at IS NULL "
    "AND o.deleted_at IS NULL {patients} "
    "GROUP BY c.patient_id"
)
"""Open flags per patient, across all their live courses (an action answers a level).

``flag_open`` is kept by the services with every write (services.assessments), and
the partial index ``ix_assessment_open_flag`` makes this read only the open flags."""
_OPEN_SET = _OPEN.format(patients="")


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the list shows: a search text, and the open-flag worklist options."""

    query: str = ""
    flagged_only: bool = False
    flags_first: bool = False


def _where(flagged: bool | None) -> str:
    """Patients matching the search, optionally only those with (or without) open flags."""
    if flagged is None:
        return _WHERE
    test = "IN" if flagged else "NOT IN"
    return f"{_WHERE} AND p.id {test} (SELECT patient_id FROM ({_OPEN_SET}))"


def _count(session: Session, query: str, flagged: bool | None) -> int:
    sql = text(f"SELECT count(*) FROM patient p WHERE {_where(flagged)}")
    return int(session.execute(sql, {"pattern": like_pattern(query)}).scalar_one())


def count_patients(db: Database, query: str | ListFilter = "") -> int:
    """How many live patients match (name or MRN contains the query; worklist filter)."""
    wanted = query if isinstance(query, ListFilter) else ListFilter(query)
    with db.read() as session:
        return _count(session, wanted.query, True if wanted.flagged_only else None)


def open_flag_totals(db: Database) -> tuple[int, int]:
    """(patients with an open flag, open flags): the status bar's worklist figure."""
    sql = text(f"SELECT count(*), coalesce(sum(n), 0) FROM ({_OPEN_SET})")
    with db.read() as session:
        patients, flags = session.execute(sql).one()
    return int(patients), int(flags)


def patient_page(
    db: Database, query: str | ListFilter = "", *, offset: int = 0, limit: int = 100
) -> list[PatientListRow]:
    """Rows ``offset`` .. ``offset + limit`` of the filtered list, ordered by name.

    With ``flags_first`` patients with open flags come first (by name), then the
    rest: two index-ordered queries stitched at the boundary, never a sort of
    the whole clinic.
    """
    wanted = query if isinstance(query, ListFilter) else ListFilter(query)
    with db.read() as session:
        if wanted.flagged_only:
            pairs = _page(session, wanted.query, True, offset, limit)
        elif not wanted.flags_first:
            pairs = _page(session, wanted.query, None, offset, limit)
        else:
            pairs = _flags_first(session, wanted.query, offset, limit)
        return _rows(session, pairs)


def _flags_first(
    session: Session, query: str, offset: int, limit: int
) -> list[tuple[int, int | None]]:
    flagged = _count(session, query, True)
    pairs = _page(session, query, True, offset, limit) if offset < flagged else []
    rest = limit - len(pairs)
    if rest > 0:
        pairs += _page(session, query, False, max(0, offset - flagged), rest)
    return pairs


def _page(
    session: Session, query: str, flagged: bool | None, offset: int, limit: int
) -> list[tuple[int, int | None]]:
    sql = text(
        f"SELECT p.id, {_CURRENT_COURSE} AS course_id FROM patient p WHERE {_where(flagged)} "
        "ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit OFFSET :offset"
    )
    params = {"pattern": like_pattern(query), "limit": limit, "offset": offset}
    return [(int(p), c) for p, c in session.execute(sql, params).all()]


def _rows(session: Session, pairs: list[tuple[int, int | None]]) -> list[PatientListRow]:
    ids = [p for p, _ in pairs]
    patients = {r.id: r for r in session.exec(select(Patient).where(col(Patient.id).in_(ids)))}
    course_ids = [c for _, c in pairs if c is not None]
    timelines = _timelines(session, course_ids, patients)
    flags = _open_flags(session, ids)
    return [_row(patients[p], timelines.get(c) if c else None, flags.get(p, 0)) for p, c in pairs]


def _open_flags(session: Session, patient_ids: list[int]) -> dict[int, int]:
    if not patient_ids:
        return {}
    ids = ",".join(str(int(p)) for p in patient_ids)
    sql = _OPEN.format(patients=f"AND c.patient_id IN ({ids})")
    return {int(p): int(n) for p, n in session.execute(text(sql)).all()}


def _row(patient: Patient, timeline: CourseTimeline | None, open_flags: int) -> PatientListRow:
    assert patient.id is not None
    if timeline is None:
        return PatientListRow(
            PatientId(patient.id),
            patient.mrn,
            patient.name,
            patient.date_of_birth,
            open_flags=open_flags,
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
    infos = {c.id: course_info(c) for c in courses}
    settings = {cid: info.settings for cid, info in infos.items()}
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
        owner = settings[row.course_id]
        record = assessment_record(row, linked.get(row.course_id, {}), (), owner)
        assessments[row.course_id].append(record)
    return {
        c.id: CourseTimeline(
            patient_info(patients[c.patient_id]),
            infos[c.id],
            tuple(sorted_rows(sessions[c.id])),
            tuple(sorted(assessments[c.id], key=lambda a: (a.when, a.id))),
            (),
        )
        for c in courses
        if c.id is not None
    }


def sorted_rows(records: list[SessionRecord]) -> list[SessionRecord]:
    return sorted(records, key=lambda s: (s.when, s.number))
