"""After every test that used a ``db`` fixture: no course's stored list summary is stale.

The patient list trusts ``course_summary``; every write path must leave it equal to the
hook's own recomputation (``storage.summaries.compute``) in the same transaction, or
leave the course marked in ``summary_dirty`` (then readers compute it on the fly).
Run from the ``db`` fixtures' teardown, it turns every test of every write use case
(saves, corrections, deletes, restores, imports, course edits, the UI's keyboard
paths) into a check of that rule, on both engines.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.exc import DBAPIError

from mbctracker.storage import Database
from mbctracker.storage.errors import DamagedRecordError
from mbctracker.storage.summaries import compute


def _facts(row: Any) -> dict[str, Any]:
    facts = dict(row._mapping)
    facts["latest"] = json.loads(facts["latest"])
    return facts


def stale_summaries(db: Database) -> dict[int, tuple[Any, Any]]:
    """{course id: (stored, recomputed)} for every live, unmarked course that disagrees."""
    columns = "course_id, patient_id, sessions_done, latest, badge, open_flags, progress"
    with db.engine.connect() as conn:
        marked = {int(r[0]) for r in conn.exec_driver_sql("SELECT course_id FROM summary_dirty")}
        stored = {
            int(r.course_id): _facts(r)
            for r in conn.exec_driver_sql(f"SELECT {columns} FROM course_summary")
        }
        live = [
            int(r[0])
            for r in conn.exec_driver_sql("SELECT id FROM course WHERE deleted_at IS NULL")
        ]
        wrong: dict[int, tuple[Any, Any]] = {}
        for course_id in live:
            if course_id in marked:
                continue
            try:
                fresh = compute(conn, [course_id]).get(course_id)
            except DamagedRecordError as exc:  # unmarked yet unreadable: stale too
                wrong[course_id] = (stored.get(course_id), str(exc))
                continue
            want = None if fresh is None else _facts_of(fresh.row())
            if stored.get(course_id) != want:
                wrong[course_id] = (stored.get(course_id), want)
    return wrong


def _facts_of(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "latest": json.loads(row["latest"])}


def check_summaries(db: Database) -> None:
    """Fail naming the stale courses; a database the test removed or broke is not checked."""
    try:
        wrong = stale_summaries(db)
    except DBAPIError:
        return  # the file was deleted, replaced by a non-database, or the schema is older
    assert not wrong, f"stale stored course summaries (stored, recomputed): {wrong}"
