"""The schema revisions this app knows, read from the migration file names.

Reading the names (``0001_initial_schema.py`` -> ``"0001"``) keeps one source
of truth without importing Alembic at start-up; a test checks the list equals
Alembic's own history.
"""

from __future__ import annotations

from pathlib import Path

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


def known_revisions() -> tuple[str, ...]:
    """Every revision id, oldest first (ids are zero-padded numbers)."""
    names = (p.name.split("_", 1)[0] for p in VERSIONS_DIR.glob("[0-9]*_*.py"))
    return tuple(sorted(names))
