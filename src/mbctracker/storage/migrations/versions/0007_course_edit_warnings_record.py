"""Course record fields for payer letters; plausibility warnings kept on the session.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-22

A payer letter needs the diagnosis, current medications, prior treatment trials
and the prescriber: the course now stores them (empty for existing courses), and
``threshold_change_reason`` says why a course's thresholds were changed after it
started (the change log keeps each change with it).

An unusual value (3 mg/kg IM, 60 minutes of esketamine monitoring, a 12-second
ECT seizure) was warned about and then forgotten at Save. The warnings the
person confirmed are now stored with the session (``warnings``, JSON; see
``domain.limits.SESSION_WARNING_RULES``). Sessions saved before this revision
keep an empty list: their warnings were never confirmed, so none are invented.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COURSE_TEXT = (
    "diagnosis",
    "current_medications",
    "prior_treatments",
    "prescriber",
    "threshold_change_reason",
)


def upgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        for name in _COURSE_TEXT:
            batch_op.add_column(sa.Column(name, sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warnings", sa.String(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.drop_column("warnings")
    with op.batch_alter_table("course", schema=None) as batch_op:
        for name in reversed(_COURSE_TEXT):
            batch_op.drop_column(name)
