"""Chart points and tooltips for the trajectory chart (no Qt, testable on their own).

Where things sit is decided once, in :mod:`mbctracker.presentation.picture`, for
the screen and the PDF alike; this module only picks the axis and words the
tooltips.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import AssessmentRecord, SessionRecord
from ...presentation import Series
from ...presentation.picture import SeriesPoint
from ..i18n import term, translate


@dataclass(frozen=True, slots=True)
class ChartPoint(SeriesPoint):
    """A picture's point with its x on the axis the chart shows (dates or sessions)."""

    x: float = 0.0


def points(series: Series, by_date: bool) -> list[ChartPoint]:
    """The series' valid totals placed on the chosen axis."""
    return [
        ChartPoint(p.record, p.position, p.total, p.is_baseline, p.position.x(by_date))
        for p in series.points
    ]


def session_tip(session: SessionRecord) -> str:
    """Tooltip of a session marker: date, dose or parameters, side effects."""
    lines = [
        translate("chart_data", "Session {0} · {1:%Y-%m-%d %H:%M} · {2}").format(
            session.number, session.when, term(session.phase.label)
        )
    ]
    details = {k: v for k, v in session.details.items() if v not in (None, "")}
    if "dose_mg_per_kg" in details or "dose_mg" in details:
        dose = [
            f"{details[k]:g} {u}"
            for k, u in (("dose_mg_per_kg", "mg/kg"), ("dose_mg", "mg"))
            if isinstance(details.get(k), (int, float))
        ]
        dose += (
            [translate("chart_data", "{0} mg").format(details["dose_mg"])]
            if isinstance(details.get("dose_mg"), str)
            else []
        )
        lines.append(translate("chart_data", "Dose ") + ", ".join(dose))
    for key in ("protocol", "percent_mt", "pulses", "placement", "charge_mc", "seizure_eeg_s"):
        if key in details:
            lines.append(f"{key.replace('_', ' ')}: {details[key]}")
    if "bp_before_sys" in details:
        lines.append(_bp(details))
    effects = list(session.side_effects) + (
        [session.side_effects_text] if session.side_effects_text else []
    )
    lines.append(
        translate("chart_data", "Side effects: ")
        + (", ".join(effects) if effects else translate("chart_data", "none recorded"))
    )
    if session.prn_medication:
        lines.append(translate("chart_data", "As-needed: ") + ", ".join(session.prn_medication))
    return "\n".join(lines)


def _bp(d: dict[str, object]) -> str:
    parts = []
    for label, key in (("before", "bp_before"), ("peak", "bp_peak"), ("after", "bp_after")):
        if f"{key}_sys" in d:
            parts.append(f"{label} {d[f'{key}_sys']}/{d.get(f'{key}_dia', '?')}")
    return translate("chart_data", "BP ") + ", ".join(parts)


def point_tip(point: ChartPoint) -> str:
    """Tooltip of a score: value, band, when, proration and any safety flag."""
    record, s = point.record, point.record.score
    name = INSTRUMENTS[record.instrument].name
    lines = [f"{name} {s.display_total} ({term(s.severity or '')}) · {record.when:%Y-%m-%d %H:%M}"]
    if point.is_baseline:
        lines.append(translate("chart_data", "Baseline"))
    if record.session_number:
        lines.append(translate("chart_data", "Before session {0}").format(record.session_number))
    if s.prorated:
        lines.append(
            translate("chart_data", "Prorated: {0} item(s) missing, exact {1:.1f}").format(
                s.n_missing, s.exact_total
            )
        )
    if s.safety_flag:
        lines.append(flag_tip(record))
    return "\n".join(lines)


def flag_tip(record: AssessmentRecord) -> str:
    inst = INSTRUMENTS[record.instrument]
    value = record.score.responses[(inst.safety_item or 1) - 1]
    state = (
        translate("chart_data", "OPEN - no action recorded")
        if record.flag_open
        else (
            translate("chart_data", "action: ")
            + ", ".join(term(a.kind.label) for a in record.actions)
        )
    )
    shown = "unanswered" if value is None else str(value)
    return translate("chart_data", "⚠ Safety item {0} = {1} (tier {2}); {3}").format(
        inst.safety_item, shown, record.score.safety_tier, state
    )
