"""Every index earns its keep: none is covered by another one on the same table.

An index whose columns lead another index (``course_id`` before ``(course_id,
assessed_at)``) serves no query the longer one does not, yet every write updates
it and every backup's check reads it.
"""

from __future__ import annotations

from sqlalchemy import inspect

from mbctracker.storage import Database

COLLATED = {"ix_patient_name_nocase"}
"""``name COLLATE NOCASE``: reflected as plain ``name``, but it cannot serve the binary
``name`` index's comparisons."""


def _plain_indexes(db: Database, table: str) -> dict[str, tuple[str, ...]]:
    """Non-unique, non-partial indexes over plain columns: the ones another can cover."""
    found: dict[str, tuple[str, ...]] = {}
    for index in inspect(db.engine).get_indexes(table):
        columns = tuple(index["column_names"])
        options = index.get("dialect_options", {})
        partial = any(key.endswith("_where") for key in options)
        if index["unique"] or partial or None in columns:
            continue
        found[str(index["name"])] = columns  # type: ignore[assignment]
    return found


def _covering(db: Database, table: str) -> dict[str, tuple[str, ...]]:
    """Every index over plain columns (unique ones cover a prefix just as well)."""
    return {
        str(index["name"]): tuple(index["column_names"])  # type: ignore[misc]
        for index in inspect(db.engine).get_indexes(table)
        if None not in index["column_names"]
        and index["name"] not in COLLATED
        and not any(key.endswith("_where") for key in index.get("dialect_options", {}))
    }


def test_no_index_is_a_leading_part_of_another(db: Database) -> None:
    covered = []
    for table in inspect(db.engine).get_table_names():
        others = _covering(db, table)
        for name, columns in _plain_indexes(db, table).items():
            covered += [
                f"{table}.{name} {columns} leads {other} {longer}"
                for other, longer in others.items()
                if other != name
                and len(longer) > len(columns)
                and longer[: len(columns)] == columns
            ]
    assert covered == []
