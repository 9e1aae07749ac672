"""Patient search key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

SQLite's LIKE folds ASCII letters only, so "ødegård" did not find "Ødegård".
Each patient now stores a folded key (case and accents removed) of name and
MRN, kept by the services on every write, and the list filters on it in SQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mbctracker.storage.search_text import search_key

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(), nullable=False, server_default=""))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, mrn FROM patient")).all()
    if rows:
        bind.execute(
            sa.text("UPDATE patient SET search_key = :key WHERE id = :id"),
            [{"id": r.id, "key": search_key(r.name, r.mrn)} for r in rows],
        )


def downgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("search_key")
