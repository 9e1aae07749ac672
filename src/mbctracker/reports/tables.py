"""The summary's tables: course at a glance, all assessments, all sessions.

Every computed figure comes from :func:`mbctracker.domain.timeline.summarize`
so the paper says exactly what the screen says. Long tables repeat their
header row on each page (``repeatRows=1``) because a 60-session maintenance
course runs over several pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Table

from ..domain.course import SESSION_FIELDS, DetailField, Modality, Timepoint
from ..domain.instruments import INSTRUMENTS
from ..domain.settings import ClinicSettings
from ..domain.timeline import (
    AssessmentRecord,
    CourseSummary,
    CourseTimeline,
    InstrumentSummary,
    SessionRecord,
)
from ..presentation import texts
from . import fmt
from .record import session_number
from .styles import Cell, grid_table, para

# --- course at a glance -------------------------------------------------------------------


def glance_table(summary: CourseSummary, settings: ClinicSettings, width: float) -> Table:
    """Baseline -> latest per instrument with the outcome rules a payer asks about."""
    header = (
        "Instrument",
        "Baseline",
        "Latest",
        "Change",
        "Category",
        "Remission",
        "Reliable change",
        "Sustained response",
        "Sustained remission",
    )
    rows = [_glance_row(item, settings) for item in summary.instruments]
    return grid_table(header, rows, width, (0.8, 1.3, 1.3, 1.1, 1.0, 0.8, 1.0, 1.0, 1.0))


def _scored(record: AssessmentRecord | None) -> Paragraph:
    if record is None:
        return para(fmt.DASH)
    score = record.score
    band = f" {score.severity}" if score.severity else ""
    return para(f"{score.display_total}{band} \u00b7 {fmt.day(record.when)}")


def _glance_row(item: InstrumentSummary, settings: ClinicSettings) -> list[Cell]:
    """Worded by :mod:`mbctracker.presentation.texts`, as the on-screen summary is."""
    change = item.change
    return [
        para(item.name, "head"),
        _scored(item.baseline),
        _scored(item.latest),
        para(texts.change_text(change)),
        para(texts.category_text(change)),
        para(texts.remission_text(change, settings)),
        para(texts.reliable_text(change)),
        para(texts.sustained_response_text(item)),
        para(texts.sustained_remission_text(item, settings)),
    ]


# --- all assessments ----------------------------------------------------------------------


def occasions(timeline: CourseTimeline) -> list[list[AssessmentRecord]]:
    """Assessments grouped into one row per visit: same session, or same day and timepoint."""
    groups: dict[tuple[object, ...], list[AssessmentRecord]] = {}
    for record in sorted(timeline.assessments, key=lambda a: (a.when, a.id)):
        key: tuple[object, ...] = (
            ("session", record.session_id)
            if record.session_id is not None
            else ("day", record.when.date(), record.timepoint)
        )
        groups.setdefault(key, []).append(record)
    return list(groups.values())


def assessments_table(timeline: CourseTimeline, summary: CourseSummary, width: float) -> Table:
    """Every assessment, one visit per row, one column per instrument in use."""
    codes = [item.instrument for item in summary.instruments]
    header = ("Date", "Session", "Phase", *(INSTRUMENTS[c].name for c in codes))
    rows = [_occasion_row(timeline, group, codes) for group in occasions(timeline)]
    return grid_table(header, rows, width, (0.1, 0.1, 0.1, *([1.0] * len(codes))))


def _occasion_row(
    timeline: CourseTimeline, group: list[AssessmentRecord], codes: list[str]
) -> list[Cell]:
    first = group[0]
    session = _link_text(first, any(r.link_manual for r in group))
    phase = (first.phase or timeline.phase_on(first.when.date())).label
    cells: list[Cell] = [fmt.day(first.when), session, phase]
    for code in codes:
        scores = [fmt.total_and_band(r.score) for r in group if r.instrument == code]
        cells.append(para("; ".join(scores) or fmt.DASH))
    return cells


def _link_text(record: AssessmentRecord, manual: bool) -> str:
    """ "#3", "#3 (set by hand)" (any score of the row), "Pre-session, not linked", or the
    timepoint."""
    if record.session_number is None:
        unlinked = record.timepoint == Timepoint.PRE_SESSION or manual
        return f"{record.timepoint.label}, not linked" if unlinked else record.timepoint.label
    by_hand = " (set by hand)" if manual else ""
    return f"#{record.session_number}{by_hand}"


# --- sessions -----------------------------------------------------------------------------

_BP_STAGES = (("before", "bp_before"), ("peak", "bp_peak"), ("after", "bp_after"))


def sessions_table(timeline: CourseTimeline, width: float) -> Table:
    """Every session: parameters from SESSION_FIELDS, blood pressure, side effects, PRN."""
    modality = timeline.course.modality
    show_bp = any(f.key.startswith("bp_") for f in SESSION_FIELDS[modality])
    bp_heads = [f"BP {stage}" for stage, _ in _BP_STAGES] if show_bp else []
    header = ("Date", "#", "Phase", "Dose / parameters", *bp_heads, "Side effects", "As-needed")
    rows = [_session_row(s, modality, show_bp) for s in timeline.sessions]
    bp_widths = [0.1] * len(bp_heads)
    return grid_table(header, rows, width, (0.1, 0.1, 0.1, 2.6, *bp_widths, 1.6, 0.9))


def _session_row(session: SessionRecord, modality: Modality, show_bp: bool) -> list[Cell]:
    bp = [_bp(session.details, prefix) for _, prefix in _BP_STAGES] if show_bp else []
    effects = ", ".join(session.side_effects)
    if session.side_effects_text:
        effects = (
            f"{effects}; {session.side_effects_text}" if effects else session.side_effects_text
        )
    return [
        fmt.day(session.when),
        session_number(session),
        session.phase.label,
        para(parameters(session.details, SESSION_FIELDS[modality]) or fmt.DASH),
        *bp,
        para(effects or "none recorded"),
        para(", ".join(session.prn_medication) or fmt.DASH),
    ]


def _bp(details: dict[str, object], prefix: str) -> str:
    systolic, diastolic = details.get(f"{prefix}_sys"), details.get(f"{prefix}_dia")
    if systolic in (None, "") and diastolic in (None, ""):
        return fmt.DASH
    return f"{fmt.number(systolic or '?')}/{fmt.number(diastolic or '?')}"


def parameters(details: dict[str, object], fields: Sequence[DetailField]) -> str:
    """ "Dose 0.5 mg/kg, 35 mg; Infusion duration 40 min": defined fields first, in order.

    Fields sharing a label (dose in mg/kg and in mg) are merged; keys the
    definition does not know are kept at the end rather than silently dropped.
    """
    parts: list[tuple[str, list[str]]] = []
    known = set()
    for spec in fields:
        known.add(spec.key)
        value = details.get(spec.key)
        if spec.key.startswith("bp_") or value in (None, ""):
            continue
        shown = f"{fmt.number(value)} {spec.unit}".strip()
        if parts and parts[-1][0] == spec.label:
            parts[-1][1].append(shown)
        else:
            parts.append((spec.label, [shown]))
    extra = [(key, [fmt.number(v)]) for key, v in details.items() if key not in known]
    return "; ".join(f"{label} {', '.join(values)}" for label, values in parts + extra)


def no_rows(message: str) -> Flowable:
    """What an empty section says, so a blank never reads as "nothing happened"."""
    return para(message, "body")
