"""Model-based test: no sequence of clinic actions can hide an open safety flag.

Hypothesis runs random sequences of register, start course, record, correct,
delete, restore, record action, end and reopen course. After every step the
open flags the app shows (the patient list, every course of the patient, the
PDF text) must equal those of the reference model below, written from
CLINICAL.md alone and sharing no code with the app: a flag belongs to the
patient, and stays open until an action is recorded at its current level
(unanswered < item 9 = 1 < item 9 of 2-3 or MADRS item 10 of 4 or more).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)
from pypdf import PdfReader

from mbctracker.domain.course import CourseStatus, Modality, SafetyActionKind
from mbctracker.reports.output import render_summary
from mbctracker.services import courses, patient_list
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    delete_assessment,
    record_assessment,
    record_safety_action,
    restore_assessment,
)
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import open_database

START = date(2025, 6, 2)
SAFETY_VALUES = {
    "PHQ9": st.sampled_from([None, 1, 0, 2, 3]),
    "MADRS": st.sampled_from([4, 0, 2, 6]),
}


def reference_level(instrument: str, value: int | None) -> int:
    """CLINICAL.md, read independently: how serious the safety answer is (0 = no flag)."""
    if instrument == "PHQ9":
        return {None: 1, 0: 0, 1: 2}.get(value, 3)
    return 3 if value is not None and value >= 4 else 0


def items(instrument: str, value: int | None) -> list[int | None]:
    if instrument == "PHQ9":
        return [1, 1, 1, 1, 1, 1, 1, 1, value]
    return [3, 3, 3, 3, 3, 3, 3, 3, 3, value]


@dataclass
class RefAssessment:
    patient: int
    instrument: str
    value: int | None
    version: int = 1
    deleted: bool = False
    answered: int = 0

    @property
    def open(self) -> bool:
        return not self.deleted and reference_level(self.instrument, self.value) > self.answered


@dataclass
class RefCourse:
    patient: int
    active: bool = True


@dataclass
class Reference:
    courses: dict[int, RefCourse] = field(default_factory=dict)
    assessments: dict[int, RefAssessment] = field(default_factory=dict)
    patients: list[int] = field(default_factory=list)

    def open_ids(self, patient: int) -> set[int]:
        return {i for i, a in self.assessments.items() if a.patient == patient and a.open}


def pdf_open_count(pdf: bytes) -> int:
    text = " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages)
    if "No open safety flags." in text:
        return 0
    return int(text.split(" open safety flag(s)")[0].rsplit(" ", 1)[-1])


class FlagMachine(RuleBasedStateMachine):
    patients = Bundle("patients")
    courses_ = Bundle("courses")
    assessments = Bundle("assessments")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="flags-"))
        self.db = open_database(self.folder / "clinic.sqlite3", actor="model test")
        self.ref = Reference()
        self.clock = datetime.combine(START, datetime.min.time()).replace(hour=8)
        self.touched: int | None = None

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _tick(self) -> datetime:
        self.clock += timedelta(minutes=7)
        return self.clock

    # Few patients and courses, so actions and corrections meet the same records often.
    @precondition(lambda self: len(self.ref.patients) < 2)
    @rule(target=patients)
    def register(self) -> int:
        n = len(self.ref.patients) + 1
        info = register_patient(self.db, PatientInput(f"SM-{n}", f"Zyxqor Vantreth{n}"))
        self.ref.patients.append(info.id)
        return info.id

    @precondition(lambda self: len(self.ref.courses) < 3)
    @rule(target=courses_, patient=patients)
    def start_course(self, patient: int) -> int:
        info = courses.start_course(self.db, patient, Modality.IV_KETAMINE, START, 6)  # type: ignore[arg-type]
        self.ref.courses[info.id] = RefCourse(patient)
        self.touched = patient
        return info.id

    @precondition(lambda self: len(self.ref.assessments) < 5)
    @rule(target=assessments, course=courses_, data=st.data())
    def record(self, course: int, data: st.DataObject) -> int:
        instrument = data.draw(st.sampled_from(["PHQ9", "MADRS"]))
        value = data.draw(SAFETY_VALUES[instrument])
        entry = AssessmentInput(instrument, items(instrument, value), self._tick())
        saved = record_assessment(self.db, course, entry)  # type: ignore[arg-type]
        owner = self.ref.courses[course].patient
        self.ref.assessments[saved.record.id] = RefAssessment(owner, instrument, value)
        self.touched = owner
        return saved.record.id

    @rule(assessment=assessments, data=st.data())
    def correct(self, assessment: int, data: st.DataObject) -> None:
        """Any new value; an escalation after an action must reopen the flag."""
        ref = self.ref.assessments[assessment]
        if ref.deleted:
            return
        self._correct_to(assessment, data.draw(SAFETY_VALUES[ref.instrument]))

    @rule(assessment=assessments)
    def escalate(self, assessment: int) -> None:
        """The correction that matters most: the answer was worse than first typed."""
        ref = self.ref.assessments[assessment]
        worst = 3 if ref.instrument == "PHQ9" else 6
        if ref.deleted or ref.value == worst:
            return
        self._correct_to(assessment, worst)

    def _correct_to(self, assessment: int, value: int | None) -> None:
        ref = self.ref.assessments[assessment]
        saved = items(ref.instrument, value)
        correct_assessment(self.db, assessment, saved, expected_version=ref.version)  # type: ignore[arg-type]
        ref.value, ref.version = value, ref.version + 1
        self.touched = ref.patient

    @rule(assessment=assessments)
    def delete(self, assessment: int) -> None:
        ref = self.ref.assessments[assessment]
        if ref.deleted:
            return
        delete_assessment(self.db, assessment, expected_version=ref.version)  # type: ignore[arg-type]
        ref.deleted, ref.version = True, ref.version + 1
        self.touched = ref.patient

    @rule(assessment=assessments)
    def restore(self, assessment: int) -> None:
        ref = self.ref.assessments[assessment]
        if not ref.deleted:
            return
        restore_assessment(self.db, assessment)  # type: ignore[arg-type]
        ref.deleted, ref.version = False, ref.version + 1
        self.touched = ref.patient

    @rule(assessment=assessments, kind=st.sampled_from(list(SafetyActionKind)[:4]))
    def act(self, assessment: int, kind: SafetyActionKind) -> None:
        ref = self.ref.assessments[assessment]
        level = reference_level(ref.instrument, ref.value)
        if ref.deleted or level == 0:
            return
        record_safety_action(self.db, assessment, kind, when=self._tick())  # type: ignore[arg-type]
        ref.answered = max(ref.answered, level)
        self.touched = ref.patient

    @rule(course=courses_)
    def end_or_reopen(self, course: int) -> None:
        ref = self.ref.courses[course]
        version = courses.get_course(self.db, course).version  # type: ignore[arg-type]
        if ref.active:
            courses.end_course(
                self.db,
                course,
                CourseStatus.COMPLETED,
                START,
                expected_version=version,  # type: ignore[arg-type]
            )
        else:
            courses.reopen_course(self.db, course, expected_version=version)  # type: ignore[arg-type]
        ref.active = not ref.active
        self.touched = ref.patient

    @invariant()
    def the_list_shows_every_patients_open_flags(self) -> None:
        rows = patient_list.patient_page(self.db, "", limit=1000)
        shown = {r.patient_id: r.open_flags for r in rows}
        expected = {p: len(self.ref.open_ids(p)) for p in self.ref.patients}
        assert shown == expected
        only = patient_list.patient_page(self.db, patient_list.ListFilter(flagged_only=True))
        assert {r.patient_id for r in only} == {p for p, n in expected.items() if n}

    @invariant()
    def every_course_shows_the_patients_open_flags(self) -> None:
        for course, ref in self.ref.courses.items():
            timeline = load_timeline(self.db, course)  # type: ignore[arg-type]
            assert {a.id for a in timeline.open_flags} == self.ref.open_ids(ref.patient)

    @precondition(lambda self: self.touched is not None)
    @invariant()
    def the_pdf_of_the_patient_last_touched_counts_them(self) -> None:
        patient = self.touched
        mine = [c for c, ref in self.ref.courses.items() if ref.patient == patient]
        if not mine:
            return
        timeline = load_timeline(self.db, mine[-1])  # type: ignore[arg-type]
        pdf = render_summary(timeline, generated_at=datetime(2026, 1, 1, 12))
        assert pdf_open_count(pdf) == len(self.ref.open_ids(patient))  # type: ignore[arg-type]


FlagMachine.TestCase.settings = settings(
    max_examples=35,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestFlagsNeverHide = pytest.mark.slow(FlagMachine.TestCase)  # 35 runs of 20 steps
