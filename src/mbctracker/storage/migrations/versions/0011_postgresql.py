"""PostgreSQL: the append-only change log, summary marks and patient search as on SQLite.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22

Nothing changes on a SQLite file. On PostgreSQL (issue 13), where 0001 and 0010
wrote SQLite triggers and an FTS5 table, this revision creates their equivalents:

- ``change_log`` refuses UPDATE, DELETE (row triggers) and TRUNCATE (a statement
  trigger); ``server-init`` also revokes those privileges from the app's roles;
- ``summary_dirty`` is filled by trigger functions on course, treatment_session,
  assessment and safety_action (``SECURITY DEFINER``, so a role that may not read
  scores can still mark a course it scheduled); the engine's commit hook recomputes
  them as on a file;
- patient search: ``pg_trgm`` and a GIN trigram index on ``patient.search_key``;
  ``LIKE`` on the folded key uses it directly, so the query keeps its meaning and the
  exact-MRN-first rule is the services' own, unchanged.

- the few SQLite functions the services' SQL uses are defined in SQL, so one query
  text serves both engines: ``group_concat`` (an aggregate joining with ","),
  ``julianday`` (of a timestamptz or a date), ``json_extract`` (a ``$.a.b`` path of a
  JSON text; JSON null is SQL NULL, as in SQLite) and SQLite's unary ``+`` on text
  (a planner hint there, the value itself here).

Timestamps are already ``timestamptz`` there (``UTCDateTime`` is timezone-aware).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COURSE_TABLES = ("treatment_session", "assessment", "safety_action")

_COMPAT = [
    """CREATE OR REPLACE FUNCTION mbct_concat(acc text, item text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN item IS NULL THEN acc WHEN acc IS NULL THEN item ELSE acc || ',' || item END
$$""",
    "CREATE OR REPLACE AGGREGATE group_concat(text) (SFUNC = mbct_concat, STYPE = text)",
    """CREATE OR REPLACE FUNCTION julianday(timestamptz) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT extract(epoch FROM $1)::double precision / 86400 + 2440587.5 $$""",
    """CREATE OR REPLACE FUNCTION julianday(date) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT ($1 - date '1970-01-01') + 2440587.5 $$""",
    """CREATE OR REPLACE FUNCTION json_extract(text, text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif($1::jsonb #> string_to_array(substr($2, 3), '.'), 'null'::jsonb)
$$""",
    """CREATE OR REPLACE FUNCTION mbct_same_text(text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$""",
    """DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '+' AND oprleft = 0
                   AND oprright = 'text'::regtype) THEN
        CREATE OPERATOR + (RIGHTARG = text, FUNCTION = mbct_same_text);
    END IF;
END $$""",
]

_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION mbct_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$""",
    """CREATE OR REPLACE FUNCTION mbct_mark_course() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO summary_dirty(course_id) VALUES ((to_jsonb(NEW) ->> TG_ARGV[0])::integer)
        ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO summary_dirty(course_id) VALUES ((to_jsonb(OLD) ->> TG_ARGV[0])::integer)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in (*_COMPAT, *_FUNCTIONS):
        op.execute(sql)
    op.execute(
        "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
        "FOR EACH ROW EXECUTE FUNCTION mbct_append_only()"
    )
    op.execute(
        "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION mbct_append_only()"
    )
    for table, key in (*((t, "course_id") for t in _COURSE_TABLES), ("course", "id")):
        op.execute(
            f"CREATE TRIGGER summary_dirty_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION mbct_mark_course('{key}')"
        )
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_patient_search_trgm ON patient USING gin (search_key gin_trgm_ops)")
    op.execute("INSERT INTO summary_dirty(course_id) SELECT id FROM course ON CONFLICT DO NOTHING")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_patient_search_trgm")
    for table in (*_COURSE_TABLES, "course"):
        op.execute(f"DROP TRIGGER IF EXISTS summary_dirty_{table} ON {table}")
    op.execute("DROP TRIGGER IF EXISTS change_log_no_truncate ON change_log")
    op.execute("DROP TRIGGER IF EXISTS change_log_append_only ON change_log")
    op.execute("DROP FUNCTION IF EXISTS mbct_mark_course()")
    op.execute("DROP FUNCTION IF EXISTS mbct_append_only()")
    op.execute("DROP OPERATOR IF EXISTS + (NONE, text)")
    for name in (
        "mbct_same_text(text)",
        "json_extract(text, text)",
        "julianday(date)",
        "julianday(timestamptz)",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {name}")
    op.execute("DROP AGGREGATE IF EXISTS group_concat(text)")
    op.execute("DROP FUNCTION IF EXISTS mbct_concat(text, text)")
