"""The loaded record an outcome run works on: one row per course, arrays per column.

Built by ``services.outcomes`` from SQL aggregates (the database does the filtering and
the per-course picking), so nothing here loops over a patient's full timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from ..domain.outcome_definitions import OutcomeDefinitions

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]

Progress = Callable[[str, float], None]
"""Called with a stage name and a fraction done; the caller's function may raise
:class:`Cancelled` to stop the run between steps."""


class Cancelled(Exception):
    """The person asked the run to stop; nothing is written."""


def no_progress(_stage: str, _fraction: float) -> None:
    """The default progress callback: says nothing, never cancels."""


@dataclass(frozen=True, slots=True)
class Courses:
    """Per-course columns, all the same length (courses in scope, by course id)."""

    course_id: IntArray
    patient_id: IntArray
    mrn: ObjArray
    modality: ObjArray
    settings_json: ObjArray
    age: FloatArray
    """Whole years at course start; NaN without a date of birth."""
    sex: ObjArray
    comorbidities: dict[str, BoolArray]
    n_induction: IntArray
    cm: BoolArray
    """A continuation or maintenance session within the C/M window after the last induction."""
    cm_eligible: BoolArray
    """Has an induction session at least the follow-up before the record's last date."""
    hospitalized: BoolArray
    """A psychiatric hospitalization of the patient in the follow-up after the last induction."""
    days_in_treatment: FloatArray
    dropped_out: BoolArray
    dropout_reason: ObjArray
    baseline: dict[str, FloatArray]
    """Baseline total per instrument (NaN: none)."""
    end_of_induction: dict[str, FloatArray]
    """End-of-induction total per instrument (NaN: none)."""
    week6_phq9: FloatArray
    """The PHQ-9 closest to the target day in the 6-week window (NaN: none)."""

    def __len__(self) -> int:
        return len(self.course_id)


@dataclass(frozen=True, slots=True)
class Trajectories:
    """One row per patient (their latest IV ketamine course in scope), NaN = missing visit."""

    mrn: list[str]
    totals: FloatArray
    """Patients x visits (0 = baseline, n = before induction session n)."""


@dataclass(frozen=True, slots=True)
class OutcomeData:
    """Everything an outcome run reads, and where it came from."""

    courses: Courses
    trajectories: dict[str, Trajectories]
    first_date: date | None
    last_date: date | None
    """The record's first and last dates (any live session, assessment or event)."""
    definitions: OutcomeDefinitions
    filters: dict[str, str | None] = field(default_factory=dict)
