"""The patient list's SQL and rows, with no SQLAlchemy: the window's first paint uses it.

The list is plain SQL text run through SQLAlchemy by ``services.patient_list``.
The same text runs here through stdlib ``sqlite3`` for the first page the window
paints at start-up, before SQLAlchemy is imported (about half a second on a
2-core machine): so both can never disagree, the SQL and the row builder live
here and ``services.patient_list`` uses them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from ..domain.course import CourseId, CourseStatus, Modality, PatientId
from ..domain.instruments import list_instruments
from .sqlitefile import readonly_connect


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


class Facts(Protocol):
    """What a row shows of a course (``storage.summaries.SummaryFacts`` computed now)."""

    @property
    def sessions_done(self) -> int: ...
    @property
    def latest(self) -> dict[str, str]: ...
    @property
    def badge(self) -> str: ...
    @property
    def progress(self) -> str: ...


@dataclass(frozen=True, slots=True)
class _Stored:
    """The facts as stored in ``course_summary``."""

    sessions_done: int
    latest: dict[str, str]
    badge: str
    progress: str


LIVE = "p.deleted_at IS NULL"
"""Live patients: the condition of the unfiltered list."""
CURRENT_COURSE = (
    "(SELECT c.id FROM course c WHERE c.patient_id = p.id AND c.deleted_at IS NULL "
    "ORDER BY c.status = 'active' DESC, c.start_date DESC, c.id DESC LIMIT 1)"
)
OPEN = (
    "SELECT c.patient_id AS patient_id, count(*) AS n FROM assessment a "
    "JOIN course c ON c.id = a.course_id JOIN patient o ON o.id = c.patient_id "
    "WHERE a.flag_open AND a.deleted_at IS NULL AND c.deleted_at IS NULL "
    "AND o.deleted_at IS NULL {patients} "
    "GROUP BY c.patient_id"
)
"""Open flags per patient, across all their live courses (an action answers a level).

``flag_open`` is kept by the services with every write (services.assessments), and
the partial index ``ix_assessment_open_flag`` makes this read only the open flags."""
OPEN_ONE = (
    "(SELECT count(*) FROM assessment a JOIN course c ON c.id = a.course_id "
    "WHERE c.patient_id = p.id AND c.deleted_at IS NULL "
    "AND a.flag_open AND a.deleted_at IS NULL)"
)
ORDER = "p.name COLLATE NOCASE, p.id"
_ROWS = f"""
SELECT p.id, p.mrn, p.name, p.date_of_birth, c.id AS course_id, c.modality,
       c.planned_sessions, c.status, s.sessions_done, s.latest, s.badge, s.progress,
       (c.id IS NOT NULL AND (s.course_id IS NULL OR d.course_id IS NOT NULL)) AS stale,
       {OPEN_ONE} AS open_flags
FROM ({{page}}) page
JOIN patient p ON p.id = page.id
LEFT JOIN course c ON c.id = page.course_id
LEFT JOIN course_summary s ON s.course_id = c.id
LEFT JOIN summary_dirty d ON d.course_id = c.id
"""
"""A page of rows: patients, their current course and its stored summary, in one query.

``stale``: the course is marked for recomputing (a write made outside the app) and
is computed on the fly instead of shown from the table."""


_DESK_ROWS = """
SELECT p.id, p.mrn, p.name, p.date_of_birth, c.id AS course_id, c.modality,
       c.planned_sessions, c.status,
       (SELECT count(*) FROM treatment_session t
        WHERE t.course_id = c.id AND t.deleted_at IS NULL) AS sessions_done,
       '{{}}' AS latest, '' AS badge, '' AS progress, FALSE AS stale, 0 AS open_flags
FROM ({page}) page
JOIN patient p ON p.id = page.id
LEFT JOIN course c ON c.id = page.course_id
"""
"""The front desk's rows on a clinic server: no stored summary, scores or flags (its
GRANTs refuse them); sessions counted from the columns it may read."""


def desk_rows_sql(ids: Sequence[int]) -> str:
    """:func:`rows_sql` for the front desk on a server (no summary, scores or flags)."""
    return rows_sql(ids, _DESK_ROWS)


def count_sql(where: str) -> str:
    return f"SELECT count(*) FROM patient p WHERE {where}"


def page_sql(where: str, walk_index: bool = True) -> str:
    """Ids of one page (parameters ``limit``, ``offset``).

    ``walk_index=False`` orders by an expression, so SQLite finds the matching rows
    first and sorts them instead of walking the name index (same order).
    """
    order = ORDER if walk_index else "(p.name || '') COLLATE NOCASE, p.id"
    return f"SELECT p.id FROM patient p WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset"


def before_sql(where: str) -> str:
    """(rows before patient ``me`` in list order, whether ``me`` passes ``where``)."""
    return (
        f"SELECT (SELECT count(*) FROM patient p WHERE {where} AND (p.name COLLATE NOCASE, "
        "p.id) < ((SELECT name FROM patient WHERE id = :me) COLLATE NOCASE, :me)), "
        f"(SELECT count(*) FROM patient p WHERE p.id = :me AND {where})"
    )


def rows_sql(ids: Sequence[int], rows: str = _ROWS) -> str:
    """The list rows of some live patients (unordered; see :data:`_ROWS`)."""
    listed = ",".join(str(int(p)) for p in ids)
    page = (
        f"SELECT p.id AS id, {CURRENT_COURSE} AS course_id FROM patient p "
        f"WHERE p.id IN ({listed}) AND p.deleted_at IS NULL"
    )
    return rows.format(page=page)


def build_row(found: Mapping[Any, Any], fresh: Facts | None) -> PatientListRow:
    """One list row from the page query (``fresh``: facts computed now for a stale course)."""
    base = PatientListRow(
        PatientId(found["id"]),
        found["mrn"],
        found["name"],
        _date(found["date_of_birth"]),
        open_flags=int(found["open_flags"]),
    )
    if found["course_id"] is None:
        return base
    if fresh is None:
        fresh = _Stored(
            int(found["sessions_done"]),
            json.loads(found["latest"]),
            found["badge"],
            found["progress"] or "",
        )
    return replace(
        base,
        course_id=CourseId(found["course_id"]),
        modality=Modality(found["modality"]).label,
        sessions_done=fresh.sessions_done,
        planned_sessions=int(found["planned_sessions"]),
        status=CourseStatus(found["status"]).label,
        latest_scores=latest_scores(fresh.latest),
        badge=fresh.badge,
        progress=fresh.progress,
    )


def _date(value: date | str | None) -> date | None:
    """A date read through plain SQL text (SQLite stores it as ISO text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def latest_scores(latest: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The newest total of each list instrument, in column order, as the list shows it."""
    return tuple((i.code, latest[i.code]) for i in list_instruments() if i.code in latest)


# -- the first paint, through stdlib sqlite3 ---------------------------------------


@dataclass(frozen=True, slots=True)
class FirstPage:
    """What the unfiltered list shows at start-up, read before SQLAlchemy loads.

    ``rows`` start at list row ``offset`` (0, or the page holding ``selected``, the
    patient reopened from the last run); rows before ``offset`` are read later.
    """

    total: int
    offset: int
    rows: tuple[PatientListRow, ...]
    selected: int | None = None
    """The list row of the reopened patient (None: not reopened or not listed)."""


def read_first_page(path: Path, limit: int, reopen: int | None = None) -> FirstPage | None:
    """The unfiltered list's first ``limit`` rows, or the rows around ``reopen``'s.

    A reopened patient's row is found with one counting query; then the ``limit``
    rows ending at it (those on screen when the list scrolls to it) and ``limit``
    more are read, so nothing painted waits for SQLAlchemy.

    None when a row shown would need its course computed (a stored summary is
    missing or marked stale by a write from outside the app): the caller then
    loads the list through the services, which compute it, so nothing shown is stale.
    None too when the clinic lists people: nobody has signed in yet, and what a role
    may see (the front desk: no scores, no flags) is the services' decision.
    """
    with closing(readonly_connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")  # one snapshot for the count, the position and the rows
        if _lists_people(conn):
            return None
        total = int(conn.execute(count_sql(LIVE)).fetchone()[0])
        selected = _position(conn, reopen) if reopen is not None else None
        offset, wanted = 0, limit
        if selected is not None:
            offset, wanted = max(0, selected - limit + 1), 2 * limit
        params = {"limit": wanted, "offset": offset}
        ids = [int(r[0]) for r in conn.execute(page_sql(LIVE), params)]
        found = {int(r["id"]): r for r in conn.execute(rows_sql(ids))} if ids else {}
    if any(r["stale"] for r in found.values()):
        return None
    rows = tuple(build_row(found[p], None) for p in ids if p in found)
    return FirstPage(total, offset, rows, selected)


def _lists_people(conn: sqlite3.Connection) -> bool:
    try:
        query = "SELECT 1 FROM clinician WHERE active AND deleted_at IS NULL LIMIT 1"
        return conn.execute(query).fetchone() is not None
    except sqlite3.OperationalError:  # a schema before the people list
        return False


def _position(conn: sqlite3.Connection, patient_id: int) -> int | None:
    before, listed = conn.execute(before_sql(LIVE), {"me": patient_id}).fetchone()
    return int(before) if listed else None
