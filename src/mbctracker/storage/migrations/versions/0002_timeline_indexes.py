"""Timeline indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

A course's assessments and sessions are read in time order; without a
(course_id, time) index SQLite walked the whole time index (110 ms on 22,481
patients for one page of the patient list). The NOCASE name index serves the
list's ORDER BY name. The single-column ``deleted_at`` indexes are dropped:
the column is NULL on nearly every row, and without statistics SQLite picked
those indexes over ``course_id`` (another 100 ms a page).
"""

from collections.abc import Sequence

from alembic import op

SOFT_DELETE_TABLES = (
    "patient",
    "course",
    "treatment_session",
    "assessment",
    "safety_action",
    "event",
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in SOFT_DELETE_TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_deleted_at")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_course_time", ["course_id", "assessed_at"])
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.create_index("ix_session_course_time", ["course_id", "performed_at"])
    if op.get_bind().dialect.name == "postgresql":
        # SQLite's NOCASE by name, so the list's ORDER BY reads the same on both engines
        op.execute(
            "CREATE COLLATION IF NOT EXISTS nocase "
            "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
        )
    op.execute("CREATE INDEX ix_patient_name_nocase ON patient (name COLLATE NOCASE, id)")


def downgrade() -> None:
    for table in SOFT_DELETE_TABLES:
        op.execute(f"CREATE INDEX ix_{table}_deleted_at ON {table} (deleted_at)")
    op.execute("DROP INDEX ix_patient_name_nocase")
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.drop_index("ix_session_course_time")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_course_time")
