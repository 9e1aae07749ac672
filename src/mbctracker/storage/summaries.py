"""Per-course summary facts, kept in the same transaction as every write.

The patient list shows, for each patient's current course, the sessions done,
the latest total of each list instrument, the outcome badge and the open flags.
Building a timeline per row cost most of a list page, so those facts are stored
in ``course_summary``.

One place keeps them, whatever wrote: triggers (migration 0010) name every
course whose sessions, assessments, actions or own row changed in
``summary_dirty``; :func:`on_commit`, an engine hook, recomputes those courses
with the same domain rule the course view uses (``domain.timeline.summarize``)
just before the transaction commits, and empties the table. ORM sessions, Core
inserts (the demo), raw SQL and use cases added later all pass through it.
A course that stays named (a row changed outside the app, or one the mappers
cannot read) is computed on the fly by readers (:func:`compute`), never shown stale.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, event, insert, select
from sqlalchemy.exc import OperationalError

from ..domain.course import PatientId, Sex
from ..domain.instruments import INSTRUMENTS, headline_instruments, list_instruments
from ..domain.schedule import progress_text
from ..domain.timeline import CourseSummary, CourseTimeline, PatientInfo, summarize
from .audit import AuditedSession
from .errors import DamagedRecordError
from .hidden_flags import raise_hidden_flags
from .mappers import assessment_record, course_info, session_record
from .tables import (
    Assessment,
    Course,
    CourseSummaryRow,
    SummaryDirty,
    TreatmentSession,
    core_table,
)

TAG = "/* course summary */"
"""Marks the summary's reads in the SQL, so a test of the views' reads can tell them apart."""
BATCH = 400
"""Courses recomputed per round of queries (SQLite's parameter limit is far above)."""


@dataclass(frozen=True, slots=True)
class SummaryFacts:
    """What a list row shows of one course."""

    course_id: int
    patient_id: int
    sessions_done: int = 0
    latest: dict[str, str] = field(default_factory=dict)
    """{instrument code: latest total as shown ("12*" when prorated)}."""
    badge: str = ""
    open_flags: int = 0
    progress: str = ""
    """Sessions per phase as the list shows them ("induction 6/6 · maintenance 8")."""

    def row(self) -> dict[str, Any]:
        """The ``course_summary`` row."""
        return {
            "course_id": self.course_id,
            "patient_id": self.patient_id,
            "sessions_done": self.sessions_done,
            "latest": json.dumps(self.latest, sort_keys=True),
            "badge": self.badge,
            "open_flags": self.open_flags,
            "progress": self.progress,
        }


def badge(summary: CourseSummary) -> str:
    """The list's outcome word for the headline instrument ("" when not evaluable)."""
    head = summary.headline
    if head is None:
        return ""
    if head.change.remission:
        return "Remission"
    words = {"response": "Response", "partial": "Partial", "non-response": "Non-response"}
    return words.get(head.change.category, "")


def summary_codes() -> tuple[str, ...]:
    """The instruments a summary reads: the list's columns and the headline's."""
    wanted = {i.code for i in (*list_instruments(), *headline_instruments())}
    return tuple(code for code in INSTRUMENTS if code in wanted)


UNREAD = frozenset(
    {"created_at", "updated_at", "deleted_at"}
    | {"details", "side_effects", "side_effects_text", "prn_medication", "notes", "warnings"}
)
"""Session and assessment columns a summary never reads (``session_record(details=False)``,
``assessment_record(check=False)``): every fetched time or JSON text is a conversion."""


def _live(conn: Connection, entity: type[Any], ids: Collection[int], *order: str) -> Any:
    table = core_table(entity)
    key = table.c.id if entity is Course else table.c.course_id
    columns = [c for c in table.c if entity is Course or c.name not in UNREAD]
    query = select(*columns).prefix_with(TAG).where(key.in_(ids), table.c.deleted_at.is_(None))
    if entity is Assessment:
        query = query.where(table.c.instrument.in_(summary_codes()))
    return conn.execute(query.order_by(*(table.c[name] for name in order))).all()


def _open_flags(conn: Connection, ids: Collection[int]) -> dict[int, int]:
    table = core_table(Assessment)
    query = (
        select(table.c.course_id, table.c.id)
        .prefix_with(TAG)
        .where(table.c.course_id.in_(ids), table.c.flag_open, table.c.deleted_at.is_(None))
    )
    counts: dict[int, int] = defaultdict(int)
    for course_id, _ in conn.execute(query):
        counts[int(course_id)] += 1
    return counts


def compute(conn: Connection, course_ids: Collection[int]) -> dict[int, SummaryFacts]:
    """The facts of the live courses among ``course_ids``, read in four queries.

    Raises:
        DamagedRecordError: a row of one of them cannot be read back.
    """
    ids = list(course_ids)
    courses = [course_info(r) for r in _live(conn, Course, ids, "id")]
    sessions: dict[int, list[Any]] = defaultdict(list)
    for row in _live(conn, TreatmentSession, ids, "performed_at", "number"):
        sessions[row.course_id].append(session_record(row, details=False))
    assessments: dict[int, list[Any]] = defaultdict(list)
    for row in _live(conn, Assessment, ids, "assessed_at", "id"):
        assessments[row.course_id].append(row)
    flags = _open_flags(conn, ids)
    found: dict[int, SummaryFacts] = {}
    for course in courses:
        done = tuple(sessions.get(course.id, ()))
        linked = {s.id: s for s in done}
        records = tuple(
            assessment_record(r, linked, (), course.settings, check=False)
            for r in assessments.get(course.id, ())
        )
        patient = PatientInfo(PatientId(course.patient_id), "", "", None, Sex.UNKNOWN)
        summary = summarize(CourseTimeline(patient, course, done, records, ()))
        found[course.id] = facts(course.id, course.patient_id, summary, flags.get(course.id, 0))
    return found


def facts(course_id: int, patient_id: int, summary: CourseSummary, flags: int) -> SummaryFacts:
    """The stored facts of one course from its domain summary."""
    latest = {
        s.instrument: s.most_recent.score.display_total
        for s in summary.instruments
        if s.most_recent is not None
    }
    return SummaryFacts(
        course_id,
        patient_id,
        summary.sessions_done,
        latest,
        badge(summary),
        flags,
        progress_text(summary.progress),
    )


def facts_of(timeline: CourseTimeline) -> SummaryFacts | None:
    """The stored facts of a course from its full timeline, exactly as :func:`compute` finds
    them; None when the timeline cannot stand for that read.

    :func:`compute` reads the stored scores of the list's instruments; a full read
    re-scores every row, so the two agree unless a row's stored score disagrees with
    its items (an integrity warning): that course is left to the commit hook.
    """
    if any(a.integrity_warning for a in timeline.assessments):
        return None
    codes = set(summary_codes())
    listed = tuple(a for a in timeline.assessments if a.instrument in codes)
    course = timeline.course
    patient = PatientInfo(PatientId(course.patient_id), "", "", None, Sex.UNKNOWN)
    summary = summarize(CourseTimeline(patient, course, timeline.sessions, listed, ()))
    flags = sum(1 for a in timeline.assessments if a.stored_open)
    return facts(course.id, course.patient_id, summary, flags)


def keep_from(conn: Connection, timeline: CourseTimeline) -> bool:
    """Store a course's facts from the timeline a write read in its own transaction.

    The timeline must have been read after the write's last change was flushed: the
    course's mark is cleared, so the commit hook does not read the course again (a
    later change in the same transaction marks it again, and the hook recomputes it).
    Returns False, leaving the mark to the hook, when the facts cannot come from this
    timeline (:func:`facts_of`) or this role may not store them.
    """
    found = facts_of(timeline)
    if found is None or not may_recompute(conn):
        return False
    summary, dirty = core_table(CourseSummaryRow), core_table(SummaryDirty)
    conn.execute(delete(summary).where(summary.c.course_id == found.course_id))
    conn.execute(insert(summary), [found.row()])
    conn.execute(delete(dirty).where(dirty.c.course_id == found.course_id))
    return True


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _store(conn: Connection, ids: Sequence[int], suspect: Collection[int] | None = None) -> None:
    """Recompute and store some courses; a damaged one stays marked (readers name it).

    A flag the items show but an outside change left closed is raised first, so the
    list's open-flag reads (``assessment.flag_open``) agree with the course view: for
    the ``suspect`` courses among ``ids`` (None: all of them).
    """
    checked = [i for i in ids if suspect is None or i in suspect]
    if checked:
        raise_hidden_flags(conn, checked)
    try:
        computed = compute(conn, ids)
    except DamagedRecordError:
        if len(ids) > 1:
            for one in ids:
                _store(conn, [one], ())  # the flags of all of them were checked above
        return
    summary, dirty = core_table(CourseSummaryRow), core_table(SummaryDirty)
    conn.execute(delete(summary).where(summary.c.course_id.in_(ids)))
    if computed:
        conn.execute(insert(summary), [f.row() for f in computed.values()])
    conn.execute(delete(dirty).where(dirty.c.course_id.in_(ids)))


def may_recompute(conn: Connection) -> bool:
    """False for a PostgreSQL role that may not read scores (front desk): its writes leave
    the courses named, and the next clinician's or nurse's write recomputes them."""
    if conn.dialect.name == "sqlite":
        return True
    if "may_recompute" not in conn.info:
        conn.info["may_recompute"] = bool(
            conn.exec_driver_sql(
                "SELECT has_table_privilege('assessment', 'SELECT') "
                "AND has_table_privilege('course_summary', 'INSERT')"
            ).scalar()
        )
    return bool(conn.info["may_recompute"])


def drain(conn: Connection) -> int:
    """Recompute every course named in ``summary_dirty``; returns how many were named."""
    if not may_recompute(conn):
        return 0
    try:
        ids = [int(r[0]) for r in conn.exec_driver_sql("SELECT course_id FROM summary_dirty")]
    except OperationalError as exc:
        if "no such table" in str(exc.orig):
            return 0  # a schema before 0010, being migrated
        raise
    suspect = conn.info.pop(NAMED_BEFORE, None)
    for chunk in _chunks(ids):
        _store(conn, chunk, suspect)
    return len(ids)


NAMED_BEFORE = "mbct_named_before"
"""``conn.info`` key: the courses already named when this write transaction began."""


def note_named(_session: Any, _transaction: Any, connection: Connection) -> None:
    """When an audited write begins: the courses named already (session event).

    Those were changed by another program (or by a role that may not recompute them),
    so only those can hold a flag nobody stored; the app keeps ``flag_open`` with every
    write of its own, so the courses this transaction names need no second look (that
    look cost a 22,481-patient import ~10 s). Without this note (a commit outside an
    audited write) every named course is looked at.
    """
    connection.info.pop(NAMED_BEFORE, None)
    if not may_recompute(connection):
        return
    try:
        found = connection.exec_driver_sql("SELECT course_id FROM summary_dirty")
    except OperationalError as exc:
        if "no such table" in str(exc.orig):
            return  # a schema before 0010, being migrated
        raise
    connection.info[NAMED_BEFORE] = frozenset(int(r[0]) for r in found)


def forget_named(conn: Connection) -> None:
    """Engine hook on rollback: a note must never outlive its transaction (a connection
    lost mid-transaction is discarded with its notes; asking it would reconnect)."""
    if not conn.invalidated:
        conn.info.pop(NAMED_BEFORE, None)


def rebuild(conn: Connection) -> int:
    """Recompute every course's facts from its rows (``mbctracker rebuild-summaries``)."""
    conn.exec_driver_sql(
        "INSERT INTO summary_dirty(course_id) SELECT id FROM course WHERE TRUE "
        "ON CONFLICT DO NOTHING"
    )
    conn.exec_driver_sql(
        "DELETE FROM course_summary WHERE course_id NOT IN (SELECT id FROM course)"
    )
    conn.info.pop(NAMED_BEFORE, None)  # every course's flags are looked at
    return drain(conn)


event.listen(AuditedSession, "after_begin", note_named)


def on_commit(conn: Connection) -> None:
    """Engine hook: every transaction leaves the summaries it touched up to date."""
    drain(conn)
