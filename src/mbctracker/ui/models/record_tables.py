"""Column definitions for the course's sessions, assessments and events tables."""

from __future__ import annotations

from ...domain.course import Timepoint
from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import AssessmentRecord, EventRecord, SessionRecord
from .. import style
from ..i18n import QT_TRANSLATE_NOOP, term, translate
from ..widgets.chart_data import flag_tip, session_tip
from .table_model import Column


def _details(s: SessionRecord) -> str:
    parts = []
    for key, value in s.details.items():
        if value not in (None, ""):
            parts.append(f"{key.replace('_', ' ')} {value}")
    return "; ".join(parts)


def _warnings(s: SessionRecord) -> str:
    """Warnings confirmed when the session was saved: kept in sight, never re-asked."""
    return "⚠ " + "; ".join(w.text for w in s.warnings) if s.warnings else ""


def _warnings_tip(s: SessionRecord) -> str:
    if not s.warnings:
        return ""
    return translate("record_tables", "Unusual values confirmed at save:\n") + "\n".join(
        w.text for w in s.warnings
    )


SESSION_COLUMNS = (
    Column("#", lambda s: str(s.number), align_right=True),
    Column(QT_TRANSLATE_NOOP("Column", "When"), lambda s: f"{s.when:%Y-%m-%d %H:%M}"),
    Column(QT_TRANSLATE_NOOP("Column", "Phase"), lambda s: term(s.phase.label)),
    Column(QT_TRANSLATE_NOOP("Column", "Details"), _details, tooltip=session_tip),
    Column(
        QT_TRANSLATE_NOOP("Column", "Warnings"),
        _warnings,
        tooltip=_warnings_tip,
        foreground=lambda s: style.WARN_AMBER if s.warnings else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Side effects"),
        lambda s: ", ".join(
            [*s.side_effects, *([s.side_effects_text] if s.side_effects_text else [])]
        ),
    ),
    Column(QT_TRANSLATE_NOOP("Column", "As-needed"), lambda s: ", ".join(s.prn_medication)),
    Column(QT_TRANSLATE_NOOP("Column", "Notes"), lambda s: s.notes),
)


def session_link_text(a: AssessmentRecord) -> str:
    """ "3", "3 (set by hand)", or "not linked" for a pre-session score waiting for its session."""
    if a.session_number is None:
        return (
            translate("record_tables", "not linked")
            if a.timepoint == Timepoint.PRE_SESSION or a.link_manual
            else ""
        )
    return (
        translate("record_tables", "{0} (set by hand)").format(a.session_number)
        if a.link_manual
        else str(a.session_number)
    )


def _flag_text(a: AssessmentRecord) -> str:
    if not a.score.safety_flag:
        return ""
    return (
        translate("record_tables", "⚠ OPEN")
        if a.flag_open
        else "✓ " + ", ".join(term(x.kind.label) for x in a.actions)
    )


def _total_tip(a: AssessmentRecord) -> str:
    if a.integrity_warning:
        return translate("record_tables", "Record changed outside the app: {0}").format(
            a.integrity_warning
        )
    return translate("record_tables", "prorated: items were missing") if a.score.prorated else ""


def _extra(a: AssessmentRecord) -> str:
    """The unscored extra answer (PHQ-9 difficulty), labelled, or nothing."""
    extra = INSTRUMENTS[a.instrument].supplementary
    if extra is None or a.supplementary is None:
        return ""
    return f"{a.supplementary} {extra.answer_labels.get(a.supplementary, '')}"


ASSESSMENT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Column", "When"), lambda a: f"{a.when:%Y-%m-%d %H:%M}"),
    Column(QT_TRANSLATE_NOOP("Column", "Instrument"), lambda a: INSTRUMENTS[a.instrument].name),
    Column(QT_TRANSLATE_NOOP("Column", "Timepoint"), lambda a: term(a.timepoint.label)),
    Column(
        QT_TRANSLATE_NOOP("Column", "Session"),
        session_link_text,
        tooltip=lambda a: (
            translate("record_tables", "Link to session… (Ctrl+L) changes it")
            if a.link_manual
            else translate(
                "record_tables",
                "Linked by the clinic's rule: same day, or the next session within the window",
            )
        ),
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Total"),
        lambda a: ("⚠ " if a.integrity_warning else "") + a.score.display_total,
        align_right=True,
        tooltip=_total_tip,
        foreground=lambda a: style.FLAG_RED if a.integrity_warning else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Band"),
        lambda a: (
            term(a.score.severity)
            if a.score.severity
            else translate("record_tables", "not scorable")
        ),
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Items"),
        lambda a: " ".join("–" if v is None else str(v) for v in a.score.responses),
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Difficulty"), _extra),
    Column(
        QT_TRANSLATE_NOOP("Column", "Safety"),
        _flag_text,
        tooltip=lambda a: flag_tip(a) if a.score.safety_flag else "",
        foreground=lambda a: style.FLAG_RED if a.flag_open else None,
    ),
)

EVENT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Column", "Date"), lambda e: f"{e.when:%Y-%m-%d}"),
    Column(QT_TRANSLATE_NOOP("Column", "Event"), lambda e: term(e.kind.label)),
    Column(
        QT_TRANSLATE_NOOP("Column", "Reason"), lambda e: term(e.reason.label) if e.reason else ""
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Description"), lambda e: e.description),
)

__all__ = ["ASSESSMENT_COLUMNS", "EVENT_COLUMNS", "SESSION_COLUMNS", "EventRecord"]
