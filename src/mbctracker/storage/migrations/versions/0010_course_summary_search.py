"""Per-course summary facts for the patient list; a trigram index for search.

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-22

A patient-list page built a light timeline for every row (43 ms for 40 rows at
22,481 patients) and a search keystroke scanned every patient's key with
``LIKE``. Now:

- ``course_summary`` holds what a list row shows of a course (sessions done,
  the latest total of each instrument, the outcome badge, open flags), so a page
  is one indexed query;
- ``summary_dirty`` names the courses whose facts a write may have changed.
  Triggers on every table a summary reads from fill it, so no write path can
  forget (ORM, Core, raw SQL, other helpers' new use cases); the engine's commit
  hook (``storage.summaries``) recomputes those courses and empties it in the same
  transaction. A course still named there (a write made outside the app) is
  computed on the fly by readers, so the list is never wrong, only slower;
- ``patient_fts`` is an FTS5 trigram index over ``patient.search_key``, kept
  by triggers in the same transaction as the patient row.

Backfill: the index is built from the stored keys, and every course is marked;
the engine's commit hook recomputes them when the upgrade's transaction commits,
after every migration has run (so the reads see the final tables even when this
revision is re-chained before others that add columns). A file upgraded by
Alembic outside the app keeps them marked: the list computes them on the fly
until the next write or ``mbctracker rebuild-summaries``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COURSE_TABLES = ("treatment_session", "assessment", "safety_action")


def _dirty_triggers(table: str, key: str) -> list[str]:
    mark = "INSERT OR IGNORE INTO summary_dirty(course_id) VALUES ({row}.{key});"
    return [
        f"CREATE TRIGGER summary_dirty_{table}_insert AFTER INSERT ON {table} "
        f"BEGIN {mark.format(row='NEW', key=key)} END",
        f"CREATE TRIGGER summary_dirty_{table}_update AFTER UPDATE ON {table} "
        f"BEGIN {mark.format(row='NEW', key=key)} {mark.format(row='OLD', key=key)} END",
        f"CREATE TRIGGER summary_dirty_{table}_delete AFTER DELETE ON {table} "
        f"BEGIN {mark.format(row='OLD', key=key)} END",
    ]


_FTS = [
    "CREATE VIRTUAL TABLE patient_fts USING fts5(search_key, content='patient', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient BEGIN "
    "INSERT INTO patient_fts(rowid, search_key) VALUES (NEW.id, NEW.search_key); END",
    "CREATE TRIGGER patient_fts_delete AFTER DELETE ON patient BEGIN "
    "INSERT INTO patient_fts(patient_fts, rowid, search_key) "
    "VALUES ('delete', OLD.id, OLD.search_key); END",
    "CREATE TRIGGER patient_fts_update AFTER UPDATE OF search_key ON patient BEGIN "
    "INSERT INTO patient_fts(patient_fts, rowid, search_key) "
    "VALUES ('delete', OLD.id, OLD.search_key); "
    "INSERT INTO patient_fts(rowid, search_key) VALUES (NEW.id, NEW.search_key); END",
    "INSERT INTO patient_fts(patient_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.create_table(
        "course_summary",
        sa.Column("course_id", sa.Integer(), sa.ForeignKey("course.id"), primary_key=True),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("sessions_done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("latest", sa.String(), nullable=False, server_default="{}"),
        sa.Column("badge", sa.String(), nullable=False, server_default=""),
        sa.Column("open_flags", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("progress", sa.String(), nullable=False, server_default=""),
    )
    op.create_index("ix_course_summary_patient_id", "course_summary", ["patient_id"])
    op.create_table(
        "summary_dirty",
        sa.Column("course_id", sa.Integer(), primary_key=True, autoincrement=False),
    )
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL: trigger functions and the pg_trgm index come in 0011
    for table in _COURSE_TABLES:
        for sql in _dirty_triggers(table, "course_id"):
            op.execute(sql)
    for sql in _dirty_triggers("course", "id"):
        op.execute(sql)
    for sql in _FTS:
        op.execute(sql)
    op.execute("INSERT OR IGNORE INTO summary_dirty(course_id) SELECT id FROM course")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_table("summary_dirty")
        op.drop_index("ix_course_summary_patient_id", table_name="course_summary")
        op.drop_table("course_summary")
        return
    for table in (*_COURSE_TABLES, "course"):
        for when in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS summary_dirty_{table}_{when}")
    for when in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS patient_fts_{when}")
    op.execute("DROP TABLE IF EXISTS patient_fts")
    op.drop_table("summary_dirty")
    op.drop_index("ix_course_summary_patient_id", table_name="course_summary")
    op.drop_table("course_summary")
