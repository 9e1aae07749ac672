"""Keep the list's stored facts true to the records, whoever changed them.

``storage.summaries`` recomputes every course a commit named in ``summary_dirty``,
raising first any safety flag whose items another program changed
(``storage.hidden_flags``). A write by another *program* names its courses but
commits without that hook; :func:`settle_outside_changes` settles them when the
app notices, so the patient list and the worklist never hide such a flag.
"""

from __future__ import annotations

from sqlalchemy import text

from ..storage.db import Database
from ..storage.summaries import drain, may_recompute, rebuild


def rebuild_summaries(db: Database) -> int:
    """Recompute every course's list facts in one transaction; returns how many courses.

    A course whose rows cannot be read back stays marked, and the list computes it
    on the fly and names the damage, as before.
    """
    with db.write() as session:
        return rebuild(session.connection())


def settle_outside_changes(db: Database) -> int:
    """Settle the courses another program changed; returns how many there were.

    Called when the app starts watching a database and whenever another process's
    commit is noticed: one small read, and a write only when a course is named
    (0 also when this role may not read scores, like the front desk on a server:
    the next clinician's or nurse's commit settles them).
    """
    with db.read() as session:
        conn = session.connection()
        named = may_recompute(conn) and conn.execute(text("SELECT 1 FROM summary_dirty")).first()
    if not named:
        return 0
    with db.write() as session:
        return drain(session.connection())
