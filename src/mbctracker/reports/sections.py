"""Safety, events, definitions and the signature block.

A safety flag without a recorded action is printed as a bold "NO ACTION
RECORDED" so a missing follow-up is visible on paper, not only on screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from fractions import Fraction

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ..domain.course import Modality
from ..domain.instruments import INSTRUMENTS, Instrument
from ..domain.outcomes import EARLY_IMPROVEMENT_SOURCE
from ..domain.settings import ClinicSettings
from ..domain.timeline import AssessmentRecord, CourseSummary, CourseTimeline, SafetyAction
from ..presentation import scales
from . import fmt
from .fonts import SANS, markup
from .styles import Cell, grid_table, para, rich
from .tables import no_rows

NO_ACTION = "NO ACTION RECORDED"
_TIER_TEXT = {
    1: "Tier 1: same-day clinician review",
    2: "Tier 2: urgent review and structured suicide risk assessment",
}


# --- safety -------------------------------------------------------------------------------


def safety_section(timeline: CourseTimeline, width: float) -> list[Flowable]:
    """Every flag with its actions, open flags of other courses, item 9 over time.

    A flag belongs to the patient: one left open in an earlier course is
    printed here too, until an action is recorded for it.
    """
    flags = timeline.flags
    parts: list[Flowable] = []
    if not flags:
        items = ", ".join(
            f"{i.name} item {i.safety_item}"
            for i in shown_instruments(used_codes(timeline))
            if i.safety
        )
        parts.append(no_rows(f"No safety flags ({items}) in this course."))
    else:
        header = ("Date", "Instrument", "Safety item", "Review", "Action(s)")
        rows = [_flag_row(record) for record in flags]
        parts.append(grid_table(header, rows, width, (0.1, 0.1, 1.1, 1.5, 3.2)))
    if timeline.other_open_flags:
        parts += [Spacer(1, 4), para("Open flags from the patient's other courses", "head")]
        header = ("Date", "Course", "Safety item", "Review", "Action(s)")
        rows = [_other_flag_row(timeline, record) for record in timeline.other_open_flags]
        parts.append(grid_table(header, rows, width, (0.1, 0.1, 1.1, 1.5, 3.2)))
    for inst in INSTRUMENTS.values():
        history = item_history(timeline, inst.code) if inst.safety and inst.safety.history else ""
        if history:
            parts += [Spacer(1, 4), para(history, "small")]
    return parts


def used_codes(timeline: CourseTimeline) -> list[str]:
    """The instruments this course has assessments of."""
    return [code for code in INSTRUMENTS if timeline.of(code)]


def shown_instruments(used: Iterable[str]) -> list[Instrument]:
    """The routine battery plus whatever else the course used, in registry order."""
    wanted = set(used)
    return [i for i in INSTRUMENTS.values() if i.routine or i.code in wanted]


def _flag_row(record: AssessmentRecord) -> list[Cell]:
    return [
        fmt.day(record.when),
        INSTRUMENTS[record.instrument].name,
        para(_item_text(record)),
        para(_TIER_TEXT.get(record.score.safety_tier or 0, fmt.DASH)),
        _actions(record),
    ]


def _other_flag_row(timeline: CourseTimeline, record: AssessmentRecord) -> list[Cell]:
    course = timeline.course_of(record)
    where = f"{course.modality.label} from {fmt.day(course.start_date)}"
    row = _flag_row(record)
    row[1] = para(f"{where}: {INSTRUMENTS[record.instrument].name}")
    return row


def _item_text(record: AssessmentRecord) -> str:
    inst = INSTRUMENTS[record.instrument]
    number = inst.safety_item or 0
    label = inst.item(number).label if number else ""
    value = record.score.responses[number - 1] if number else None
    shown = "unanswered" if value is None else f"= {value}"
    return f"Item {number} ({label}) {shown} {fmt.FLAG_MARK}"


def _actions(record: AssessmentRecord) -> Paragraph:
    """The actions taken; an open flag says so in bold, even when older actions exist."""
    lines = [_action_text(action) for action in record.actions]
    if record.flag_open:
        missing = f"<b>{NO_ACTION}</b>"
        if record.actions:
            missing += " <b>for the raised level</b> (corrected after the action)"
        return rich("<br/>".join([*lines, missing]), "alert")
    return rich("<br/>".join(lines))


def _action_text(action: SafetyAction) -> str:
    detail = f": {action.text}" if action.text else ""
    by = f" (by {action.by})" if action.by else ""
    return markup(fmt.clip(f"{fmt.moment(action.when)} {action.kind.label}{detail}{by}"))


def item_history(timeline: CourseTimeline, code: str) -> str:
    """ "PHQ-9 item 9 over time: 2026-01-05: 2 · ..." so a trend shows, not only the flags.

    Runs of three or more equal answers are folded ("2026-02-01 to 2027-12-16: 0, 40
    times") so a two-year course stays a few lines long.
    """
    inst = INSTRUMENTS[code]
    if inst.safety_item is None:
        return ""
    answers = [
        (record.when, record.score.responses[inst.safety_item - 1]) for record in timeline.of(code)
    ]
    if not answers:
        return ""
    parts = [_history_run(run) for run in _runs(answers)]
    return f"{inst.name} item {inst.safety_item} over time: " + " \u00b7 ".join(parts)


def _runs(answers: list[tuple[datetime, int | None]]) -> list[list[tuple[datetime, int | None]]]:
    runs: list[list[tuple[datetime, int | None]]] = []
    for answer in answers:
        if runs and runs[-1][-1][1] == answer[1]:
            runs[-1].append(answer)
        else:
            runs.append([answer])
    return runs


def _history_run(run: list[tuple[datetime, int | None]]) -> str:
    value = "unanswered" if run[0][1] is None else str(run[0][1])
    if len(run) < 3:
        return " \u00b7 ".join(f"{fmt.day(when)}: {value}" for when, _ in run)
    return f"{fmt.day(run[0][0])} to {fmt.day(run[-1][0])}: {value}, {len(run)} times"


# --- events -------------------------------------------------------------------------------


def events_section(timeline: CourseTimeline, width: float) -> list[Flowable]:
    """Hospitalizations, ED visits, adverse events and dropout, with the course's status."""
    parts: list[Flowable] = []
    course = timeline.course
    status = f"Course status: {course.status.label}"
    if course.discontinue_reason is not None:
        status += f"; discontinued for: {course.discontinue_reason.label}"
    parts.append(para(status, "body"))
    if not timeline.events:
        parts.append(no_rows("No hospitalizations, ED visits, adverse events or dropout recorded."))
        return parts
    rows: list[list[Cell]] = []
    for event in sorted(timeline.events, key=lambda e: (e.when, e.id)):
        reason = event.reason.label if event.reason else fmt.DASH
        rows.append(
            [
                fmt.day(event.when),
                para(event.kind.label),
                para(reason),
                para(event.description or fmt.DASH),
            ]
        )
    header = ("Date", "Event", "Reason", "Description")
    parts += [Spacer(1, 3), grid_table(header, rows, width, (0.1, 1.4, 1.1, 3.8))]
    return parts


# --- definitions and signature ------------------------------------------------------------


def _pct(value: Fraction) -> str:
    return f"{float(value) * 100:g}%"


def definitions(
    settings: ClinicSettings, modality: Modality, used: Iterable[str] = ()
) -> list[Flowable]:
    """The thresholds in force for this course (stored with it), so the page explains itself.

    Every line is written from the instrument definitions: the routine battery,
    plus any other instrument the course ``used``.
    """
    shown = shown_instruments(used)
    lines = [
        "* Prorated total: with at most " + _missing_limits(settings, shown) + " missing, "
        "total = sum of answered items \u00d7 number of items / number answered, rounded half "
        "up; more missing items make the score invalid." + _never_imputed(shown),
        f"Percent change = (baseline \u2212 current) / baseline \u00d7 100, positive = better. "
        f"Response: improvement \u2265 {_pct(settings.response_fraction)}; partial response: "
        f"\u2265 {_pct(settings.partial_fraction)} (policy). Remission: "
        + _remission_limits(settings, shown)
        + ". Reliable change (NHS Talking Therapies): "
        + _reliable_limits(settings, shown)
        + _no_standard_value(settings, shown)
        + ".",
        f"Sustained (policy): met at {settings.sustained_min_assessments} or more consecutive "
        f"valid assessments spanning at least {settings.sustained_min_days} days.",
        f"{fmt.FLAG_MARK} Safety flag: {_safety_rules(settings, shown)}. A flag stays open "
        "until a clinician records an action.",
        "Early improvement: " + EARLY_IMPROVEMENT_SOURCE,
        _bands_and_licences(shown),
        f"Modality: {modality.label}. Percent change is shown to one decimal.",
    ]
    return [HRFlowable(width="100%", thickness=0.4, spaceBefore=8, spaceAfter=3)] + [
        para(line, "small") for line in lines
    ]


def _names(instruments: list[Instrument]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = [i.name for i in instruments]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _missing_limits(settings: ClinicSettings, shown: list[Instrument]) -> str:
    parts = [
        f"{settings.for_instrument(inst.code).max_missing} {inst.name}"
        for inst in shown
        if settings.for_instrument(inst.code).max_missing
    ]
    return ", ".join(parts) + " item(s)"


def _never_imputed(shown: list[Instrument]) -> str:
    return "".join(
        f" {i.name} item {i.safety_item} is never imputed."
        for i in shown
        if i.safety and i.safety.flags_missing
    )


def _remission_limits(settings: ClinicSettings, shown: list[Instrument]) -> str:
    limits = [
        f"{inst.name} \u2264 {settings.for_instrument(inst.code).remission_max}"
        for inst in shown
        if settings.for_instrument(inst.code).remission_max is not None
    ]
    return ", ".join(limits)


def _reliable_limits(settings: ClinicSettings, shown: list[Instrument]) -> str:
    limits = [
        f"{inst.name} \u2265 {settings.for_instrument(inst.code).reliable_change} points"
        for inst in shown
        if settings.for_instrument(inst.code).reliable_change is not None
    ]
    return ", ".join(limits)


def _no_standard_value(settings: ClinicSettings, shown: list[Instrument]) -> str:
    """Ratio scales without a reliable-change value say so (ordinal ones have no change)."""
    missing = [
        i
        for i in shown
        if i.ratio_scale and settings.for_instrument(i.code).reliable_change is None
    ]
    if not missing:
        return ""
    verb = "has" if len(missing) == 1 else "have"
    return f"; {_names(missing)} {verb} no standard value"


def _safety_rules(settings: ClinicSettings, shown: list[Instrument]) -> str:
    rules = []
    for inst in shown:
        limits = settings.for_instrument(inst.code)
        if inst.safety is None or limits.safety_item_min is None:
            continue
        rule = f"{inst.name} item {inst.safety.item} \u2265 {limits.safety_item_min}"
        if inst.safety.flags_missing:
            rule += " or unanswered"
        if limits.safety_urgent_min is not None:
            rule += f" (tier 2 from {limits.safety_urgent_min})"
        rules.append(rule)
    return "; ".join(rules) or "none of the instruments used has a safety item"


def _bands_and_licences(shown: list[Instrument]) -> str:
    text = "Severity bands: " + ", ".join(
        f"{i.name} ({i.bands_source})" for i in shown if i.bands_source
    )
    ordinal = [i for i in shown if not i.ratio_scale]
    if ordinal:
        them = "it" if len(ordinal) == 1 else "them"
        verb = "is" if len(ordinal) == 1 else "are"
        text += (
            f"; {_names(ordinal)} {verb} ordinal, so no percent change or response category "
            f"is shown for {them}."
        )
    else:
        text += "."
    labels_only = [i for i in shown if not i.full_text]
    if labels_only:
        text += (
            f" {_names(labels_only)} item descriptions are not reproduced (licensing): "
            "short labels only."
        )
    return text


def signature_block(width: float) -> Flowable:
    """Lines to sign by hand: the printed summary becomes part of the legal record."""
    line = "_" * 38
    rows = [
        ["Clinician signature", line, "Date", "_" * 16],
        ["Name and credentials", line, "Time", "_" * 16],
    ]
    table = Table(rows, colWidths=[width * f for f in (0.2, 0.45, 0.08, 0.27)], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SANS),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return KeepTogether([Spacer(1, 10), table])


def integrity_lines(timeline: CourseTimeline) -> list[Flowable]:
    """Rows that were changed outside the app: named, never silently trusted."""
    damaged = timeline.integrity_warnings
    if not damaged:
        return []
    lines = [
        markup(f"{fmt.moment(a.when)} {scales.name(a.instrument)}: {a.integrity_warning}")
        for a in damaged
    ]
    head = f"<b>Warning: {len(damaged)} stored record(s) disagree with their items.</b>"
    return [rich("<br/>".join([head, *lines]), "alert")]


def open_flags_line(summary: CourseSummary) -> Paragraph:
    """One line near the top so an open flag cannot be missed on page 1."""
    count = len(summary.open_flags)
    if count:
        return rich(
            f"<b>{count} open safety flag(s): no action recorded yet (see Safety).</b>", "alert"
        )
    return para("No open safety flags.", "body")
