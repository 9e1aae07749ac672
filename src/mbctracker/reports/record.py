"""The course record a payer or referral letter needs, and session notes with warnings.

Diagnosis, current medications, prior treatment trials and the prescriber are
printed near the top, so the summary can go with a payer letter as it is; an
empty field says "not recorded" rather than leaving a blank a reader might
take for "none". Session notes and the unusual values confirmed at save are
listed after the sessions table, whose session numbers carry :data:`WARN_MARK`.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from ..domain.timeline import CourseTimeline, SessionRecord
from . import fmt
from .fonts import markup
from .styles import Cell, grid_table, para, rich

WARN_MARK = "\u26a0"
"""Marks a session saved with a confirmed plausibility warning (table and notes)."""
NOT_RECORDED = "not recorded"


def lines(text: str, style: str = "cell") -> Paragraph:
    """Free text with its line breaks kept (one medication or trial per line)."""
    escaped = markup(fmt.clip(text)).replace("\n", "<br/>")
    return rich(escaped, style)


def course_record_section(timeline: CourseTimeline, width: float) -> list[Flowable]:
    """Diagnosis, prescriber, medications, prior trials, course notes, threshold change."""
    course = timeline.course
    record = course.record
    rows: list[list[Cell]] = [
        [para("Diagnosis", "head"), lines(record.diagnosis or NOT_RECORDED)],
        [para("Prescriber", "head"), lines(record.prescriber or NOT_RECORDED)],
        [para("Current medications", "head"), lines(record.current_medications or NOT_RECORDED)],
        [para("Prior treatment trials", "head"), lines(record.prior_treatments or NOT_RECORDED)],
    ]
    if course.notes:
        rows.append([para("Course notes", "head"), lines(course.notes)])
    if course.threshold_change_reason:
        rows.append(
            [
                para("Thresholds changed", "head"),
                lines(f"after the course started: {course.threshold_change_reason}"),
            ]
        )
    table = grid_table(("Field", "As recorded"), rows, width, (1.2, 5.0))
    return [para("Diagnosis and treatment history", "h2"), table]


def session_number(session: SessionRecord) -> str:
    """The session's number, marked when it was saved with a confirmed warning."""
    return f"{session.number} {WARN_MARK}" if session.warnings else str(session.number)


def session_notes_section(timeline: CourseTimeline, width: float) -> list[Flowable]:
    """Each session's notes and the unusual values confirmed when it was saved."""
    noted = [s for s in timeline.sessions if s.notes or s.warnings]
    if not noted:
        return []
    rows: list[list[Cell]] = [
        [fmt.day(s.when), session_number(s), _warnings(s), lines(s.notes or fmt.DASH)]
        for s in noted
    ]
    header = ("Date", "#", "Unusual values confirmed at save", "Session notes")
    return [
        Spacer(1, 4),
        para("Session notes and confirmed warnings", "head"),
        grid_table(header, rows, width, (0.1, 0.1, 2.4, 3.4)),
    ]


def _warnings(session: SessionRecord) -> Paragraph:
    if not session.warnings:
        return para(fmt.DASH)
    return lines("\n".join(f"{WARN_MARK} {w.text}" for w in session.warnings))


def warnings_line(timeline: CourseTimeline) -> list[Flowable]:
    """One line on page 1 when sessions were saved with unusual values (details later)."""
    warned = [s for s in timeline.sessions if s.warnings]
    if not warned:
        return []
    numbers = ", ".join(str(s.number) for s in warned)
    return [
        para(
            f"{WARN_MARK} {len(warned)} session(s) saved with unusual values confirmed at "
            f"save (session {numbers}; see Session notes and confirmed warnings).",
            "body",
        )
    ]
