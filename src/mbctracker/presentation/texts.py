"""How a course's figures are worded, on screen and on paper alike.

The PDF's careful wording is the reference: percent change to one decimal (so
24.6% never reads as the 25% partial-response cut-off), words rather than signs
for the direction, and "n/a" where a rule does not apply (ordinal scales, no
cut-off) instead of a misleading "No".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from ..domain.outcomes import Change
from ..domain.settings import ClinicSettings
from ..domain.timeline import InstrumentSummary, category_label
from .scales import percent_meaningful

DASH = "\u2014"
ORDINAL_CATEGORY = "n/a (ordinal scale)"

Words = Mapping[str, str] | None
"""A front end's translation of :data:`PHRASES` (the window passes Spanish); None, the
default, is the English every report and export uses."""
PHRASES = (
    "no change",
    "{0} pts better",
    "{0} pts worse",
    ORDINAL_CATEGORY,
    "Response",
    "Partial response",
    "Non-response",
    "Not evaluable",
    "n/a",
    "Yes",
    "No",
    "Improvement",
    "Deterioration",
    "None",
    "No standard value",
    ", best {0}",
    "remission",
    "no scores yet",
    "baseline {0} on {1} \u00b7 no later score yet",
)
"""Every fixed phrase the functions taking ``words`` may write, for a translator."""


def _w(words: Words, phrase: str) -> str:
    return words.get(phrase, phrase) if words else phrase


def percent(value: float | None) -> str:
    """ "24.6%", one decimal; a dash when there is no value."""
    if value is None:
        return DASH
    return f"{value:.1f}%"


def points_text(improvement: int | None, words: Words = None) -> str:
    """ "6 pts better": words, not signs ("+6" reads as "went up" to some)."""
    if improvement is None:
        return DASH
    if improvement == 0:
        return _w(words, "no change")
    phrase = "{0} pts better" if improvement > 0 else "{0} pts worse"
    return _w(words, phrase).format(abs(improvement))


def change_text(change: Change, words: Words = None) -> str:
    """ "24.6% (6 pts better)"; points only where percent change has no meaning."""
    points = points_text(change.points_change, words)
    if not percent_meaningful(change.instrument) or change.percent_change is None:
        return points
    return f"{percent(change.percent_change)} ({points})"


def category_text(change: Change, words: Words = None) -> str:
    """ "Partial response"; an ordinal scale has no response category at all."""
    if not percent_meaningful(change.instrument):
        return _w(words, ORDINAL_CATEGORY)
    return _w(words, category_label(change.category))


def has_remission_cutoff(code: str, settings: ClinicSettings) -> bool:
    return settings.for_instrument(code).remission_max is not None


def remission_text(change: Change, settings: ClinicSettings, words: Words = None) -> str:
    """ "Yes" / "No"; "n/a" without a cut-off (CGI-S), a dash without a current score."""
    if not has_remission_cutoff(change.instrument, settings):
        return _w(words, "n/a")
    if change.current_total is None:
        return DASH
    return _w(words, "Yes" if change.remission else "No")


def reliable_text(change: Change, words: Words = None) -> str:
    """ "Improvement" / "Deterioration" / "None"; MADRS has no standard value."""
    return _w(words, (change.reliable_change or "no standard value").capitalize())


def sustained_text(when: datetime | date | None, applies: bool) -> str:
    """When the rule was first met (not whether it still holds), or "n/a"."""
    if not applies:
        return "n/a"
    return f"Reached {_day(when)}" if when else "Not reached"


def sustained_response_text(item: InstrumentSummary) -> str:
    return sustained_text(item.sustained_response, percent_meaningful(item.instrument))


def sustained_remission_text(item: InstrumentSummary, settings: ClinicSettings) -> str:
    return sustained_text(item.sustained_remission, has_remission_cutoff(item.instrument, settings))


def best_percent_text(best: float | None, words: Words = None) -> str:
    """ ", best 24.6%" after an early-improvement status; nothing when none (or 0.0%) yet."""
    return _w(words, ", best {0}").format(percent(best)) if best else ""


def readout_text(item: InstrumentSummary, words: Words = None) -> str:
    """ "20 → 15 · 25.0% (5 pts better) · Partial response · remission": one line per scale."""
    change = item.change
    base = DASH if change.baseline_total is None else str(change.baseline_total)
    text = f"{base} \u2192 {change.current_total}"
    if change.points_change is not None:
        text += f" \u00b7 {change_text(change, words)}"
        if percent_meaningful(item.instrument):
            text += f" \u00b7 {category_text(change, words)}"
    if change.remission:
        text += " \u00b7 " + _w(words, "remission")
    return text


def baseline_only_text(item: InstrumentSummary, words: Words = None) -> str:
    """ "baseline 18 on 2026-11-10 · no later score yet": a course just started is not empty."""
    base = item.baseline
    if base is None:
        return _w(words, "no scores yet")
    phrase = _w(words, "baseline {0} on {1} \u00b7 no later score yet")
    return phrase.format(base.score.display_total, _day(base.when))


def _day(value: date | datetime | None) -> str:
    if value is None:
        return DASH
    return (value.date() if isinstance(value, datetime) else value).isoformat()
