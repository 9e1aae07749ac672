"""Rebuild the stored course summaries (``storage.summaries`` keeps them on every write)."""

from __future__ import annotations

from ..storage.db import Database
from ..storage.summaries import rebuild


def rebuild_summaries(db: Database) -> int:
    """Recompute every course's list facts in one transaction; returns how many courses.

    A course whose rows cannot be read back stays marked, and the list computes it
    on the fly and names the damage, as before.
    """
    with db.write() as session:
        return rebuild(session.connection())
