"""Subprocess for ``test_crash_safety``: saves sessions with their assessments until killed.

Usage: ``python crash_writer.py DB COURSE_ID RUN ACK_FILE``. Each save is one
transaction (a session and its three pre-session assessments, via the same
service functions the app uses); only after the commit returns is the save's
token appended to ACK_FILE and fsynced. The parent SIGKILLs this process at
random moments and checks every acknowledged token is in the database. Each
acknowledged token is also printed, so the parent can wait for a save instead of
guessing how long one takes on a loaded machine.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

from mbctracker.domain.course import SessionId
from mbctracker.services.assessments import AssessmentInput, add_assessment
from mbctracker.services.sessions import SessionInput, add_session, next_session_number
from mbctracker.storage import Database, open_database
from mbctracker.storage.tables import Course


def _responses(i: int) -> list[tuple[str, list[int | None]]]:
    """Varied answers, including a prorated PHQ-9 (one item blank) every third save."""
    phq: list[int | None] = [(i + k) % 4 for k in range(9)]
    if i % 3 == 0:
        phq[2] = None
    return [
        ("PHQ9", phq),
        ("GAD7", [(i * 3 + k) % 4 for k in range(7)]),
        ("MADRS", [(i + 2 * k) % 7 for k in range(10)]),
    ]


def save(db: Database, course_id: int, token: str, i: int) -> None:
    """One save = one transaction: the session row and its assessments, or nothing."""
    with db.write() as session:
        course = session.get(Course, course_id)
        assert course is not None
        number = next_session_number(session, course_id)
        when = datetime.combine(course.start_date, time(8)) + timedelta(minutes=number)
        details = {"dose_mg_per_kg": 0.5, "bp_before_sys": 118 + i % 20, "bp_before_dia": 76}
        data = SessionInput(when=when, details=details, notes=token, number=number)
        row, _ = add_session(session, course, data)
        for instrument, responses in _responses(i):
            entry = AssessmentInput(
                instrument, responses, when - timedelta(minutes=1), session_id=SessionId(row.id)
            )
            add_assessment(session, course, entry)


def main(argv: list[str]) -> int:
    db_path, course_id, run, ack_path = Path(argv[1]), int(argv[2]), argv[3], argv[4]
    db = open_database(db_path, actor=f"crash-writer {run}")
    ack = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    print("ready", flush=True)
    i = 0
    while True:
        token = f"{run}-{i}"
        save(db, course_id, token, i)
        os.write(ack, f"{token}\n".encode())
        os.fsync(ack)
        print(token, flush=True)  # the parent may wait for a first save before its kill
        i += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
