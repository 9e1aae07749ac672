"""The timeline follows the clinic: dated phase changes, automatic score links, numbers by date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

- ``course_phase_change(course_id, phase, started_on)``: the one record of a
  course's phase over time. Existing courses get the changes their sessions show
  (``domain.schedule.changes_from_sessions``), plus the course's current phase
  from the day after the last session when it differs.
- ``assessment.link_manual``: a link chosen by a clinician is kept as set; the
  others follow the clinic's link rule. Links that exist were chosen in the entry
  form, so they are marked manual; pre-session scores left "not linked" are linked
  by the rule now (they were typed before their session existed).
- Live sessions are renumbered by date, so a back-filled session takes its place
  and no course shows two sessions numbered 2.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

from mbctracker.domain.course import Phase
from mbctracker.domain.schedule import changes_from_sessions, link_target, numbers_by_date
from mbctracker.domain.settings import ClinicSettings

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(value: object) -> datetime:
    """A stored UTC timestamp (text or datetime) as naive local time, as the app shows it."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().replace(tzinfo=None)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _phase(value: object) -> Phase:
    try:
        return Phase(str(value))
    except ValueError:
        return Phase.INDUCTION


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of ``assessment`` would drop the table that
    # safety actions point at.
    op.add_column(
        "assessment",
        sa.Column("link_manual", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "course_phase_change",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("phase", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("course_phase_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_phase_change_course_id"), ["course_id"], unique=False
        )
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE assessment SET link_manual = TRUE WHERE session_id IS NOT NULL"))
    courses = bind.execute(
        sa.text("SELECT id, start_date, phase, settings_json FROM course ORDER BY id")
    ).all()
    for course in courses:
        _upgrade_course(bind, course)


def _upgrade_course(bind: sa.Connection, course: sa.Row[tuple[object, ...]]) -> None:
    sessions = bind.execute(
        sa.text(
            "SELECT id, performed_at, phase FROM treatment_session "
            "WHERE course_id = :c AND deleted_at IS NULL ORDER BY performed_at, id"
        ),
        {"c": course.id},
    ).all()
    dated = [(int(s.id), _moment(s.performed_at)) for s in sessions]
    numbers = numbers_by_date(dated)
    if numbers:
        bind.execute(
            sa.text("UPDATE treatment_session SET number = :n WHERE id = :id"),
            [{"id": key, "n": n} for key, n in numbers.items()],
        )
    marks = [(when, _phase(s.phase)) for (_, when), s in zip(dated, sessions, strict=True)]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as UTCDateTime stores it
    changes = changes_from_sessions(_day(course.start_date), marks, _phase(course.phase))
    bind.execute(
        sa.text(
            "INSERT INTO course_phase_change (version, created_at, updated_at, course_id, phase,"
            " started_on) VALUES (1, :now, :now, :c, :phase, :day)"
        ),
        [{"now": now, "c": course.id, "phase": str(c.phase), "day": c.started_on} for c in changes],
    )
    window = ClinicSettings.from_json(course.settings_json).link_window_days
    unlinked = bind.execute(
        sa.text(
            "SELECT id, assessed_at FROM assessment WHERE course_id = :c AND session_id IS NULL"
            " AND timepoint = 'pre_session' AND deleted_at IS NULL"
        ),
        {"c": course.id},
    ).all()
    links = [
        {"id": a.id, "s": target}
        for a in unlinked
        if (target := link_target(dated, _moment(a.assessed_at), window)) is not None
    ]
    if links:
        bind.execute(sa.text("UPDATE assessment SET session_id = :s WHERE id = :id"), links)


def downgrade() -> None:
    op.drop_table("course_phase_change")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("link_manual")
