"""The procedure day: vitals flowsheet, REMS record, payer authorisation, MT date.

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-22

Weight and the new ECT parameters are session details (the JSON of modality
fields), so they need no column. New here: ``vital_sign`` (one row per timed
reading of a session), ``rems_record`` (one per esketamine session: what the REMS
patient monitoring form asks beyond the session's own details, and when it was
submitted), and two course columns: ``authorised_sessions`` (payer) and
``mt_determined_on`` (TMS motor threshold). Additive only: existing rows keep
their values, the new columns start empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _versioned() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
    ]


def _links() -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(["session_id"], ["treatment_session.id"]),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"]),
        sa.PrimaryKeyConstraint("id"),
    ]


def upgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authorised_sessions", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("mt_determined_on", sa.Date(), nullable=True))
    op.create_table(
        "vital_sign",
        *_versioned(),
        sa.Column("point", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("taken_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("systolic", sa.Integer(), nullable=True),
        sa.Column("diastolic", sa.Integer(), nullable=True),
        sa.Column("heart_rate", sa.Integer(), nullable=True),
        sa.Column("spo2", sa.Integer(), nullable=True),
        *_links(),
    )
    with op.batch_alter_table("vital_sign", schema=None) as batch_op:
        batch_op.create_index("ix_vital_sign_session_id", ["session_id"], unique=False)
        batch_op.create_index("ix_vital_sign_course_id", ["course_id"], unique=False)
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "rems_record",
        *_versioned(),
        sa.Column("lot_number", text(), nullable=False),
        sa.Column("monitoring_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("monitoring_end", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ready_to_leave_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("respiratory_status", text(), nullable=False),
        sa.Column("concomitant", text(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        *_links(),
    )
    with op.batch_alter_table("rems_record", schema=None) as batch_op:
        batch_op.create_index("ix_rems_record_session_id", ["session_id"], unique=True)
        batch_op.create_index("ix_rems_record_course_id", ["course_id"], unique=False)


def downgrade() -> None:
    op.drop_table("rems_record")
    op.drop_table("vital_sign")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("mt_determined_on")
        batch_op.drop_column("authorised_sessions")
