"""Safety flags hidden by a change made outside the app, raised where the list reads them.

The course view and the PDF re-score every assessment from its items
(:func:`.mappers.checked_score`), so an item 9 set to 2 by another program shows
a flag there. The patient list, the open-flag worklist, the status bar and Today
read the stored ``assessment.flag_open`` instead (one indexed query for 22,481
patients), which the app keeps with every write of its own, but which another
program's write leaves as it was. :func:`raise_hidden_flags` finds the flag level
of every closed-looking row of some courses as the course view would
(:func:`.mappers.checked_flag_level`) and stores ``flag_open`` (and ``flag_level``)
wherever no live safety action answers it, with a change-log line saying why. It
only ever raises a flag: closing one stays a clinician's recorded action.
``storage.summaries`` runs it, before their list facts are recomputed, on the courses
the triggers had named before the committing write began (whoever's commit that is),
and on every course for ``rebuild-summaries``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from .mappers import checked_flag_level, course_info
from .tables import Assessment, ChangeLog, Course, SafetyActionRow, core_table, utcnow

_READ = (
    *("id", "course_id", "instrument", "responses", "valid", "total", "exact_total"),
    *("prorated", "severity", "safety_flag", "safety_reason", "safety_tier"),
    *("flag_level", "flag_open"),
)
"""The columns the check reads (``mappers.checked_score``'s); no timestamps to convert."""
ACTOR = "mbctracker (automatic check)"
"""Who the change log names for a flag the app raised itself."""
WHY = "items changed outside mbctracker show a safety flag that no recorded action answers"


@dataclass(frozen=True, slots=True)
class RaisedFlag:
    """One assessment whose flag was hidden from the list, now stored open."""

    assessment_id: int
    course_id: int
    patient_id: int
    level: int
    """The level the items show (``domain.scoring.flag_level``)."""


def raise_hidden_flags(conn: Connection, course_ids: Sequence[int]) -> list[RaisedFlag]:
    """Store ``flag_open`` on every closed-looking assessment of these courses whose
    items (or flag columns) show a level above every live action's; returns them.

    The caller passes a batch (``storage.summaries`` recomputes 400 courses a round).
    """
    courses, assessments = core_table(Course), core_table(Assessment)
    found: Sequence[Any] = conn.execute(  # rows shaped as the models (mappers read them)
        select(courses).where(courses.c.id.in_(course_ids), courses.c.deleted_at.is_(None))
    ).all()
    settings = {row.id: (course_info(row).settings, row.patient_id) for row in found}
    rows: Sequence[Any] = conn.execute(
        select(*(assessments.c[name] for name in _READ)).where(
            assessments.c.course_id.in_(list(settings)),
            assessments.c.deleted_at.is_(None),
            assessments.c.flag_open.is_(False),
        )
    ).all()
    answered = _answered_levels(conn, list(settings))
    raised = []
    for row in rows:
        course_settings, patient_id = settings[row.course_id]
        level = checked_flag_level(row, course_settings)
        if level > answered.get(row.id, 0):
            raised.append(RaisedFlag(row.id, row.course_id, patient_id, level))
            conn.execute(
                update(assessments)
                .where(assessments.c.id == row.id)
                .values(flag_open=True, flag_level=max(row.flag_level, level))
            )
    if raised:
        conn.execute(insert(core_table(ChangeLog)), [_logged(f) for f in raised])
    return raised


def _logged(flag: RaisedFlag) -> dict[str, object]:
    return {
        "at": utcnow(),
        "actor": ACTOR,
        "table_name": "assessment",
        "record_id": flag.assessment_id,
        "patient_id": flag.patient_id,
        "course_id": flag.course_id,
        "action": "update",
        "changes": json.dumps({"flag_open": [False, True], "flag_level": flag.level, "why": WHY}),
    }


def _answered_levels(conn: Connection, course_ids: Sequence[int]) -> dict[int, int]:
    """The highest level a live safety action answered, per assessment of these courses."""
    actions, assessments = core_table(SafetyActionRow), core_table(Assessment)
    query = (
        select(actions.c.assessment_id, func.max(actions.c.flag_level))
        .join(assessments, assessments.c.id == actions.c.assessment_id)
        .where(assessments.c.course_id.in_(course_ids), actions.c.deleted_at.is_(None))
        .group_by(actions.c.assessment_id)
    )
    return {int(aid): int(level or 0) for aid, level in conn.execute(query)}
