"""PostgreSQL: JSON columns become ``jsonb`` (issue 13 §1).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22

Nothing changes on a SQLite file: its JSON stays text (``storage.jsontext``). On
PostgreSQL every JSON column is converted in place (``USING col::jsonb``, so a
value that is not JSON stops the upgrade instead of being lost), and the server
refuses invalid JSON from then on. A column's text default is dropped around the
conversion (PostgreSQL cannot cast it automatically) and set again as ``jsonb``.
The ``change_log`` conversion is a table rewrite, which fires no row trigger: the
append-only triggers stay as they are.

``json_extract`` gets a ``jsonb`` twin of 0011's text one, so the services' SQL
(``json_extract(details, '$.weight_kg')``) keeps one text for both engines.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("patient", "comorbidities", None),
    ("course", "settings_json", None),
    ("treatment_session", "details", None),
    ("treatment_session", "side_effects", None),
    ("treatment_session", "prn_medication", None),
    ("treatment_session", "warnings", "[]"),
    ("assessment", "responses", None),
    ("rems_record", "concomitant", None),
    ("change_log", "changes", None),
    ("course_summary", "latest", "{}"),
)
"""(table, column, server default) of every JSON column."""

_EXTRACT = """CREATE OR REPLACE FUNCTION json_extract(jsonb, text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif($1 #> string_to_array(substr($2, 3), '.'), 'null'::jsonb)
$$"""


def _convert(to: str) -> None:
    for table, column, default in JSON_COLUMNS:
        cast = "jsonb" if to == "jsonb" else "text"
        if default is not None:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {to} USING {column}::{cast}")
        if default is not None:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT '{default}'::{cast}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _convert("jsonb")
    op.execute(_EXTRACT)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS json_extract(jsonb, text)")
    _convert("varchar")
