"""Safety actions answer a flag level; the PHQ-9 difficulty item is stored.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

An action recorded for "item 9 = 1" kept the flag closed after the item was
corrected to 3: the action now stores the flag level it answered
(1 unanswered, 2 endorsed tier 1, 3 tier 2; the assessment stores its own
level too, so SQL can compare them), and a flag is open while no action
answers its current level. Existing actions take the level their assessment
has now, except where the change log shows the assessment's flag was changed
after the action: those get level 0 so the flag reopens (a false alarm is
safer than a hidden flag). Whether a flag is open is stored too
(``flag_open``, kept by the services in the same transaction as every write
that can change it), so the worklist reads a partial index of the open flags
only: at 22,481 patients, ~1,900 rows instead of 72,000 flagged ones.

The PHQ-9's unscored difficulty question (LOINC 69722-7) gets its own column,
so a tenth digit typed from a paper form can never overwrite item 9.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ASSESSMENT_LEVEL = """
UPDATE assessment SET flag_level = CASE
    WHEN NOT safety_flag THEN 0
    WHEN safety_reason = 'unanswered' THEN 1
    ELSE 1 + coalesce(safety_tier, 1) END
"""
_LEVEL_NOW = """
UPDATE safety_action SET flag_level = (
    SELECT a.flag_level FROM assessment a WHERE a.id = safety_action.assessment_id)
"""
_CHANGED_SINCE = """
UPDATE safety_action SET flag_level = 0 WHERE EXISTS (
    SELECT 1 FROM change_log l
    WHERE l.table_name = 'assessment' AND l.record_id = safety_action.assessment_id
      AND l.action = 'update' AND l.at > safety_action.created_at
      AND (l.changes LIKE '%"safety_tier"%' OR l.changes LIKE '%"safety_reason"%'
           OR l.changes LIKE '%"safety_flag"%'))
"""

_OPEN_NOW = """
UPDATE assessment SET flag_open = (safety_flag AND flag_level > coalesce((
    SELECT max(s.flag_level) FROM safety_action s
    WHERE s.assessment_id = assessment.id AND s.deleted_at IS NULL), 0))
"""


def upgrade() -> None:
    with op.batch_alter_table("safety_action", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flag_level", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supplementary", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("flag_level", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("flag_open", sa.Boolean(), nullable=False, server_default="0")
        )
    op.execute(_ASSESSMENT_LEVEL)
    op.execute(_LEVEL_NOW)
    op.execute(_CHANGED_SINCE)
    op.execute(_OPEN_NOW)
    op.execute(
        "CREATE INDEX ix_assessment_open_flag ON assessment (course_id) "
        "WHERE flag_open AND deleted_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_assessment_open_flag")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("flag_open")
        batch_op.drop_column("flag_level")
        batch_op.drop_column("supplementary")
    with op.batch_alter_table("safety_action", schema=None) as batch_op:
        batch_op.drop_column("flag_level")
