"""How values are written on paper: one place, so tables, charts and tests agree.

Dates are ISO (2026-03-04) because the summary travels between countries and
"03/04" is ambiguous; month names come from a fixed table, not ``strftime``,
because a Qt app adopts the user's locale and the paper must not change
language with the machine it was printed on.
"""

from __future__ import annotations

from datetime import date, datetime

from ..domain.limits import NOTES_MAX
from ..domain.scoring import Score
from ..presentation.texts import DASH, percent

__all__ = ["DASH", "percent"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FLAG_MARK = "\u25b2"  # the same triangle marks a safety flag in tables and charts


def clip(text: str, limit: int = NOTES_MAX) -> str:
    """Free text as printed, cut at ``limit`` characters with a visible note.

    New records cannot be longer (services refuse them), but an old or tampered row
    can: reportlab lays a paragraph out in quadratic time, and a 1 MB description
    kept ``report`` busy for over 4 minutes.
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (truncated, {len(text):,} characters)"


def day(value: date | datetime | None) -> str:
    """2026-03-04, or an em dash when unknown."""
    if value is None:
        return DASH
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def moment(value: datetime) -> str:
    """2026-03-04 14:30: minutes are enough for a clinical record."""
    return f"{value.date().isoformat()} {value:%H:%M}"


def short_day(value: date) -> str:
    """4 Mar, for chart axes."""
    return f"{value.day} {MONTHS[value.month - 1]}"


def total_and_band(score: Score) -> str:
    """ "14* moderate", with the flag triangle when the safety item raised one."""
    text = score.display_total
    if score.severity:
        text += f" {score.severity}"
    if score.safety_flag:
        text += f" {FLAG_MARK}"
    return text


def number(value: object) -> str:
    """A session detail value: 0.5, 35, "iTBS"; floats lose trailing zeros."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
