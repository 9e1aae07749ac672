"""Bad input everywhere: each is refused with a message naming the field and what is
allowed, and nothing is half-saved (row counts of every table unchanged).

Run with ``-s`` to print every input tried and the message it produced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from engines import raw_connect
from mbctracker.domain import DomainError, ScoringError, ValidationError
from mbctracker.domain.course import (
    AssessmentId,
    CourseId,
    DropoutReason,
    EventKind,
    Modality,
    Phase,
    SafetyActionKind,
    SessionId,
    Timepoint,
)
from mbctracker.domain.limits import NAME_MAX, NOTES_MAX, SHORT_TEXT_MAX
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services import courses, events, patients
from mbctracker.services.assessments import (
    AssessmentInput,
    add_assessment,
    correct_assessment,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.sessions import (
    SessionInput,
    UnconfirmedWarningsError,
    add_session,
    record_session,
)
from mbctracker.storage import Database
from mbctracker.storage.tables import Course

TABLES = (
    "patient",
    "course",
    "treatment_session",
    "assessment",
    "event",
    "safety_action",
    "change_log",
)
TOMORROW = datetime.now() + timedelta(days=1, hours=12)
"""Tomorrow and then some: read at import, a plain "now + 1 day" had become today by the
time a suite that crossed midnight reached the date-of-birth case (and it was accepted)."""


def counts(db: Database) -> dict[str, int]:
    with closing(raw_connect(db)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@dataclass(frozen=True)
class Case:
    """One bad input: what is tried, the field the error must name, and words it must hold."""

    label: str
    attempt: Callable[[Database, PatientInfo, CourseInfo], object]
    field: str
    says: tuple[str, ...]
    error: type[DomainError] = ValidationError
    prepare: Callable[[Database, CourseInfo], object] | None = None
    """Valid saves made first (not counted), e.g. the sessions a date is checked against."""


def _assess(instrument: str, responses: list[object], when: datetime | None = None, **kw: object):
    moment = when or datetime(2026, 1, 6, 9)

    def attempt(db: Database, _p: PatientInfo, course: CourseInfo) -> object:
        data = AssessmentInput(instrument, responses, moment, **kw)  # type: ignore[arg-type]
        return record_assessment(db, course.id, data)

    return attempt


def _session(details: dict[str, object], when: datetime = datetime(2026, 1, 6, 10), **kw: object):
    def attempt(db: Database, _p: PatientInfo, course: CourseInfo) -> object:
        return record_session(db, course.id, SessionInput(when, details, **kw))  # type: ignore[arg-type]

    return attempt


def _register(mrn: str, name: str = "Synthetic Delta", born: date | None = None):
    def attempt(db: Database, _p: PatientInfo, _c: CourseInfo) -> object:
        return patients.register_patient(db, patients.PatientInput(mrn, name, born))

    return attempt


def _two_sessions(db: Database, course: CourseInfo) -> None:
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10)))
    record_session(db, course.id, SessionInput(datetime(2026, 1, 8, 10)))
    data = AssessmentInput("PHQ9", [1] * 9, datetime(2026, 1, 6, 9), session_id=SessionId(1))
    record_assessment(db, course.id, data)


def _late_assessment_for_session_1(db: Database, _p: PatientInfo, course: CourseInfo) -> None:
    data = AssessmentInput("PHQ9", [1] * 9, datetime(2026, 1, 9, 9), session_id=SessionId(1))
    record_assessment(db, course.id, data)


def _correction_dated_after_session_2(db: Database, _p: PatientInfo, course: CourseInfo) -> None:
    correct_assessment(db, AssessmentId(1), [2] * 9, expected_version=1, when=datetime(2026, 1, 9))


CASES = [
    Case("PHQ-9 item 4 = 4", _assess("PHQ9", [1, 1, 1, 4, 1, 1, 1, 1, 0]), "item4",
         ("item 4", "0-3", "got 4"), ScoringError),
    Case("PHQ-9 item 1 = -1", _assess("PHQ9", [-1, 1, 1, 1, 1, 1, 1, 1, 0]), "item1",
         ("0-3", "got -1"), ScoringError),
    Case("MADRS item 10 = 7", _assess("MADRS", [1] * 9 + [7]), "item10",
         ("Suicidal thoughts", "0-6"), ScoringError),
    Case("CGI-S = 8", _assess("CGIS", [8]), "item1", ("0-7",), ScoringError),
    Case("GAD-7 item 2 = '2' (text)", _assess("GAD7", [1, "2", 1, 1, 1, 1, 1]), "item2",
         ("whole number",), ScoringError),
    Case("GAD-7 item 3 = 1.5", _assess("GAD7", [1, 1, 1.5, 1, 1, 1, 1]), "item3",
         ("whole number",), ScoringError),
    Case("PHQ-9 with 8 answers", _assess("PHQ9", [1] * 8), "responses",
         ("needs 9", "got 8"), ScoringError),
    Case("GAD-7 with 9 answers", _assess("GAD7", [1] * 9), "responses",
         ("needs 7", "got 9"), ScoringError),
    Case("assessment dated tomorrow", _assess("PHQ9", [1] * 9, TOMORROW), "when", ("future",)),
    Case("assessment before birth", _assess("PHQ9", [1] * 9, datetime(1979, 1, 1)), "when",
         ("before the date of birth", "1980-05-17")),
    Case("baseline PHQ-9 with 3 blanks",
         _assess("PHQ9", [None, None, None, 1, 1, 1, 1, 1, 0], timepoint=Timepoint.BASELINE),
         "timepoint", ("at most 2 of 9",)),
    Case("assessment for session 1 dated after session 2", _late_assessment_for_session_1,
         "when", ("session 1", "after session 2"), prepare=_two_sessions),
    Case("correction moving the date after session 2", _correction_dated_after_session_2,
         "when", ("after session 2",), prepare=_two_sessions),
    Case("session dated tomorrow", _session({}, TOMORROW), "when", ("future",)),
    Case("session before the course start", _session({}, datetime(2026, 1, 1, 10)), "when",
         ("before the course start", "2026-01-05")),
    Case("dose 6 mg/kg", _session({"dose_mg_per_kg": 6.0}), "dose_mg_per_kg",
         ("impossible", "allowed 0.01-5 mg/kg")),
    Case("systolic BP 350", _session({"bp_before_sys": 350}), "bp_before_sys",
         ("impossible", "allowed 40-300 mmHg")),
    Case("BP 90/95", _session({"bp_before_sys": 90, "bp_before_dia": 95}), "bp_before_dia",
         ("below systolic",)),
    Case("systolic BP 120.5", _session({"bp_before_sys": 120.5}), "bp_before_sys",
         ("whole number",)),
    Case("dose typed as text", _session({"dose_mg_per_kg": "half"}), "dose_mg_per_kg",
         ("must be a number",)),
    Case("unknown session field", _session({"dose_mgkg": 0.5}), "dose_mgkg",
         ("allowed: dose_mg_per_kg",)),
    Case("unlisted side effect", _session({}, side_effects=("hiccups",)), "side_effects",
         ("allowed: nausea/vomiting",)),
    Case("empty MRN", _register("   "), "mrn", ("MRN is required",)),
    Case("duplicate MRN (other case, spaces)", _register(" mrn-0001 "), "mrn",
         ("mrn-0001", "already used")),
    Case("empty name", _register("SYN-9", "  "), "name", ("Name is required",)),
    Case("date of birth tomorrow", _register("SYN-9", born=TOMORROW.date()), "date_of_birth",
         ("future",)),
    Case("date of birth 1850", _register("SYN-9", born=date(1850, 1, 1)), "date_of_birth",
         ("1900",)),
    Case("0 planned sessions",
         lambda db, p, _c: courses.start_course(db, p.id, Modality.TMS, date(2026, 2, 1), 0),
         "planned_sessions", ("1-500",)),
    Case("course starting before birth",
         lambda db, p, _c: courses.start_course(db, p.id, Modality.TMS, date(1979, 2, 1), 30),
         "start_date", ("before the date of birth",)),
    Case("dropout without a reason",
         lambda db, _p, c: events.record_event(db, c.id, EventKind.DROPOUT, date(2026, 2, 1)),
         "reason", ("logistical", "side effects")),
]  # fmt: skip

MB = 1_000_000


def _patient_with(**fields: object):
    def attempt(db: Database, _p: PatientInfo, _c: CourseInfo) -> object:
        data = patients.PatientInput("SYN-9", "Synthetic Echo", date(1990, 2, 3), **fields)  # type: ignore[arg-type]
        return patients.register_patient(db, data)

    return attempt


def _course(start: object = date(2026, 2, 1), planned: object = 6, **kw: object):
    def attempt(db: Database, p: PatientInfo, _c: CourseInfo) -> object:
        rest = dict(kw)  # not kw.pop: the case runs once per engine
        modality = rest.pop("modality", Modality.TMS)
        return courses.start_course(db, p.id, modality, start, planned, **rest)  # type: ignore[arg-type]

    return attempt


def _event(when: object, kind: object = EventKind.ADVERSE_EVENT, **kw: object):
    def attempt(db: Database, _p: PatientInfo, course: CourseInfo) -> object:
        return events.record_event(db, course.id, kind, when, **kw)  # type: ignore[arg-type]

    return attempt


def _flagged(db: Database, course: CourseInfo) -> None:
    """PHQ-9 with item 9 = 2 on 2026-01-06 09:00: a flag to act on (assessment 1)."""
    data = AssessmentInput("PHQ9", [1] * 8 + [2], datetime(2026, 1, 6, 9))
    record_assessment(db, course.id, data)


def _action(when: object = None, kind: object = SafetyActionKind.REVIEWED, text: object = ""):
    def attempt(db: Database, _p: PatientInfo, _c: CourseInfo) -> object:
        return record_safety_action(db, AssessmentId(1), kind, text, when=when)  # type: ignore[arg-type]

    return attempt


def _one_session(db: Database, course: CourseInfo) -> None:
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10)))


BAD_BOUNDARY_INPUT = [
    # sizes (limits in domain/limits.py, named in the message)
    Case("1 MB name", _register("SYN-9", "N" * MB), "name", ("Name:", "too long", "at most 200")),
    Case("65-character MRN", _register("M" * 65), "mrn", ("MRN:", "at most 64")),
    Case("20 MB patient notes", _patient_with(notes="n" * 20 * MB), "notes",
         ("Notes:", "20,000,000 characters", "at most 10,000")),
    Case("20 MB course notes", _course(notes="n" * 20 * MB), "notes", ("at most 10,000",)),
    Case("20 MB session notes", _session({}, notes="n" * 20 * MB), "notes",
         ("Session notes:", "at most 10,000")),
    Case("501-character side-effect text", _session({}, side_effects_text="s" * 501),
         "side_effects_text", ("at most 500",)),
    Case("1 MB event description", _event(date(2026, 1, 7), description="d" * MB),
         "description", ("Description:", "at most 10,000")),
    Case("1 MB rater", _assess("PHQ9", [1] * 9, rater="r" * MB), "rater", ("at most 200",)),
    Case("20 MB safety action text",
         _action(datetime(2026, 1, 6, 10), SafetyActionKind.OTHER, "t" * 20 * MB),
         "text", ("Action taken:", "at most 500"), prepare=_flagged),
    # control characters
    Case("NUL in a name", _register("SYN-9", "Synthetic\x00Echo"), "name",
         ("control character (U+0000)", "allowed: printable text")),
    Case("newline in an MRN", _register("SYN\n9"), "mrn", ("U+000A", "no line breaks")),
    Case("escape sequence in notes", _patient_with(notes="ok\x1b[31m"), "notes",
         ("U+001B", "line breaks and tabs")),
    Case("lone surrogate in a name", _register("SYN-9", "Echo \ud800"), "name", ("U+D800",)),
    Case("NUL in an event description", _event(date(2026, 1, 7), description="a\x00b"),
         "description", ("U+0000",)),
    Case("bell in a session detail", _session({"route": "IV\x07"}), "route", ("U+0007",)),
    # dates out of range
    Case("event in year 1", _event(date(1, 1, 1)), "when",
         ("Event date:", "too early", "1900-01-01")),
    Case("event before birth", _event(date(1979, 6, 1)), "when",
         ("before the date of birth (1980-05-17)",)),
    Case("event before the course", _event(date(2025, 12, 31)), "when",
         ("before the course start (2026-01-05)",)),
    Case("dropout dated before the course",
         _event(date(2025, 12, 31), EventKind.DROPOUT, reason=DropoutReason.COST), "when",
         ("before the course start",)),
    Case("course starting in year 1 (no birth date known)",
         lambda db, _p, _c: courses.start_course(
             db, patients.get_patient_by_mrn(db, "SYN-8").id, Modality.ECT, date(1, 1, 1), 6),
         "start_date", ("too early", "1900-01-01"),
         prepare=lambda db, _c: patients.register_patient(db, patients.PatientInput("SYN-8", "A"))),
    Case("assessment dated 1900 on a 2026 course",
         _assess("PHQ9", [1] * 9, datetime(1900, 1, 2, 9)), "when",
         ("Assessment date:", "before the date of birth")),
    Case("assessment dated 2020 on a 2026 course",
         _assess("PHQ9", [1] * 9, datetime(2020, 1, 2, 9)), "when",
         ("Assessment date:", "baseline window", "90 days", "2026-01-05")),
    Case("baseline 91 days before the course start",
         _assess("PHQ9", [1] * 9, datetime(2025, 10, 6, 9), timepoint=Timepoint.BASELINE),
         "when", ("allowed: from 2025-10-07",)),
    Case("safety action dated before its assessment", _action(datetime(2026, 1, 6, 8, 59)),
         "when", ("Action time:", "before the assessment it answers (2026-01-06 09:00)"),
         prepare=_flagged),
    Case("safety action dated tomorrow", _action(TOMORROW), "when", ("future",), prepare=_flagged),
    # session numbers
    Case("session number 0", _session({}, number=0), "number", ("Session number:", "1-10000")),
    Case("session number -3", _session({}, number=-3), "number", ("out of range",)),
    Case("session number its date does not give", _session({}, datetime(2026, 1, 7, 10), number=1),
         "number", ("1 does not match the session's date", "allowed: 2 for a session on 2026-01"),
         prepare=_one_session),
    Case("session number 2.0", _session({}, number=2.0), "number", ("whole number",)),
    # planned sessions and other ints
    Case("2.5 planned sessions", _course(planned=2.5), "planned_sessions",
         ("Planned sessions:", "whole number", "2.5", "1-500")),
    Case("True planned sessions", _course(planned=True), "planned_sessions", ("True", "1-500")),
    Case("'3' planned sessions", _course(planned="3"), "planned_sessions", ("'3'",)),
    Case("501 planned sessions", _course(planned=501), "planned_sessions", ("1-500",)),
    Case("course id as text",
         lambda db, _p, _c: events.record_event(db, "1", EventKind.ED_VISIT, date(2026, 1, 7)),  # type: ignore[arg-type]
         "id", ("whole number",)),
    Case("session id as text", _assess("PHQ9", [1] * 9, session_id="1"), "session_id",
         ("whole number",), prepare=_one_session),
    # datetimes and dates at the boundary
    Case("timezone-aware session time", _session({}, datetime(2026, 1, 6, 10, tzinfo=UTC)), "when",
         ("carries a timezone", "allowed: a local date and time")),
    Case("plain date for an assessment time", _assess("PHQ9", [1] * 9, date(2026, 1, 6)), "when",  # type: ignore[arg-type]
         ("needs a date and a time", "2026, 1, 6")),
    Case("text for a session time", _session({}, "2026-01-06 10:00"), "when",  # type: ignore[arg-type]
         ("needs a date and a time",)),
    Case("aware correction time",
         lambda db, _p, _c: correct_assessment(db, AssessmentId(1), [1] * 9, expected_version=1,
                                               when=datetime(2026, 1, 6, 9, tzinfo=UTC)),
         "when", ("carries a timezone",), prepare=_flagged),
    Case("datetime for a course start date", _course(start=datetime(2026, 2, 1, 9)), "start_date",
         ("without a time",)),
    Case("text for a birth date", _register("SYN-9", born="1990-02-03"), "date_of_birth",  # type: ignore[arg-type]
         ("without a time", "'1990-02-03'")),
    # unknown enum values list the allowed ones
    Case("modality 'laser'", _course(modality="laser"), "modality",
         ("Modality:", "'laser' is not one of the choices", "iv_ketamine, im_ketamine")),
    Case("event kind 'fall'", _event(date(2026, 1, 7), "fall"), "kind",
         ("hospitalization, ed_visit",)),
    Case("dropout reason 'bored'", _event(date(2026, 1, 7), EventKind.DROPOUT, reason="bored"),
         "reason", ("logistical, side_effects",)),
    Case("timepoint 'screening'", _assess("PHQ9", [1] * 9, timepoint="screening"), "timepoint",
         ("baseline, pre_session, follow_up",)),
    Case("sex 'x'", _patient_with(sex="x"), "sex", ("Sex:", "female, male, other, unknown")),
    Case("comorbidity 'flu'", _patient_with(comorbidities=["flu"]), "comorbidities",
         ("anxiety_disorder",)),
    Case("comorbidities as one string", _patient_with(comorbidities="ptsd"), "comorbidities",
         ("must be a list",)),
    Case("action kind 'called'", _action(datetime(2026, 1, 6, 10), "called"), "kind",
         ("reviewed, safety_plan",), prepare=_flagged),
    Case("phase 'taper'",
         lambda db, _p, c: courses.set_phase(db, c.id, "taper", expected_version=c.version),  # type: ignore[arg-type]
         "phase", ("induction, continuation",)),
    Case("end status 'paused'",
         lambda db, _p, c: courses.end_course(db, c.id, "paused", date(2026, 2, 1),  # type: ignore[arg-type]
                                              expected_version=c.version),
         "status", ("active, completed, discontinued",)),
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_BOUNDARY_INPUT, ids=[c.label for c in BAD_BOUNDARY_INPUT])
def test_bad_input_at_the_services_boundary_is_one_plain_message(
    db: Database, patient: PatientInfo, course: CourseInfo, case: Case
) -> None:
    """Issue 8 section 4: sizes, control characters, dates, numbers, types and choices.

    Every message has the uniform shape "<Field label>: <what is wrong>; allowed: <...>".
    """
    message = _refused_whole(db, patient, course, case)
    assert "; allowed: " in message and not message.startswith(":"), message


def test_limits_and_allowed_characters_are_accepted_at_the_edge(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    """The limits refuse only what is over them: exactly at the limit, newlines, tabs."""
    notes = "line one\r\n\tline two " + "é" * (NOTES_MAX - 30)
    saved = patients.register_patient(
        db, patients.PatientInput("M" * 64, "N" * NAME_MAX, date(1990, 1, 1), notes=notes)
    )
    assert saved.notes.startswith("line one\n\tline two")
    assert len(saved.name) == NAME_MAX
    longest = SessionInput(datetime(2026, 1, 6, 10), side_effects_text="s" * SHORT_TEXT_MAX)
    session = record_session(db, course.id, longest)
    assert session.record.number == 1
    second = record_session(db, course.id, SessionInput(datetime(2026, 1, 7, 10), number=2))
    assert second.record.number == 2
    baseline = AssessmentInput("PHQ9", [1] * 9, datetime(2025, 10, 7, 9), Timepoint.BASELINE)
    assert record_assessment(db, course.id, baseline).record.timepoint == Timepoint.BASELINE
    started = courses.start_course(db, patient.id, "tms", date(2026, 1, 10), 30)  # type: ignore[arg-type]
    assert started.modality == Modality.TMS and started.planned_sessions == 30
    event = events.record_event(db, CourseId(course.id), "ed_visit", date(2026, 1, 5))  # type: ignore[arg-type]
    assert event.kind == EventKind.ED_VISIT
    assert courses.set_phase(db, started.id, Phase.MAINTENANCE, expected_version=1).phase == (
        Phase.MAINTENANCE
    )


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_bad_input_is_refused_whole_with_a_message_naming_the_field(
    db: Database, patient: PatientInfo, course: CourseInfo, case: Case
) -> None:
    _refused_whole(db, patient, course, case)


def _refused_whole(db: Database, patient: PatientInfo, course: CourseInfo, case: Case) -> str:
    """Run ``case``; check the error, its field and words, and that nothing was written."""
    if case.prepare is not None:
        case.prepare(db, course)
    before = counts(db)
    with pytest.raises(DomainError) as caught:
        case.attempt(db, patient, course)
    assert isinstance(caught.value, case.error), caught.value
    assert caught.value.field == case.field
    message = str(caught.value)
    for words in case.says:
        assert words in message
    assert counts(db) == before, "nothing may be half-saved"
    print(f"{case.label}: [{case.field}] {message}")
    return message


@pytest.mark.parametrize(
    ("details", "warning"),
    [
        ({"dose_mg_per_kg": 2.0}, "Dose of 2 mg/kg is unusual (plausible 0.1-1.5 mg/kg)"),
        ({"bp_peak_sys": 205}, "BP peak, systolic of 205 mmHg is unusual (plausible 80-200 mmHg)"),
        ({"duration_min": 5}, "Infusion duration of 5 min is unusual (plausible 20-100 min)"),
    ],
)
def test_implausible_values_are_saved_only_once_confirmed_with_the_warning_kept(
    db: Database, course: CourseInfo, details: dict[str, object], warning: str
) -> None:
    before = counts(db)
    entered = SessionInput(datetime(2026, 1, 6, 10), details)
    with pytest.raises(UnconfirmedWarningsError, match=re.escape(warning)):
        record_session(db, course.id, entered)
    assert counts(db) == before
    result = record_session(db, course.id, entered, acknowledge_warnings=True)
    assert result.warnings == (warning,)
    assert [w.text for w in result.record.warnings] == [warning]
    assert counts(db)["treatment_session"] == before["treatment_session"] + 1
    print(f"warned, confirmed, saved: {warning}")


def test_a_bad_assessment_rolls_back_its_session_saved_in_the_same_transaction(
    db: Database, course: CourseInfo
) -> None:
    before = counts(db)
    with pytest.raises(ScoringError), db.write() as session:
        row = session.get(Course, course.id)
        assert row is not None
        saved, _ = add_session(session, row, SessionInput(datetime(2026, 1, 6, 10)))
        good = AssessmentInput(
            "GAD7", [1] * 7, datetime(2026, 1, 6, 9), session_id=SessionId(saved.id or 0)
        )
        add_assessment(session, row, good)
        bad = AssessmentInput("PHQ9", [1] * 9 + [1], datetime(2026, 1, 6, 9))
        add_assessment(session, row, bad)
    assert counts(db) == before


def test_text_refuses_exactly_the_control_and_surrogate_characters() -> None:
    """Every code point of Unicode categories Cc and Cs is refused in a one-line text (the
    fast check must agree with the character-by-character rule), and no other one is."""
    import unicodedata

    from mbctracker.services.validation import text

    refused = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cs")]
    for char in refused:
        with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X}"):
            text(f"ok{char}ok", "notes", "Notes", 10)
    kept = "".join(
        chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) not in ("Cc", "Cs")
    )
    assert text(f"x{kept}x", "notes", "Notes", len(kept) + 2) == f"x{kept}x"
