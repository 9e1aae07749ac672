"""SQLModel tables: one ``table=True`` class per table.

Lists (item responses, side effects, comorbidities) are stored as JSON text in
the row that owns them, so an assessment's items and its total are written in
one row and can never be half-saved. Every clinical table carries ``version``
(optimistic concurrency: a stale save is refused) and ``deleted_at`` (deletes
are soft).
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Index, inspect, text
from sqlmodel import Field, SQLModel

from .jsontext import JsonText


def utcnow() -> datetime:
    """Now, timezone-aware in UTC: every stored timestamp is UTC; the UI shows local time."""
    return datetime.now(UTC)


def core_table(entity: type[SQLModel]) -> Any:
    """The Core table of a model, for reads and writes that skip the ORM (typed loosely:
    SQLAlchemy's stubs call it a FromClause, which ``insert``/``update`` refuse)."""
    return inspect(entity).local_table


class Versioned(SQLModel):
    """Columns every clinical table shares."""

    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Patient(Versioned, table=True):
    __table_args__ = (Index("ix_patient_name_nocase", text("name COLLATE NOCASE"), "id"),)

    id: int | None = Field(default=None, primary_key=True)
    mrn: str = Field(unique=True, index=True)
    mrn_key: str = Field(unique=True, index=True)
    """The MRN's identity key (domain.text.mrn_key): every look-up by MRN uses it."""
    name: str = Field(index=True)
    search_key: str = ""
    date_of_birth: date | None = None
    sex: str = "unknown"
    comorbidities: str = Field(default="[]", sa_type=JsonText)
    notes: str = ""


class Course(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    modality: str
    start_date: date
    end_date: date | None = None
    planned_sessions: int
    phase: str = "induction"
    status: str = Field(default="active", index=True)
    discontinue_reason: str | None = None
    settings_json: str = Field(default="{}", sa_type=JsonText)
    notes: str = ""
    diagnosis: str = ""
    current_medications: str = ""
    prior_treatments: str = ""
    prescriber: str = ""
    threshold_change_reason: str = ""
    """Why ``settings_json`` was changed after the start (the change log keeps each one)."""
    authorised_sessions: int | None = None
    """Sessions the payer authorised (editable mid-course); None: no authorisation tracked."""
    mt_determined_on: date | None = None
    """TMS: when the motor threshold was last determined (a reminder when older than
    the clinic's interval)."""
    session_interval_days: int | None = None
    """Days between sessions for this course; None = the clinic's default for its phase."""


class TreatmentSession(Versioned, table=True):
    __tablename__ = "treatment_session"
    __table_args__ = (
        Index("ix_session_course_time", "course_id", "performed_at"),
        Index("ix_session_performed_at", "performed_at", "phase", "deleted_at", "course_id"),
        Index("ix_session_course_live_time", "course_id", "deleted_at", "performed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id")  # indexed first in ix_session_course_time
    number: int
    performed_at: datetime
    phase: str
    details: str = Field(default="{}", sa_type=JsonText)
    side_effects: str = Field(default="[]", sa_type=JsonText)
    side_effects_text: str = ""
    prn_medication: str = Field(default="[]", sa_type=JsonText)
    notes: str = ""
    warnings: str = Field(default="[]", sa_type=JsonText)
    """Plausibility warnings confirmed at save (domain.limits.PlausibilityWarning as JSON)."""


class Assessment(Versioned, table=True):
    __table_args__ = (
        Index("ix_assessment_course_time", "course_id", "assessed_at"),
        Index(
            "ix_assessment_open_flag",
            "course_id",
            sqlite_where=text("flag_open AND deleted_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id")  # indexed first in ix_assessment_course_time
    session_id: int | None = Field(default=None, foreign_key="treatment_session.id", index=True)
    instrument: str
    responses: str = Field(sa_type=JsonText)
    valid: bool
    total: int | None = None
    exact_total: float | None = None
    prorated: bool = False
    severity: str | None = None
    safety_flag: bool = False
    safety_reason: str | None = None
    safety_tier: int | None = None
    flag_level: int = 0
    """domain.scoring.flag_level of the stored score."""
    flag_open: bool = False
    """The level is above every live action's: kept by the services in the same
    transaction as the assessment or action, so the list's worklist is one small index."""
    rater: str = ""
    timepoint: str = "pre_session"
    assessed_at: datetime = Field(index=True)
    supplementary: int | None = None
    """The instrument's unscored extra question (PHQ-9 difficulty, LOINC 69722-7)."""
    link_manual: bool = False
    """The session link was chosen by a clinician (kept as set); otherwise it follows
    the clinic's link rule (domain.schedule.link_target) after every session change."""


class CoursePhaseChange(Versioned, table=True):
    """The course entered ``phase`` on ``started_on``: the one record of phase over time."""

    __tablename__ = "course_phase_change"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    phase: str
    started_on: date


class SafetyActionRow(Versioned, table=True):
    __tablename__ = "safety_action"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    kind: str
    text: str = ""
    taken_by: str
    taken_at: datetime
    flag_level: int = 0
    """The flag level this action answered (domain.scoring.flag_level); a higher one reopens."""


class Event(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    kind: str
    occurred_on: date
    reason: str | None = None
    description: str = ""


class VitalSign(Versioned, table=True):
    """One timed row of a session's vitals flowsheet (pre-dose, during, discharge)."""

    __tablename__ = "vital_sign"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="treatment_session.id", index=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    point: str
    taken_at: datetime | None = None
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    spo2: int | None = None


class RemsRecordRow(Versioned, table=True):
    """An esketamine session's REMS patient monitoring record (one per session).

    Dose, blood pressure, sedation and dissociation stay on the session and its
    vitals; this row holds only what else the form asks, and when it was submitted.
    """

    __tablename__ = "rems_record"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="treatment_session.id", unique=True, index=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    lot_number: str = ""
    monitoring_start: datetime | None = None
    monitoring_end: datetime | None = None
    ready_to_leave_at: datetime | None = None
    respiratory_status: str = ""
    concomitant: str = Field(default="[]", sa_type=JsonText)
    submitted_on: date | None = None


class ChangeLog(SQLModel, table=True):
    """Append-only audit trail; triggers refuse UPDATE and DELETE on it."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str
    table_name: str = Field(index=True)
    record_id: int = Field(index=True)
    patient_id: int | None = Field(default=None, index=True)
    course_id: int | None = Field(default=None, index=True)
    action: str
    changes: str = Field(default="{}", sa_type=JsonText)


class AppMeta(SQLModel, table=True):
    """Key-value facts about the file itself (last app version that wrote it)."""

    __tablename__ = "app_meta"

    key: str = Field(primary_key=True)
    value: str


class CourseSummaryRow(SQLModel, table=True):
    """What a patient-list row shows of a course, kept by ``storage.summaries``.

    Never written by a use case: triggers mark the course in ``summary_dirty`` on
    any write to its rows, and the engine's commit hook recomputes it in the same
    transaction (migration 0010).
    """

    __tablename__ = "course_summary"

    course_id: int = Field(foreign_key="course.id", primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    sessions_done: int = 0
    progress: str = ""
    latest: str = Field(default="{}", sa_type=JsonText)
    """JSON {instrument code: the latest total as shown, "12*" when prorated}."""
    badge: str = ""
    open_flags: int = 0


class SummaryDirty(SQLModel, table=True):
    """Courses whose summary a write in this transaction (or outside the app) changed."""

    __tablename__ = "summary_dirty"

    course_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class Clinician(Versioned, table=True):
    """A person who signs in at this desk (SQLite's optional people list, migration 0012).

    Empty list: the desk works as before, the change log naming the OS login. The PIN
    is kept only as an scrypt hash with its own salt; the change log hides both.
    """

    __tablename__ = "clinician"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str
    name_key: str = Field(unique=True)
    """The name folded for sign-in (domain.text.mrn_key): "ana  PÉREZ" finds "Ana Pérez"."""
    role: str
    pin_hash: str
    pin_salt: str
    active: bool = Field(default=True)
