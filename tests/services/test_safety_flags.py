"""Safety flags as a clinic meets them: new courses, corrections, worklists, tampered rows.

Each test is written in the order a clinic works (a flag raised, the course
ended, a new course started; a score typed, acted on, then corrected) and
reads the flag back from every place a clinician sees it: the course, the
patient list and the printed summary.
"""

from __future__ import annotations

import io
import re
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from engines import integrity_errors, raw_connect
from mbctracker.domain.course import CourseStatus, Modality, SafetyActionKind
from mbctracker.domain.timeline import CourseInfo, PatientInfo, summarize
from mbctracker.reports.output import render_summary
from mbctracker.services import courses, patient_list
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.summaries import settle_outside_changes
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database, hidden_flags

GENERATED = datetime(2026, 6, 1, 12, 0)


def page_texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def phq9(item9: int | None) -> list[int | None]:
    return [2, 2, 2, 2, 1, 1, 1, 1, item9]


def madrs(item10: int) -> list[int | None]:
    return [3, 3, 3, 2, 2, 2, 2, 2, 2, item10]


def _shown(db: Database, course_id: int, patient_id: int) -> tuple[int, int, int]:
    """Open flags as (course view, patient list row, PDF) see them."""
    timeline = load_timeline(db, course_id)  # type: ignore[arg-type]
    on_course = len(summarize(timeline).open_flags)
    rows = patient_list.patient_page(db, "", limit=500)
    on_list = next(r.open_flags for r in rows if r.patient_id == patient_id)
    text = " ".join(page_texts(render_summary(timeline, generated_at=GENERATED)))
    on_paper = 0
    if "No open safety flags." not in text:
        on_paper = int(text.split(" open safety flag(s)")[0].rsplit(" ", 1)[-1])
    return on_course, on_list, on_paper


def test_open_flag_follows_the_patient_into_a_new_course(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("MADRS", madrs(5), datetime(2026, 1, 5, 9))
    )
    assert saved.record.flag_open
    courses.end_course(
        db, course.id, CourseStatus.COMPLETED, date(2026, 2, 1), expected_version=course.version
    )
    second = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    assert _shown(db, second.id, patient.id) == (1, 1, 1)
    timeline = load_timeline(db, second.id)
    assert timeline.course_of(timeline.open_flags[0]).modality == Modality.IV_KETAMINE
    text = " ".join(page_texts(render_summary(timeline, generated_at=GENERATED)))
    assert "Open flags from the patient's other courses" in text
    assert "NO ACTION RECORDED" in text
    record_safety_action(db, saved.record.id, SafetyActionKind.SAFETY_PLAN, when=GENERATED)
    assert _shown(db, second.id, patient.id) == (0, 0, 0)


def test_a_correction_that_escalates_needs_its_own_action(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(1), datetime(2026, 1, 5, 9))
    )
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    assert _shown(db, course.id, patient.id) == (0, 0, 0)
    fixed = correct_assessment(db, saved.record.id, phq9(3), expected_version=saved.record.version)
    assert fixed.record.score.safety_tier == 2
    assert fixed.record.flag_open, "an action for tier 1 cannot close a tier 2 flag"
    assert _shown(db, course.id, patient.id) == (1, 1, 1)
    record_safety_action(
        db, saved.record.id, SafetyActionKind.STRUCTURED_ASSESSMENT, when=GENERATED
    )
    assert _shown(db, course.id, patient.id) == (0, 0, 0)


def test_unanswered_then_endorsed_reopens_and_a_lower_tier_stays_closed(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(None), datetime(2026, 1, 5, 9))
    )
    assert saved.record.score.safety_reason == "unanswered" and saved.record.flag_open
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    endorsed = correct_assessment(db, saved.record.id, phq9(1), expected_version=1)
    assert endorsed.record.flag_open, "asked and endorsed is a new signal"
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    lower = correct_assessment(db, saved.record.id, phq9(None), expected_version=2)
    assert not lower.record.flag_open, "a lesser signal is answered by the earlier action"


def test_a_correction_that_removes_the_flag_keeps_its_history(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(2), datetime(2026, 1, 5, 9))
    )
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, "seen", when=GENERATED)
    fixed = correct_assessment(db, saved.record.id, phq9(0), expected_version=1)
    assert not fixed.record.score.safety_flag and not fixed.record.flag_open
    assert [a.kind for a in fixed.record.actions] == [SafetyActionKind.REVIEWED]


def test_the_worklist_lists_flagged_patients_first_and_alone(db: Database) -> None:
    names = ["Ada Alpha", "Ben Beta", "Cy Gamma", "Di Delta"]
    people = [register_patient(db, PatientInput(f"W-{i}", n)) for i, n in enumerate(names)]
    started = {
        p.id: courses.start_course(db, p.id, Modality.ECT, date(2026, 1, 2), 12) for p in people
    }
    for p in (people[1], people[3]):  # Ben and Di have open flags
        record_assessment(
            db, started[p.id].id, AssessmentInput("PHQ9", phq9(1), datetime(2026, 1, 2, 9))
        )
    flagged = patient_list.ListFilter(flagged_only=True)
    assert [r.name for r in patient_list.patient_page(db, flagged)] == ["Ben Beta", "Di Delta"]
    assert patient_list.count_patients(db, flagged) == 2
    first = patient_list.ListFilter(flags_first=True)
    order = ["Ben Beta", "Di Delta", "Ada Alpha", "Cy Gamma"]
    assert [r.name for r in patient_list.patient_page(db, first)] == order
    paged = [patient_list.patient_page(db, first, offset=i, limit=1)[0].name for i in range(4)]
    assert paged == order, "pages stitch across the flagged/unflagged boundary"
    assert patient_list.open_flag_totals(db) == (2, 2)


def _tamper(db: Database, sql: str) -> None:
    with closing(raw_connect(db)) as conn:
        conn.execute(sql)
        conn.commit()


@pytest.mark.parametrize(
    ("sql", "flag_open", "total"),
    [
        ("UPDATE assessment SET total = 3", True, 15),
        ("UPDATE assessment SET safety_flag = FALSE, safety_tier = NULL, flag_level = 0", True, 15),
        ("UPDATE assessment SET responses = '[2,2,2,2,1,1,1,1,0]', total = 12", True, 12),
        ("UPDATE assessment SET responses = '[9,9,9]'", True, None),
        ("UPDATE assessment SET responses = 'not json'", True, None),
    ],
)
def test_a_tampered_row_is_named_and_never_hides_a_flag(
    db: Database,
    db_path: Path,
    patient: PatientInfo,
    course: CourseInfo,
    sql: str,
    flag_open: bool,
    total: int | None,
) -> None:
    record_assessment(db, course.id, AssessmentInput("PHQ9", phq9(3), datetime(2026, 1, 5, 9)))
    if db.on_server and "not json" in sql:  # jsonb (migration 0013): the server refuses it
        with pytest.raises(integrity_errors()):
            _tamper(db, sql)
        assert not load_timeline(db, course.id).integrity_warnings
        return
    _tamper(db, sql)
    timeline = load_timeline(db, course.id)
    record = timeline.assessments[0]
    assert record.integrity_warning
    assert record.flag_open is flag_open
    assert record.score.total == total
    text = " ".join(page_texts(render_summary(timeline, generated_at=GENERATED)))
    assert "Warning: 1 stored record(s) disagree with their items." in text


def test_a_consistent_row_has_no_warning(db: Database, course: CourseInfo) -> None:
    record_assessment(db, course.id, AssessmentInput("PHQ9", phq9(0), datetime(2026, 1, 5, 9)))
    assert load_timeline(db, course.id).integrity_warnings == []


def test_deleting_a_course_or_patient_never_hides_an_open_flag(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    """A course "opened in error" that holds an open flag: the flag must stay in sight."""
    from mbctracker.domain.errors import ValidationError
    from mbctracker.services.patients import delete_patient, get_patient

    saved = record_assessment(
        db, course.id, AssessmentInput("MADRS", madrs(5), datetime(2026, 1, 5, 9))
    )
    second = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    with pytest.raises(ValidationError, match=r"open safety flag.*MADRS of 2026-01-05") as err:
        courses.delete_course(db, course.id, expected_version=course.version)
    assert err.value.field == "course"
    with pytest.raises(ValidationError, match="open safety flag") as err:
        delete_patient(db, patient.id, expected_version=get_patient(db, patient.id).version)
    assert err.value.field == "patient"
    assert _shown(db, second.id, patient.id) == (1, 1, 1)
    assert patient_list.open_flag_totals(db) == (1, 1)
    # Once acted on, both can go (and come back with their history).
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    courses.delete_course(db, course.id, expected_version=courses.get_course(db, course.id).version)
    courses.restore_course(db, course.id)
    delete_patient(db, patient.id, expected_version=get_patient(db, patient.id).version)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE assessment SET flag_open = TRUE",
        "UPDATE assessment SET safety_tier = 2, flag_level = 3, flag_open = TRUE",
        "UPDATE assessment SET safety_flag = FALSE, safety_tier = NULL, flag_level = 0,"
        " flag_open = TRUE",
    ],
)
def test_a_row_stored_as_open_is_open_on_the_list_and_the_course_alike(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo, sql: str
) -> None:
    """The list reads the stored ``flag_open``; the course re-scores. A row changed
    outside the app to claim an open flag is open in both, and one action closes both.

    Item 9 = 1 is acted on first, so only the stored claim says "open".
    """
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(1), datetime(2026, 1, 5, 9))
    )
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    _tamper(db, sql)
    second = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    assert _shown(db, course.id, patient.id) == (1, 1, 1)
    assert _shown(db, second.id, patient.id) == (1, 1, 1)
    record_safety_action(db, saved.record.id, SafetyActionKind.SAFETY_PLAN, when=GENERATED)
    assert _shown(db, second.id, patient.id) == (0, 0, 0)


@pytest.mark.parametrize(
    "sql",
    ["UPDATE assessment SET flag_level = 3", "UPDATE assessment SET safety_tier = 2"],
)
def test_a_row_claiming_a_higher_level_reopens_on_every_course(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo, sql: str
) -> None:
    """Flag columns raised outside the app: the course takes the higher level (with a
    warning), on its own banner and on the patient's other courses; an action closes it."""
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(1), datetime(2026, 1, 5, 9))
    )
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    _tamper(db, sql)
    second = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    assert load_timeline(db, course.id).assessments[0].integrity_warning
    assert len(load_timeline(db, course.id).open_flags) == 1
    assert len(load_timeline(db, second.id).open_flags) == 1
    record_safety_action(db, saved.record.id, SafetyActionKind.SAFETY_PLAN, when=GENERATED)
    assert _shown(db, second.id, patient.id) == (0, 0, 0)


def test_a_row_whose_flag_was_cleared_still_flags_on_every_course_and_can_be_answered(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo
) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(3), datetime(2026, 1, 5, 9))
    )
    _tamper(db, "UPDATE assessment SET safety_flag = FALSE, safety_tier = NULL, flag_level = 0")
    second = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    assert len(load_timeline(db, course.id).open_flags) == 1
    assert len(load_timeline(db, second.id).open_flags) == 1
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    assert load_timeline(db, second.id).open_flags == []


_OUTSIDE = [
    pytest.param("UPDATE assessment SET responses = '[2,2,2,2,1,1,1,1,2]'", 3, id="item9-2"),
    pytest.param("UPDATE assessment SET responses = '[2,2,2,2,1,1,1,1,null]'", 1, id="item9-blank"),
    pytest.param("UPDATE assessment SET responses = '[9,9,9]'", 1, id="damaged-items"),
    pytest.param(
        "UPDATE assessment SET safety_flag = TRUE, safety_reason = 'endorsed', safety_tier = 2",
        3,
        id="flag-columns",
    ),
]


def _logged_raises(db: Database) -> list[tuple[str, int]]:
    with closing(raw_connect(db)) as conn:
        rows = conn.execute(
            "SELECT actor, record_id FROM change_log WHERE table_name = 'assessment' "
            "AND actor = ? ORDER BY id",
            (hidden_flags.ACTOR,),
        ).fetchall()
    return [(str(a), int(r)) for a, r in rows]


@pytest.mark.parametrize(("sql", "level"), _OUTSIDE)
def test_a_flag_another_program_wrote_into_the_items_reaches_the_list_when_the_app_looks(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo, sql: str, level: int
) -> None:
    """A script sets item 9 of a clean PHQ-9: the course view re-scores and shows the
    flag, and the list, the worklist and the status bar must too, once the app looks."""
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(0), datetime(2026, 1, 5, 9))
    )
    _tamper(db, f"{sql} WHERE id = {saved.record.id}")
    assert settle_outside_changes(db) == 1
    assert _shown(db, course.id, patient.id) == (1, 1, 1)
    assert patient_list.open_flag_totals(db) == (1, 1)
    assert [
        r.patient_id
        for r in patient_list.patient_page(db, patient_list.ListFilter(flagged_only=True))
    ] == [patient.id]
    assert _logged_raises(db) == [(hidden_flags.ACTOR, saved.record.id)]
    assert settle_outside_changes(db) == 0, "settled once, then nothing to do"
    record_safety_action(db, saved.record.id, SafetyActionKind.REVIEWED, when=GENERATED)
    assert _shown(db, course.id, patient.id) == (0, 0, 0)
    assert load_timeline(db, course.id).assessments[0].score.flag_level == level


def test_another_workstations_commit_raises_the_hidden_flag_too(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo
) -> None:
    """Any commit drains the named courses (another desk's save may come first): it
    must raise the flag, not recompute the summary and forget the course."""
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(0), datetime(2026, 1, 5, 9))
    )
    _tamper(
        db, f"UPDATE assessment SET responses = '[2,2,2,2,1,1,1,1,3]' WHERE id = {saved.record.id}"
    )
    register_patient(db, PatientInput("SYN-OTHER", "Synthetic Other", date(1980, 2, 2)))
    assert _shown(db, course.id, patient.id) == (1, 1, 1)
    assert settle_outside_changes(db) == 0


def test_an_answered_flag_and_a_flag_lowered_outside_stay_as_the_clinician_left_them(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo
) -> None:
    """Only a level above every recorded action reopens; nothing is ever closed here."""
    answered = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(2), datetime(2026, 1, 5, 9))
    )
    record_safety_action(db, answered.record.id, SafetyActionKind.SAFETY_PLAN, when=GENERATED)
    open_one = record_assessment(
        db, course.id, AssessmentInput("MADRS", madrs(5), datetime(2026, 1, 6, 9))
    )
    _tamper(db, f"UPDATE assessment SET rater = 'script' WHERE id = {answered.record.id}")
    lowered = "UPDATE assessment SET responses = '[3,3,3,2,2,2,2,2,2,0]' WHERE id = "
    _tamper(db, f"{lowered}{open_one.record.id}")
    assert settle_outside_changes(db) == 1
    assert _logged_raises(db) == []
    assert _shown(db, course.id, patient.id) == (1, 1, 1), "the MADRS flag stays open"


def test_rebuild_summaries_raises_a_flag_even_when_the_outside_change_hid_its_trail(
    db: Database, db_path: Path, patient: PatientInfo, course: CourseInfo
) -> None:
    """A program that also cleared ``summary_dirty`` left no course named: the
    maintenance command looks at every course's items."""
    from mbctracker.services.summaries import rebuild_summaries

    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", phq9(0), datetime(2026, 1, 5, 9))
    )
    _tamper(
        db, f"UPDATE assessment SET responses = '[2,2,2,2,1,1,1,1,2]' WHERE id = {saved.record.id}"
    )
    _tamper(db, "DELETE FROM summary_dirty")
    assert settle_outside_changes(db) == 0, "nothing named: nothing to settle"
    assert _shown(db, course.id, patient.id)[1] == 0
    rebuild_summaries(db)
    assert _shown(db, course.id, patient.id) == (1, 1, 1)
