"""The patient list: filtered and paged in SQL, so it stays instant at 22,481 patients.

The Qt model asks for a count and then for pages of rows as they scroll into
view. A page is one indexed query: what a row shows of the current course is
stored in ``course_summary`` (kept by ``storage.summaries`` in the same
transaction as every write), and a search of three or more characters reads
the FTS5 trigram index ``patient_fts``; a patient whose MRN is exactly the query
comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from ..domain.access import Action
from ..domain.course import PatientId
from ..domain.errors import ValidationError
from ..domain.text import mrn_key
from ..domain.timeline import CourseTimeline, summarize
from ..storage.db import Database
from ..storage.list_rows import (
    LIVE,
    OPEN,
    OPEN_ONE,
    PatientListRow,
    before_sql,
    build_row,
    count_sql,
    desk_rows_sql,
    latest_scores,
    page_sql,
    rows_sql,
)
from ..storage.search_text import fold
from ..storage.summaries import compute, facts
from ..storage.tables import Course
from ._rows import hidden_columns
from .access import may, requires
from .patients import like_pattern

__all__ = ["ListFilter", "PatientListRow", "count_patients", "patient_page", "patient_position"]

_LIKE = "p.search_key LIKE :pattern ESCAPE '\\'"
_FTS = f"p.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH :phrase) AND {_LIKE}"
"""Three or more characters: the trigram index finds the candidates, LIKE keeps its meaning."""
_OPEN_SET = OPEN.format(patients="")


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the list shows: a search text, and the open-flag worklist options."""

    query: str = ""
    flagged_only: bool = False
    flags_first: bool = False


MANY_MATCHES = 5000
"""Above this many matches a page walks the name index checking each row with LIKE (it
stops after the page, ~limit x patients / matches rows); at or below it the matches are
found first (trigram index, or one LIKE scan) and sorted. At 22,481 patients either way a
page then costs under ~6 ms; the other way round up to 20 ms ("dem": every MRN matches
the trigram; "zo": the few matches sort last in the name index)."""


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


def _desk(db: Database) -> bool:
    """The front desk on a server: its GRANTs refuse the summaries and scores, so its rows
    are read without them (on a file they are read, then redacted)."""
    return bool(hidden_columns(db, Course))


def _search(query: str, fts: bool = True, sqlite: bool = True) -> tuple[str, dict[str, Any]]:
    """The search condition and its parameters (FTS5 trigram from three characters).

    ``fts=False``: LIKE alone (same meaning) when rows are checked one by one anyway.
    On PostgreSQL (``sqlite=False``) the GIN trigram index (``pg_trgm``, migration
    0011) serves the ``LIKE`` itself, so the condition is the same at every length.
    """
    folded = fold(query)
    if not folded:
        return "TRUE", {}  # TRUE, not 1: PostgreSQL wants a boolean
    params: dict[str, Any] = {"pattern": like_pattern(query)}
    if len(folded) < 3 or not fts or not sqlite:
        return _LIKE, params
    params["phrase"] = '"' + folded.replace('"', '""') + '"'
    return _FTS, params


def _where(
    query: str, flagged: bool | None, fts: bool = True, sqlite: bool = True
) -> tuple[str, dict[str, Any]]:
    """Live patients matching the search, optionally only those with (or without) open flags."""
    search, params = _search(query, fts, sqlite)
    where = f"{LIVE} AND {search}"
    if flagged is not None:
        test = "IN" if flagged else "NOT IN"
        where += f" AND p.id {test} (SELECT patient_id FROM ({_OPEN_SET}) AS open_set)"
    return where, params


_PROBE = (
    "SELECT count(*) FROM (SELECT 1 FROM patient_fts WHERE patient_fts MATCH :phrase "
    f"LIMIT {MANY_MATCHES + 1})"
)


def _is_sqlite(session: Session) -> bool:
    return bool(session.get_bind().dialect.name == "sqlite")


def _few_candidates(session: Session, query: str) -> bool:
    """Whether the trigram index narrows the search to a few rows (at most ~1 ms to know).

    Counting through it costs ~0.4 ms per 1,000 candidates (9 ms when every MRN holds
    "demo-0"); a LIKE scan of the whole list costs ~3.5 ms whatever matches. On
    PostgreSQL the question does not arise (see :func:`_search`).
    """
    folded = fold(query)
    if len(folded) < 3 or not _is_sqlite(session):
        return False
    phrase = '"' + folded.replace('"', '""') + '"'
    return int(session.execute(text(_PROBE), {"phrase": phrase}).scalar_one()) <= MANY_MATCHES


def _count(session: Session, query: str, flagged: bool | None) -> int:
    sqlite = _is_sqlite(session)
    where, params = _where(query, flagged, _few_candidates(session, query), sqlite)
    sql = text(count_sql(where))
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
    sql = text(f"SELECT count(*), coalesce(sum(n), 0) FROM ({_OPEN_SET}) AS open_set")
    with db.read() as session:
        patients, flags = session.execute(sql).one()
    return int(patients), int(flags)


@requires(Action.VIEW_PATIENTS)
def patient_page(
    db: Database,
    query: str | ListFilter = "",
    *,
    offset: int = 0,
    limit: int = 100,
    matches: int | None = None,
) -> list[PatientListRow]:
    """Rows ``offset`` .. ``offset + limit`` of the filtered list, ordered by name.

    A live patient whose MRN is exactly the query comes first. With ``flags_first``
    patients with open flags come first (by name), then the rest: two index-ordered
    queries stitched at the boundary, never a sort of the whole clinic. ``matches``
    (the list's count, when the caller has it) chooses the cheaper plan for the page
    (see :data:`MANY_MATCHES`); the rows are the same either way.
    """
    wanted = _visible(db, query)
    with db.read() as session:
        pinned = _exact_mrn(session, wanted)
        ids: list[int] = []
        if pinned is not None and offset == 0 and limit > 0:
            ids, limit = [pinned], limit - 1
        start = offset - 1 if pinned is not None and offset > 0 else offset
        ids += _ids(session, wanted, start, limit, pinned, matches)
        return _redacted(db, _rows(session, ids, _desk(db)))


def _ids(
    session: Session,
    wanted: ListFilter,
    offset: int,
    limit: int,
    pinned: int | None,
    matches: int | None = None,
) -> list[int]:
    if limit <= 0:
        return []
    if wanted.flagged_only:
        return _page(session, wanted.query, True, offset, limit, pinned)
    if not wanted.flags_first:
        return _page(session, wanted.query, None, offset, limit, pinned, matches)
    flagged = _count(session, wanted.query, True) - _is_flagged(session, pinned)
    ids = _page(session, wanted.query, True, offset, limit, pinned) if offset < flagged else []
    rest = limit - len(ids)
    if rest > 0:
        ids += _page(session, wanted.query, False, max(0, offset - flagged), rest, pinned)
    return ids


def _is_flagged(session: Session, patient_id: int | None) -> int:
    if patient_id is None:
        return 0
    one = OPEN.format(patients="AND c.patient_id = :pid")
    sql = text(f"SELECT count(*) FROM ({one}) AS open_set")
    return int(session.execute(sql, {"pid": patient_id}).scalar_one())


def _exact_mrn(session: Session, wanted: ListFilter) -> int | None:
    """The live patient whose MRN is exactly the query (and passes the worklist filter)."""
    try:
        key = mrn_key(wanted.query) if wanted.query.strip() else ""
    except ValidationError:
        return None
    if not key:
        return None
    flagged = True if wanted.flagged_only else None
    where, params = _where(wanted.query, flagged, fts=False, sqlite=_is_sqlite(session))
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
    matches: int | None = None,
) -> list[int]:
    sort_first = matches is not None and matches <= MANY_MATCHES and query.strip() != ""
    fts = sort_first or matches is None
    where, params = _where(query, flagged, fts, _is_sqlite(session))
    if pinned is not None:
        where += " AND p.id != :pinned"
    sql = text(page_sql(where, walk_index=not sort_first))
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
    where, params = _where(wanted.query, flagged, sqlite=_is_sqlite(session))
    skip = " AND p.id != :pinned" if pinned is not None else ""
    sql = text(before_sql(where + skip))
    params |= {"me": patient_id, "pinned": pinned}
    found = session.execute(sql, params).one()
    if not found[1]:
        return None
    before = int(found[0])
    if flagged is False:
        before += _count(session, wanted.query, True) - _is_flagged(session, pinned)
    return before


def _rows(session: Session, ids: Sequence[int], desk: bool = False) -> list[PatientListRow]:
    """The list rows of some patients, in the given order (one query; see ``rows_sql``);
    ``desk``: without what the front desk's server GRANTs refuse (``desk_rows_sql``)."""
    if not ids:
        return []
    sql = desk_rows_sql(ids) if desk else rows_sql(ids)
    found = {int(r.id): r._mapping for r in session.execute(text(sql)).all()}
    stale = [int(r["course_id"]) for r in found.values() if r["stale"]]
    fresh = compute(session.connection(), stale) if stale else {}
    return [build_row(found[p], fresh.get(found[p]["course_id"])) for p in ids if p in found]


@requires(Action.VIEW_PATIENTS)
def patient_row(db: Database, patient_id: PatientId) -> PatientListRow | None:
    """One live patient's list row (None if deleted or unknown)."""
    with db.read() as session:
        rows = _redacted(db, _rows(session, [patient_id], _desk(db)))
    return rows[0] if rows else None


@requires(Action.VIEW_RECORD)
def timeline_row(db: Database, timeline: CourseTimeline) -> PatientListRow:
    """The list row of a patient whose current course a save has just read.

    Only the open-flag count (across all the patient's courses) is read; the
    rest comes from ``timeline`` through the rule the stored summary uses.
    """
    with db.read() as session:
        sql = text(f"SELECT {OPEN_ONE.replace('p.id', ':pid')}")
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
        latest_scores=latest_scores(found.latest),
        badge=found.badge,
        progress=found.progress,
        open_flags=flags,
    )
