"""The patient list: filtered and paged in SQL, so it stays instant at 22,481 patients.

The Qt model asks for a count and then for pages of rows as they scroll into
view. A page is one indexed query: what a row shows of the current course is
stored in ``course_summary`` (kept by ``storage.summaries`` in the same
transaction as every write), and a search of three or more characters reads
the FTS5 trigram index ``patient_fts``; a patient whose MRN is exactly the query
comes first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from ..domain.access import Action
from ..domain.course import CourseId, CourseStatus, Modality, PatientId
from ..domain.errors import ValidationError
from ..domain.instruments import list_instruments
from ..domain.text import mrn_key
from ..domain.timeline import CourseTimeline, summarize
from ..storage.db import Database
from ..storage.search_text import fold
from ..storage.summaries import SummaryFacts, compute, facts
from .access import may, requires
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
    latest_scores: tuple[tuple[str, str], ...] = ()
    """(instrument code, latest display total) for each list instrument with a score."""
    badge: str = ""
    open_flags: int = 0
    progress: str = ""
    """Sessions per phase ("induction 6/6 · maintenance 8"); "" before any session."""

    def latest(self, code: str) -> str:
        """The latest total of one list instrument as shown ("12*"), or ""."""
        return dict(self.latest_scores).get(code, "")


_LIKE = "p.search_key LIKE :pattern ESCAPE '\\'"
_FTS = f"p.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH :phrase) AND {_LIKE}"
"""Three or more characters: the trigram index finds the candidates, LIKE keeps its meaning."""
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
_OPEN_ONE = (
    "(SELECT count(*) FROM assessment a JOIN course c ON c.id = a.course_id "
    "WHERE c.patient_id = p.id AND c.deleted_at IS NULL "
    "AND a.flag_open AND a.deleted_at IS NULL)"
)
_ORDER = "p.name COLLATE NOCASE, p.id"
_ROWS = f"""
SELECT p.id, p.mrn, p.name, p.date_of_birth, c.id AS course_id, c.modality,
       c.planned_sessions, c.status, s.sessions_done, s.latest, s.badge, s.progress,
       (c.id IS NOT NULL AND (s.course_id IS NULL OR d.course_id IS NOT NULL)) AS stale,
       {_OPEN_ONE} AS open_flags
FROM ({{page}}) page
JOIN patient p ON p.id = page.id
LEFT JOIN course c ON c.id = page.course_id
LEFT JOIN course_summary s ON s.course_id = c.id
LEFT JOIN summary_dirty d ON d.course_id = c.id
"""
"""A page of rows: patients, their current course and its stored summary, in one query.

``stale``: the course is marked for recomputing (a write made outside the app) and
is computed on the fly instead of shown from the table."""


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the list shows: a search text, and the open-flag worklist options."""

    query: str = ""
    flagged_only: bool = False
    flags_first: bool = False


def _visible(db: Database, query: str | ListFilter) -> ListFilter:
    """The filter as asked, without the flag worklist for a role that may not see scores
    (listing flagged patients first would tell the front desk who has one)."""
    wanted = query if isinstance(query, ListFilter) else ListFilter(query)
    return wanted if may(db, Action.VIEW_RECORD) else ListFilter(wanted.query)


def _redacted(db: Database, rows: list[PatientListRow]) -> list[PatientListRow]:
    """Rows without scores, outcome or flags for a role that may not see them (front desk)."""
    if may(db, Action.VIEW_RECORD):
        return rows
    return [replace(r, latest_scores=(), badge="", open_flags=0) for r in rows]


def _search(query: str) -> tuple[str, dict[str, Any]]:
    """The search condition and its parameters (FTS5 trigram from three characters)."""
    folded = fold(query)
    if not folded:
        return "1", {}
    params: dict[str, Any] = {"pattern": like_pattern(query)}
    if len(folded) < 3:
        return _LIKE, params
    params["phrase"] = '"' + folded.replace('"', '""') + '"'
    return _FTS, params


def _where(query: str, flagged: bool | None) -> tuple[str, dict[str, Any]]:
    """Live patients matching the search, optionally only those with (or without) open flags."""
    search, params = _search(query)
    where = f"p.deleted_at IS NULL AND {search}"
    if flagged is not None:
        test = "IN" if flagged else "NOT IN"
        where += f" AND p.id {test} (SELECT patient_id FROM ({_OPEN_SET}))"
    return where, params


def _count(session: Session, query: str, flagged: bool | None) -> int:
    where, params = _where(query, flagged)
    sql = text(f"SELECT count(*) FROM patient p WHERE {where}")
    return int(session.execute(sql, params).scalar_one())


@requires(Action.VIEW_PATIENTS)
def count_patients(db: Database, query: str | ListFilter = "") -> int:
    """How many live patients match (name or MRN contains the query; worklist filter)."""
    wanted = _visible(db, query)
    with db.read() as session:
        return _count(session, wanted.query, True if wanted.flagged_only else None)


@requires(Action.VIEW_RECORD)
def open_flag_totals(db: Database) -> tuple[int, int]:
    """(patients with an open flag, open flags): the status bar's worklist figure."""
    sql = text(f"SELECT count(*), coalesce(sum(n), 0) FROM ({_OPEN_SET})")
    with db.read() as session:
        patients, flags = session.execute(sql).one()
    return int(patients), int(flags)


@requires(Action.VIEW_PATIENTS)
def patient_page(
    db: Database, query: str | ListFilter = "", *, offset: int = 0, limit: int = 100
) -> list[PatientListRow]:
    """Rows ``offset`` .. ``offset + limit`` of the filtered list, ordered by name.

    A live patient whose MRN is exactly the query comes first. With ``flags_first``
    patients with open flags come first (by name), then the rest: two index-ordered
    queries stitched at the boundary, never a sort of the whole clinic.
    """
    wanted = _visible(db, query)
    with db.read() as session:
        pinned = _exact_mrn(session, wanted)
        ids: list[int] = []
        if pinned is not None and offset == 0 and limit > 0:
            ids, limit = [pinned], limit - 1
        start = offset - 1 if pinned is not None and offset > 0 else offset
        ids += _ids(session, wanted, start, limit, pinned)
        return _redacted(db, _rows(session, ids))


def _ids(
    session: Session, wanted: ListFilter, offset: int, limit: int, pinned: int | None
) -> list[int]:
    if limit <= 0:
        return []
    if wanted.flagged_only:
        return _page(session, wanted.query, True, offset, limit, pinned)
    if not wanted.flags_first:
        return _page(session, wanted.query, None, offset, limit, pinned)
    flagged = _count(session, wanted.query, True) - _is_flagged(session, pinned)
    ids = _page(session, wanted.query, True, offset, limit, pinned) if offset < flagged else []
    rest = limit - len(ids)
    if rest > 0:
        ids += _page(session, wanted.query, False, max(0, offset - flagged), rest, pinned)
    return ids


def _is_flagged(session: Session, patient_id: int | None) -> int:
    if patient_id is None:
        return 0
    sql = text(f"SELECT count(*) FROM ({_OPEN.format(patients='AND c.patient_id = :pid')})")
    return int(session.execute(sql, {"pid": patient_id}).scalar_one())


def _exact_mrn(session: Session, wanted: ListFilter) -> int | None:
    """The live patient whose MRN is exactly the query (and passes the worklist filter)."""
    try:
        key = mrn_key(wanted.query) if wanted.query.strip() else ""
    except ValidationError:
        return None
    if not key:
        return None
    where, params = _where(wanted.query, True if wanted.flagged_only else None)
    sql = text(f"SELECT p.id FROM patient p WHERE p.mrn_key = :key AND {where}")
    found = session.execute(sql, {**params, "key": key}).scalar_one_or_none()
    return int(found) if found is not None else None


def _page(
    session: Session,
    query: str,
    flagged: bool | None,
    offset: int,
    limit: int,
    pinned: int | None,
) -> list[int]:
    where, params = _where(query, flagged)
    if pinned is not None:
        where += " AND p.id != :pinned"
    sql = text(
        f"SELECT p.id FROM patient p WHERE {where} ORDER BY {_ORDER} LIMIT :limit OFFSET :offset"
    )
    params |= {"limit": limit, "offset": offset, "pinned": pinned}
    return [int(p) for (p,) in session.execute(sql, params).all()]


@requires(Action.VIEW_PATIENTS)
def patient_position(
    db: Database, patient_id: PatientId, query: str | ListFilter = ""
) -> int | None:
    """Where a patient's row is in the filtered list (None: not in it), in one query.

    The app reopens the last patient with it: it loads the list up to that row
    instead of paging through 60 rows at a time looking for them.
    """
    wanted = _visible(db, query)
    with db.read() as session:
        pinned = _exact_mrn(session, wanted)
        if pinned is not None:
            if pinned == patient_id:
                return 0
            before = _before(session, wanted, patient_id, pinned)
            return None if before is None else 1 + before
        return _before(session, wanted, patient_id, None)


def _before(
    session: Session, wanted: ListFilter, patient_id: int, pinned: int | None
) -> int | None:
    """How many rows come before the patient's own (ordered as the list is)."""
    flagged = True if wanted.flagged_only else None
    if wanted.flags_first and not wanted.flagged_only:
        flagged = bool(_is_flagged(session, patient_id))
    where, params = _where(wanted.query, flagged)
    skip = " AND p.id != :pinned" if pinned is not None else ""
    sql = text(
        f"SELECT (SELECT count(*) FROM patient p WHERE {where}{skip} AND (p.name COLLATE NOCASE, "
        "p.id) < ((SELECT name FROM patient WHERE id = :me) COLLATE NOCASE, :me)), "
        f"(SELECT count(*) FROM patient p WHERE p.id = :me AND {where})"
    )
    params |= {"me": patient_id, "pinned": pinned}
    found = session.execute(sql, params).one()
    if not found[1]:
        return None
    before = int(found[0])
    if flagged is False:
        before += _count(session, wanted.query, True) - _is_flagged(session, pinned)
    return before


def _rows(session: Session, ids: Sequence[int]) -> list[PatientListRow]:
    """The list rows of some patients, in the given order (one query; see :data:`_ROWS`)."""
    if not ids:
        return []
    listed = ",".join(str(int(p)) for p in ids)
    page = (
        f"SELECT p.id AS id, {_CURRENT_COURSE} AS course_id FROM patient p "
        f"WHERE p.id IN ({listed}) AND p.deleted_at IS NULL"
    )
    found = {int(r.id): r for r in session.execute(text(_ROWS.format(page=page))).all()}
    stale = [int(r.course_id) for r in found.values() if r.stale]
    fresh = compute(session.connection(), stale) if stale else {}
    return [_row(found[p], fresh.get(found[p].course_id)) for p in ids if p in found]


def _row(found: Any, fresh: SummaryFacts | None) -> PatientListRow:
    """One list row from the page query (``fresh``: facts computed now for a stale course)."""
    base = PatientListRow(
        PatientId(found.id),
        found.mrn,
        found.name,
        _date(found.date_of_birth),
        open_flags=int(found.open_flags),
    )
    if found.course_id is None:
        return base
    if fresh is not None:
        done, latest, word = fresh.sessions_done, fresh.latest, fresh.badge
        progress = fresh.progress
    else:
        done, latest, word = int(found.sessions_done), json.loads(found.latest), found.badge
        progress = found.progress or ""
    return replace(
        base,
        course_id=CourseId(found.course_id),
        modality=Modality(found.modality).label,
        sessions_done=done,
        planned_sessions=int(found.planned_sessions),
        status=CourseStatus(found.status).label,
        latest_scores=_latest_scores(latest),
        badge=word,
        progress=progress,
    )


def _date(value: date | str | None) -> date | None:
    """A date read through plain SQL text (SQLite stores it as ISO text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _latest_scores(latest: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The newest total of each list instrument, in column order, as the list shows it."""
    return tuple((i.code, latest[i.code]) for i in list_instruments() if i.code in latest)


@requires(Action.VIEW_PATIENTS)
def patient_row(db: Database, patient_id: PatientId) -> PatientListRow | None:
    """One live patient's list row (None if deleted or unknown)."""
    with db.read() as session:
        rows = _redacted(db, _rows(session, [patient_id]))
    return rows[0] if rows else None


@requires(Action.VIEW_RECORD)
def timeline_row(db: Database, timeline: CourseTimeline) -> PatientListRow:
    """The list row of a patient whose current course a save has just read.

    Only the open-flag count (across all the patient's courses) is read; the
    rest comes from ``timeline`` through the rule the stored summary uses.
    """
    with db.read() as session:
        sql = text(f"SELECT {_OPEN_ONE.replace('p.id', ':pid')}")
        flags = int(session.execute(sql, {"pid": timeline.patient.id}).scalar_one())
    course, patient = timeline.course, timeline.patient
    found = facts(course.id, patient.id, summarize(timeline), flags)
    return PatientListRow(
        patient_id=patient.id,
        mrn=patient.mrn,
        name=patient.name,
        date_of_birth=patient.date_of_birth,
        course_id=course.id,
        modality=course.modality.label,
        sessions_done=found.sessions_done,
        planned_sessions=course.planned_sessions,
        status=course.status.label,
        latest_scores=_latest_scores(found.latest),
        badge=found.badge,
        progress=found.progress,
        open_flags=flags,
    )
