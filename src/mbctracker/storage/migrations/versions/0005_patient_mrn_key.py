"""Patient MRN identity key; search key transliterated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

``report --patient ØST-1`` printed the summary of ``øst-1``: SQLite's lower()
folds ASCII only. Each patient now stores ``mrn_key`` (NFKC, casefolded,
spaces collapsed; see ``domain.text.mrn_key``) in a unique, indexed column,
and every look-up by MRN compares it. Rows whose MRNs collide once normalised
stop the upgrade with a plain message naming their ids (merging them silently
could file one patient's scores under another); nothing is changed then.
A stored MRN holding an invisible character keeps it in its key (it cannot be
typed to collide); the patient form refuses it at the next edit.

The search key is recomputed with the transliterating fold (ø -> o, ß -> ss).
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mbctracker.domain.text import loose_mrn_key
from mbctracker.storage.errors import DuplicateMrnKeyError
from mbctracker.storage.search_text import search_key

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys(rows: Sequence[sa.Row[tuple[int, str, str]]]) -> dict[int, str]:
    """Every row's key; refuses (before any change) if two rows share one."""
    keys = {int(r.id): loose_mrn_key(r.mrn) for r in rows}
    by_key: dict[str, list[int]] = defaultdict(list)
    for row_id, key in keys.items():
        by_key[key].append(row_id)
    groups = sorted(sorted(ids) for ids in by_key.values() if len(ids) > 1)
    if groups:
        raise DuplicateMrnKeyError(groups)
    return keys


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, mrn, name FROM patient ORDER BY id")).all()
    keys = _keys(rows)
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mrn_key", sa.String(), nullable=False, server_default=""))
    if rows:
        bind.execute(
            sa.text("UPDATE patient SET mrn_key = :key, search_key = :search WHERE id = :id"),
            [
                {"id": r.id, "key": keys[int(r.id)], "search": search_key(r.name, r.mrn)}
                for r in rows
            ],
        )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_mrn_key"), ["mrn_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_mrn_key"))
        batch_op.drop_column("mrn_key")
