"""The patient list: filtered and paged in SQL, so it stays instant at 22,481 patients.

The Qt model asks for a count and then for pages of rows as they scroll into
view; each page costs a handful of indexed queries however large the clinic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import Session, col, select

from ..domain.course import CourseId, Modality, PatientId
from ..domain.instruments import INSTRUMENTS, headline_instruments, list_instruments
from ..domain.schedule import progress_text
from ..domain.timeline import CourseSummary, CourseTimeline, PatientInfo, summarize
from ..storage.db import Database
from ..storage.mappers import course_info, patient_info
from ..storage.tables import Course, Patient
from .patients import like_pattern
from .timeline import Scope, read_timelines


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
    progress: str = ""
    """Sessions per phase: "induction 6/6 · maintenance 8"."""
    status: str = ""
    latest_scores: tuple[tuple[str, str], ...] = ()
    """(instrument code, latest display total) for each list instrument with a score."""
    badge: str = ""
    open_flags: int = 0

    def latest(self, code: str) -> str:
        """The latest total of one list instrument as shown ("12*"), or ""."""
        return dict(self.latest_scores).get(code, "")


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


def _row(
    patient: Patient | PatientInfo, timeline: CourseTimeline | None, open_flags: int
) -> PatientListRow:
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
    return PatientListRow(
        patient_id=PatientId(patient.id),
        mrn=patient.mrn,
        name=patient.name,
        date_of_birth=patient.date_of_birth,
        course_id=timeline.course.id,
        modality=Modality(timeline.course.modality).label,
        sessions_done=summary.sessions_done,
        planned_sessions=summary.planned_sessions,
        progress=progress_text(summary.progress),
        status=timeline.course.status.label,
        latest_scores=_latest_scores(summary),
        badge=_badge(summary.headline.change.category, summary.headline.change.remission)
        if summary.headline
        else "",
        open_flags=open_flags,
    )


def _latest_scores(summary: CourseSummary) -> tuple[tuple[str, str], ...]:
    """The newest total of each list instrument, as the list shows it ("12*")."""
    found = ((i.code, summary.get(i.code)) for i in list_instruments())
    return tuple(
        (code, s.most_recent.score.display_total) for code, s in found if s and s.most_recent
    )


def _badge(category: str, remission: bool) -> str:
    if remission:
        return "Remission"
    return {"response": "Response", "partial": "Partial", "non-response": "Non-response"}.get(
        category, ""
    )


def _list_codes() -> tuple[str, ...]:
    """The instruments a list row needs (columns and headline); loading only them keeps
    a page cheap."""
    wanted = {i.code for i in (*list_instruments(), *headline_instruments())}
    return tuple(code for code in INSTRUMENTS if code in wanted)


def _timelines(
    session: Session, course_ids: list[int], patients: dict[int | None, Patient]
) -> dict[int, CourseTimeline]:
    """Light timelines of a page's current courses (see :func:`list_scope`)."""
    if not course_ids:
        return {}
    courses = [
        course_info(c) for c in session.exec(select(Course).where(col(Course.id).in_(course_ids)))
    ]
    people = {c.patient_id: patient_info(patients[c.patient_id]) for c in courses}
    return read_timelines(session, courses, people, list_scope())


def list_scope() -> Scope:
    """What a list row needs: its instruments' stored scores and the sessions.

    No events, no actions and no other courses: the row's open-flag count comes from
    the SQL on ``flag_open`` (:data:`_OPEN`), not from the timeline.
    """
    return Scope(
        _list_codes(),
        events=False,
        actions=False,
        check=False,
        other_flags=False,
        plain_rows=True,
        session_details=False,
    )
