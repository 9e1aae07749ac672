"""Drop the two single-column indexes that a composite index already covers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22

``ix_assessment_course_id`` (course_id) is the leading column of
``ix_assessment_course_time`` (course_id, assessed_at), and
``ix_treatment_session_course_id`` (course_id) of ``ix_session_course_time``
(course_id, performed_at): every look-up by course (and every foreign-key check
on a course delete) is served as well by the composite index. On the
22,481-patient file they were 17 MB (13.1 + 3.9) that every write kept up to date
and every backup's ``quick_check`` read. Same on both engines; the freed pages
are reused by later writes (SQLite) or vacuumed (PostgreSQL).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REDUNDANT: tuple[tuple[str, str], ...] = (
    ("ix_assessment_course_id", "assessment"),
    ("ix_treatment_session_course_id", "treatment_session"),
)
"""(index, table) of each dropped index; each indexed ``course_id`` alone."""


def upgrade() -> None:
    for index, table in REDUNDANT:
        op.drop_index(index, table_name=table)


def downgrade() -> None:
    for index, table in REDUNDANT:
        op.create_index(index, table, ["course_id"], unique=False)
