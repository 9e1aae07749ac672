"""Model-based test: the stored course summaries stay equal to a fresh recomputation.

The patient list reads ``course_summary`` instead of building timelines. Hypothesis
runs random sequences of writes: the use cases (register, start, record, correct,
delete, restore, act, sessions, end, reopen, delete course), a Core ``UPDATE`` made
inside a write transaction (a use case that knows nothing about summaries, like
those other helpers are adding), and a write by another program straight into the
file. After every step each live course's stored facts (unless the course is still
marked, which only the outside write may leave) and every list row must equal a
reference recomputed independently: the course's full, re-scored timeline read by
the course view's loader, summarised by the domain rule, with sessions and open
flags counted by plain SQL.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import event, update

from engines import raw_connect
from mbctracker.domain.course import CourseStatus, Modality, SafetyActionKind
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.instruments import headline_instruments, list_instruments
from mbctracker.domain.timeline import summarize
from mbctracker.services import courses, patient_list
from mbctracker.services._rows import live
from mbctracker.services.assessments import (
    AssessmentInput,
    add_assessment,
    correct_assessment,
    delete_assessment,
    record_assessment,
    record_safety_action,
    restore_assessment,
)
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, delete_session, record_session
from mbctracker.services.timeline import load_timeline, read_after_write
from mbctracker.storage import Database, open_database
from mbctracker.storage.summaries import TAG, compute
from mbctracker.storage.tables import Assessment, Course

START = date(2025, 6, 2)
ITEMS = {"PHQ9": (9, 3), "MADRS": (10, 6)}


def answers(instrument: str) -> st.SearchStrategy[list[int | None]]:
    """Item answers, some missing: prorated up to the limit, invalid beyond it."""
    count, top = ITEMS[instrument]
    return st.lists(st.integers(0, top) | st.none(), min_size=count, max_size=count)


def reference_badge(summary: Any) -> str:
    """CLINICAL.md's outcome word for the first headline instrument with a later score."""
    for inst in headline_instruments():
        found = summary.get(inst.code)
        if found is not None and found.latest is not None:
            if found.change.remission:
                return "Remission"
            return {"response": "Response", "partial": "Partial"}.get(
                found.change.category,
                "Non-response" if found.change.category == "non-response" else "",
            )
    return ""


def reference_facts(db: Database, course_id: int) -> dict[str, Any]:
    """A course's list facts from its full timeline (the course view's loader) and SQL."""
    timeline = load_timeline(db, course_id)  # type: ignore[arg-type]
    summary = summarize(timeline)
    wanted = {i.code for i in (*list_instruments(), *headline_instruments())}
    latest = {
        s.instrument: s.most_recent.score.display_total
        for s in summary.instruments
        if s.instrument in wanted and s.most_recent is not None
    }
    with closing(raw_connect(db)) as conn:
        done = conn.execute(
            "SELECT count(*) FROM treatment_session WHERE course_id = ? AND deleted_at IS NULL",
            (course_id,),
        ).fetchone()[0]
        flags = conn.execute(
            "SELECT count(*) FROM assessment WHERE course_id = ? AND deleted_at IS NULL "
            "AND flag_open",
            (course_id,),
        ).fetchone()[0]
    return {
        "sessions_done": done,
        "latest": latest,
        "badge": reference_badge(summary),
        "open_flags": flags,
    }


class SummaryMachine(RuleBasedStateMachine):
    patients = Bundle("patients")
    courses_ = Bundle("courses")
    assessments = Bundle("assessments")
    sessions = Bundle("sessions")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="summaries-"))
        self.db = open_database(self.folder / "clinic.sqlite3", actor="model test")
        self.clock = datetime.combine(START, datetime.min.time()).replace(hour=8)
        self.versions: dict[int, int] = {}
        self.session_versions: dict[int, int] = {}
        self.n_patients = 0
        self.n_courses = 0
        self.outside: set[int] = set()
        """Courses another program wrote to: the only ones that may stay marked."""

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _tick(self) -> datetime:
        self.clock += timedelta(hours=20)
        return self.clock

    @precondition(lambda self: self.n_patients < 3)
    @rule(target=patients)
    def register(self) -> int:
        self.n_patients += 1
        n = self.n_patients
        return register_patient(self.db, PatientInput(f"SUM-{n}", f"Quorvane Test{n}")).id

    @precondition(lambda self: self.n_courses < 4)
    @rule(target=courses_, patient=patients, modality=st.sampled_from(list(Modality)[:2]))
    def start_course(self, patient: int, modality: Modality) -> int:
        self.n_courses += 1
        return courses.start_course(self.db, patient, modality, START, 6).id  # type: ignore[arg-type]

    @rule(target=assessments, course=courses_, data=st.data())
    def record(self, course: int, data: st.DataObject) -> int:
        instrument = data.draw(st.sampled_from(sorted(ITEMS)))
        entry = AssessmentInput(instrument, data.draw(answers(instrument)), self._tick())
        try:
            saved = record_assessment(self.db, course, entry)  # type: ignore[arg-type]
        except ValidationError:
            return -1  # e.g. an invalid baseline: refused whole, nothing saved
        self.versions[saved.record.id] = saved.record.version
        return saved.record.id

    @rule(target=sessions, course=courses_)
    def add_session(self, course: int) -> int:
        try:
            saved = record_session(self.db, course, SessionInput(self._tick()))  # type: ignore[arg-type]
        except ValidationError:
            return -1
        self.session_versions[saved.record.id] = saved.record.version
        return saved.record.id

    @rule(session=sessions)
    def remove_session(self, session: int) -> None:
        version = self.session_versions.pop(session, None)
        if version is not None:
            delete_session(self.db, session, expected_version=version)  # type: ignore[arg-type]

    @rule(assessment=assessments, data=st.data())
    def correct(self, assessment: int, data: st.DataObject) -> None:
        version = self.versions.get(assessment)
        if version is None:
            return
        instrument = self._instrument(assessment)
        try:
            correct_assessment(
                self.db,
                assessment,  # type: ignore[arg-type]
                data.draw(answers(instrument)),
                expected_version=version,
            )
        except ValidationError:
            return
        self.versions[assessment] = version + 1

    @rule(assessment=assessments)
    def delete(self, assessment: int) -> None:
        version = self.versions.pop(assessment, None)
        if version is not None:
            delete_assessment(self.db, assessment, expected_version=version)  # type: ignore[arg-type]

    @rule(assessment=assessments)
    def restore(self, assessment: int) -> None:
        if assessment < 0 or assessment in self.versions:
            return
        try:
            restore_assessment(self.db, assessment)  # type: ignore[arg-type]
        except ValidationError:
            return
        self.versions[assessment] = self._version(assessment)

    @rule(assessment=assessments)
    def act(self, assessment: int) -> None:
        if assessment not in self.versions:
            return
        try:
            record_safety_action(
                self.db,
                assessment,  # type: ignore[arg-type]
                SafetyActionKind.REVIEWED,
                when=self._tick(),
            )
        except ValidationError:
            return

    @rule(course=courses_)
    def end_or_reopen(self, course: int) -> None:
        info = courses.get_course(self.db, course)  # type: ignore[arg-type]
        if info.status == CourseStatus.ACTIVE:
            courses.end_course(
                self.db,
                course,
                CourseStatus.COMPLETED,
                START,
                expected_version=info.version,  # type: ignore[arg-type]
            )
        else:
            courses.reopen_course(self.db, course, expected_version=info.version)  # type: ignore[arg-type]

    @rule(assessment=assessments)
    def core_update_in_a_use_case(self, assessment: int) -> None:
        """A write path that knows nothing of summaries: a Core UPDATE in a transaction."""
        if assessment not in self.versions:
            return
        with self.db.write() as session:
            session.execute(
                update(Assessment)
                .where(Assessment.id == assessment)  # type: ignore[arg-type]
                .values(deleted_at=datetime(2026, 1, 1, tzinfo=UTC), version=Assessment.version + 1)
            )
        del self.versions[assessment]

    @rule(session=sessions)
    def another_program_deletes_a_session(self, session: int) -> None:
        """Written straight into the file: readers must compute the marked course."""
        if self.session_versions.pop(session, None) is None:
            return
        with closing(raw_connect(self.db)) as conn:
            found = conn.execute("SELECT course_id FROM treatment_session WHERE id = ?", (session,))
            self.outside.add(int(found.fetchone()[0]))
            conn.execute(
                "UPDATE treatment_session SET deleted_at = '2026-01-01 00:00:00', "
                "version = version + 1 WHERE id = ?",
                (session,),
            )
            conn.commit()

    def _instrument(self, assessment: int) -> str:
        with closing(raw_connect(self.db)) as conn:
            row = conn.execute("SELECT instrument FROM assessment WHERE id = ?", (assessment,))
            return str(row.fetchone()[0])

    def _version(self, assessment: int) -> int:
        with closing(raw_connect(self.db)) as conn:
            row = conn.execute("SELECT version FROM assessment WHERE id = ?", (assessment,))
            return int(row.fetchone()[0])

    @invariant()
    def stored_summaries_equal_the_reference(self) -> None:
        with closing(raw_connect(self.db)) as conn:
            dirty = {r[0] for r in conn.execute("SELECT course_id FROM summary_dirty")}
            stored = {
                r[0]: {
                    "sessions_done": r[1],
                    "latest": json.loads(r[2]),
                    "badge": r[3],
                    "open_flags": r[4],
                }
                for r in conn.execute(
                    "SELECT course_id, sessions_done, latest, badge, open_flags FROM course_summary"
                )
            }
            live = [r[0] for r in conn.execute("SELECT id FROM course WHERE deleted_at IS NULL")]
        assert dirty <= self.outside, "every write in the app leaves its courses recomputed"
        for course_id in live:
            if course_id in dirty:
                continue
            assert stored.get(course_id) == reference_facts(self.db, course_id), course_id

    @invariant()
    def every_list_row_equals_the_reference(self) -> None:
        for row in patient_list.patient_page(self.db, "", limit=100):
            if row.course_id is None:
                continue
            want = reference_facts(self.db, row.course_id)
            codes = [i.code for i in list_instruments()]
            assert row.sessions_done == want["sessions_done"]
            assert dict(row.latest_scores) == {
                c: v for c, v in want["latest"].items() if c in codes
            }
            assert row.badge == want["badge"]


SummaryMachine.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestStoredSummaries = SummaryMachine.TestCase


# -- one read per save: the service stores the facts from the course it read ------


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every statement SQL receives while the block runs."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _stored(db: Database, course_id: int) -> dict[str, Any] | None:
    with closing(raw_connect(db)) as conn:
        found = conn.execute(
            "SELECT sessions_done, latest, badge, open_flags, progress FROM course_summary "
            "WHERE course_id = ?",
            (course_id,),
        ).fetchone()
        marked = conn.execute("SELECT count(*) FROM summary_dirty").fetchone()[0]
    assert marked == 0, "the save left a course marked"
    if found is None:
        return None
    keys = ("sessions_done", "latest", "badge", "open_flags", "progress")
    return {**dict(zip(keys, found, strict=True)), "latest": json.loads(found[1])}


def _recomputed(db: Database, course_id: int) -> dict[str, Any]:
    with db.engine.connect() as conn:
        row = compute(conn, [course_id])[course_id].row()
    keys = ("sessions_done", "latest", "badge", "open_flags", "progress")
    return {k: json.loads(row[k]) if k == "latest" else row[k] for k in keys}


def _course_with_scores(db: Database) -> int:
    person = register_patient(db, PatientInput("ONE-1", "Quorvane Oneread"))
    course = courses.start_course(db, person.id, Modality.TMS, START, 6).id
    day = datetime.combine(START, datetime.min.time()).replace(hour=8)
    record_assessment(db, course, AssessmentInput("MADRS", [4] * 10, day))
    record_assessment(db, course, AssessmentInput("GAD7", [2] * 7, day))
    record_session(db, course, SessionInput(day + timedelta(hours=1)))
    return int(course)


def test_a_save_keeps_the_summary_from_its_own_read(db: Database) -> None:
    """The result and the stored facts come from one read: the commit hook's own read of
    the course (tagged) no longer runs, and the facts equal the hook's recomputation."""
    course = _course_with_scores(db)
    day = datetime.combine(START, datetime.min.time()).replace(hour=8) + timedelta(days=2)
    entry = AssessmentInput("MADRS", [1] * 9 + [3], day)  # item 10 endorsed: an open flag
    with statements(db) as seen:
        saved = record_assessment(db, course, entry)  # type: ignore[arg-type]
    assert not [s for s in seen if TAG in s], "the hook read the course again"
    assert len([s for s in seen if re.search(r"FROM assessment\s+WHERE", s)]) == 1
    assert _stored(db, course) == _recomputed(db, course)
    assert _stored(db, course)["open_flags"] == 1  # type: ignore[index]
    with statements(db) as seen:
        correct_assessment(db, saved.record.id, [0] * 10, expected_version=saved.record.version)
    assert not [s for s in seen if TAG in s]
    assert _stored(db, course) == _recomputed(db, course)


def test_a_change_after_the_saves_read_is_still_recomputed(db: Database) -> None:
    """A use case that writes again after reading the course (a later step of the same
    transaction) marks it again; the commit hook recomputes it."""
    course = _course_with_scores(db)
    day = datetime.combine(START, datetime.min.time()).replace(hour=8) + timedelta(days=3)
    with db.write() as session:
        row = add_assessment(
            session,
            live(session, Course, course, "course"),
            AssessmentInput("MADRS", [0] * 10, day),
        )
        assert read_after_write(session, course) is not None
        session.execute(
            update(Assessment)
            .where(Assessment.id == row.id)  # type: ignore[arg-type]
            .values(deleted_at=datetime(2026, 1, 1, tzinfo=UTC), version=Assessment.version + 1)
        )
    assert _stored(db, course) == _recomputed(db, course)
    assert _stored(db, course)["latest"]["MADRS"] == "40"  # type: ignore[index]


def test_a_row_changed_outside_the_app_leaves_the_facts_to_the_hook(db: Database) -> None:
    """A stored total that disagrees with its items: the course view re-scores it, the
    list's facts read stored totals; the save hands that course to the hook."""
    course = _course_with_scores(db)
    with closing(raw_connect(db)) as conn:
        conn.execute(
            "UPDATE assessment SET total = 3 WHERE course_id = ? AND instrument = 'MADRS'",
            (course,),
        )
        conn.commit()
    day = datetime.combine(START, datetime.min.time()).replace(hour=8) + timedelta(days=2)
    with statements(db) as seen:
        record_assessment(db, course, AssessmentInput("GAD7", [1] * 7, day))  # type: ignore[arg-type]
    assert [s for s in seen if TAG in s], "the hook recomputed the course"
    assert _stored(db, course) == _recomputed(db, course)
